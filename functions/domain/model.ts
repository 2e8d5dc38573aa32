import * as z from './zod.js';
import { SUMMIT_CATEGORIES, SUMMIT_TOPICS } from './summit-seed.js';

import { LANGUAGES, type Language } from './languages.js';

export { LANGUAGES, type Language };
export const languageSchema = z.enum(LANGUAGES);

/** A text in every language the summit speaks. */
export const localizedSchema = z.object({ es: z.string().check(z.minLength(1)), en: z.string().check(z.minLength(1)), fr: z.string().check(z.minLength(1)) });
export type Localized = z.infer<typeof localizedSchema>;

/** Ids of an event's categories, topics and sessions: lowercase slugs. */
export const slugSchema = z.string().check(z.regex(/^[a-z0-9-]{2,64}$/, 'expected 2–64 of a-z, 0-9 and -'));

/**
 * Who an invitee is, as the event defines it (mayor, academic…): its name in every language and
 * the colour of its badge band. Each event has its own; the summit's seven are its seed.
 */
export const categoryDefinitionSchema = z.strictObject({
  id: slugSchema,
  name: localizedSchema,
  /** Badge band colour, `#rrggbb`; choose colours that stay apart on an office laser printer. */
  color: z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour #rrggbb')),
});
export type CategoryDefinition = z.infer<typeof categoryDefinitionSchema>;

/** A theme invitees may say they care about; each event has its own. */
export const topicDefinitionSchema = z.strictObject({ id: slugSchema, name: localizedSchema });
export type TopicDefinition = z.infer<typeof topicDefinitionSchema>;

/** A category id of the invitation's event (checked against the event's own list). */
export const categorySchema = slugSchema;
export type Category = string;
/** A topic id of the event (checked against the event's own list). */
export const topicSchema = slugSchema;
export type Topic = string;

/** Seats a session may hold: at least one, and no venue holds more than this. */
export const MAX_SESSION_CAPACITY = 100_000;

/** Local wall-clock time in the event's timezone, minutes precision: `2019-06-06T19:30`. */
export const localDateTimeSchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:mm'));

export const sessionDefinitionSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9-]{3,64}$/)),
  name: localizedSchema,
  start: localDateTimeSchema,
  end: localDateTimeSchema,
  capacity: z._default(z.number().check(z.int(), z.positive(), z.lte(MAX_SESSION_CAPACITY)), 250),
  /** Head-of-state sessions: nationality and ID document are required to confirm. */
  requiresAccreditation: z._default(z.boolean(), false),
  /** Cancelled by the organizers: kept so emails and calendars can name it; nobody may answer yes. */
  cancelled: z.optional(z.boolean()),
});
export type SessionDefinition = z.infer<typeof sessionDefinitionSchema>;

export const eventDefinitionSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9-]{3,64}$/)),
  name: localizedSchema,
  venue: z.object({ name: z.string().check(z.minLength(1)), city: z.string().check(z.minLength(1)), country: z.string().check(z.length(2)) }),
  timezone: z.string().check(z.minLength(1)),
  /** Local time in the event's timezone after which answers are read-only. */
  rsvpDeadline: localDateTimeSchema,
  languages: z.array(languageSchema).check(z.minLength(1)),
  sessions: z.array(sessionDefinitionSchema).check(z.minLength(1)),
  /** The event's own categories and topics; a definition written before they were data gets the summit's. */
  categories: z._default(z.array(categoryDefinitionSchema).check(z.minLength(1)), () => SUMMIT_CATEGORIES.map((c) => ({ ...c }))),
  topics: z._default(z.array(topicDefinitionSchema), () => SUMMIT_TOPICS.map((t) => ({ ...t }))),
  /** Answers closed early by the organizers (before the deadline); `false` or absent: the deadline decides. */
  rsvpClosed: z.optional(z.boolean()),
  /** Bumped by every organizer edit; absent (0) for a definition only ever written by the seed. */
  version: z.optional(z.number().check(z.int(), z.nonnegative())),
  // reminders
  /** Days before the RSVP deadline at which non-responders are reminded (default 14, 7 and 2). */
  reminderOffsetsDays: z.optional(z.array(z.number().check(z.int(), z.gte(1), z.lte(90))).check(z.maxLength(6))),
});
export type EventDefinition = z.infer<typeof eventDefinitionSchema>;

export type ResponseStatus = 'pending' | 'confirmed' | 'waitlisted' | 'declined';

/** An invitee's standing in one session. `seats` counts the invitee plus guests. */
export interface SessionResponse {
  status: ResponseStatus;
  seats: number;
  /** Waitlist ticket: lower tickets arrived first. Only while waitlisted. */
  waitlistTicket?: number;
  updatedAt: string;
}

/** `revoked`: an organizer withdrew the invitation; it holds no seat and no waitlist place, and its link shows a page saying so. */
export type InvitationStatus = 'pending' | 'confirmed' | 'waitlisted' | 'declined' | 'revoked';

