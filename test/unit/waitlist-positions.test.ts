import { describe, expect, it } from 'vitest';
import { emailSessionsFor } from '#domain/email/templates.js';
import { waitlistPositions } from '#domain/invitation-status.js';
import type { Invitation } from '#domain/model.js';
import { summit } from '../fixtures/summit.js';

/** The page (rsvpView) and every email take the invitee's place in a waiting list from waitlistPositions. */
describe('waitlist positions', () => {
  const def = summit();
  const [first, second, third] = def.sessions.map((s) => s.id);
  const invitation = {
    eventId: def.id,
    sessions: [first, second, third],
    responses: {
      [first]: { status: 'waitlisted', waitlistTicket: 17 },
      [second]: { status: 'confirmed' },
      [third]: { status: 'waitlisted', waitlistTicket: 40 },
    },
  } as unknown as Invitation;
  /** Parties ahead: 3 in the first session's list, none in the third's. */
  const asked: Array<[string, string, number]> = [];
  const countBefore = async (eventId: string, sessionId: string, ticket: number) => {
    asked.push([eventId, sessionId, ticket]);
    return sessionId === first ? 3 : 0;
  };

  it('is 1 + the parties waiting with an earlier ticket, for each session the invitee waits for, and only those', async () => {
    asked.length = 0;
    expect(await waitlistPositions(invitation, countBefore)).toEqual(
      new Map([
        [first, 4],
        [third, 1],
      ]),
    );
    expect(asked.sort()).toEqual(
      [
        [def.id, first, 17],
        [def.id, third, 40],
      ].sort(),
    );
  });

  it('counts nothing for a session outside the invitation or a waitlisted answer without a ticket', async () => {
    asked.length = 0;
    const narrowed = { ...invitation, sessions: [second, third], responses: { ...invitation.responses, [third]: { status: 'waitlisted' } } } as unknown as Invitation;
    expect(await waitlistPositions(narrowed, countBefore)).toEqual(new Map());
    expect(asked).toEqual([]);
  });

  it('is what the emails list beside each waitlisted session', async () => {
    const sessions = await emailSessionsFor(def, invitation, countBefore);
    expect(sessions.map((s) => [s.id, s.status, s.waitlistPosition])).toEqual(
      def.sessions
        .filter((s) => invitation.sessions.includes(s.id))
        .map((s) => [s.id, invitation.responses[s.id]?.status ?? 'pending', s.id === first ? 4 : s.id === third ? 1 : undefined]),
    );
  });
});
