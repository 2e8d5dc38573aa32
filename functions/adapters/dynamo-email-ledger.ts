import type { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, DeliveryRecordOutcome, DeliveryRecorder, EmailLedger } from '#domain/email/delivery.js';
import { EmailInProgressError } from '#domain/email/errors.js';
import type { InvitationDelivery } from '#domain/model.js';
import { logger } from '#shared/observability.js';
import { conditionFailed, tryWrite } from './dynamo-conditions.js';
import { keys } from './dynamo-keys.js';

/** Email records (`EMAIL#<id>` in the event's partition) and the invitation's delivery state. */
export class DynamoEmailLedger implements EmailLedger, DeliveryRecorder {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(record: { emailId: string; eventId: string; invitationId: string; kind: string; to: string }, now: Date, leaseMs: number): Promise<ClaimResult> {
    const Key = keys.email(record.eventId, record.emailId);
    const lease = { ':sending': 'SENDING', ':lease': now.getTime() + leaseMs, ':now': now.getTime(), ':at': now.toISOString() };
    // One write creates the record and claims it, or claims one a failed send gave back (QUEUED).
    const fields = { type: 'email', ...record, createdAt: now.toISOString() };
    const claimed = await tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: `SET #s = :sending, leaseUntil = :lease, claimedAt = :at, ${Object.keys(fields)
            .map((k) => `#${k} = if_not_exists(#${k}, :${k})`)
            .join(', ')} ADD attempts :one`,
          ConditionExpression: 'attribute_not_exists(pk) OR #s = :queued',
          ExpressionAttributeNames: { '#s': 'status', ...Object.fromEntries(Object.keys(fields).map((k) => [`#${k}`, k])) },
          ExpressionAttributeValues: {
            ':sending': lease[':sending'],
            ':lease': lease[':lease'],
            ':at': lease[':at'],
            ':queued': 'QUEUED',
            ':one': 1,
            ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [`:${k}`, v])),
          },
        }),
      ),
    );
    if (claimed) return 'claimed';
    // The lease ran out while SENDING: the worker died, perhaps after the provider accepted the
    // message. Send once more, and say so on the record; never a third time.
    const reclaimed = await tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: 'SET leaseUntil = :lease, claimedAt = :at, resent = :true ADD attempts :one',
          ConditionExpression: '#s = :sending AND leaseUntil < :now AND attribute_not_exists(resent)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ...lease, ':true': true, ':one': 1 },
        }),
      ),
    );
    if (reclaimed) {
      logger.warn('Email lease expired while sending; resending once', { emailId: record.emailId });
      return 'reclaimed';
    }
    const current = (await this.doc.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }))).Item;
    if (current?.status === 'SENDING' && Number(current.leaseUntil) >= now.getTime()) {
      throw new EmailInProgressError(`Email ${record.emailId} is being sent by another worker`, Number(current.leaseUntil) - now.getTime());
    }
    if (current?.status === 'SENDING') {
      await tryWrite(() =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET #s = :uncertain',
            ConditionExpression: '#s = :sending AND resent = :true',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':uncertain': 'UNCERTAIN', ':sending': 'SENDING', ':true': true },
          }),
        ),
      );
      logger.error('Email resend also died before SENT; not sending a third time', { emailId: record.emailId });
    }
    return 'done';
  }

  async markSent(emailId: string, eventId: string, providerId: string, now: Date) {
    await this.transition(eventId, emailId, 'SENT', { providerId, sentAt: now.toISOString() });
  }

  async release(emailId: string, eventId: string, reason: string) {
    await this.transition(eventId, emailId, 'QUEUED', { lastError: reason.slice(0, 500) });
  }

  async markRejected(emailId: string, eventId: string, reason: string, now: Date) {
    await this.transition(eventId, emailId, 'REJECTED', { lastError: reason.slice(0, 500), rejectedAt: now.toISOString() });
  }

  async recordDelivery(eventId: string, invitationId: string, delivery: InvitationDelivery): Promise<DeliveryRecordOutcome> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.invitation(eventId, invitationId),
          // The version bump makes a concurrent answer re-read instead of overwriting this.
          UpdateExpression: 'SET delivery = :d ADD version :one',
          // Only over the state of an email no newer than this one (or one that does not say).
          ConditionExpression: delivery.of ? 'attribute_exists(pk) AND (attribute_not_exists(delivery.#of) OR delivery.#of <= :of)' : 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':d': delivery, ':one': 1, ...(delivery.of ? { ':of': delivery.of } : {}) },
          ...(delivery.of ? { ExpressionAttributeNames: { '#of': 'of' } } : {}),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'recorded';
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      if ((err as ConditionalCheckFailedException).Item) return 'superseded';
      logger.warn('Delivery state not recorded: no such invitation', { eventId, invitationId, state: delivery.state });
      return 'invitation_missing';
    }
  }

  private async transition(eventId: string, emailId: string, status: string, fields: Record<string, string>) {
    const names: Record<string, string> = { '#s': 'status' };
    const values: Record<string, unknown> = { ':to': status, ':sending': 'SENDING' };
    const sets = Object.entries(fields).map(([k, v]) => {
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      return `#${k} = :${k}`;
    });
    const ok = await tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.email(eventId, emailId),
          UpdateExpression: `SET #s = :to, ${sets.join(', ')}`,
          ConditionExpression: '#s = :sending',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    if (!ok) logger.warn('Email record was not SENDING; left as it was', { emailId, wanted: status });
  }

  /** For organizers and tests: the email record as stored. */
  async get(eventId: string, emailId: string) {
    return (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.email(eventId, emailId), ConsistentRead: true }))).Item;
  }
}
