import { DynamoDBClient, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/dynamo-store.js';
import { startDynamoMeter, type DynamoMeter } from '../../local/emulators/dynamo-meter.js';
import { createTestTable, dynamoClient, dynamoEndpoint } from '../support/dynamo.js';

/**
 * The bench's DynamoDB meter (local/emulators/dynamo-meter.ts) on a real DynamoDB Local: every
 * request counted by operation, and the capacity it reports equal to what each caller would have
 * been told had it asked DynamoDB Local itself.
 */
describe('DynamoDB meter', () => {
  let meter: DynamoMeter;
  let metered: DynamoDBDocumentClient;
  let direct: DynamoDBDocumentClient;
  let table: string;

  beforeAll(async () => {
    table = await createTestTable(dynamoClient());
    meter = await startDynamoMeter(dynamoEndpoint());
    metered = documentClient(new DynamoDBClient({ endpoint: meter.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    direct = documentClient(dynamoClient());
  });
  afterAll(() => meter.stop());

  /** The same requests, once through the meter (asking nothing) and once straight to DynamoDB Local asking for the capacity. */
  const requests = (pk: string, ask: boolean) => {
    const rcc = ask ? ({ ReturnConsumedCapacity: 'TOTAL' } as const) : {};
    const item = { pk, sk: 'ITEM', type: 'probe', tokenHash: `hash-${pk}`, text: 'x'.repeat(3000) };
    return [
      new PutCommand({ TableName: table, Item: item, ...rcc }),
      new GetCommand({ TableName: table, Key: { pk, sk: 'ITEM' }, ConsistentRead: true, ...rcc }),
      new UpdateCommand({ TableName: table, Key: { pk, sk: 'COUNTER' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 }, ...rcc }),
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ...rcc }),
      new TransactWriteCommand({
        TransactItems: [
          { Update: { TableName: table, Key: { pk, sk: 'COUNTER' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
          { Put: { TableName: table, Item: { ...item, sk: 'SECOND' } } },
        ],
        ...rcc,
      }),
    ] as const;
  };

  const unitsOf = (consumed: ConsumedCapacity | ConsumedCapacity[] | undefined) => [consumed ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);

  it('counts every request by operation and meters the capacity DynamoDB Local reports for it', async () => {
    const expected = { read: 0, write: 0 };
    for (const command of requests('direct', true)) {
      const out = (await direct.send(command as never)) as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
      const kind = command instanceof GetCommand || command instanceof QueryCommand ? 'read' : 'write';
      expected[kind] += unitsOf(out.ConsumedCapacity);
    }
    expect(expected.read).toBeGreaterThan(0);
    expect(expected.write).toBeGreaterThan(0);

    const before = meter.reading();
    const outputs = [];
    for (const command of requests('metered', false)) outputs.push(await metered.send(command as never));
    const after = meter.reading();

    expect(after.readUnits - before.readUnits).toBe(expected.read);
    expect(after.writeUnits - before.writeUnits).toBe(expected.write);
    const delta = (op: string) => (after.requests[op] ?? 0) - (before.requests[op] ?? 0);
    expect(['PutItem', 'GetItem', 'UpdateItem', 'Query', 'TransactWriteItems'].map(delta)).toEqual([1, 1, 1, 1, 1]);
    // The answers pass through unchanged (the SDK checked their CRC32): the item as written.
    expect((outputs[1] as { Item?: { text?: string } }).Item?.text).toHaveLength(3000);
  });

  it('passes a failed condition through to the caller, and counts it', async () => {
    const before = meter.reading();
    await expect(metered.send(new PutCommand({ TableName: table, Item: { pk: 'metered', sk: 'ITEM' }, ConditionExpression: 'attribute_not_exists(pk)' }))).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    expect((meter.reading().requests.PutItem ?? 0) - (before.requests.PutItem ?? 0)).toBe(1);
    expect(meter.reading().writeUnits).toBe(before.writeUnits);
  });
});
