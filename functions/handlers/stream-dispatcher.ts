import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { OutboxDispatcher } from '#domain/dispatch.js';
import { isOutboxRecord, queuesFor, type OutboxRecord } from '#domain/outbox.js';
import { cumbreEventSchema } from '#domain/outbox-schemas.js';
import { storedEvents } from '#adapters/dynamo-outbox.js';
import { outboxDispatcherFor } from '#shared/dispatcher.js';
import { loadConfig, tableConfig, workQueuesConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';

const config = loadConfig(tableConfig, workQueuesConfig);

/** The outbox record a stream record carries, each event parsed; a record with no event is malformed. */
export const outboxRecordFrom = (record: DynamoDBRecord): OutboxRecord => {
  const events = storedEvents(unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>)).map((e) => cumbreEventSchema.parse(e));
  if (!isOutboxRecord(events)) throw new Error('An outbox record with no event');
  return events;
};

/**
 * Table stream → work queues. The stream's filter passes only new outbox records; each of a
 * record's events goes to every queue its type is routed to, then the record is marked dispatched
 * (and kept as the invitation's history).
 * Only a queue failure reports the record (the stream retries it, bisecting, then the on-failure
 * DLQ); the outbox sweep sends whatever is still unmarked a minute later.
 */
export const makeHandler = ({ dispatcher }: { dispatcher: OutboxDispatcher }) => {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const recordHandler = async (record: DynamoDBRecord) => {
    const outbox = outboxRecordFrom(record);
    const outcome = await dispatcher.dispatch(outbox);
    logger.debug('Dispatched', { events: outbox.map((e) => ({ eventId: e.id, type: e.type, queues: queuesFor(e) })), outcome });
  };
  return middy(async (event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context })).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
};

export const handler = makeHandler({ dispatcher: outboxDispatcherFor(config) });
