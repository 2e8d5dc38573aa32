import * as z from 'zod';
import { COUNTRY_CODES } from './countries.js';
import {
  CapacityBelowConfirmedError,
  ConcurrentUpdateError,
  EventExistsError,
  EventNotFoundError,
  EventVersionConflictError,
  SeatConflictError,
  ValidationError,
  type FieldIssue,
} from './errors.js';
import { overallStatus, toFieldIssues } from './invitations.js';
import {
  categoryDefinitionSchema,
  languageSchema,
  localDateTimeSchema,
  MAX_SESSION_CAPACITY,
  slugSchema,
  topicDefinitionSchema,
  type EventDefinition,
  type Invitation,
  type SessionState,
} from './model.js';
import { newEvent, type CumbreEvent, type EventInput } from './outbox.js';
import type { Clock, CumbreStore, EventCommit, EventSessionOp, EventStore, IdGenerator, SessionChange } from './ports.js';
import { MAX_TRANSACTION_ITEMS, planPromotions } from './promotion.js';
import { plainText } from './text.js';
import { zonedLocalToUtc } from './time.js';

/** Sessions one event may have: its creation (definition, its first version, one counter per session) is one transaction. */
export const MAX_SESSIONS = 40;

const name = (max: number) => plainText(max).pipe(z.string().min(1, 'is required'));
const localizedName = z.strictObject({ es: name(160), en: name(160), fr: name(160) });

const sessionInputSchema = z.strictObject({
  id: slugSchema,
  name: localizedName,
  start: localDateTimeSchema,
  end: localDateTimeSchema,
  capacity: z.number('must be a whole number').int('must be a whole number').min(1, 'must be at least 1').max(MAX_SESSION_CAPACITY, `must be at most ${MAX_SESSION_CAPACITY}`),
  requiresAccreditation: z.boolean().default(false),
  cancelled: z.boolean().optional(),
});

/**
 * An event as organizers write it (dashboard or API). Beyond the shapes, `definitionIssues` checks
 * what only the whole definition shows: repeated ids, an unknown timezone, a session ending before
 * it starts, a deadline after the event.
 */
export const eventInputSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{3,64}$/, 'expected 3–64 of a-z, 0-9 and -'),
  name: localizedName,
  venue: z.strictObject({
    name: name(160),
    city: name(120),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .refine((c) => COUNTRY_CODES.has(c), 'must be an ISO 3166-1 alpha-2 code'),
  }),
  timezone: z.string().min(1).max(64),
  rsvpDeadline: localDateTimeSchema,
  rsvpClosed: z.boolean().optional(),
  languages: z.array(languageSchema).min(1),
  categories: z
    .array(categoryDefinitionSchema.extend({ name: localizedName }))
    .min(1)
    .max(50),
  topics: z
    .array(topicDefinitionSchema.extend({ name: localizedName }))
    .max(50)
    .default([]),
  sessions: z.array(sessionInputSchema).min(1).max(MAX_SESSIONS),
});
export type EventInputDefinition = z.infer<typeof eventInputSchema>;

/** An edit: the whole definition as the editor last saw it changed, with the version it was read at. */
export const eventEditSchema = eventInputSchema.extend({ version: z.number('must be the version you read').int().nonnegative() });

