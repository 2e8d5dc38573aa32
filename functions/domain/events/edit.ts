import { CapacityBelowConfirmedError, type FieldIssue } from '../errors.js';
import type { EventDefinition, Invitation, SessionState } from '../model.js';
import type { CumbreEvent, EventInput } from '../outbox.js';
import type { EventRecord, EventSessionOp, Promotion, SessionChange } from '../ports.js';
import { changedFields } from './definition.js';

/** What an edit did, for the audit trail and the editor. */
export interface EventChangeSummary {
  version: number;
  changed: string[];
  capacity: Array<{ sessionId: string; from: number; to: number; promoted: number }>;
  added: string[];
  cancelled: string[];
  rescheduled: string[];
  venue: boolean;
}

/** Outbox records about the event as a whole are keyed under this pseudo-invitation. */
export const eventScopeId = (eventId: string) => `event:${eventId}`;

/** The categories and topics an edit removes: only those no invitation uses may go. */
export const removedLists = (before: EventDefinition, next: EventDefinition) => ({
  categories: before.categories.filter((c) => !next.categories.some((n) => n.id === c.id)).map((c) => c.id),
  topics: before.topics.filter((t) => !next.topics.some((n) => n.id === t.id)).map((t) => t.id),
});

/**
 * What an edit may not do, whatever its shape: remove a session (it is cancelled instead), bring a
 * cancelled one back, remove a category or topic in use (`invitations`: the event's, read when any
 * is removed), or switch accreditation on a session that already has answers.
 */
export function editIssues(record: EventRecord, next: EventDefinition, removed: ReturnType<typeof removedLists>, invitations: Invitation[]): FieldIssue[] {
  const before = record.definition;
  const issues: FieldIssue[] = [];
  const nextById = new Map(next.sessions.map((s, i) => [s.id, { s, i }]));
  for (const old of before.sessions)
    if (!nextById.has(old.id)) issues.push({ field: 'sessions', message: `${old.id} is missing: a session is cancelled (cancelled: true), never removed` });
  for (const [id, { s, i }] of nextById) {
    const old = before.sessions.find((o) => o.id === id);
    if (old?.cancelled && !s.cancelled) issues.push({ field: `sessions.${i}.cancelled`, message: `${id} was cancelled and its invitees told; add a new session instead` });
  }
  // Categories and topics still in use may be renamed or recoloured, not removed.
  for (const id of removed.categories) {
    const n = invitations.filter((inv) => inv.category === id).length;
    if (n) issues.push({ field: 'categories', message: `${id} is the category of ${n} invitation(s); change them first` });
  }
  for (const id of removed.topics) {
    const n = invitations.filter((inv) => inv.topics.includes(id)).length;
    if (n) issues.push({ field: 'topics', message: `${id} was chosen by ${n} invitee(s); rename it rather than remove it` });
  }
  const sessionsById = new Map(record.sessions.map((s) => [s.id, s]));
  for (const [id, { s, i }] of nextById) {
    const state = sessionsById.get(id);
    if (state && !state.cancelled && s.requiresAccreditation !== state.requiresAccreditation && state.confirmedParties + state.waitlistedParties > 0)
      issues.push({ field: `sessions.${i}.requiresAccreditation`, message: `${id} already has answers; accreditation cannot be switched now` });
  }
  return issues;
}

/** A session whose capacity the edit raises while parties wait: the edit's own transaction promotes what fits. */
export interface RaisedSession {
  change: SessionChange;
  session: SessionState;
  op: EventSessionOp;
}

/** An edit's counter operations, outbox records and summary, before any promotion. */
export interface EditPlan {
  summary: EventChangeSummary;
  ops: EventSessionOp[];
  events: CumbreEvent[];
  raised: RaisedSession[];
}

/**
 * What an edit does to each session's counter: new sessions get one, cancelled ones go to capacity 0
 * (invitees told), a changed capacity moves (never below the seats confirmed); raised seats wake the
 * waitlist; new times or a new venue tell those confirmed.
 */
