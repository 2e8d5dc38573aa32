import { BADGE_FILE_MISSING, type BadgeService } from '#domain/badge/service.js';
import { loadAppKeys } from '#shared/app-keys.js';
import { badgeServiceFor } from '#shared/badges.js';
import { badgeBucketConfig, loadConfig, secretConfig, tableConfig } from '#shared/config.js';
import { sqsWorker } from '#shared/sqs-worker.js';
import { eventReadsPerBatch } from '#shared/batch-event-reads.js';
import { cumbreStore } from '#shared/clients.js';

const config = loadConfig(tableConfig, secretConfig, badgeBucketConfig);
const keys = await loadAppKeys(config.SECRET_ARN);

/** Re-renders an invitee's badge when what it prints changed, or when a badge link found its file gone. */
export const makeHandler = ({ badges, newBatch }: { badges: BadgeService; newBatch?: () => void }) =>
  sqsWorker(({ event }) => badges.refresh(event.eventId, event.invitationId, { verifyStored: event.type === 'invitation.updated' && event.changed.includes(BADGE_FILE_MISSING) }), {
    newBatch,
  });

// The event each badge prints, read once per batch (see eventReadsPerBatch).
const events = eventReadsPerBatch(cumbreStore(config.TABLE_NAME));
export const handler = makeHandler({ badges: badgeServiceFor(config, keys, events.store), newBatch: events.newBatch });
