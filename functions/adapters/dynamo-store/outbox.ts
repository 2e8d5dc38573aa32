import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { outboxRecords, type CumbreEvent, type OutboxRecord } from '#domain/outbox.js';
import { tryWrite } from '../dynamo-conditions.js';
import { outboxItem } from '../dynamo-outbox.js';
import { chunk, type StoreTable } from './table.js';

/** Outbox records written on their own (an event-level change fanned out per invitation); one already there is kept. */
export async function putOutboxEvents(table: StoreTable, events: CumbreEvent[]): Promise<void> {
  const put = (record: OutboxRecord) =>
    tryWrite(() => table.doc.send(new PutCommand({ TableName: table.tableName, Item: outboxItem(record), ConditionExpression: 'attribute_not_exists(pk)' })));
  for (const group of chunk(outboxRecords(events), 25)) await Promise.all(group.map(put));
}
