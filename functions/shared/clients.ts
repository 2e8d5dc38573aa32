import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';

/**
 * SDK clients are created once per execution environment. Endpoints come from the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, so the same bundle runs on AWS and on the local cloud.
 */
let dynamo: DynamoDBClient | undefined;
export const dynamoClient = () => (dynamo ??= new DynamoDBClient({}));
export const documentClientFor = () => documentClient(dynamoClient());
export const cumbreStore = (tableName: string, accreditationTable?: string, auditTable?: string) =>
  new DynamoCumbreStore(documentClientFor(), tableName, accreditationTable, auditTable);

/** Queue URLs are used as given, never as the endpoint (harmless on AWS, needed by emulators). */
export const sqsClient = () => new SQSClient({ useQueueUrlAsEndpoint: false });
export const sesClient = () => new SESv2Client({ maxAttempts: 4, retryMode: 'adaptive' });
export const s3Client = () => new S3Client({});

export const systemClock = { now: () => new Date() };
export const randomIds = { newId: () => crypto.randomUUID() };
