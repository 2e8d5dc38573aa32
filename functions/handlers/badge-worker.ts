import { BADGE_FILE_MISSING, type BadgeService } from '#domain/badge/service.js';
import { loadAppKeys } from '#shared/app-keys.js';
import { badgeServiceFor } from '#shared/badges.js';
import { badgeBucketConfig, loadConfig, secretConfig, tableConfig } from '#shared/config.js';
import { sqsWorker } from '#shared/sqs-worker.js';

const config = loadConfig(tableConfig.extend(secretConfig.shape).extend(badgeBucketConfig.shape));
const keys = await loadAppKeys(config.SECRET_ARN);

/** Re-renders an invitee's badge when what it prints changed, or when a badge link found its file gone. */
export const makeHandler = ({ badges }: { badges: BadgeService }) =>
  sqsWorker(({ event }) => badges.refresh(event.eventId, event.invitationId, { verifyStored: event.type === 'invitation.updated' && event.changed.includes(BADGE_FILE_MISSING) }));

export const handler = makeHandler({ badges: badgeServiceFor(config, keys) });
