import type { AuditTrail } from '#domain/access/audit.js';
import { messagePreviewSchema, messageSendSchema, subjectsOf } from '#domain/communications/group.js';
import type { CommunicationsService } from '#domain/communications/service.js';
import { DynamoAuditTrail } from '#adapters/dynamo-audit-trail.js';
import { organizerHandler } from '#shared/access.js';
import { SqsCommunicationQueue } from '#adapters/sqs-communication-queue.js';
import { documentClientFor, sqsClient } from '#shared/clients.js';
import { communicationsFor } from '#shared/communications.js';
import { auditConfig, emailQueueConfig, loadConfig, publicUrlConfig, tableConfig } from '#shared/config.js';
import { json, parseJsonBody, parseWith, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig, publicUrlConfig, auditConfig, emailQueueConfig);

/** Three language versions of a long message fit; a body over its own limit is a 400 naming it, not a 413. */
const MAX_BODY_BYTES = 512 * 1024;

/**
 * Organizers' communication: group messages (preview with count and rendering per language, send
 * once per recipient, the list with delivery counts) and "what is due now" for reminders and the
 * day-before message (what the schedule does, on demand). Sends and runs are audited.
 */
export const makeHandler = ({ communications, audit }: { communications: CommunicationsService; audit: AuditTrail }) =>
  organizerHandler(
    async (event, organizer) => {
      const eventId = pathParam(event, 'eventId');
      switch (event.routeKey) {
        case 'GET /events/{eventId}/messages':
          return json(200, { items: await communications.list(eventId) });
        case 'POST /events/{eventId}/messages/preview':
          return json(200, await communications.preview(eventId, parseWith(messagePreviewSchema, parseJsonBody(event, MAX_BODY_BYTES))));
        case 'POST /events/{eventId}/messages': {
          const input = parseWith(messageSendSchema, parseJsonBody(event, MAX_BODY_BYTES));
          const sent = await communications.send(eventId, input, organizer.principal.email);
          if (sent.created)
            await organizer.audit({
              action: 'message.sent',
              target: sent.id,
              after: { recipients: sent.recipients, filter: input.filter },
              detail: { subjects: subjectsOf(input.content) },
            });
          return json(202, sent);
        }
        case 'POST /events/{eventId}/reminders/run': {
          const run = await communications.runDue([eventId]);
          await organizer.audit({ action: 'reminders.run', detail: run.events[0] });
          return json(200, run);
        }
        default:
          return json(404, { error: 'not_found', message: `No route ${event.routeKey}` });
      }
    },
    { audit },
  );

export const handler = makeHandler({
  communications: communicationsFor(config, new SqsCommunicationQueue(sqsClient(), config.EMAIL_QUEUE_URL)),
  audit: new DynamoAuditTrail(documentClientFor(), config.AUDIT_TABLE),
});
