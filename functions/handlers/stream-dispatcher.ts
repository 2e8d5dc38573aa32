import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ROUTES, cumbreEventSchema, envelopeFor, type CumbreEvent, type WorkQueue } from '#domain/outbox.js';
import { DynamoAuditLog } from '#adapters/dynamo-audit-log.js';
import { documentClientFor, sqsClient } from '#shared/clients.js';
import { loadConfig, tableConfig, workQueuesConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';

const config = loadConfig(tableConfig.extend(workQueuesConfig.shape));

export interface DispatcherDeps {
  sqs: SQSClient;
  audit: Pick<DynamoAuditLog, 'append'>;
  queues: Record<WorkQueue, string>;
}

export const eventFromRecord = (record: DynamoDBRecord): CumbreEvent => {
  const image = unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>);
  return cumbreEventSchema.parse(image.event);
};

/**
 * Table stream → work queues. The stream's filter passes only new outbox records; each is
 * recorded in the invitation's history and sent to every queue its type is routed to. A failure
 * reports that record, so the stream retries from it (bisecting, then the on-failure DLQ).
 */
export const makeHandler = ({ sqs, audit, queues }: DispatcherDeps) => {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const recordHandler = async (record: DynamoDBRecord) => {
    const event = eventFromRecord(record);
    await audit.append(event);
    const body = JSON.stringify(envelopeFor(event));
    await Promise.all(
      ROUTES[event.type].map((queue) =>
        sqs.send(new SendMessageCommand({ QueueUrl: queues[queue], MessageBody: body, MessageAttributes: { type: { DataType: 'String', StringValue: event.type } } })),
      ),
    );
    logger.debug('Dispatched', { eventId: event.id, type: event.type, queues: ROUTES[event.type] });
  };
  return middy(async (event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context })).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
};

export const handler = makeHandler({
  sqs: sqsClient(),
  audit: new DynamoAuditLog(documentClientFor(), config.TABLE_NAME),
  queues: { email: config.EMAIL_QUEUE_URL, badge: config.BADGE_QUEUE_URL, capacity: config.CAPACITY_QUEUE_URL },
});
