import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Envelope } from '#domain/outbox.js';
import { envelopeSchema } from '#domain/outbox-schemas.js';
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

/** SQS's longest visibility timeout (12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Messages that must wait rather than fail: `after` says, for an error, how many seconds the
 * message should stay hidden (undefined: an ordinary failure). The worker sets the message's
 * visibility to that (its own queue, `QUEUE_URL`) and reports it failed, so it comes back once the
 * wait is over instead of at once — a receive spent per wait, not one per poll.
 */
export interface HandBack {
  sqs: Pick<SQSClient, 'send'>;
  queueUrl: string;
  after: (err: unknown) => number | undefined;
}

export interface WorkerOptions {
  handBack?: HandBack;
  /** Called as each invocation begins, before its first message (e.g. `eventReadsPerBatch`'s `newBatch`). */
  newBatch?: () => void;
}

/**
 * An SQS worker: each message is validated and handled on its own, and only the failed ones are
 * reported back (ReportBatchItemFailures), so one bad message never makes the batch retry.
 * Messages are handled one after another: duplicates within a batch then find their work done
 * instead of in progress, and SES sees a steady rate.
 */
export const sqsWorker = (handle: (envelope: Envelope, record: SQSRecord) => Promise<unknown>, options: WorkerOptions = {}) =>
  sqsMessageWorker(parseEnvelope, (envelope) => ({ eventId: envelope.id, type: envelope.event.type }), handle, options);

/** The same worker for any message shape: `parse` throws PoisonMessageError for a message that can never succeed. */
export const sqsMessageWorker = <M>(
  parse: (record: SQSRecord) => M,
  describe: (message: M) => { eventId: string; type: string },
  handle: (message: M, record: SQSRecord) => Promise<unknown>,
  options: WorkerOptions = {},
) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    try {
      const message = parse(record);
      const outcome = await handle(message, record);
      logger.info('Message handled', { messageId: record.messageId, ...describe(message), outcome: outcome as string });
    } catch (err) {
      const wait = options.handBack?.after(err);
      if (wait !== undefined && options.handBack) {
        await handBack(options.handBack, record, wait, err);
        throw err;
      }
      const level = err instanceof PoisonMessageError ? 'error' : 'warn';
      logger[level]('Message failed', { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: err as Error });
      throw err;
    }
  };
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    options.newBatch?.();
    return processPartialResponse(event, recordHandler, processor, { context, processInParallel: false, throwOnFullBatchFailure: false });
  }).use(injectLambdaContext(logger, { resetKeys: true }));
};

/** Hides the message for `wait` seconds on its own queue; it still fails, and returns when the wait is over. */
const handBack = async (back: HandBack, record: SQSRecord, wait: number, err: unknown) => {
  const seconds = Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(wait)));
  try {
    await back.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: back.queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
    logger.info('Message handed back', { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, seconds, reason: (err as Error).message });
  } catch (visibilityError) {
    // It still fails: it comes back after the queue's visibility timeout instead.
    logger.warn('Message not handed back; it returns after the visibility timeout', { messageId: record.messageId, error: visibilityError as Error });
  }
};