export function planEdit(record: EventRecord, next: EventDefinition, newEvent: (body: EventInput) => CumbreEvent): EditPlan {
  const before = record.definition;
  const sessionsById = new Map(record.sessions.map((s) => [s.id, s]));
  const plan: EditPlan = {
    summary: { version: next.version!, changed: changedFields(before, next), capacity: [], added: [], cancelled: [], rescheduled: [], venue: false },
    ops: [],
    events: [],
    raised: [],
  };
  const { summary, ops, raised } = plan;
  const scope = eventScopeId(before.id);
  const emit = (body: EventInput) => plan.events.push(newEvent(body));
  for (const s of next.sessions) {
    const state = sessionsById.get(s.id);
    if (!state) {
      ops.push({ sessionId: s.id, create: { capacity: s.capacity } });
      summary.added.push(s.id);
      continue;
    }
    if (state.cancelled) continue;
    if (s.cancelled) {
      ops.push({ sessionId: s.id, cancel: true, capacity: { from: state.capacity, to: 0 } });
      summary.cancelled.push(s.id);
      emit({ type: 'session.cancelled', eventId: before.id, invitationId: scope, sessionId: s.id });
      continue;
    }
    if (s.capacity < state.capacity && state.confirmedSeats > s.capacity) throw new CapacityBelowConfirmedError(s.id, s.capacity, state.confirmedSeats);
    if (s.capacity !== state.capacity) {
      const op: EventSessionOp = { sessionId: s.id, capacity: { from: state.capacity, to: s.capacity }, delta: {} };
      ops.push(op);
      summary.capacity.push({ sessionId: s.id, from: state.capacity, to: s.capacity, promoted: 0 });
      if (s.capacity > state.capacity && state.waitlistedParties > 0) {
        raised.push({ change: { sessionId: s.id, capacity: s.capacity, delta: op.delta! }, session: { ...state, capacity: s.capacity }, op });
        // Whatever this transaction cannot promote, the capacity worker does.
        emit({ type: 'seat.freed', eventId: before.id, invitationId: scope, sessionId: s.id, seats: s.capacity - state.capacity });
      }
    }
    const old = before.sessions.find((o) => o.id === s.id)!;
    if (old.start !== s.start || old.end !== s.end || before.timezone !== next.timezone) summary.rescheduled.push(s.id);
  }
  summary.venue = JSON.stringify(before.venue) !== JSON.stringify(next.venue);
  if (summary.rescheduled.length || summary.venue)
    emit({ type: 'event.rescheduled', eventId: before.id, invitationId: scope, sessions: summary.rescheduled, venue: summary.venue });
  return plan;
}

/**
 * Carries the promotions into the raised sessions' counter updates and the summary. A waitlist
 * longer than one transaction holds (`stepped`): this commit raises the capacity only by the seats
 * it promotes, so no newcomer finds a free seat while someone waits; the returned steps follow it.
 */
export function applyPromotions(plan: EditPlan, promotions: Promotion[], stepped: boolean): Array<{ sessionId: string; target: number }> {
  const steps: Array<{ sessionId: string; target: number }> = [];
  for (const r of plan.raised) {
    // planPromotions added the promoted seats to the change; the counter update carries them.
    r.op.mustFit = r.change.mustFit;
    if (stepped && r.op.capacity) {
      steps.push({ sessionId: r.op.sessionId, target: r.op.capacity.to });
      r.op.capacity.to = Math.max(r.op.capacity.from, r.session.confirmedSeats + (r.change.delta.confirmedSeats ?? 0));
    }
    const row = plan.summary.capacity.find((c) => c.sessionId === r.op.sessionId)!;
    row.promoted = promotions.filter((p) => p.places.some((w) => w.sessionId === r.op.sessionId)).length;
  }
  return steps;
}
