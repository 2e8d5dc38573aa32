import { editInvitationSchema, InvitationAdminService, parseWithSchema, replaceInviteeSchema, revokeInvitationSchema, type InvitationChange } from '#domain/invitation-admin.js';
import { toSummary } from '#domain/invitations/summary.js';
import type { AnswerFormView, InvitationChangeResponse } from '#domain/organizer-api.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { readRsvpForm } from '#pages/rsvp-form.js';
import { organizerHandler, type Organizer } from '#shared/access.js';
import { cumbreStore, randomIds, systemClock } from '#shared/clients.js';
import { loadAppKeys } from '#shared/app-keys.js';
import { accreditationConfig, auditConfig, loadConfig, publicUrlConfig, secretConfig, tableConfig } from '#shared/config.js';
import { json, mediaType, parseJsonBody, pathParam, readBody, type HttpEvent } from '#shared/http.js';

const config = loadConfig(tableConfig, secretConfig, publicUrlConfig, auditConfig, accreditationConfig);
const keys = await loadAppKeys(config.SECRET_ARN);

const MAX_BODY_BYTES = 64 * 1024;
/** The RSVP form's own encoding: the dashboard posts the same fields the invitee's page does. */
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

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
export const makeHandler = ({ admin, rsvp }: InvitationAdminHandlerDeps) =>
  organizerHandler(async (event: HttpEvent, organizer) => {
    const eventId = pathParam(event, 'eventId');
    const invitationId = pathParam(event, 'invitationId');
    const route = event.routeKey;
    if (route === 'GET /events/{eventId}/invitations/{invitationId}/answer') return json(200, (await rsvp.viewFor(eventId, invitationId)) satisfies AnswerFormView);
    if (route === 'POST /events/{eventId}/invitations/{invitationId}/answer') {
      let body: unknown;
      if (mediaType(event) === FORM_MEDIA_TYPE) body = readRsvpForm(new URLSearchParams(readBody(event, MAX_BODY_BYTES)), await rsvp.viewFor(eventId, invitationId)).request;
      else body = parseJsonBody(event, MAX_BODY_BYTES);
      const request = parseRsvpRequest(body);
      // The answer and its audit record commit together (the ID document never enters the audit).
      const view = await rsvp.respondFor(eventId, invitationId, request, actor(organizer), organizer.auditEntry);
      return json(200, view satisfies AnswerFormView);
    }
    const body = parseJsonBody(event, MAX_BODY_BYTES);
    // Each change carries its audit record into its own transaction (both or neither).
    let change: InvitationChange;
    if (route === 'POST /events/{eventId}/invitations/{invitationId}/replace') {
      change = await admin.replace(eventId, invitationId, parseWithSchema(replaceInviteeSchema, body), organizer.auditEntry);
    } else if (route === 'POST /events/{eventId}/invitations/{invitationId}/revoke') {
      change = await admin.revoke(eventId, invitationId, parseWithSchema(revokeInvitationSchema, body), actor(organizer), organizer.auditEntry);
    } else {
      change = await admin.edit(eventId, invitationId, parseWithSchema(editInvitationSchema, body), organizer.auditEntry);
    }
    return json(200, respondWith(change));
  });

const store = cumbreStore(config.TABLE_NAME, config.ACCREDITATION_TABLE, config.AUDIT_TABLE);
export const handler = makeHandler({
  admin: new InvitationAdminService({ store, clock: systemClock, ids: randomIds, tokenSecret: keys.rsvpTokens, publicBaseUrl: config.PUBLIC_BASE_URL }),
  rsvp: new RsvpService({ store, clock: systemClock, ids: randomIds }),
});
