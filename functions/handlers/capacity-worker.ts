import { CapacityAlerts } from '#domain/alerts.js';
import { CapacityService } from '#domain/capacity.js';
import { EventService } from '#domain/events.js';
import type { CumbreStore } from '#domain/ports.js';
import { DynamoAlertLedger } from '#adapters/dynamo-alert-ledger.js';
import { SqsAlertQueue } from '#adapters/sqs-communication-queue.js';
import { cumbreStore, documentClientFor, randomIds, sqsClient, systemClock } from '#shared/clients.js';
import { emailQueueConfig, loadConfig, tableConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';
import { sqsWorker } from '#shared/sqs-worker.js';

const config = loadConfig(tableConfig, emailQueueConfig);

/**
 * Freed (or raised) seats promote the waitlist; taken seats may cross an alert threshold, whose
 * alert goes to the email worker to send; event edits fan out to invitees.
 */
export const makeHandler = ({ capacity, alerts, store, events }: { capacity: CapacityService; alerts: CapacityAlerts; store: CumbreStore; events: EventService }) =>
  sqsWorker(async ({ event }) => {
    // An organizer's edit reaches each invitee it concerns: calendars and badges, or a cancellation.
    if (event.type === 'event.rescheduled' || event.type === 'session.cancelled') return events.fanOut(event);
    if (event.type === 'seat.freed') {
      // A raised capacity the edit could not finish (its Lambda stopped between steps) is finished here.
      await events.settleCapacity(event.eventId, event.sessionId);
      const run = await capacity.promoteWaitlisted(event.eventId, event.sessionId);
      if (run.staleRemoved.length) logger.warn('Stale waitlist entries removed', { eventId: event.eventId, sessionId: event.sessionId, entries: run.staleRemoved });
      if (run.gaveUp) logger.warn('Promotion stopped after repeated lost races; the next freed seat resumes it', { eventId: event.eventId, sessionId: event.sessionId });
      return run;
    }
    if (event.type === 'rsvp.confirmed') {
      const record = await store.getEvent(event.eventId);
      return { alertsQueued: record ? await alerts.check(record, event.sessionId) : [] };
    }
    return 'skipped';
  });

const store = cumbreStore(config.TABLE_NAME);
export const handler = makeHandler({
  store,
  capacity: new CapacityService({ store, clock: systemClock, ids: randomIds }),
  events: new EventService({ store, clock: systemClock, ids: randomIds }),
  alerts: new CapacityAlerts({
    ledger: new DynamoAlertLedger(documentClientFor(), config.TABLE_NAME),
    queue: new SqsAlertQueue(sqsClient(), config.EMAIL_QUEUE_URL),
    clock: systemClock,
  }),
});
