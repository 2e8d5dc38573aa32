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

/** The store's count of the parties waiting in a session with an earlier ticket than `ticket`. */
export type CountWaitlistedBefore = (eventId: string, sessionId: string, ticket: number) => Promise<number>;

/**
 * The invitee's place in each waiting list they are on, by session: 1 + the parties still waiting
 * with an earlier ticket. The page and the emails show the same figure.
 */
export const waitlistPositions = async (invitation: Pick<Invitation, 'eventId' | 'sessions' | 'responses'>, countBefore: CountWaitlistedBefore): Promise<Map<string, number>> => {
  const waiting = invitation.sessions.flatMap((sessionId) => {
    const r = invitation.responses[sessionId];
    return r?.status === 'waitlisted' && r.waitlistTicket !== undefined ? [{ sessionId, ticket: r.waitlistTicket }] : [];
  });
  return new Map(await Promise.all(waiting.map(async ({ sessionId, ticket }) => [sessionId, 1 + (await countBefore(invitation.eventId, sessionId, ticket))] as const)));
};
