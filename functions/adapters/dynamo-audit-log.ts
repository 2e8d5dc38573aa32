import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CumbreEvent } from '#domain/outbox.js';
import { keys } from './dynamo-keys.js';

/** An invitation's history: every change that went through the stream, kept for organizers. */
export class DynamoAuditLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Idempotent: the key is the change's own time and id. */
  async append(event: CumbreEvent) {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.audit(event.eventId, event.invitationId, event.occurredAt, event.id), type: 'audit', event } }),
    );
  }

  async history(eventId: string, invitationId: string): Promise<CumbreEvent[]> {
    const prefix = keys.audit(eventId, invitationId, '', '').sk.replace(/#+$/, '#');
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.eventDef(eventId).pk, ':p': prefix },
      }),
    );
    return (res.Items ?? []).map((i) => i.event as CumbreEvent);
  }
}
