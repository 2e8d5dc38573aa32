import { InvitationNotFoundError, InvitationRevokedError } from '../errors.js';
import type { AuditFor, InvitationServiceDeps } from '../invitations.js';
import { newEvent } from '../outbox.js';

/**
 * Sends the invitation email again (same link): a new `invitation.created` change with reason
 * `resend`, committed with the organizer's audit record when one is given.
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
  await store.commitInvitation({
    invitation: { ...invitation, version: invitation.version + 1, updatedAt: now.toISOString() },
    expectedVersion: invitation.version,
    sessionChanges: [],
    events: [newEvent({ type: 'invitation.created', eventId, invitationId, email: invitation.email, language: invitation.language, reason: 'resend' }, now, ids.newId())],
    ...(auditFor ? { audit: auditFor({ action: 'invitation.resent', target: invitationId }) } : {}),
  });
};
