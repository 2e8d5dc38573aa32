import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { OutboxDispatcher } from '#domain/dispatch.js';
import { queuesFor, type CumbreEvent } from '#domain/outbox.js';
import { cumbreEventSchema } from '#domain/outbox-schemas.js';
import { outboxDispatcherFor } from '#shared/dispatcher.js';
import { loadConfig, tableConfig, workQueuesConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';

const config = loadConfig(tableConfig, workQueuesConfig);

export const eventFromRecord = (record: DynamoDBRecord): CumbreEvent => {
  const image = unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>);
  return cumbreEventSchema.parse(image.event);
};

/**
 * Table stream → work queues. The stream's filter passes only new outbox records; each goes to
 * every queue its type is routed to, then is marked dispatched (and kept as the invitation's history).
 * Only a queue failure reports the record (the stream retries it, bisecting, then the on-failure
 * DLQ); the outbox sweep sends whatever is still unmarked a minute later.
 */
export const makeHandler = ({ dispatcher }: { dispatcher: OutboxDispatcher }) => {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const recordHandler = async (record: DynamoDBRecord) => {
    const event = eventFromRecord(record);
    const outcome = await dispatcher.dispatch(event);
    logger.debug('Dispatched', { eventId: event.id, type: event.type, queues: queuesFor(event), outcome });
  };
  return middy(async (event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context })).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
};

export const handler = makeHandler({ dispatcher: outboxDispatcherFor(config) });
