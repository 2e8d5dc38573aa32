import { createCredentialSigner, seedFromSecret } from '#domain/badge/credential.js';
import { BadgeService } from '#domain/badge/service.js';
import { loadBadgeFonts } from '#adapters/badge-fonts.js';
import { DynamoBadgeLedger } from '#adapters/dynamo-badge-ledger.js';
import { S3BadgeStorage } from '#adapters/s3-badge-storage.js';
import { cumbreStore, documentClientFor, loadAppKeys, s3Client, systemClock } from '#shared/clients.js';
import { badgeBucketConfig, loadConfig, secretConfig, tableConfig } from '#shared/config.js';
import { sqsWorker } from '#shared/sqs-worker.js';

const config = loadConfig(tableConfig.extend(secretConfig.shape).extend(badgeBucketConfig.shape));
const keys = await loadAppKeys(config.SECRET_ARN);

/** Re-renders an invitee's badge when what it prints changed. */
export const makeHandler = ({ badges }: { badges: BadgeService }) => sqsWorker((envelope) => badges.refresh(envelope.event.eventId, envelope.event.invitationId));

export const handler = makeHandler({
  badges: new BadgeService({
    reader: cumbreStore(config.TABLE_NAME),
    ledger: new DynamoBadgeLedger(documentClientFor(), config.TABLE_NAME),
    storage: new S3BadgeStorage(s3Client(config.S3_FORCE_PATH_STYLE), config.BADGE_BUCKET),
    render: { fonts: loadBadgeFonts(), signer: createCredentialSigner(seedFromSecret(keys.badgeSigning)) },
    clock: systemClock,
    leaseMs: 120_000,
  }),
});
