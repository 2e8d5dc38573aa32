import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertLedger } from '#domain/alerts.js';
import { tryWrite } from './dynamo-conditions.js';
import { keys } from './dynamo-keys.js';

/** QUEUED → enqueued: the record's message is on the email queue (a no-op once a worker has claimed it). */
export const markEmailEnqueued = async (doc: DynamoDBDocumentClient, tableName: string, eventId: string, emailId: string, now: Date) => {
  await tryWrite(() =>
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.email(eventId, emailId),
        UpdateExpression: 'SET enqueuedAt = :now',
        ConditionExpression: '#s = :queued',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':now': now.toISOString(), ':queued': 'QUEUED' },
      }),
    ),
  );
};

/**
 * Capacity alerts on the email ledger (`EMAIL#alert:…` in the event's partition): the capacity worker
 * writes the record QUEUED and marks it enqueued; the email worker's `DynamoEmailLedger` claims and
 * sends it, filling in the recipient.
 */
export class DynamoAlertLedger implements AlertLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  owe(alert: { emailId: string; eventId: string }, now: Date): Promise<boolean> {
    const fields = { type: 'email', emailId: alert.emailId, eventId: alert.eventId, invitationId: '-', kind: 'capacity-alert', status: 'QUEUED', createdAt: now.toISOString() };
    return tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.email(alert.eventId, alert.emailId),
          UpdateExpression: `SET ${Object.keys(fields)
            .map((k) => `#${k} = if_not_exists(#${k}, :${k})`)
            .join(', ')}`,
          // New, or left QUEUED by a check that died before its enqueue was recorded.
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :status AND attribute_not_exists(enqueuedAt))',
          ExpressionAttributeNames: Object.fromEntries(Object.keys(fields).map((k) => [`#${k}`, k])),
          ExpressionAttributeValues: Object.fromEntries(Object.entries(fields).map(([k, v]) => [`:${k}`, v])),
        }),
      ),
    );
  }

  markEnqueued(eventId: string, emailId: string, now: Date): Promise<void> {
    return markEmailEnqueued(this.doc, this.tableName, eventId, emailId, now);
  }
}
