import {
  CapacityBelowConfirmedError,
  ConcurrentUpdateError,
  EventExistsError,
  EventNotFoundError,
  EventVersionConflictError,
  SeatConflictError,
  ValidationError,
} from './errors.js';
import { overallStatus } from './invitation-status.js';
import type { EventDefinition, Invitation } from './model.js';
import { newEvent, type CumbreEvent } from './outbox.js';
import type { Clock, CumbreStore, EventCommit, EventRecord, EventSessionOp, EventStore, IdGenerator, SessionChange } from './ports.js';
import { MAX_TRANSACTION_ITEMS, planPromotions } from './promotion.js';
import { changedFields, eventEditSchema, eventInputSchema, parseEventInput, toDefinition } from './events/definition.js';
import { applyPromotions, editIssues, planEdit, removedLists, type EventChangeSummary } from './events/edit.js';

export {
  changedFields,
  definitionIssues,
  eventEditSchema,
  eventInputSchema,
  isKnownTimeZone,
  MAX_SESSIONS,
  parseEventInput,
  type EventInputDefinition,
} from './events/definition.js';
export { eventScopeId, type EventChangeSummary } from './events/edit.js';

export interface EventServiceDeps {
  store: CumbreStore & EventStore;
  clock: Clock;
  ids: IdGenerator;
  /** Attempts of one edit against answers arriving meanwhile. */
  maxAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
}

const defaultBackoff = (attempt: number) => new Promise<void>((r) => setTimeout(r, Math.random() * Math.min(250, 10 * 2 ** attempt)));

/**
 * Organizers create and change events while invitees answer. Capacity lives on each session's
 * counter record, the record every answer's transaction is conditioned on (`capacity = :planned`),
 * so an edit that changes it makes every answer planned on the old figure re-plan: never an
 * overbooked session. An edit commits as one transaction: the definition (conditioned on the
 * version the editor read), its new counters, the waitlisted parties promoted into raised seats,
 * and the outbox records that tell invitees (calendars, badges, cancellations).
 */
export class EventService {
  private readonly maxAttempts: number;
  private readonly backoff: (attempt: number) => Promise<void>;
  constructor(private readonly deps: EventServiceDeps) {
    this.maxAttempts = deps.maxAttempts ?? 25;
    this.backoff = deps.backoff ?? defaultBackoff;
  }

  async create(body: unknown): Promise<EventDefinition> {
    const input = parseEventInput(eventInputSchema, body);
    if (input.sessions.some((s) => s.cancelled)) throw new ValidationError([{ field: 'sessions', message: 'a new event has no cancelled sessions' }]);
    const definition = toDefinition(input, 1);
    if (await this.deps.store.getEvent(definition.id)) throw new EventExistsError(definition.id);
    await this.deps.store.createEvent(definition);
    return definition;
  }

  async get(eventId: string) {
    const record = await this.deps.store.getEvent(eventId);
    if (!record) throw new EventNotFoundError(eventId);
    return record;
  }

  /**
   * Applies an edit. A stale version is a 409 naming what the other edit changed; capacity below the
   * seats confirmed is refused stating them; a raised capacity promotes the waitlist in ticket order,
   * first fit, in the edit's own transaction (what does not fit there, the capacity worker does).
   */
  async update(eventId: string, body: unknown): Promise<{ definition: EventDefinition; summary: EventChangeSummary }> {
    const input = parseEventInput(eventEditSchema, body);
    if (input.id !== eventId) throw new ValidationError([{ field: 'id', message: `is ${eventId} in the path; an event's id never changes` }]);
    const { version: expected, ...rest } = input;
    for (let attempt = 1; ; attempt++) {
      const record = await this.get(eventId);
      const current = record.definition.version ?? 0;
      if (current !== expected) throw await this.versionConflict(record.definition, expected);
      const next = toDefinition(rest, expected + 1);
      try {
        return await this.tryUpdate(record, next, attempt < this.maxAttempts / 2);
      } catch (err) {
        const retriable = err instanceof SeatConflictError || err instanceof ConcurrentUpdateError;
        if (!retriable || attempt >= this.maxAttempts) throw err;
        await this.backoff(attempt);
      }
    }
  }

