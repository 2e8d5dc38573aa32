import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { OutboxDispatcher } from '#domain/dispatch.js';
import { outboxDispatcherFor } from '#shared/dispatcher.js';
import { loadConfig, tableConfig, workQueuesConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';

const config = loadConfig(tableConfig, workQueuesConfig);

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

export const handler = makeHandler({ dispatcher: outboxDispatcherFor(config) });
