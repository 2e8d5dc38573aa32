import { CreateTableCommand, DynamoDBClient, type GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { randomUUID } from 'node:crypto';
import { TOKEN_INDEX, UNDISPATCHED_INDEX } from '#adapters/dynamo-keys.js';

let endpoint: string | undefined;

/** Set once per file by the integration setup (test/integration/setup.ts), which started this file's DynamoDB Local. */
export const useDynamoEndpoint = (url: string) => {
  endpoint = url;
};
export const dynamoEndpoint = () => {
  if (!endpoint) throw new Error('No DynamoDB Local for this file: integration files get one from test/integration/setup.ts');
  return endpoint;
};

/**
 * DynamoDB Local serialises transactions on an item behind a lock and answers one that waited too
 * long with a 500 ("… waiting for a lock. This request will succeed in actual DynamoDB API"); real
 * DynamoDB answers contention with TransactionCanceledException, which the domain retries itself.
 * The SDK's standard strategy retries such 500s but from one shared budget of 500 tokens per client:
 * a burst of 2,000 contenders spends it and the rest fail on the emulator's artefact. This strategy
 * retries the emulator's lock timeout (and, as the SDK would, a dropped connection or a throttle),
 * each request up to 30 times with jittered backoff to 2 s and no shared budget; any other error
 * surfaces at once.
 */
const LOCK_TIMEOUT = /waiting for a lock/;
const emulatorLockRetries: RetryStrategyV2 = {
  acquireInitialRetryToken: async () => token(0),
  refreshRetryTokenForRetry: async (previous, info: RetryErrorInfo) => {
    const count = previous.getRetryCount() + 1;
    const retryable = LOCK_TIMEOUT.test(info.error?.message ?? '') || info.errorType === 'TRANSIENT' || info.errorType === 'THROTTLING';
    if (count >= 30 || !retryable) throw info.error ?? new Error(info.errorType);
    return token(count, Math.random() * Math.min(2_000, 50 * 2 ** count));
  },
  recordSuccess: () => undefined,
};
const token = (count: number, delay = 0): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });

/** A client of this file's DynamoDB Local. */
export const dynamoClient = () =>
  new DynamoDBClient({
    endpoint: dynamoEndpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    retryStrategy: emulatorLockRetries,
  });

/** The stack's indexes on its main table (test/infra/stack.test.ts holds this list to the synthesized template). */
export const TABLE_INDEXES: GlobalSecondaryIndex[] = [
  {
    IndexName: UNDISPATCHED_INDEX,
    KeySchema: [
      { AttributeName: 'undispatched', KeyType: 'HASH' },
      { AttributeName: 'occurredAt', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  },
  { IndexName: TOKEN_INDEX, KeySchema: [{ AttributeName: 'tokenHash', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
];

/** A fresh table shaped like the stack's (pk/sk strings, its indexes, stream with both images), one per test file. */
export const createTestTable = async (client: DynamoDBClient) => {
  const name = `cumbre-test-${randomUUID().slice(0, 8)}`;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'undispatched', AttributeType: 'S' },
        { AttributeName: 'occurredAt', AttributeType: 'S' },
        { AttributeName: 'tokenHash', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_INDEXES,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return name;
};
