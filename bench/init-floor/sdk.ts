// The floor of every function's init (bench/run.ts, "Module init"): what each one starts with before
// any of Cumbre's code — the DynamoDB document client, Powertools' logger and a middy handler —
// bundled with the functions' own esbuild settings.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';

const logger = new Logger({ serviceName: 'floor' });
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = middy(async () => {
  logger.debug('floor', { client: typeof doc.send });
  return {};
});
