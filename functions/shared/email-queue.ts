import type { SQSRecord } from 'aws-lambda';
import { alertMessageSchema, type AlertMessage } from '#domain/alerts.js';
import { communicationMessageSchema, type CommunicationMessage } from '#domain/communications/ports.js';
import type { Envelope } from '#domain/outbox.js';
import { PoisonMessageError, parseEnvelope } from './sqs-worker.js';

/**
 * What the email queue carries: an outbox envelope (invitation, answer, promotion emails), a
 * communication (reminders, group messages) or a capacity alert for the organizers.
 */
export type EmailQueueMessage = Envelope | CommunicationMessage | AlertMessage;

export const parseEmailQueueMessage = (record: SQSRecord): EmailQueueMessage => {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError(`Message ${record.messageId} is not JSON`);
  }
  const kind = typeof body === 'object' && body !== null ? (['communication', 'alert'] as const).find((k) => k in body) : undefined;
  if (!kind) return parseEnvelope(record);
  const parsed = (kind === 'alert' ? alertMessageSchema : communicationMessageSchema).safeParse(body);
  if (!parsed.success) throw new PoisonMessageError(`Message ${record.messageId} fails the ${kind} schema: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
};

export const describeEmailQueueMessage = (m: EmailQueueMessage) =>
  'communication' in m
    ? { eventId: m.communication.emailId, type: `communication.${m.communication.kind}` }
    : 'alert' in m
      ? { eventId: m.alert.emailId, type: 'capacity.alert' }
      : { eventId: m.id, type: m.event.type };
