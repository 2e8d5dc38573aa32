import { eventScope, type AuditEntry, type AuditTrail } from '#domain/access/audit.js';
import { redactFor, seesPersonalData } from '#domain/access/roles.js';
import { InvitationNotFoundError } from '#domain/errors.js';
import type { AuditFor } from '#domain/invitations.js';
import { resendInvitation } from '#domain/invitations/resend.js';
import { toSummary } from '#domain/invitations/summary.js';
import type { InvitationDetail, InvitationListItem, OrganizerAction, ResendResponse } from '#domain/organizer-api.js';
import type { CumbreEvent } from '#domain/outbox.js';
import type { CumbreStore } from '#domain/ports.js';
import { DynamoInvitationHistory } from '#adapters/dynamo-outbox.js';
import { DynamoAuditTrail } from '#adapters/dynamo-audit-trail.js';
import { DynamoBadgeLedger } from '#adapters/dynamo-badge-ledger.js';
import { organizerHandler } from '#shared/access.js';
import { cumbreStore, documentClientFor, randomIds, systemClock } from '#shared/clients.js';
import { auditConfig, loadConfig, tableConfig } from '#shared/config.js';
import { json, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig, auditConfig);

export interface DetailDeps {
  store: CumbreStore;
  /** Sends the invitation again, committing `audit`'s record with the change. */
  resend: (eventId: string, invitationId: string, audit: AuditFor) => Promise<void>;
  history: { history(eventId: string, invitationId: string): Promise<CumbreEvent[]> };
  badges: { get(eventId: string, invitationId: string): Promise<{ version: number } | undefined> };
  audit: AuditTrail;
}

/** Organizers' actions on one invitation, as history lines naming who did them. */
const ACTIONS: readonly OrganizerAction[] = ['invitation.resent', 'invitations.imported', 'invitation.edited', 'invitation.replaced', 'invitation.revoked', 'invitation.answered'];
const actionsOn = (entries: AuditEntry[], invitationId: string) =>
  entries
    .filter((e) => (ACTIONS as readonly string[]).includes(e.action))
    .filter((e) => e.target === invitationId || ((e.detail?.rows as Array<{ id: string }> | undefined) ?? []).some((r) => r.id === invitationId))
    .map((e) => ({ type: e.action as OrganizerAction, at: e.at, actor: e.actor.email, route: e.route }));

/**
 * `GET /events/{eventId}/invitations/{invitationId}`: the invitation with its history (every change
 * it went through, from its outbox records, and the organizers' actions naming who) and badge
 * state; a viewer sees no contact or personal notes. `POST …/resend` sends the invitation email again (audited).
 */
export const makeHandler = ({ store, resend, history, badges, audit }: DetailDeps) =>
  organizerHandler(
    async (event, organizer) => {
      const eventId = pathParam(event, 'eventId');
      const invitationId = pathParam(event, 'invitationId');
      if (event.requestContext.http.method === 'POST') {
        await resend(eventId, invitationId, organizer.auditEntry);
        return json(202, { resent: true, invitationId } satisfies ResendResponse);
      }
      const invitation = await store.getInvitation(eventId, invitationId);
      if (!invitation) throw new InvitationNotFoundError();
      const [events, badge, entries] = await Promise.all([history.history(eventId, invitationId), badges.get(eventId, invitationId), audit.list(eventScope(eventId))]);
      const personal = seesPersonalData(organizer.roles);
      const lines = [...events.map((e) => (personal ? { ...e, at: e.occurredAt } : { type: e.type, at: e.occurredAt })), ...actionsOn(entries, invitationId)].sort((a, b) =>
        String(a.at).localeCompare(String(b.at)),
      );
      const detail: InvitationDetail = {
        ...(redactFor(organizer.roles, toSummary(invitation)) as InvitationListItem),
        history: lines,
        // A revoked invitation's badge no longer admits anyone: it is not offered.
        badge: badge && !invitation.revoked ? { ready: true, version: badge.version } : { ready: false },
      };
      return json(200, detail);
    },
    { audit },
  );

const store = cumbreStore(config.TABLE_NAME, undefined, config.AUDIT_TABLE);
export const handler = makeHandler({
  store,
  resend: (eventId, invitationId, audit) => resendInvitation({ store, clock: systemClock, ids: randomIds }, eventId, invitationId, audit),
  history: new DynamoInvitationHistory(documentClientFor(), config.TABLE_NAME),
  badges: new DynamoBadgeLedger(documentClientFor(), config.TABLE_NAME),
  audit: new DynamoAuditTrail(documentClientFor(), config.AUDIT_TABLE),
});
