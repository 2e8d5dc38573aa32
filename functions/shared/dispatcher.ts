import { OutboxDispatcher } from '#domain/dispatch.js';
import { DynamoOutboxLedger } from '#adapters/dynamo-outbox.js';
import { SqsQueuePublisher } from '#adapters/sqs-publisher.js';
import { documentClientFor, sqsClient, systemClock } from './clients.js';
import { logger } from './observability.js';

/**
 * The outbox dispatcher on SQS and the table: the stream dispatcher and the sweeper send the same
 * records the same way (same envelope ids, same dispatch mark), so they build it here.
 */
export const outboxDispatcherFor = (config: { TABLE_NAME: string; EMAIL_QUEUE_URL: string; BADGE_QUEUE_URL: string; CAPACITY_QUEUE_URL: string }) => {
  const doc = documentClientFor();
  return new OutboxDispatcher({
    publisher: new SqsQueuePublisher(sqsClient(), { email: config.EMAIL_QUEUE_URL, badge: config.BADGE_QUEUE_URL, capacity: config.CAPACITY_QUEUE_URL }),
    ledger: new DynamoOutboxLedger(doc, config.TABLE_NAME),
    clock: systemClock,
    warn: (message, detail) => logger.warn(message, detail),
  });
};