  private async versionConflict(current: EventDefinition, expected: number): Promise<EventVersionConflictError> {
    const seen = expected > 0 ? await this.deps.store.getEventVersion(current.id, expected) : undefined;
    const fields = seen ? changedFields(seen, current) : [];
    return new EventVersionConflictError(current.id, expected, current.version ?? 0, fields);
  }

  private async tryUpdate(record: EventRecord, next: EventDefinition, promote: boolean) {
    const before = record.definition;
    const now = this.deps.clock.now();
    const removed = removedLists(before, next);
    const invitations = removed.categories.length || removed.topics.length ? await this.deps.store.listInvitations(before.id) : [];
    const issues = editIssues(record, next, removed, invitations);
    if (issues.length) throw new ValidationError(issues);

    const plan = planEdit(record, next, (body) => newEvent(body, now, this.deps.ids.newId()));
    const { summary, ops, events, raised } = plan;
    const ownItems = 2 + ops.length + events.length;
    const budget = MAX_TRANSACTION_ITEMS - ownItems;
    const promotions = promote && raised.length ? await planPromotions(this.deps, before.id, raised, '', now, budget) : [];
    const steps = applyPromotions(plan, promotions, promotions.length * 3 + 3 > budget);
    const commit: EventCommit = { eventId: before.id, definition: next, expectedVersion: before.version ?? 0, sessions: ops, events, ...(promotions.length ? { promotions } : {}) };
    await this.commitEdit(commit);
    for (const step of steps) {
      const row = summary.capacity.find((c) => c.sessionId === step.sessionId)!;
      row.promoted += await this.settleCapacity(before.id, step.sessionId);
    }
    return { definition: next, summary };
  }

  /** Commits an edit; a lowered capacity that lost to answers taking the seats meanwhile says how many are taken now. */
  private async commitEdit(commit: EventCommit): Promise<void> {
    try {
      await this.deps.store.commitEventChange(commit);
    } catch (err) {
      if (err instanceof SeatConflictError) {
        const fresh = await this.get(commit.eventId);
        for (const op of commit.sessions) {
          const s = fresh.sessions.find((x) => x.id === op.sessionId);
          if (op.capacity && !op.cancel && s && op.capacity.to < s.confirmedSeats) throw new CapacityBelowConfirmedError(s.id, op.capacity.to, s.confirmedSeats);
        }
      }
      throw err;
    }
  }

  /**
   * Brings a session's counter up to the capacity its definition says, promoting the waitlist in
   * ticket order on the way: each transaction raises the capacity by exactly the seats it promotes
   * while parties still wait, then to the full figure. The edit runs it; so does the capacity worker
   * (woken by the edit's `seat.freed`), which finishes the work of an edit that stopped half-way.
   * Returns the parties promoted.
   */
  async settleCapacity(eventId: string, sessionId: string): Promise<number> {
    let promoted = 0;
    for (let lost = 0; lost < 50;) {
      const record = await this.get(eventId);
      const state = record.sessions.find((s) => s.id === sessionId);
      const target = record.definition.sessions.find((s) => s.id === sessionId)?.capacity;
      if (!state || state.cancelled || target === undefined || state.capacity >= target) return promoted;
      const now = this.deps.clock.now();
      const op: EventSessionOp = { sessionId, capacity: { from: state.capacity, to: target }, delta: {} };
      const change: SessionChange = { sessionId, capacity: target, delta: op.delta! };
      const budget = MAX_TRANSACTION_ITEMS - 1;
      const promotions = state.waitlistedParties > 0 ? await planPromotions(this.deps, eventId, [{ change, session: { ...state, capacity: target } }], '', now, budget) : [];
      op.mustFit = change.mustFit;
      if (promotions.length * 3 + 3 > budget) op.capacity!.to = Math.max(state.capacity, state.confirmedSeats + (change.delta.confirmedSeats ?? 0));
      try {
        await this.deps.store.commitEventChange({
          eventId,
          expectedVersion: record.definition.version ?? 0,
          sessions: [op],
          events: [],
          ...(promotions.length ? { promotions } : {}),
        });
        promoted += promotions.length;
      } catch (err) {
        if (!(err instanceof SeatConflictError || err instanceof ConcurrentUpdateError)) throw err;
        lost += 1;
        await this.backoff(lost);
      }
    }
    return promoted;
  }

