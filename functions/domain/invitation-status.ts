import type { Invitation, InvitationStatus } from './model.js';

/**
 * An invitation's standing across its sessions. In a module of its own: the capacity report,
 * promotion and event edits need only this, and taking it from invitations.ts built the import
 * and invitation schemas (and csv-parse) into their functions' cold starts.
 */
export const overallStatus = (inv: Pick<Invitation, 'responses' | 'sessions'> & Partial<Pick<Invitation, 'revoked'>>): InvitationStatus => {
  if (inv.revoked) return 'revoked';
  const statuses = inv.sessions.map((s) => inv.responses[s]?.status ?? 'pending');
  if (statuses.includes('confirmed')) return 'confirmed';
  if (statuses.includes('waitlisted')) return 'waitlisted';
  if (statuses.length > 0 && statuses.every((s) => s === 'declined')) return 'declined';
  return 'pending';
};