/** True for an IANA zone name this runtime knows (`America/Mazatlan`, `UTC`); offsets and abbreviations are refused. */
export const isKnownTimeZone = (zone: string) => {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** A wall-clock time that exists on the calendar (no 30 February, no 24:00). */
const isCalendarTime = (local: string) => {
  const [date, time] = local.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  const at = new Date(Date.UTC(y, m - 1, d, h, min));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d && at.getUTCHours() === h && at.getUTCMinutes() === min;
};

const repeatedIds = (items: Array<{ id: string }>, field: string): FieldIssue[] => {
  const first = new Map<string, number>();
  const issues: FieldIssue[] = [];
  items.forEach(({ id }, i) => {
    const earlier = first.get(id);
    if (earlier !== undefined) issues.push({ field: `${field}.${i}.id`, message: `${id} repeats ${field}.${earlier}.id` });
    else first.set(id, i);
  });
  return issues;
};

/** What the shapes cannot say: every issue names its field. */
export const definitionIssues = (def: EventInputDefinition): FieldIssue[] => {
  const issues: FieldIssue[] = [...repeatedIds(def.sessions, 'sessions'), ...repeatedIds(def.categories, 'categories'), ...repeatedIds(def.topics, 'topics')];
  const languages = new Set<string>();
  def.languages.forEach((l, i) => {
    if (languages.has(l)) issues.push({ field: `languages.${i}`, message: `${l} is listed twice` });
    languages.add(l);
  });
  const zoneKnown = isKnownTimeZone(def.timezone);
  if (!zoneKnown) issues.push({ field: 'timezone', message: `${def.timezone} is not an IANA time zone (such as America/Mazatlan)` });
  const times: Array<[string, string]> = [
    ['rsvpDeadline', def.rsvpDeadline],
    ...def.sessions.flatMap((s, i): Array<[string, string]> => [
      [`sessions.${i}.start`, s.start],
      [`sessions.${i}.end`, s.end],
    ]),
  ];
  const badTimes = times.filter(([, t]) => !isCalendarTime(t));
  for (const [field] of badTimes) issues.push({ field, message: 'is not a date and time on the calendar' });
  if (badTimes.length || !zoneKnown) return issues;
  def.sessions.forEach((s, i) => {
    if (s.end <= s.start) issues.push({ field: `sessions.${i}.end`, message: `must be after the start (${s.start})` });
  });
  const held = def.sessions.filter((s) => !s.cancelled);
  const firstStart = (held.length ? held : def.sessions).map((s) => s.start).sort()[0];
  if (zonedLocalToUtc(def.rsvpDeadline, def.timezone).getTime() > zonedLocalToUtc(firstStart, def.timezone).getTime())
    issues.push({ field: 'rsvpDeadline', message: `must not be after the event starts (${firstStart})` });
  return issues;
};

/** Parses and checks an organizer's definition; throws a ValidationError naming every failing field. */
export const parseEventInput = <S extends typeof eventInputSchema | typeof eventEditSchema>(schema: S, body: unknown): z.infer<S> => {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
  const issues = definitionIssues(parsed.data);
  if (issues.length) throw new ValidationError(issues);
  return parsed.data as z.infer<S>;
};

/** The definition as stored: the input without the editor's version, with the version it gets. */
const toDefinition = (input: EventInputDefinition, version: number): EventDefinition => {
  const { sessions, ...rest } = input;
  return {
    ...rest,
    version,
    sessions: sessions.map((s) => ({ ...s, ...(s.cancelled ? { cancelled: true } : { cancelled: undefined }) })),
  };
};

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

/** The top-level fields (and `sessions.<id>.<field>`) that differ between two definitions. */
export const changedFields = (a: EventDefinition, b: EventDefinition): string[] => {
  const out: string[] = [];
  for (const key of ['name', 'venue', 'timezone', 'rsvpDeadline', 'rsvpClosed', 'languages', 'categories', 'topics'] as const)
    if (JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null)) out.push(key);
  const before = new Map(a.sessions.map((s) => [s.id, s]));
  for (const s of b.sessions) {
    const old = before.get(s.id);
    if (!old) {
      out.push(`sessions.${s.id}`);
      continue;
    }
    for (const key of ['name', 'start', 'end', 'capacity', 'requiresAccreditation', 'cancelled'] as const)
      if (JSON.stringify(old[key] ?? null) !== JSON.stringify(s[key] ?? null)) out.push(`sessions.${s.id}.${key}`);
  }
  return out;
};

export interface EventServiceDeps {
  store: CumbreStore & EventStore;
  clock: Clock;
  ids: IdGenerator;
  /** Attempts of one edit against answers arriving meanwhile. */
  maxAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
}

const defaultBackoff = (attempt: number) => new Promise<void>((r) => setTimeout(r, Math.random() * Math.min(250, 10 * 2 ** attempt)));

