import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutboxLedger } from '#domain/dispatch.js';
import { isOutboxRecord, type CumbreEvent, type OutboxRecord } from '#domain/outbox.js';
import { tryWrite } from './dynamo-conditions.js';
import { queryAll } from './dynamo-pages.js';
import { keys, OUTBOX_TTL_SECONDS, UNDISPATCHED_INDEX, UNDISPATCHED_SHARDS, undispatchedShard } from './dynamo-keys.js';

/**
 * An outbox record as written in the change's transaction: in the undispatched index, and expiring,
 * until marked dispatched. A dispatched record stays as the invitation's history (see `markDispatched`).
 * Keyed by its first event (`outboxKey`).
 */
export const outboxItem = (record: OutboxRecord) => {
  const [first] = record;
  return {
    ...outboxKey(record),
    type: 'outbox',
    events: record,
    undispatched: undispatchedShard(first.id),
    occurredAt: first.occurredAt,
    expiresAt: Math.floor(Date.parse(first.occurredAt) / 1000) + OUTBOX_TTL_SECONDS,
  };
};

const outboxKey = ([first]: OutboxRecord) => keys.outbox(first.invitationId, first.occurredAt, first.id);

/**
 * A stored outbox record's events, as its writer wrote them (not validated here: the stream
 * dispatcher parses each). Records written before events were grouped (one `event` each) may still
 * be in flight during a deploy, and are history for good: both shapes read.
 */
export const storedEvents = (item: Record<string, unknown>): CumbreEvent[] =>
  (Array.isArray(item.events) ? item.events : item.event !== undefined ? [item.event] : []) as CumbreEvent[];

/**
 * The outbox's delivery state on the table: a sparse index of what is not yet dispatched. Marking a
 * record dispatched also keeps it for good (it stops expiring): the invitation's history is its
 * outbox partition (`DynamoInvitationHistory`), so a change is written once, in its own
 * transaction, and the dispatcher's bookkeeping is one UpdateItem.
 */
export class DynamoOutboxLedger implements OutboxLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async markDispatched(record: OutboxRecord, now: Date): Promise<void> {
    await tryWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: outboxKey(record),
          // Out of the undispatched index, and no longer expiring: from now on it is history.
          UpdateExpression: 'SET dispatchedAt = :now REMOVE undispatched, expiresAt',
          // An expired record is not brought back as a stub.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      ),
    );
  }

  async listUndispatched(before: Date, limit: number): Promise<OutboxRecord[]> {
    const found: OutboxRecord[] = [];
    for (let shard = 0; shard < UNDISPATCHED_SHARDS; shard++) {
      let start: Record<string, unknown> | undefined;
      let read = 0;
      do {
        const res = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: UNDISPATCHED_INDEX,
            KeyConditionExpression: 'undispatched = :shard AND occurredAt < :before',
            ExpressionAttributeValues: { ':shard': `OUTBOX#UNDISPATCHED#${shard}`, ':before': before.toISOString() },
            Limit: limit,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of res.Items ?? []) {
          const events = storedEvents(item);
          if (isOutboxRecord(events)) found.push(events);
        }
        read += res.Items?.length ?? 0;
        start = read < limit ? res.LastEvaluatedKey : undefined;
      } while (start);
    }
    return found.sort(([a], [b]) => a.occurredAt.localeCompare(b.occurredAt)).slice(0, limit);
  }
}

/**
 * An invitation's history: every change it went through, oldest first, read from its outbox
 * partition. A record not yet dispatched is shown too: the change is committed, only its effects
 * are on their way.
 */
export class DynamoInvitationHistory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async history(eventId: string, invitationId: string): Promise<CumbreEvent[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.outbox(invitationId, '', '').pk },
    });
    return items.flatMap(storedEvents).filter((e) => e.eventId === eventId);
  }
}
