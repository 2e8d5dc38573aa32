import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BadgeLedger, BadgeRecord } from '#domain/badge/links.js';
import { tryWrite } from './dynamo-conditions.js';
import { keys } from './dynamo-keys.js';

/**
 * `BADGE#<invitationId>` (the invitee) and `BADGE#<invitationId>#<holder>` (a named companion): the
 * fingerprint and S3 key of each holder's current badge. `removedAt` marks a removed companion's
 * record for good: it is neither claimed, marked ready nor served again.
 */
export class DynamoBadgeLedger implements BadgeLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(eventId: string, invitationId: string, fingerprint: string, now: Date, leaseMs: number, holder = ''): Promise<boolean> {
    return tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.badge(eventId, invitationId, holder),
          UpdateExpression: `SET #type = :type, claimedFingerprint = :f, leaseUntil = :lease, renderState = :rendering${holder ? ', invitationId = :i, holder = :h' : ''}`,
          // Render when this fingerprint is neither ready nor being rendered by a live worker, and the holder is still there.
          ConditionExpression:
            '(attribute_not_exists(fingerprint) OR fingerprint <> :f) AND (attribute_not_exists(claimedFingerprint) OR claimedFingerprint <> :f OR leaseUntil < :now) AND attribute_not_exists(removedAt)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':type': 'badge',
            ':f': fingerprint,
            ':lease': now.getTime() + leaseMs,
            ':now': now.getTime(),
            ':rendering': 'RENDERING',
            ...(holder ? { ':i': invitationId, ':h': holder } : {}),
          },
        }),
      ),
    );
  }

  async claimLost(eventId: string, invitationId: string, fingerprint: string, now: Date, leaseMs: number, holder = ''): Promise<boolean> {
    return tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.badge(eventId, invitationId, holder),
          UpdateExpression: 'SET claimedFingerprint = :f, leaseUntil = :lease, renderState = :rendering',
          // Still this fingerprint, no live worker rendering it (again), and not a removed companion's.
          ConditionExpression: 'fingerprint = :f AND attribute_not_exists(removedAt) AND (attribute_not_exists(renderState) OR renderState <> :rendering OR leaseUntil < :now)',
          ExpressionAttributeValues: { ':f': fingerprint, ':lease': now.getTime() + leaseMs, ':now': now.getTime(), ':rendering': 'RENDERING' },
        }),
      ),
    );
  }

  async markReady(eventId: string, invitationId: string, record: Omit<BadgeRecord, 'status'>, holder = ''): Promise<boolean> {
    return tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.badge(eventId, invitationId, holder),
          UpdateExpression: `SET fingerprint = :f, objectKey = :k, badgeVersion = :v, renderState = :ready, renderedAt = :at${record.filename ? ', fileName = :n' : ''}${record.revision !== undefined ? ', revision = :r' : ''}`,
          // Never over a removed holder, nor over a badge printed from a later revision.
          ConditionExpression: `attribute_not_exists(removedAt)${record.revision !== undefined ? ' AND (attribute_not_exists(revision) OR revision <= :r)' : ''}`,
          ExpressionAttributeValues: {
            ':f': record.fingerprint,
            ':k': record.key,
            ':v': record.version,
            ':ready': 'READY',
            ':at': new Date().toISOString(),
            ...(record.filename ? { ':n': record.filename } : {}),
            ...(record.revision !== undefined ? { ':r': record.revision } : {}),
          },
        }),
      ),
    );
  }

  /** Keeps the record (its last version says which credential it carried), without anything to serve. */
  async remove(eventId: string, invitationId: string, holder: string, now: Date): Promise<void> {
    if (!holder) throw new Error('DynamoBadgeLedger.remove: only a companion’s badge is removed');
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.badge(eventId, invitationId, holder),
        UpdateExpression:
          'SET #type = :type, invitationId = :i, holder = :h, renderState = :removed, removedAt = if_not_exists(removedAt, :at) REMOVE fingerprint, objectKey, claimedFingerprint, leaseUntil',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'badge', ':i': invitationId, ':h': holder, ':removed': 'REMOVED', ':at': now.toISOString() },
      }),
    );
  }

  async get(eventId: string, invitationId: string, holder = ''): Promise<BadgeRecord | undefined> {
    const item = (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.badge(eventId, invitationId, holder), ConsistentRead: true }))).Item;
    if (!item?.fingerprint) return undefined;
    return {
      fingerprint: String(item.fingerprint),
      key: String(item.objectKey),
      version: Number(item.badgeVersion),
      status: 'READY',
      ...(item.fileName ? { filename: String(item.fileName) } : {}),
    };
  }
}
