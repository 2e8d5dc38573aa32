import { changedFields, type AuditTrail } from '#domain/access/audit.js';
import { editInvitationSchema, InvitationAdminService, parseWithSchema, replaceInviteeSchema, revokeInvitationSchema, type InvitationChange } from '#domain/invitation-admin.js';
import { toSummary } from '#domain/invitations.js';
import type { Invitation } from '#domain/model.js';
import type { AnswerFormView, InvitationChangeResponse } from '#domain/organizer-api.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { DynamoAuditTrail } from '#adapters/dynamo-audit-trail.js';
import { readRsvpForm } from '#pages/rsvp-form.js';
import { organizerHandler, type Organizer } from '#shared/access.js';
import { cumbreStore, documentClientFor, loadAppKeys, randomIds, systemClock } from '#shared/clients.js';
import { accreditationConfig, auditConfig, loadConfig, publicUrlConfig, secretConfig, tableConfig } from '#shared/config.js';
import { json, mediaType, parseJsonBody, pathParam, readBody, type HttpEvent } from '#shared/http.js';

const config = loadConfig(tableConfig.extend(secretConfig.shape).extend(publicUrlConfig.shape).extend(auditConfig.shape).extend(accreditationConfig.shape));
const keys = await loadAppKeys(config.SECRET_ARN);

const MAX_BODY_BYTES = 64 * 1024;
/** The RSVP form's own encoding: the dashboard posts the same fields the invitee's page does. */
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** What the audit keeps of an invitation: who it is for and what it admits to; never notes or accreditation. */
const audited = (i: Invitation) => ({
  email: i.email,
  name: i.name,
  title: i.title,
  organization: i.organization,
  country: i.country,
  category: i.category,
  language: i.language,
  sessions: i.sessions,
  guestsAllowed: i.guestsAllowed,
  guests: i.guests,
  status: i.status,
});

const respondWith = (change: InvitationChange): InvitationChangeResponse => ({
  invitation: toSummary(change.invitation),
  changed: change.changed,
  released: change.released,
  promoted: change.promoted.length,
  ...(change.rsvpUrl ? { rsvpUrl: change.rsvpUrl } : {}),
});

export interface InvitationAdminHandlerDeps {
  admin: InvitationAdminService;
  rsvp: RsvpService;
  store: { getInvitation(eventId: string, invitationId: string): Promise<Invitation | undefined> };
  audit: AuditTrail;
}

/** The organizer, as records name who acted. */
const actor = (organizer: Organizer) => ({ sub: organizer.principal.sub, email: organizer.principal.email });

/**
 * Organizers' changes to one invitation (each audited with who, before and after):
 * `PATCH /events/{eventId}/invitations/{invitationId}` edits it on the version the organizer saw;
 * `POST …/replace` puts a deputy in the invitee's place; `POST …/revoke` withdraws it;
 * `GET …/answer` is what the RSVP form shows and `POST …/answer` records an answer on the
 * invitee's behalf (JSON as the RSVP API takes it, or the RSVP form's own fields).
 */
export const makeHandler = ({ admin, rsvp, store, audit }: InvitationAdminHandlerDeps) =>
  organizerHandler(
    async (event: HttpEvent, organizer) => {
      const eventId = pathParam(event, 'eventId');
      const invitationId = pathParam(event, 'invitationId');
      const route = event.routeKey;
      if (route === 'GET /events/{eventId}/invitations/{invitationId}/answer') return json(200, (await rsvp.viewFor(eventId, invitationId)) satisfies AnswerFormView);
      if (route === 'POST /events/{eventId}/invitations/{invitationId}/answer') {
        let body: unknown;
        if (mediaType(event) === FORM_MEDIA_TYPE) body = readRsvpForm(new URLSearchParams(readBody(event, MAX_BODY_BYTES)), await rsvp.viewFor(eventId, invitationId)).request;
        else body = parseJsonBody(event, MAX_BODY_BYTES);
        const request = parseRsvpRequest(body);
        const view = await rsvp.respondFor(eventId, invitationId, request, actor(organizer));
        await organizer.audit({
          action: 'invitation.answered',
          target: invitationId,
          // The ID document never enters the audit: only that one was given.
          detail: {
            responses: request.responses,
            ...(request.guests !== undefined ? { guests: request.guests } : {}),
            ...(request.accreditation ? { accreditation: 'given' } : {}),
          },
        });
        return json(200, view satisfies AnswerFormView);
      }
      const before = await store.getInvitation(eventId, invitationId);
      const body = parseJsonBody(event, MAX_BODY_BYTES);
      let change: InvitationChange;
      let action: string;
      if (route === 'POST /events/{eventId}/invitations/{invitationId}/replace') {
        change = await admin.replace(eventId, invitationId, parseWithSchema(replaceInviteeSchema, body));
        action = 'invitation.replaced';
      } else if (route === 'POST /events/{eventId}/invitations/{invitationId}/revoke') {
        change = await admin.revoke(eventId, invitationId, parseWithSchema(revokeInvitationSchema, body), actor(organizer));
        action = 'invitation.revoked';
      } else {
        change = await admin.edit(eventId, invitationId, parseWithSchema(editInvitationSchema, body));
        action = 'invitation.edited';
      }
      if (change.changed.length && before) {
        const diff = changedFields(audited(before), audited(change.invitation));
        await organizer.audit({
          action,
          target: invitationId,
          before: diff.before,
          after: diff.after,
          detail: { released: change.released, promoted: change.promoted, ...(change.invitation.revoked?.reason ? { reason: change.invitation.revoked.reason } : {}) },
        });
      }
      return json(200, respondWith(change));
    },
    { audit },
  );

const store = cumbreStore(config.TABLE_NAME, config.ACCREDITATION_TABLE);
export const handler = makeHandler({
  admin: new InvitationAdminService({ store, clock: systemClock, ids: randomIds, tokenSecret: keys.rsvpTokens, publicBaseUrl: config.PUBLIC_BASE_URL }),
  rsvp: new RsvpService({ store, clock: systemClock, ids: randomIds }),
  store,
  audit: new DynamoAuditTrail(documentClientFor(), config.AUDIT_TABLE),
});
