import type { SQSRecord } from 'aws-lambda';
import { CommunicationsService, type DeliveryDeps } from '#domain/communications/service.js';
import { communicationMessageSchema, type CommunicationMessage } from '#domain/communications/ports.js';
import type { Envelope } from '#domain/outbox.js';
import { DynamoCommunicationsStore } from '#adapters/dynamo-communications.js';
import { SqsCommunicationQueue } from '#adapters/sqs-communication-queue.js';
import { cumbreStore, documentClientFor, sqsClient, systemClock } from './clients.js';
import { PoisonMessageError, parseEnvelope } from './sqs-worker.js';

/**
 * Reminders and group messages, wired per capability (as `mailer.ts` and `badges.ts` are): the
 * store on the main table and the email queue. Without `delivery`, the service plans and queues;
 * with it (the email worker), it sends.
 */
export const communicationsFor = (config: { TABLE_NAME: string; EMAIL_QUEUE_URL?: string; PUBLIC_BASE_URL: string }, delivery?: DeliveryDeps) =>
  new CommunicationsService(
    {
      store: new DynamoCommunicationsStore(documentClientFor(), config.TABLE_NAME, cumbreStore(config.TABLE_NAME)),
      queue: config.EMAIL_QUEUE_URL
        ? new SqsCommunicationQueue(sqsClient(), config.EMAIL_QUEUE_URL)
        : {
            enqueue: async (messages) => {
              if (messages.length) throw new Error('This function has no email queue to send to');
            },
          },
      clock: systemClock,
      publicBaseUrl: config.PUBLIC_BASE_URL,
    },
    delivery,
  );

/** What the email queue carries: an outbox envelope (invitation, answer, promotion emails) or a communication. */
export type EmailQueueMessage = Envelope | CommunicationMessage;

export const parseEmailQueueMessage = (record: SQSRecord): EmailQueueMessage => {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError(`Message ${record.messageId} is not JSON`);
  }
  if (typeof body !== 'object' || body === null || !('communication' in body)) return parseEnvelope(record);
  const parsed = communicationMessageSchema.safeParse(body);
  if (!parsed.success) throw new PoisonMessageError(`Message ${record.messageId} fails the communication schema: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
};

export const describeEmailQueueMessage = (m: EmailQueueMessage) =>
  'communication' in m ? { eventId: m.communication.emailId, type: `communication.${m.communication.kind}` } : { eventId: m.id, type: m.event.type };