/** An organizer, as the records name who did something on an invitee's behalf. */
export interface ActingOrganizer {
  sub: string;
  email: string;
}

/**
 * Badge credentials revoked on this invitation: every credential of `holder` (`""` the invitee,
 * `c1`, `c2`, … a named companion, `*` every holder) whose version is below `below`.
 * `below: Number.MAX_SAFE_INTEGER` revokes the holder outright. The door builds its signed
 * revocation list from these entries.
 */
export interface BadgeRevocation {
  holder: string;
  below: number;
}

// Delegations: named companions
/** A companion's place in the invitee's delegation; printed on their badge, listed for security. */
export const COMPANION_ROLES = ['adviser', 'security-detail', 'spouse-partner', 'interpreter', 'press-officer', 'other'] as const;
export const companionRoleSchema = z.enum(COMPANION_ROLES);
export type CompanionRole = z.infer<typeof companionRoleSchema>;

/**
 * A guest with a name: one of the invitee's seats, with their own badge and credential. `id` is the
 * credential's holder id (`c1`, `c2`, …), given once per invitation and never reused.
 */
export interface Companion {
  id: string;
  name: string;
  role: CompanionRole;
  /** The language of their badge. */
  language: Language;
  /** Nationality and ID document are on file (in the accreditation table, never here). */
  hasAccreditation: boolean;
}

/** The same entry, by the name the delegations code uses. */
export type Revocation = BadgeRevocation;

/**
 * What the invitation shows organizers about its mail: the last email's state (`sent`, `bounced`…;
 * `none` for a replaced invitee's deputy, to whom nothing is sent yet),
 * its kind or SES's reason, and when it was recorded. `of` is when what the email tells of happened
 * (the change, or the message's sending): emails are sent in parallel and SES reports late, so a
 * state is recorded only over one whose email is no newer — the invitation email's "sent" never
 * hides the confirmation that followed it.
 */
export interface InvitationDelivery {
  state: string;
  detail?: string;
  at: string;
  of?: string;
}

export interface Invitation {
  id: string;
  eventId: string;
  email: string;
  name: string;
  title?: string;
  organization?: string;
  country: string;
  category: Category;
  language: Language;
  /** Session ids the invitation admits to. */
  sessions: string[];
  /** Guests the invitee may bring (0–2). */
  guestsAllowed: number;
  /** Guests the invitee said they bring (seats = 1 + guests); named ones are `companions`. */
  guests: number;
  /** Named guests, at most `guests` of them. */
  companions?: Companion[];
  /** The last companion holder number given (`c<n>`): ids are never reused. */
  holderSeq?: number;
  /** SHA-256 of the RSVP token, base64url; the token itself is never stored. */
  tokenHash: string;
  /** 128 random bits that, with the app secret, re-derive the token for the invitation email. */
  tokenNonce: string;
  responses: Record<string, SessionResponse>;
  status: InvitationStatus;
  dietary?: string;
  accessibility?: string;
  badgeName?: string;
  topics: Topic[];
  hasAccreditation: boolean;
  delivery?: InvitationDelivery;
  /** The file (content hash) that created it: a retried or concurrent identical import gets its link again. */
  importId?: string;
  /** Sessions it was invited to that the organizers cancelled (taken out of `sessions`, the invitee told). */
  cancelledSessions?: string[];
  /** Badge credentials revoked (a replaced invitee, a revoked invitation, a removed or renamed companion). */
  revocations?: BadgeRevocation[];
  /** Set when an organizer revoked the invitation (status `revoked`). */
  revoked?: { at: string; by: ActingOrganizer; reason?: string };
  /** The last answer was entered by an organizer on the invitee's behalf (cleared when the invitee answers). */
  answeredBy?: ActingOrganizer & { at: string };
  /** RSVP links this invitation no longer answers to (the invitee was replaced), with the language to say so in. */
  retiredLinks?: Array<{ tokenHash: string; language: Language; at: string }>;
  // reminders
  /** When an organizer last had the invitation email sent again (a resend waits a minute after it). */
  resentAt?: string;
  /** The invitee opted out of reminders and group messages (List-Unsubscribe one-click); never of answers' confirmations. */
  optOut?: { at: string; via: 'one-click' };
  /** Optimistic-lock counter; bumped on every write. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Seat counters kept on the session record, changed only inside RSVP transactions. */
export interface SessionCounters {
  confirmedSeats: number;
  confirmedParties: number;
  waitlistedSeats: number;
  waitlistedParties: number;
  declinedParties: number;
}

/** Only the seat counters of a record that carries them (a session's state, a counter record). */
export const countersOf = (s: SessionCounters): SessionCounters => ({
  confirmedSeats: s.confirmedSeats,
  confirmedParties: s.confirmedParties,
  waitlistedSeats: s.waitlistedSeats,
  waitlistedParties: s.waitlistedParties,
  declinedParties: s.declinedParties,
});

export interface SessionState extends SessionDefinition, SessionCounters {
  eventId: string;
}

export interface Accreditation {
  nationality: string;
  idDocumentNumber: string;
}
