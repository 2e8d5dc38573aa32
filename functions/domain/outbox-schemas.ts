import * as z from './zod.js';
import { languageSchema } from './model.js';

/**
 * The outbox records' schemas, for the functions that parse them: the stream dispatcher (each
 * stream record) and the queue workers (each envelope). Writers need only the types and helpers in
 * outbox.ts; the bundle test keeps this module out of the functions that never parse an event.
 */
/** The organizer who entered an answer on the invitee's behalf. */
const enteredBySchema = z.object({ sub: z.string().check(z.minLength(1)), email: z.string() });

const base = {
  /** Unique per change; consumers use it as their idempotency key. */
  id: z.string().check(z.minLength(8)),
  occurredAt: z.iso.datetime(),
  eventId: z.string().check(z.minLength(1)),
  invitationId: z.string().check(z.minLength(1)),
};

export const invitationCreatedSchema = z.object({
  ...base,
  type: z.literal('invitation.created'),
  email: z.email(),
  language: languageSchema,
  /** `resend` when an organizer asks for the invitation email again; `replaced` when a deputy takes the invitee's place (a new link). */
  reason: z.enum(['created', 'resend', 'replaced']),
});

export const invitationUpdatedSchema = z.object({
  ...base,
  type: z.literal('invitation.updated'),
  changed: z.array(z.string()),
  enteredBy: z.optional(enteredBySchema),
});

export const rsvpConfirmedSchema = z.object({
  ...base,
  type: z.literal('rsvp.confirmed'),
  sessionId: z.string(),
  seats: z.number().check(z.int(), z.positive()),
  /** True when the seat came from the waitlist rather than from the invitee's own answer. */
  promoted: z.boolean(),
});

export const rsvpWaitlistedSchema = z.object({
  ...base,
  type: z.literal('rsvp.waitlisted'),
  sessionId: z.string(),
  seats: z.number().check(z.int(), z.positive()),
  ticket: z.number().check(z.int(), z.nonnegative()),
});

export const rsvpDeclinedSchema = z.object({
  ...base,
  type: z.literal('rsvp.declined'),
  sessionId: z.string(),
  previous: z.enum(['pending', 'confirmed', 'waitlisted', 'declined']),
});

const responseStatusSchema = z.enum(['pending', 'confirmed', 'waitlisted', 'declined']);

/**
 * One answer as a whole: every session whose status it changed, before and after. The invitee's
 * one email about an answer follows this record, so a mixed answer (confirmed, waitlisted and
 * declined sessions) is told in one message, and a calendar update knows which entries to cancel.
 */
export const rsvpAnsweredSchema = z.object({
  ...base,
  type: z.literal('rsvp.answered'),
  outcomes: z.array(z.object({ sessionId: z.string(), previous: responseStatusSchema, status: responseStatusSchema })).check(z.minLength(1)),
  /**
   * The invitation as this answer left it: the language it was given in, the version it wrote
   * (the calendar's SEQUENCE) and every session's status. Its email is rendered from this, not from
   * the invitation at send time, so with a backlog each answer's email states that answer. Absent
   * in records written before it existed; their email reads the invitation as it is.
   */
  state: z.optional(
    z.object({
      language: languageSchema,
      version: z.number().check(z.int(), z.positive()),
      sessions: z.array(z.object({ sessionId: z.string(), status: responseStatusSchema, waitlistTicket: z.optional(z.number().check(z.int(), z.nonnegative())) })),
    }),
  ),
  /** Present when an organizer entered the answer on the invitee's behalf. */
  enteredBy: z.optional(enteredBySchema),
});

export const seatFreedSchema = z.object({
  ...base,
  type: z.literal('seat.freed'),
  sessionId: z.string(),
  seats: z.number().check(z.int(), z.positive()),
});

// Events as data
/** Times or venue changed (event-level, `invitationId` = `event:<id>`): the capacity worker tells each confirmed invitee. */
export const eventRescheduledSchema = z.object({ ...base, type: z.literal('event.rescheduled'), sessions: z.array(z.string()), venue: z.boolean() });
/** A session cancelled (event-level): the capacity worker releases each invitation's seat or place and tells the invitee. */
export const sessionCancelledSchema = z.object({ ...base, type: z.literal('session.cancelled'), sessionId: z.string() });
/** One invitee's calendar entries and badge follow a change of times or venue. */
export const invitationRescheduledSchema = z.object({
  ...base,
  type: z.literal('invitation.rescheduled'),
  sessions: z.array(z.string()).check(z.minLength(1)),
  changeId: z.string(),
});
/** One invitee told of a cancelled session (what they held in it), their calendar entry cancelled. */
export const invitationSessionCancelledSchema = z.object({
  ...base,
  type: z.literal('invitation.session-cancelled'),
  sessionId: z.string(),
  previous: z.enum(['pending', 'confirmed', 'waitlisted', 'declined']),
  changeId: z.string(),
});

export const cumbreEventSchema = z.discriminatedUnion('type', [
  eventRescheduledSchema,
  sessionCancelledSchema,
  invitationRescheduledSchema,
  invitationSessionCancelledSchema,
  invitationCreatedSchema,
  invitationUpdatedSchema,
  rsvpConfirmedSchema,
  rsvpWaitlistedSchema,
  rsvpDeclinedSchema,
  rsvpAnsweredSchema,
  seatFreedSchema,
]);

/** What travels on every work queue: versioned, with the change's id as the idempotency key. */
export const envelopeSchema = z.object({ v: z.literal(1), id: z.string().check(z.minLength(8)), event: cumbreEventSchema });
