import type * as z from './zod.js';
import type { cumbreEventSchema, envelopeSchema } from './outbox-schemas.js';

/**
 * What the RSVP core tells the rest of the system (the records' schemas are in outbox-schemas.ts).
 * Each record is written in the same DynamoDB transaction as the change it describes (the
 * transactional outbox) and leaves through the table's stream; nothing is ever published by a
 * second write that could be lost.
 *
 * Only the types live here: most functions write events, and only the stream dispatcher and the
 * queue workers parse them, so only they import outbox-schemas.ts. Building the eleven schemas
 * took 10–25 ms of every other function's cold start.
 */
export type CumbreEvent = z.infer<typeof cumbreEventSchema>;
export type CumbreEventType = CumbreEvent['type'];

/** An event before it is stamped: every variant of the union without `id` and `occurredAt`. */
export type EventInput = CumbreEvent extends infer E ? (E extends CumbreEvent ? Omit<E, 'id' | 'occurredAt'> : never) : never;

/** Stamps a change with its id and time; the id doubles as the consumers' idempotency key. */
export const newEvent = (body: EventInput, now: Date, id: string): CumbreEvent => ({ ...body, id, occurredAt: now.toISOString() });

/**
 * One outbox record: the events one commit wrote about one invitation (or one event-level change),
 * in the order they were made. An answer's `rsvp.confirmed` and `rsvp.answered` travel in one record,
 * so the answer's transaction writes one outbox item, not one per event. The record is keyed by its
 * first event; each event keeps its own id, the consumers' idempotency key.
 */
export type OutboxRecord = readonly [CumbreEvent, ...CumbreEvent[]];

/** Events that make a record: at least one (a stored item or stream image with none is malformed). */
export const isOutboxRecord = (events: readonly CumbreEvent[]): events is OutboxRecord => events.length > 0;

/** A commit's events as its outbox records: one per invitation, first-seen order, each record's events in commit order. */
export const outboxRecords = (events: readonly CumbreEvent[]): OutboxRecord[] => {
  // Each record starts with the event that opened it, so none is ever empty.
  const byInvitation = new Map<string, [CumbreEvent, ...CumbreEvent[]]>();
  for (const event of events) {
    const record = byInvitation.get(event.invitationId);
    if (record) record.push(event);
    else byInvitation.set(event.invitationId, [event]);
  }
  return [...byInvitation.values()];
};

/** The work queues the stream dispatcher feeds. */
export const WORK_QUEUES = ['email', 'badge', 'capacity'] as const;
export type WorkQueue = (typeof WORK_QUEUES)[number];

/**
 * Which workers care about which change. Badges follow anything that changes what a badge
 * prints or admits to; capacity follows seats (promotion when freed, alerts when taken). The
 * invitee hears of an answer once, through `rsvp.answered`; of a promotion through its own
 * `rsvp.confirmed`. The table names every queue a type can reach; `queuesFor` picks per record.
 */
export const ROUTES: Readonly<Record<CumbreEventType, readonly WorkQueue[]>> = {
  'invitation.created': ['email'],
  'invitation.updated': ['badge'],
  'rsvp.confirmed': ['email', 'badge', 'capacity'],
  'rsvp.waitlisted': [],
  'rsvp.declined': ['badge'],
  'rsvp.answered': ['email'],
  'seat.freed': ['capacity'],
  'event.rescheduled': ['capacity'],
  'session.cancelled': ['capacity'],
  'invitation.rescheduled': ['email', 'badge'],
  'invitation.session-cancelled': ['email', 'badge'],
};

/**
 * The queues one record goes to. An answer's per-session confirmations mean no email (the answer
 * is told once, from `rsvp.answered`): only a promotion's reaches the email queue, so the email
 * worker is not woken for half of a busy day's messages only to skip them.
 */
export const queuesFor = (event: CumbreEvent): readonly WorkQueue[] =>
  event.type === 'rsvp.confirmed' && !event.promoted ? ROUTES[event.type].filter((q) => q !== 'email') : ROUTES[event.type];

/** What travels on every work queue: versioned, with the change's id as the idempotency key. */
export type Envelope = z.infer<typeof envelopeSchema>;
export const envelopeFor = (event: CumbreEvent): Envelope => ({ v: 1, id: event.id, event });
