import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { OutboxDispatcher } from '#domain/dispatch.js';
import { DynamoAuditLog } from '#adapters/dynamo-audit-log.js';
import { DynamoOutboxLedger } from '#adapters/dynamo-outbox.js';
import { SqsQueuePublisher } from '#adapters/sqs-publisher.js';
import { documentClientFor, sqsClient, systemClock } from '#shared/clients.js';
import { loadConfig, tableConfig, workQueuesConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';

const config = loadConfig(tableConfig.extend(workQueuesConfig.shape));

/**
 * Scheduled every minute: sends the outbox records the stream has not delivered within a minute
 * (a stop mid-burst, a dispatcher that failed, the stream's on-failure DLQ), at least once.
 */
export const makeHandler = ({ dispatcher }: { dispatcher: OutboxDispatcher }) =>
  middy(async () => {
    const result = await dispatcher.sweep();
    if (result.found) logger.warn('Outbox records the stream had not delivered were swept to their queues', result);
    return result;
  }).use(injectLambdaContext(logger, { resetKeys: true }));

const doc = documentClientFor();
export const handler = makeHandler({
  dispatcher: new OutboxDispatcher({
    publisher: new SqsQueuePublisher(sqsClient(), { email: config.EMAIL_QUEUE_URL, badge: config.BADGE_QUEUE_URL, capacity: config.CAPACITY_QUEUE_URL }),
    ledger: new DynamoOutboxLedger(doc, config.TABLE_NAME),
    history: new DynamoAuditLog(doc, config.TABLE_NAME),
    clock: systemClock,
    warn: (message, detail) => logger.warn(message, detail),
  }),
});
