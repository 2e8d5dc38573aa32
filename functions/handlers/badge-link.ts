import { badgeLinkOrRepair, type BadgeRenderRequests } from '#domain/badge/links.js';
import { COMPANION_HOLDER } from '#domain/delegation.js';
import { BadgeNotReadyError, InvitationNotFoundError, InvitationRevokedError, LinkRetiredError, ValidationError } from '#domain/errors.js';
import type { CumbreStore } from '#domain/ports.js';
import { hashToken, isWellFormedToken } from '#domain/tokens.js';
import { DynamoBadgeLedger } from '#adapters/dynamo-badge-ledger.js';
import { S3BadgeStorage } from '#adapters/s3-badge-storage.js';
import { SqsBadgeRenderRequests } from '#adapters/sqs-publisher.js';
import { cumbreStore, documentClientFor, s3Client, sqsClient } from '#shared/clients.js';
import { badgeBucketConfig, badgeQueueConfig, loadConfig, tableConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';
import { organizerHandler } from '#shared/access.js';
import { httpHandler, linkResponse, pathParam, type HttpEvent } from '#shared/http.js';

const config = loadConfig(tableConfig, badgeBucketConfig, badgeQueueConfig);

/** Which invitation the request is about: by RSVP token (invitee) or by id (organizer route). */
const invitationOf = async (store: CumbreStore, event: HttpEvent) => {
  const token = event.pathParameters?.token;
  if (token !== undefined) {
    const found = isWellFormedToken(token) ? await store.findInvitationByTokenHash(hashToken(token)) : undefined;
    if (!found) throw new InvitationNotFoundError();
    // A passed-on invitation's old link no longer reaches the deputy's badge; a revoked one has none.
    if (found.tokenHash !== hashToken(token)) throw new LinkRetiredError(found.language);
    if (found.revoked) throw new InvitationRevokedError(found.language);
    return { eventId: found.eventId, invitationId: found.id };
  }
  const eventId = pathParam(event, 'eventId');
  const invitationId = pathParam(event, 'invitationId');
  const invitation = await store.getInvitation(eventId, invitationId);
  if (!invitation) throw new InvitationNotFoundError();
  if (invitation.revoked) throw new InvitationRevokedError(invitation.language);
  return { eventId, invitationId };
};

/** `?holder=c1`: a named companion's badge; absent, the invitee's. */
const holderOf = (event: HttpEvent) => {
  const holder = event.queryStringParameters?.holder;
  if (holder === undefined || holder === '') return '';
  if (!COMPANION_HOLDER.test(holder)) throw new ValidationError([{ field: 'holder', message: 'must be a companion id (c1, c2, …)' }]);
  return holder;
};

/**
 * `GET /rsvp/{token}/badge` and `GET /events/{eventId}/invitations/{invitationId}/badge`
 * (`?holder=c1` for a companion's): a 302 to a 5-minute link to the badge in S3. Only links:
 * rendering happens in the badge worker, which a link whose file is missing asks to render it
 * again (the link says "not ready" meanwhile).
 */
export const makeHandler = (deps: {
  store: CumbreStore;
  ledger: Pick<DynamoBadgeLedger, 'get'>;
  storage: Pick<S3BadgeStorage, 'linkFor' | 'exists'>;
  renders: BadgeRenderRequests;
}) => {
  const serve = async (event: HttpEvent) => {
    const holder = holderOf(event);
    const { eventId, invitationId } = await invitationOf(deps.store, event);
    const link = await badgeLinkOrRepair(deps, eventId, invitationId, 300, holder);
    if (!('url' in link)) {
      if (link.missing) logger.warn('Badge file missing from storage; asked the badge worker to render it again', { eventId, invitationId, holder });
      throw new BadgeNotReadyError();
    }
    return linkResponse(event, link.url);
  };
  // The invitee's route is authorized by the token in its path; the organizer's by the roles middleware.
  return organizerHandler(serve, { publicRoutes: [INVITEE_ROUTE], publicHandler: httpHandler(serve) });
};

const INVITEE_ROUTE = 'GET /rsvp/{token}/badge';

export const handler = makeHandler({
  store: cumbreStore(config.TABLE_NAME),
  ledger: new DynamoBadgeLedger(documentClientFor(), config.TABLE_NAME),
  storage: new S3BadgeStorage(s3Client(), config.BADGE_BUCKET),
  renders: new SqsBadgeRenderRequests(sqsClient(), config.BADGE_QUEUE_URL),
});
