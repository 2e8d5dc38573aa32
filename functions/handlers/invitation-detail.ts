import { InvitationNotFoundError } from '#domain/errors.js';
import { resendInvitation, toSummary } from '#domain/invitations.js';
import type { InvitationDetail, ResendResponse } from '#domain/organizer-api.js';
import type { CumbreEvent } from '#domain/outbox.js';
import type { CumbreStore } from '#domain/ports.js';
import { DynamoAuditLog } from '#adapters/dynamo-audit-log.js';
import { DynamoBadgeLedger } from '#adapters/dynamo-badge-ledger.js';
import { cumbreStore, documentClientFor, randomIds, systemClock } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { httpHandler, json, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig);

export interface DetailDeps {
  store: CumbreStore;
  resend: (eventId: string, invitationId: string) => Promise<void>;
  history: { history(eventId: string, invitationId: string): Promise<CumbreEvent[]> };
  badges: { get(eventId: string, invitationId: string): Promise<{ version: number } | undefined> };
}

/**
 * `GET /events/{eventId}/invitations/{invitationId}`: the invitation with its history (every change
 * that went through the stream) and badge state. `POST …/resend` sends the invitation email again.
 */
export const makeHandler = ({ store, resend, history, badges }: DetailDeps) =>
  httpHandler(async (event) => {
    const eventId = pathParam(event, 'eventId');
    const invitationId = pathParam(event, 'invitationId');
    if (event.requestContext.http.method === 'POST') {
      await resend(eventId, invitationId);
      return json(202, { resent: true, invitationId } satisfies ResendResponse);
    }
    const invitation = await store.getInvitation(eventId, invitationId);
    if (!invitation) throw new InvitationNotFoundError();
    const [events, badge] = await Promise.all([history.history(eventId, invitationId), badges.get(eventId, invitationId)]);
    const detail: InvitationDetail = {
      ...toSummary(invitation),
      history: events.map((e) => ({ ...e, at: e.occurredAt })),
      badge: badge ? { ready: true, version: badge.version } : { ready: false },
    };
    return json(200, detail);
  });

const store = cumbreStore(config.TABLE_NAME);
export const handler = makeHandler({
  store,
  resend: (eventId, invitationId) => resendInvitation({ store, clock: systemClock, ids: randomIds }, eventId, invitationId),
  history: new DynamoAuditLog(documentClientFor(), config.TABLE_NAME),
  badges: new DynamoBadgeLedger(documentClientFor(), config.TABLE_NAME),
});
