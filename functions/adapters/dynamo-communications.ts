import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CommunicationsStore, GroupMessageRecord, LedgerEntry, OptOutOutcome } from '#domain/communications/ports.js';
import type { CumbreStore } from '#domain/ports.js';
import { logger } from '#shared/observability.js';
import { markEmailEnqueued } from './dynamo-alert-ledger.js';
import { tryWrite } from './dynamo-conditions.js';
import { keys } from './dynamo-keys.js';
import { queryAll } from './dynamo-pages.js';

/**
 * Reminders and group messages on the main table: email ledger records (`EMAIL#<id>`, shared with
 * the email worker's ledger), group messages (`MESSAGE#<id>`), opt-outs on the invitation and the
 * suppression list (`SUPPRESSION#<address>`). Events and invitations are read through the core store.
 */
export class DynamoCommunicationsStore implements CommunicationsStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly core: Pick<CumbreStore, 'listEventIds' | 'getEvent' | 'listInvitations' | 'getInvitation' | 'countWaitlistedBefore'>,
  ) {}

  listEventIds() {
    return this.core.listEventIds();
  }
  getEvent(eventId: string) {
    return this.core.getEvent(eventId);
  }
  listInvitations(eventId: string) {
    return this.core.listInvitations(eventId);
  }
  getInvitation(eventId: string, invitationId: string) {
    return this.core.getInvitation(eventId, invitationId);
  }
  countWaitlistedBefore(eventId: string, sessionId: string, ticket: number) {
    return this.core.countWaitlistedBefore(eventId, sessionId, ticket);
  }

  async listEmails(eventId: string, prefix: string): Promise<LedgerEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.email(eventId, '').pk, ':sk': keys.email(eventId, prefix).sk },
      ProjectionExpression: 'emailId, invitationId, #s, createdAt, enqueuedAt, feedback',
      ExpressionAttributeNames: { '#s': 'status' },
      ConsistentRead: true,
    });
    return items as unknown as LedgerEntry[];
  }

  prepareEmail(record: { emailId: string; eventId: string; invitationId: string; kind: string; to: string }, now: Date): Promise<boolean> {
    return tryWrite(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.email(record.eventId, record.emailId), type: 'email', ...record, status: 'QUEUED', createdAt: now.toISOString(), enqueuedAt: now.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  markEnqueued(eventId: string, emailId: string, now: Date) {
    return markEmailEnqueued(this.doc, this.tableName, eventId, emailId, now);
  }

  async markSkipped(eventId: string, emailId: string, reason: string, now: Date) {
    const ok = await tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.email(eventId, emailId),
          UpdateExpression: 'SET #s = :skipped, skippedAt = :now, lastError = :why',
          ConditionExpression: '#s = :sending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':skipped': 'SKIPPED', ':sending': 'SENDING', ':now': now.toISOString(), ':why': reason.slice(0, 500) },
        }),
      ),
    );
    if (!ok) logger.warn('Email record was not SENDING; not marked skipped', { emailId });
  }

  putMessage(message: GroupMessageRecord): Promise<boolean> {
    return tryWrite(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.message(message.eventId, message.id), type: 'message', ...message },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getMessage(eventId: string, messageId: string): Promise<GroupMessageRecord | undefined> {
    const item = (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.message(eventId, messageId), ConsistentRead: true }))).Item;
    return item ? stripKeys<GroupMessageRecord>(item) : undefined;
  }

  async markMessageQueued(eventId: string, messageId: string, recipients: number) {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.message(eventId, messageId),
        UpdateExpression: 'SET #s = :queued, recipients = :n',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':queued': 'queued', ':n': recipients },
      }),
    );
  }

  async listMessages(eventId: string): Promise<GroupMessageRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.message(eventId, '').pk, ':sk': keys.message(eventId, '').sk },
    });
    return items.map((i) => stripKeys<GroupMessageRecord>(i));
  }

  async optOut(eventId: string, invitationId: string, at: string): Promise<OptOutOutcome> {
    const recorded = await tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.invitation(eventId, invitationId),
          // The version bump makes a concurrent answer re-read instead of overwriting this.
          UpdateExpression: 'SET optOut = :o, updatedAt = :at ADD version :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(optOut)',
          ExpressionAttributeValues: { ':o': { at, via: 'one-click' }, ':at': at, ':one': 1 },
        }),
      ),
    );
    if (recorded) return 'recorded';
    const exists = (
      await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.invitation(eventId, invitationId), ProjectionExpression: 'pk', ConsistentRead: true }))
    ).Item;
    return exists ? 'already' : 'missing';
  }

  async isSuppressed(email: string): Promise<boolean> {
    const item = (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.suppression(email), ProjectionExpression: 'pk', ConsistentRead: true }))).Item;
    return item !== undefined;
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    return queryAll(this.doc, { ...input, TableName: this.tableName });
  }
}

const stripKeys = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
};

/**
 * The suppression list's writer (the SES feedback worker) and the ledger's feedback marks (for a
 * group message's bounced and complained counts).
 */
export class DynamoSuppressionList {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Idempotent: the first reason and time are kept. */
  async suppress(email: string, reason: 'bounced' | 'complained', at: string) {
    await tryWrite(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.suppression(email), type: 'suppression', email: email.trim().toLowerCase(), reason, at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /** Marks a sent email's ledger record with its feedback; nothing when there is no such record. */
  async markFeedback(eventId: string, emailId: string, feedback: 'bounced' | 'complained') {
    await tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.email(eventId, emailId),
          UpdateExpression: 'SET feedback = :f',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':f': feedback },
        }),
      ),
    );
  }
}
