import type { SQSRecord } from 'aws-lambda';
import { communicationMessageSchema, type CommunicationMessage } from '#domain/communications/ports.js';
import type { Envelope } from '#domain/outbox.js';
import { PoisonMessageError, parseEnvelope } from './sqs-worker.js';

/** What the email queue carries: an outbox envelope (invitation, answer, promotion emails) or a communication (reminders, group messages). */
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
