import { InvitationNotFoundError, InvitationRevokedError, ResendTooSoonError } from '../errors.js';
import type { AuditFor, InvitationServiceDeps } from '../invitations.js';
import { newEvent } from '../outbox.js';

/** How long after a resend the invitation refuses another: a double click, or two organizers at once, send one email. */
export const RESEND_INTERVAL_MS = 60_000;

/**
 * Sends the invitation email again (same link): a new `invitation.created` change with reason
 * `resend`, committed with the organizer's audit record when one is given. At most one per
 * `RESEND_INTERVAL_MS`: the invitation records when (`resentAt`), and two resends racing on the
 * same version are settled by the commit's version condition (the loser gets a 409).
 */
export const resendInvitation = async (
  { store, clock, ids }: Pick<InvitationServiceDeps, 'store' | 'clock' | 'ids'>,
  eventId: string,
  invitationId: string,
  auditFor?: AuditFor,
): Promise<void> => {
  const invitation = await store.getInvitation(eventId, invitationId);
  if (!invitation) throw new InvitationNotFoundError();
  if (invitation.revoked) throw new InvitationRevokedError(invitation.language);
  const now = clock.now();
  const since = invitation.resentAt === undefined ? Infinity : now.getTime() - Date.parse(invitation.resentAt);
  if (since < RESEND_INTERVAL_MS) throw new ResendTooSoonError(Math.ceil(Math.min(RESEND_INTERVAL_MS, Math.max(1000, RESEND_INTERVAL_MS - since)) / 1000));
  await store.commitInvitation({
    invitation: { ...invitation, version: invitation.version + 1, updatedAt: now.toISOString(), resentAt: now.toISOString() },
    expectedVersion: invitation.version,
    sessionChanges: [],
    events: [newEvent({ type: 'invitation.created', eventId, invitationId, email: invitation.email, language: invitation.language, reason: 'resend' }, now, ids.newId())],
    ...(auditFor ? { audit: auditFor({ action: 'invitation.resent', target: invitationId, subject: invitation.name }) } : {}),
  });
};
