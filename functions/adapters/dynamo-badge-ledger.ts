import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BadgeLedger, BadgeRecord } from '#domain/badge/links.js';
import { keys } from './dynamo-keys.js';

/** `BADGE#<invitationId>`: the fingerprint and S3 key of the invitee's current badge. */
export class DynamoBadgeLedger implements BadgeLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(eventId: string, invitationId: string, fingerprint: string, now: Date, leaseMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.badge(eventId, invitationId),
          UpdateExpression: 'SET #type = :type, claimedFingerprint = :f, leaseUntil = :lease, renderState = :rendering',
          // Render when this fingerprint is neither ready nor being rendered by a live worker.
          ConditionExpression:
            '(attribute_not_exists(fingerprint) OR fingerprint <> :f) AND (attribute_not_exists(claimedFingerprint) OR claimedFingerprint <> :f OR leaseUntil < :now)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':type': 'badge', ':f': fingerprint, ':lease': now.getTime() + leaseMs, ':now': now.getTime(), ':rendering': 'RENDERING' },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async markReady(eventId: string, invitationId: string, record: Omit<BadgeRecord, 'status'>) {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.badge(eventId, invitationId),
        UpdateExpression: `SET fingerprint = :f, objectKey = :k, badgeVersion = :v, renderState = :ready, renderedAt = :at${record.filename ? ', fileName = :n' : ''}`,
        ExpressionAttributeValues: {
          ':f': record.fingerprint,
          ':k': record.key,
          ':v': record.version,
          ':ready': 'READY',
          ':at': new Date().toISOString(),
          ...(record.filename ? { ':n': record.filename } : {}),
        },
      }),
    );
  }

  async get(eventId: string, invitationId: string): Promise<BadgeRecord | undefined> {
    const item = (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.badge(eventId, invitationId), ConsistentRead: true }))).Item;
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
