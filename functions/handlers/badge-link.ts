import { createCredentialSigner, seedFromSecret } from '#domain/badge/credential.js';
import { BadgeService } from '#domain/badge/service.js';
import { BadgeNotReadyError, InvitationNotFoundError, ValidationError } from '#domain/errors.js';
import type { CumbreStore } from '#domain/ports.js';
import { hashToken, isWellFormedToken } from '#domain/tokens.js';
import { loadBadgeFonts } from '#adapters/badge-fonts.js';
import { DynamoBadgeLedger } from '#adapters/dynamo-badge-ledger.js';
import { S3BadgeStorage } from '#adapters/s3-badge-storage.js';
import { cumbreStore, documentClientFor, loadAppKeys, s3Client, systemClock } from '#shared/clients.js';
import { badgeBucketConfig, loadConfig, secretConfig, tableConfig } from '#shared/config.js';
import { SECURITY_HEADERS, header, httpHandler, json, pathParam, type HttpEvent } from '#shared/http.js';

const config = loadConfig(tableConfig.extend(secretConfig.shape).extend(badgeBucketConfig.shape));
const keys = await loadAppKeys(config.SECRET_ARN);

/**
 * A 302 to the link, or `{ url }` for `Accept: application/json` callers (the dashboard cannot
 * follow a redirect to S3 under its `connect-src 'self'` policy, so it navigates to the URL).
 */
const linkResponse = (event: HttpEvent, url: string) =>
  (header(event, 'accept') ?? '').includes('application/json') ? json(200, { url }) : { statusCode: 302, headers: { ...SECURITY_HEADERS, location: url }, body: '' };

/** Which invitation the request is about: by RSVP token (invitee) or by id (organizer route). */
const invitationOf = async (store: CumbreStore, event: HttpEvent) => {
  const token = event.pathParameters?.token;
  if (token !== undefined) {
    const found = isWellFormedToken(token) ? await store.findInvitationByTokenHash(hashToken(token)) : undefined;
    if (!found) throw new InvitationNotFoundError();
    return { eventId: found.eventId, invitationId: found.id };
  }
  return { eventId: pathParam(event, 'eventId'), invitationId: pathParam(event, 'invitationId') };
};

/**
 * Badges through short-lived links: `GET /rsvp/{token}/badge`, `GET /events/{eventId}/invitations/{invitationId}/badge`
 * and the print sheet `GET /events/{eventId}/badges.pdf?paper=A4|Letter`, each a 302 to a 5-minute S3 link.
 */
export const makeHandler = ({ store, badges }: { store: CumbreStore; badges: BadgeService }) =>
  httpHandler(async (event) => {
    if (event.rawPath.endsWith('/badges.pdf')) {
      const paper = event.queryStringParameters?.paper ?? 'A4';
      if (paper !== 'A4' && paper !== 'Letter') throw new ValidationError([{ field: 'paper', message: 'must be A4 or Letter' }]);
      const sheet = await badges.printSheet(pathParam(event, 'eventId'), paper);
      if (!sheet?.count) throw new BadgeNotReadyError();
      return linkResponse(event, sheet.url);
    }
    const { eventId, invitationId } = await invitationOf(store, event);
    const url = await badges.link(eventId, invitationId);
    if (!url) throw new BadgeNotReadyError();
    return linkResponse(event, url);
  });

const store = cumbreStore(config.TABLE_NAME);
export const handler = makeHandler({
  store,
  badges: new BadgeService({
    reader: store,
    ledger: new DynamoBadgeLedger(documentClientFor(), config.TABLE_NAME),
    storage: new S3BadgeStorage(s3Client(config.S3_FORCE_PATH_STYLE), config.BADGE_BUCKET),
    render: { fonts: loadBadgeFonts(), signer: createCredentialSigner(seedFromSecret(keys.badgeSigning)) },
    clock: systemClock,
    leaseMs: 120_000,
  }),
});
