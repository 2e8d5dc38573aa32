import type { BadgeService } from '#domain/badge/service.js';
import { BadgeNotReadyError, ValidationError } from '#domain/errors.js';
import { exportLanguage } from '#domain/exports/language.js';
import { loadAppKeys } from '#shared/app-keys.js';
import { badgeServiceFor } from '#shared/badges.js';
import { badgeBucketConfig, loadConfig, secretConfig, tableConfig } from '#shared/config.js';
import { organizerHandler } from '#shared/access.js';
import { linkResponse, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig, secretConfig, badgeBucketConfig);
const keys = await loadAppKeys(config.SECRET_ARN);

/**
 * `GET /events/{eventId}/badges.pdf?paper=A4|Letter`: one print-ready PDF of every confirmed badge
 * (4 per page, cut marks), stored once per set of badges, answered with a 5-minute link.
 */
export const makeHandler = ({ badges }: { badges: BadgeService }) =>
  organizerHandler(async (event) => {
    const paper = event.queryStringParameters?.paper ?? 'A4';
    if (paper !== 'A4' && paper !== 'Letter') throw new ValidationError([{ field: 'paper', message: 'must be A4 or Letter' }]);
    const sheet = await badges.printSheet(pathParam(event, 'eventId'), paper, exportLanguage(event.queryStringParameters));
    if (!sheet?.count) throw new BadgeNotReadyError();
    return linkResponse(event, sheet.url);
  });

export const handler = makeHandler({ badges: badgeServiceFor(config, keys) });