/** Outbox records about the event as a whole are keyed under this pseudo-invitation. */
export const eventScopeId = (eventId: string) => `event:${eventId}`;

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
    const issues: FieldIssue[] = [];
    const nextById = new Map(next.sessions.map((s, i) => [s.id, { s, i }]));
    for (const old of before.sessions)
      if (!nextById.has(old.id)) issues.push({ field: 'sessions', message: `${old.id} is missing: a session is cancelled (cancelled: true), never removed` });
    for (const [id, { s, i }] of nextById) {
      const old = before.sessions.find((o) => o.id === id);
      if (old?.cancelled && !s.cancelled) issues.push({ field: `sessions.${i}.cancelled`, message: `${id} was cancelled and its invitees told; add a new session instead` });
    }
    // Categories and topics still in use may be renamed or recoloured, not removed.
    const removedCategories = before.categories.filter((c) => !next.categories.some((n) => n.id === c.id)).map((c) => c.id);
    const removedTopics = before.topics.filter((t) => !next.topics.some((n) => n.id === t.id)).map((t) => t.id);
    const invitations = removedCategories.length || removedTopics.length ? await this.deps.store.listInvitations(before.id) : [];
    for (const id of removedCategories) {
      const n = invitations.filter((inv) => inv.category === id).length;
      if (n) issues.push({ field: 'categories', message: `${id} is the category of ${n} invitation(s); change them first` });
    }
    for (const id of removedTopics) {
      const n = invitations.filter((inv) => inv.topics.includes(id)).length;
      if (n) issues.push({ field: 'topics', message: `${id} was chosen by ${n} invitee(s); rename it rather than remove it` });
    }
    const sessionsById = new Map(record.sessions.map((s) => [s.id, s]));
    for (const [id, { s, i }] of nextById) {
      const state = sessionsById.get(id);
      if (state && !state.cancelled && s.requiresAccreditation !== state.requiresAccreditation && state.confirmedParties + state.waitlistedParties > 0)
        issues.push({ field: `sessions.${i}.requiresAccreditation`, message: `${id} already has answers; accreditation cannot be switched now` });
    }
    if (issues.length) throw new ValidationError(issues);

    const summary: EventChangeSummary = { version: next.version!, changed: changedFields(before, next), capacity: [], added: [], cancelled: [], rescheduled: [], venue: false };
    const ops: EventSessionOp[] = [];
    const events: CumbreEvent[] = [];
    const scope = eventScopeId(before.id);
    const emit = (body: EventInput) => events.push(newEvent(body, now, this.deps.ids.newId()));
    const raised: Array<{ change: SessionChange; session: SessionState; op: EventSessionOp }> = [];
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

    const ownItems = 2 + ops.length + events.length;
    const budget = MAX_TRANSACTION_ITEMS - ownItems;
    const promotions = promote && raised.length ? await planPromotions(this.deps, before.id, raised, '', now, budget) : [];
    // A waitlist longer than one transaction holds: this commit raises the capacity only by the seats
    // it promotes, so no newcomer finds a free seat while someone waits; the steps after it follow.
    const stepped = promotions.length * 3 + 3 > budget;
    const steps: Array<{ sessionId: string; target: number }> = [];
    for (const r of raised) {
      // planPromotions added the promoted seats to the change; the counter update carries them.
      r.op.mustFit = r.change.mustFit;
      if (stepped && r.op.capacity) {
        steps.push({ sessionId: r.op.sessionId, target: r.op.capacity.to });
        r.op.capacity.to = Math.max(r.op.capacity.from, r.session.confirmedSeats + (r.change.delta.confirmedSeats ?? 0));
      }
      const row = summary.capacity.find((c) => c.sessionId === r.op.sessionId)!;
      row.promoted = promotions.filter((p) => p.places.some((w) => w.sessionId === r.op.sessionId)).length;
    }
    const commit: EventCommit = { eventId: before.id, definition: next, expectedVersion: before.version ?? 0, sessions: ops, events, ...(promotions.length ? { promotions } : {}) };
    try {
      await this.deps.store.commitEventChange(commit);
    } catch (err) {
      // A lowered capacity lost to answers that took the seats meanwhile: say how many are taken now.
      if (err instanceof SeatConflictError) {
        const fresh = await this.get(before.id);
        for (const op of ops) {
          const s = fresh.sessions.find((x) => x.id === op.sessionId);
          if (op.capacity && !op.cancel && s && op.capacity.to < s.confirmedSeats) throw new CapacityBelowConfirmedError(s.id, op.capacity.to, s.confirmedSeats);
        }
      }
      throw err;
    }
    for (const step of steps) {
      const row = summary.capacity.find((c) => c.sessionId === step.sessionId)!;
      row.promoted += await this.settleCapacity(before.id, step.sessionId);
    }
    return { definition: next, summary };
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

type EventRecord = NonNullable<Awaited<ReturnType<CumbreStore['getEvent']>>>;
