import { overallStatus } from './invitation-status.js';
import type { Invitation, SessionState } from './model.js';
import { newEvent } from './outbox.js';
import type { CumbreStore, IdGenerator, Promotion, SessionChange } from './ports.js';

/** DynamoDB's limit on the actions of one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

/**
 * Gives the seats an answer frees (a decline, fewer guests) to the waitlist in the answer's own
 * transaction, so a newcomer answering a moment later finds them taken by whoever waited first.
 * Adds the promoted seats to each session's change (its `mustFit` guards the net gain), and returns
 * the promotions to commit with it, within `budget` transaction items. Whatever does not fit the
 * budget, or loses a race, is left to the capacity worker, which the answer's `seat.freed` wakes.
 */
export const planPromotions = async (
  deps: { store: CumbreStore; ids: IdGenerator },
  eventId: string,
  freed: Array<{ change: SessionChange; session: SessionState }>,
  answering: string,
  now: Date,
  budget: number,
): Promise<Promotion[]> => {
  const byInvitation = new Map<string, Promotion>();
  let used = 0;
  const iso = now.toISOString();
  for (const { change, session } of freed) {
    if (session.waitlistedParties <= 0 || session.cancelled) continue;
    let left = session.capacity - session.confirmedSeats - (change.delta.confirmedSeats ?? 0);
    const waitlist = (await deps.store.listWaitlist(eventId, session.id)).filter((e) => e.invitationId !== answering).sort((a, b) => a.ticket - b.ticket);
    const loaded = new Map<string, Invitation>();
    let promotedSeats = 0;
    let promotedParties = 0;
    for (const [index, entry] of waitlist.entries()) {
      if (left <= 0) break;
      if (entry.seats > left) continue;
      const existing = byInvitation.get(entry.invitationId);
      const cost = existing ? 2 : 3; // invitation put (once), waitlist delete, outbox record
      if (used + cost > budget) break;
      if (!existing && !loaded.has(entry.invitationId)) {
        // Read ahead a few of the entries that could fit, so stale ones cost no extra round trip.
        const ahead = waitlist
          .slice(index)
          .filter((e) => e.seats <= left && !loaded.has(e.invitationId))
          .slice(0, 10);
        for (const i of await deps.store.getInvitations(
          eventId,
          ahead.map((e) => e.invitationId),
        ))
          loaded.set(i.id, i);
      }
      const invitation: Invitation | undefined = existing?.invitation ?? loaded.get(entry.invitationId);
      const response = invitation?.responses[session.id];
      // A stale entry (a concurrent commit promoted the party, or it declined) is passed over.
      if (!invitation || response?.status !== 'waitlisted' || response.waitlistTicket !== entry.ticket) continue;
      const seats = response.seats;
      if (seats > left) continue;
      const promoted: Invitation = {
        ...invitation,
        responses: { ...invitation.responses, [session.id]: { status: 'confirmed', seats, updatedAt: iso } },
        version: existing ? invitation.version : invitation.version + 1,
        updatedAt: iso,
      };
      promoted.status = overallStatus(promoted);
      const event = newEvent({ type: 'rsvp.confirmed', eventId, invitationId: invitation.id, sessionId: session.id, seats, promoted: true }, now, deps.ids.newId());
      byInvitation.set(invitation.id, {
        invitation: promoted,
        expectedVersion: existing?.expectedVersion ?? invitation.version,
        places: [...(existing?.places ?? []), { sessionId: session.id, ticket: entry.ticket }],
        events: [...(existing?.events ?? []), event],
      });
      used += cost;
      left -= seats;
      promotedSeats += seats;
      promotedParties += 1;
    }
    if (!promotedParties) continue;
    const d = change.delta;
    d.confirmedSeats = (d.confirmedSeats ?? 0) + promotedSeats;
    d.confirmedParties = (d.confirmedParties ?? 0) + promotedParties;
    d.waitlistedSeats = (d.waitlistedSeats ?? 0) - promotedSeats;
    d.waitlistedParties = (d.waitlistedParties ?? 0) - promotedParties;
    // The freed and promoted seats together must still fit what the counter holds at commit.
    change.mustFit = d.confirmedSeats;
  }
  return [...byInvitation.values()];
};