  /**
   * Tells every invitee a change reached: an event-level record (`event.rescheduled`,
   * `session.cancelled`) becomes one record per invitation it concerns. Cancelling releases each
   * invitee's seat or waitlist place in a transaction of its own, guarded like an answer; a rerun
   * finds the work done and does nothing twice.
   */
  async fanOut(event: CumbreEvent): Promise<{ told: number }> {
    if (event.type === 'event.rescheduled') {
      const record = await this.get(event.eventId);
      const invitations = await this.deps.store.listInvitations(event.eventId);
      const out: CumbreEvent[] = [];
      for (const inv of invitations) {
        const confirmed = inv.sessions.filter((s) => inv.responses[s]?.status === 'confirmed' && !record.definition.sessions.find((d) => d.id === s)?.cancelled);
        const affected = event.venue ? confirmed : confirmed.filter((s) => event.sessions.includes(s));
        if (!affected.length) continue;
        out.push({
          ...newEvent(
            { type: 'invitation.rescheduled', eventId: event.eventId, invitationId: inv.id, sessions: affected, changeId: event.id },
            new Date(event.occurredAt),
            `${event.id}.${inv.id}`,
          ),
        });
      }
      await this.deps.store.putOutboxEvents(out);
      return { told: out.length };
    }
    if (event.type === 'session.cancelled') {
      let told = 0;
      for (const inv of await this.deps.store.listInvitations(event.eventId)) if (await this.cancelFor(event.eventId, inv, event.sessionId, event.id)) told += 1;
      return { told };
    }
    return { told: 0 };
  }

  /** Takes a cancelled session out of one invitation: seats or waitlist place released, the invitee told. */
  private async cancelFor(eventId: string, first: Invitation, sessionId: string, changeId: string): Promise<boolean> {
    let invitation: Invitation | undefined = first;
    for (let attempt = 1; ; attempt++) {
      if (!invitation?.sessions.includes(sessionId)) return false;
      const now = this.deps.clock.now();
      const held = invitation.responses[sessionId];
      const previous = held?.status ?? 'pending';
      const { [sessionId]: _gone, ...responses } = invitation.responses;
      const next: Invitation = {
        ...invitation,
        sessions: invitation.sessions.filter((s) => s !== sessionId),
        responses,
        cancelledSessions: [...(invitation.cancelledSessions ?? []), sessionId],
        version: invitation.version + 1,
        updatedAt: now.toISOString(),
      };
      next.status = overallStatus(next);
      const seats = held?.seats ?? 0;
      const delta =
        previous === 'confirmed'
          ? { confirmedSeats: -seats, confirmedParties: -1 }
          : previous === 'waitlisted'
            ? { waitlistedSeats: -seats, waitlistedParties: -1 }
            : previous === 'declined'
              ? { declinedParties: -1 }
              : {};
      try {
        await this.deps.store.commitInvitation({
          invitation: next,
          expectedVersion: invitation.version,
          sessionChanges: Object.keys(delta).length ? [{ sessionId, capacity: 0, delta }] : [],
          waitlist: previous === 'waitlisted' && held?.waitlistTicket !== undefined ? [{ op: 'remove', sessionId, ticket: held.waitlistTicket, seats }] : [],
          events: [newEvent({ type: 'invitation.session-cancelled', eventId, invitationId: invitation.id, sessionId, previous, changeId }, now, this.deps.ids.newId())],
        });
        return true;
      } catch (err) {
        if (!(err instanceof ConcurrentUpdateError || err instanceof SeatConflictError) || attempt >= 50) throw err;
        await this.backoff(attempt);
        invitation = await this.deps.store.getInvitation(eventId, invitation.id);
      }
    }
  }
}
