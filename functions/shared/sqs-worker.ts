import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { envelopeSchema, type Envelope } from '#domain/outbox.js';
import { logger } from './observability.js';

/** A message that can never succeed; it fails alone and reaches the DLQ after maxReceiveCount. */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

export const parseEnvelope = (record: SQSRecord): Envelope => {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError(`Message ${record.messageId} is not JSON`);
  }
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) throw new PoisonMessageError(`Message ${record.messageId} fails the envelope schema: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
};

/**
 * An SQS worker: each message is validated and handled on its own, and only the failed ones are
 * reported back (ReportBatchItemFailures), so one bad message never makes the batch retry.
 * Messages are handled one after another: duplicates within a batch then find their work done
 * instead of in progress, and SES sees a steady rate.
 */
export const sqsWorker = (handle: (envelope: Envelope, record: SQSRecord) => Promise<unknown>) =>
  sqsMessageWorker(parseEnvelope, (envelope) => ({ eventId: envelope.id, type: envelope.event.type }), handle);

/** The same worker for any message shape: `parse` throws PoisonMessageError for a message that can never succeed. */
export const sqsMessageWorker = <M>(
  parse: (record: SQSRecord) => M,
  describe: (message: M) => { eventId: string; type: string },
  handle: (message: M, record: SQSRecord) => Promise<unknown>,
) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    try {
      const message = parse(record);
      const outcome = await handle(message, record);
      logger.info('Message handled', { messageId: record.messageId, ...describe(message), outcome: outcome as string });
    } catch (err) {
      const level = err instanceof PoisonMessageError ? 'error' : 'warn';
      logger[level]('Message failed', { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: err as Error });
      throw err;
    }
  };
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context, processInParallel: false, throwOnFullBatchFailure: false }),
  ).use(injectLambdaContext(logger, { resetKeys: true }));
};
