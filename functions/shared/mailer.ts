import { EmailInProgressError } from '#domain/email/errors.js';
import { SesMailer } from '#adapters/ses-mailer.js';
import { sesClient, sqsClient } from './clients.js';
import { logger, putMetric } from './observability.js';

/**
 * SES v2 from the configured sender, through the configuration set (invitee email, capacity alerts).
 * Its own module, apart from the badge wiring: esbuild keeps whatever a module imports, and a
 * mailer that shared a file with the renderer put pdf-lib and the fonts into the email worker.
 */
export const sesMailerFor = (config: { SENDER_NAME: string; SENDER_EMAIL: string; SES_CONFIGURATION_SET?: string; POWERTOOLS_METRICS_NAMESPACE: string }) =>
  new SesMailer(sesClient(), {
    fromAddress: `${config.SENDER_NAME} <${config.SENDER_EMAIL}>`,
    configurationSet: config.SES_CONFIGURATION_SET,
    // EmailsRejected{About=sending} alarms ops (lib/constructs/workflow.ts); recipient rejections only show on the invitation.
    onRejected: (error) => {
      logger.error('Email rejected by SES', { about: error.about, error: error.message });
      putMetric(config.POWERTOOLS_METRICS_NAMESPACE, 'EmailsRejected', { About: error.about });
    },
  });

/**
 * A message whose email another worker is sending goes back to its queue for the rest of that
 * worker's lease (plus a second), not into the next poll: a live sender has finished by then, and a
 * dead one's lease has run out, so the next delivery resends once, marked. Failing it at once
 * instead spends the message's receives while the lease holds and sends it to the DLQ.
 */
export const handBackWhileSending = (queueUrl: string) => ({
  sqs: sqsClient(),
  queueUrl,
  after: (err: unknown) => (err instanceof EmailInProgressError ? err.retryAfterMs / 1000 + 1 : undefined),
});
