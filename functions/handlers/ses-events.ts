import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeliveryRecorder } from '#domain/email/delivery.js';
import { parseSesFeedback } from '#domain/email/feedback.js';
import { DynamoEmailLedger } from '#adapters/dynamo-email-ledger.js';
import { DynamoSuppressionList } from '#adapters/dynamo-communications.js';
import { groupEmailId } from '#domain/communications/due.js';
import { documentClientFor } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';

const config = loadConfig(tableConfig);

export interface Suppressions {
  suppress(email: string, reason: 'bounced' | 'complained', at: string): Promise<void>;
  markFeedback(eventId: string, emailId: string, feedback: 'bounced' | 'complained'): Promise<void>;
}

/**
 * Bounces and complaints from the SES configuration set update the invitation's delivery state;
 * a permanent bounce or a complaint also puts the address on Cumbre's suppression list (never
 * written to again) and counts against the group message it answered.
 */
export const makeHandler = ({ deliveries, clock, suppressions }: { deliveries: DeliveryRecorder; clock: { now(): Date }; suppressions?: Suppressions }) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    const feedback = parseSesFeedback(record.body);
    if (!feedback) return;
    const at = clock.now().toISOString();
    if (suppressions && (feedback.state === 'bounced' || feedback.state === 'complained')) {
      const reason = feedback.state;
      await Promise.all((feedback.recipients ?? []).map((address) => suppressions.suppress(address, reason, at)));
      if (feedback.messageId) await suppressions.markFeedback(feedback.eventId, groupEmailId(feedback.messageId, feedback.invitationId), reason);
    }
    const outcome = await deliveries.recordDelivery(feedback.eventId, feedback.invitationId, { state: feedback.state, detail: feedback.detail, at, of: feedback.of });
    const logged = { ...feedback, recipients: feedback.recipients?.length };
    if (outcome === 'recorded') logger.info('Delivery feedback recorded', logged);
    else if (outcome === 'superseded') logger.info("Delivery feedback not shown: the invitation shows a later email's state", logged);
    else logger.warn('Delivery feedback for an unknown invitation; nothing to record it on', { ...logged, outcome });
  };
  return middy(async (event: SQSEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context })).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
};

export const handler = makeHandler({
  deliveries: new DynamoEmailLedger(documentClientFor(), config.TABLE_NAME),
  clock: { now: () => new Date() },
  suppressions: new DynamoSuppressionList(documentClientFor(), config.TABLE_NAME),
});
