import { AlertService } from '#domain/alerts.js';
import { CapacityService } from '#domain/capacity.js';
import { EventService } from '#domain/events.js';
import type { CumbreStore } from '#domain/ports.js';
import { DynamoEmailLedger } from '#adapters/dynamo-email-ledger.js';
import { cumbreStore, documentClientFor, randomIds, systemClock } from '#shared/clients.js';
import { emailConfig, loadConfig, ownQueueConfig, tableConfig } from '#shared/config.js';
import { handBackWhileSending, sesMailerFor } from '#shared/mailer.js';
import { logger } from '#shared/observability.js';
import { sqsWorker, type HandBack } from '#shared/sqs-worker.js';
import * as z from '#domain/zod.js';

const config = loadConfig(
  tableConfig,
  emailConfig,
  ownQueueConfig,
  z.object({ ORGANIZER_ALERT_EMAIL: z.email(), ORGANIZER_LANGUAGE: z._default(z.enum(['es', 'en', 'fr']), 'es') }),
);

/** Freed (or raised) seats promote the waitlist; taken seats may cross an alert threshold; event edits fan out to invitees. */
export const makeHandler = ({
  capacity,
  alerts,
  store,
  events,
  handBack,
}: {
  capacity: CapacityService;
  alerts: AlertService;
  store: CumbreStore;
  events: EventService;
  handBack?: HandBack;
}) =>
  sqsWorker(
    async ({ event }) => {
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
        return { alerts: record ? await alerts.check(record, event.sessionId) : [] };
      }
      return 'skipped';
    },
    { handBack },
  );

const store = cumbreStore(config.TABLE_NAME);
export const handler = makeHandler({
  handBack: handBackWhileSending(config.QUEUE_URL),
  store,
  capacity: new CapacityService({ store, clock: systemClock, ids: randomIds }),
  events: new EventService({ store, clock: systemClock, ids: randomIds }),
  alerts: new AlertService({
    ledger: new DynamoEmailLedger(documentClientFor(), config.TABLE_NAME),
    mailer: sesMailerFor(config),
    clock: systemClock,
    sender: { name: config.SENDER_NAME, address: config.SENDER_EMAIL },
    organizers: config.ORGANIZER_ALERT_EMAIL,
    language: config.ORGANIZER_LANGUAGE,
    leaseMs: config.EMAIL_LEASE_SECONDS * 1000,
  }),
});
