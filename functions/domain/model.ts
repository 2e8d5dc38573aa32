import * as z from 'zod';

/** Languages an invitee can be written to in. The order is the fallback order for missing texts. */
export const LANGUAGES = ['es', 'en', 'fr'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

/** A text in every language the summit speaks. */
export const localizedSchema = z.object({ es: z.string().min(1), en: z.string().min(1), fr: z.string().min(1) });
export type Localized = z.infer<typeof localizedSchema>;

export const CATEGORIES = ['mayor-mx', 'mayor-us', 'mayor-ca', 'secretary-of-state', 'local-official', 'academic', 'private-sector'] as const;
export const categorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof categorySchema>;

/** The working-session themes from the brief; invitees pick the ones they care about. */
export const TOPICS = ['border-cooperation', 'mobility', 'tourism', 'urban-sustainability', 'digital-governance', 'citizen-security', 'trade'] as const;
export const topicSchema = z.enum(TOPICS);
export type Topic = z.infer<typeof topicSchema>;

/** Local wall-clock time in the event's timezone, minutes precision: `2019-06-06T19:30`. */
export const localDateTimeSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:mm');

export const sessionDefinitionSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{3,64}$/),
  name: localizedSchema,
  start: localDateTimeSchema,
  end: localDateTimeSchema,
  capacity: z.number().int().positive().default(250),
  /** Head-of-state sessions: nationality and ID document are required to confirm. */
  requiresAccreditation: z.boolean().default(false),
});
export type SessionDefinition = z.infer<typeof sessionDefinitionSchema>;

export const eventDefinitionSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{3,64}$/),
  name: localizedSchema,
  venue: z.object({ name: z.string().min(1), city: z.string().min(1), country: z.string().length(2) }),
  timezone: z.string().min(1),
  /** Local time in the event's timezone after which answers are read-only. */
  rsvpDeadline: localDateTimeSchema,
  languages: z.array(languageSchema).min(1),
  sessions: z.array(sessionDefinitionSchema).min(1),
  // reminders
  /** Days before the RSVP deadline at which non-responders are reminded (default 14, 7 and 2). */
  reminderOffsetsDays: z.array(z.number().int().min(1).max(90)).max(6).optional(),
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
  delivery?: { state: string; detail?: string; at: string };
  /** The file (content hash) that created it: a retried or concurrent identical import gets its link again. */
  importId?: string;
  /** Badge credentials revoked (a replaced invitee, a revoked invitation, a removed or renamed companion). */
  revocations?: BadgeRevocation[];
  /** Set when an organizer revoked the invitation (status `revoked`). */
  revoked?: { at: string; by: ActingOrganizer; reason?: string };
  /** The last answer was entered by an organizer on the invitee's behalf (cleared when the invitee answers). */
  answeredBy?: ActingOrganizer & { at: string };
  /** RSVP links this invitation no longer answers to (the invitee was replaced), with the language to say so in. */
  retiredLinks?: Array<{ tokenHash: string; language: Language; at: string }>;
  // reminders
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

export interface SessionState extends SessionDefinition, SessionCounters {
  eventId: string;
}

export interface Accreditation {
  nationality: string;
  idDocumentNumber: string;
}
