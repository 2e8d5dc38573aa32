import { EventNotFoundError, SeatConflictError, ConcurrentUpdateError } from './errors.js';
import { overallStatus } from './invitation-status.js';
import { countersOf, type EventDefinition, type Invitation, type SessionCounters, type Topic } from './model.js';
import { newEvent, type CumbreEvent } from './outbox.js';
import type { CapacityReport, EventOutline, SessionCapacity, Tally } from './organizer-api.js';
import type { Clock, CumbreStore, EventRecord, IdGenerator, RepairOutcome, WaitlistEntry } from './ports.js';

const emptyTally = (): Tally => ({ confirmed: 0, waitlisted: 0, declined: 0, pending: 0 });

export type { CapacityReport, SessionCapacity, Tally };

/** Every topic of the event, counted (0 included), from the event's own list. */
const countTopics = (definition: EventDefinition, invitations: Invitation[]) => {
  const counts = Object.fromEntries(definition.topics.map((t) => [t.id, 0])) as Record<Topic, number>;
  for (const i of invitations) for (const t of i.topics) if (t in counts) counts[t] += 1;
  return counts;
};

/** Counters recomputed from the invitation records: the truth the session counters must equal. */
export const recount = (sessionId: string, invitations: Invitation[]): SessionCounters => {
  const c: SessionCounters = { confirmedSeats: 0, confirmedParties: 0, waitlistedSeats: 0, waitlistedParties: 0, declinedParties: 0 };
  for (const inv of invitations) {
    const r = inv.responses[sessionId];
    if (!r) continue;
    if (r.status === 'confirmed') {
      c.confirmedSeats += r.seats;
      c.confirmedParties += 1;
    } else if (r.status === 'waitlisted') {
      c.waitlistedSeats += r.seats;
      c.waitlistedParties += 1;
    } else if (r.status === 'declined') c.declinedParties += 1;
  }
  return c;
};

/** The event's names and times, as the dashboard shows them. */
export const outlineOf = ({ definition }: Pick<EventRecord, 'definition'>): EventOutline => ({
  id: definition.id,
  name: definition.name,
  timezone: definition.timezone,
  rsvpDeadline: definition.rsvpDeadline,
  categories: definition.categories,
  topics: definition.topics,
  sessions: definition.sessions.map(({ id, name, start, end, capacity, cancelled }) => ({ id, name, start, end, capacity, ...(cancelled ? { cancelled } : {}) })),
});

export const buildCapacityReport = (event: EventRecord, invitations: Invitation[]): CapacityReport => ({
  eventId: event.definition.id,
  event: outlineOf(event),
  topics: countTopics(
    event.definition,
    invitations.filter((i) => i.status !== 'pending'),
  ),
  sessions: event.sessions.map((s): SessionCapacity => {
    const invited = invitations.filter((i) => i.sessions.includes(s.id) && i.status !== 'revoked');
    const byCategory: Record<string, Tally> = {};
    const byCountry: Record<string, Tally> = {};
    for (const inv of invited) {
      const status = inv.responses[s.id]?.status ?? 'pending';
      (byCategory[inv.category] ??= emptyTally())[status] += 1;
      (byCountry[inv.country] ??= emptyTally())[status] += 1;
    }
    return {
      sessionId: s.id,
      capacity: s.capacity,
      confirmed: s.confirmedSeats,
      confirmedParties: s.confirmedParties,
      waitlisted: s.waitlistedParties,
      waitlistedSeats: s.waitlistedSeats,
      declined: s.declinedParties,
      pending: invited.length - s.confirmedParties - s.waitlistedParties - s.declinedParties,
      free: Math.max(0, s.capacity - s.confirmedSeats),
      byCategory,
      byCountry,
      topics: countTopics(
        event.definition,
        invited.filter((i) => i.responses[s.id]?.status === 'confirmed'),
      ),
    };
  }),
});

export interface CapacityServiceDeps {
  store: CumbreStore;
  clock: Clock;
  ids: IdGenerator;
}

/** Drift between a session's counters and its records, as found by reconciliation. */
export interface Drift {
  sessionId: string;
  counters: SessionCounters;
  records: SessionCounters;
}

/** A reconciliation run: the sessions repaired, and those left for the next run and why. */
export interface Reconciliation {
  repaired: Drift[];
  skipped: Array<{ sessionId: string; reason: Exclude<RepairOutcome, 'repaired'> }>;
}

/**
 * A promotion run: who was promoted; waitlist entries found stale (their invitation no longer
 * waits with that ticket) and removed so they block no one; and whether it stopped after too many
 * lost races (the next freed seat or the hourly reconciliation picks it up again).
 */
