import { createCredentialSigner, seedFromSecret } from '#domain/badge/credential.js';
import { BadgeService, type BadgeReader } from '#domain/badge/service.js';
import { loadBadgeFonts } from '#adapters/badge-fonts.js';
import { DynamoBadgeLedger } from '#adapters/dynamo-badge-ledger.js';
import { S3BadgeStorage } from '#adapters/s3-badge-storage.js';
import { cumbreStore, documentClientFor, s3Client, systemClock } from './clients.js';
import type { AppKeys } from './app-keys.js';

/**
 * Badges on DynamoDB and S3, rendering with the bundled fonts and the app's signing key (badge
 * worker, print sheet). Only functions that render import this module: it brings pdf-lib, fontkit
 * and qrcode, which the bundle test keeps out of every other function.
 */
export const badgeServiceFor = (config: { TABLE_NAME: string; BADGE_BUCKET: string }, keys: AppKeys, reader: BadgeReader = cumbreStore(config.TABLE_NAME)) =>
  new BadgeService({
    reader,
    ledger: new DynamoBadgeLedger(documentClientFor(), config.TABLE_NAME),
    storage: new S3BadgeStorage(s3Client(), config.BADGE_BUCKET),
    render: { fonts: loadBadgeFonts(), signer: createCredentialSigner(seedFromSecret(keys.badgeSigning)) },
    clock: systemClock,
    // At least the function timeout, so a live renderer is never overtaken.
    leaseMs: 120_000,
  });
