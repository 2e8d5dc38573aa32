import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeliveryRecorder } from '#domain/email/delivery.js';
import { parseSesFeedback } from '#domain/email/feedback.js';
import { DynamoEmailLedger } from '#adapters/dynamo-email-ledger.js';
import { documentClientFor } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';

const config = loadConfig(tableConfig);

/** Bounces and complaints from the SES configuration set update the invitation's delivery state. */
export const makeHandler = ({ deliveries, clock }: { deliveries: DeliveryRecorder; clock: { now(): Date } }) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    const feedback = parseSesFeedback(record.body);
    if (!feedback) return;
    const outcome = await deliveries.recordDelivery(feedback.eventId, feedback.invitationId, { state: feedback.state, detail: feedback.detail, at: clock.now().toISOString() });
    if (outcome === 'recorded') logger.info('Delivery feedback recorded', { ...feedback });
    else logger.warn('Delivery feedback for an unknown invitation; nothing to record it on', { ...feedback, outcome });
  };
  return middy(async (event: SQSEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context })).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
};

export const handler = makeHandler({ deliveries: new DynamoEmailLedger(documentClientFor(), config.TABLE_NAME), clock: { now: () => new Date() } });