export interface PromotionRun {
  promoted: string[];
  staleRemoved: WaitlistEntry[];
  gaveUp: boolean;
}

export class CapacityService {
  constructor(private readonly deps: CapacityServiceDeps) {}

  async report(eventId: string): Promise<CapacityReport> {
    const event = await this.deps.store.getEvent(eventId);
    if (!event) throw new EventNotFoundError(eventId);
    return buildCapacityReport(event, await this.deps.store.listInvitations(eventId));
  }

  /**
   * Recounts every session of an event from its records and repairs drifted counters, each repair
   * with an audit entry. A session whose counters move during the recount is left for the next run.
   */
  async reconcile(eventId: string): Promise<Reconciliation> {
    const before = await this.deps.store.getEvent(eventId);
    if (!before) throw new EventNotFoundError(eventId);
    const invitations = await this.deps.store.listInvitations(eventId);
    const after = await this.deps.store.getEvent(eventId);
    const result: Reconciliation = { repaired: [], skipped: [] };
    for (const session of before.sessions) {
      const counters = countersOf(session);
      if (JSON.stringify(counters) !== JSON.stringify(countersOf(after!.sessions.find((s) => s.id === session.id)!))) {
        result.skipped.push({ sessionId: session.id, reason: 'counters_moved' });
        continue;
      }
      const records = recount(session.id, invitations);
      if (JSON.stringify(records) === JSON.stringify(counters)) continue;
      const outcome = await this.deps.store.repairCounters(eventId, session.id, counters, records, { id: this.deps.ids.newId(), at: this.deps.clock.now().toISOString() });
      if (outcome === 'repaired') result.repaired.push({ sessionId: session.id, counters, records });
      else result.skipped.push({ sessionId: session.id, reason: outcome });
    }
    return result;
  }

  /**
   * Promotes waitlisted parties, in ticket order, while they fit. A party too large for the seats
   * left is passed over for a smaller one behind it (the seats would otherwise stay empty) and keeps
   * its place. Each promotion is its own transaction, guarded like an answer.
   */
  async promoteWaitlisted(eventId: string, sessionId: string): Promise<PromotionRun> {
    const run: PromotionRun = { promoted: [], staleRemoved: [], gaveUp: false };
    const promoted = run.promoted;
    for (let attempts = 0; ;) {
      if (attempts >= 50) return { ...run, gaveUp: true };
      const event = await this.deps.store.getEvent(eventId);
      const session = event?.sessions.find((s) => s.id === sessionId);
      if (!session) throw new EventNotFoundError(eventId);
      // A cancelled session's waitlist is released by the cancellation, never promoted.
      if (session.cancelled) return run;
      const entry = (await this.deps.store.listWaitlist(eventId, sessionId)).find((w) => w.seats <= session.capacity - session.confirmedSeats);
      if (!entry) return run;
      const next = await this.deps.store.getInvitation(eventId, entry.invitationId);
      const waiting = next?.responses[sessionId];
      if (!next || waiting?.status !== 'waitlisted' || waiting.waitlistTicket !== entry.ticket) {
        // A stale entry: re-reading it would find it stale again and block every entry behind it.
        if (await this.deps.store.removeStaleWaitlistEntry(eventId, sessionId, entry.ticket, entry.invitationId)) run.staleRemoved.push(entry);
        else attempts += 1;
        continue;
      }
      const now = this.deps.clock.now();
      const seats = next.responses[sessionId].seats;
      const responses = { ...next.responses, [sessionId]: { status: 'confirmed' as const, seats, updatedAt: now.toISOString() } };
      const invitation = { ...next, responses, version: next.version + 1, updatedAt: now.toISOString() };
      invitation.status = overallStatus(invitation);
      const events: CumbreEvent[] = [newEvent({ type: 'rsvp.confirmed', eventId, invitationId: next.id, sessionId, seats, promoted: true }, now, this.deps.ids.newId())];
      try {
        await this.deps.store.commitInvitation({
          invitation,
          expectedVersion: next.version,
          sessionChanges: [
            { sessionId, capacity: session.capacity, mustFit: seats, delta: { confirmedSeats: seats, confirmedParties: 1, waitlistedSeats: -seats, waitlistedParties: -1 } },
          ],
          waitlist: [{ op: 'remove', sessionId, ticket: next.responses[sessionId].waitlistTicket!, seats }],
          events,
        });
        promoted.push(next.id);
      } catch (err) {
        if (!(err instanceof SeatConflictError || err instanceof ConcurrentUpdateError)) throw err;
        attempts += 1;
      }
    }
  }
}
