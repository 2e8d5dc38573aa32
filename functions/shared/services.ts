import { createCredentialSigner, seedFromSecret } from '#domain/badge/credential.js';
import { BadgeService } from '#domain/badge/service.js';
import { loadBadgeFonts } from '#adapters/badge-fonts.js';
import { DynamoBadgeLedger } from '#adapters/dynamo-badge-ledger.js';
import { S3BadgeStorage } from '#adapters/s3-badge-storage.js';
import { SesMailer } from '#adapters/ses-mailer.js';
import { logger, putMetric } from './observability.js';
import { cumbreStore, documentClientFor, s3Client, sesClient, systemClock, type AppKeys } from './clients.js';

/** Wiring two functions share, in one place: the same service built the same way. */

/** Badges on DynamoDB and S3, rendering with the bundled fonts and the app's signing key (badge worker, print sheet). */
export const badgeServiceFor = (config: { TABLE_NAME: string; BADGE_BUCKET: string }, keys: AppKeys) =>
  new BadgeService({
    reader: cumbreStore(config.TABLE_NAME),
    ledger: new DynamoBadgeLedger(documentClientFor(), config.TABLE_NAME),
    storage: new S3BadgeStorage(s3Client(), config.BADGE_BUCKET),
    render: { fonts: loadBadgeFonts(), signer: createCredentialSigner(seedFromSecret(keys.badgeSigning)) },
    clock: systemClock,
    // At least the function timeout, so a live renderer is never overtaken.
    leaseMs: 120_000,
  });

/** SES v2 from the configured sender, through the configuration set (invitee email, capacity alerts). */
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
