import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { CommunicationsService } from '#domain/communications/service.js';
import { SqsCommunicationQueue } from '#adapters/sqs-communication-queue.js';
import { sqsClient } from '#shared/clients.js';
import { communicationsFor } from '#shared/communications.js';
import { emailQueueConfig, loadConfig, publicUrlConfig, tableConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';

const config = loadConfig(tableConfig, publicUrlConfig, emailQueueConfig);

/**
 * Scheduled: queues every reminder and day-before message due now, for every event, computed from
 * the data (a missed run catches up; a repeated one finds nothing new), and queues again what was
 * written but never sent.
 */
export const makeHandler = ({ communications }: { communications: CommunicationsService }) =>
  middy(async () => {
    const run = await communications.runDue();
    for (const e of run.events) if (e.queued.reminder || e.queued['day-before'] || e.requeued || e.resumedMessages) logger.info('Communications queued', { ...e });
    return run;
  }).use(injectLambdaContext(logger, { resetKeys: true }));

export const handler = makeHandler({ communications: communicationsFor(config, new SqsCommunicationQueue(sqsClient(), config.EMAIL_QUEUE_URL)) });
