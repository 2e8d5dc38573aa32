import type { AuditEntry } from './access/audit.js';
import type { Person } from './access/people.js';
import type { Grant } from './access/roles.js';
import type { AccreditationRow, Clearance } from './accreditation.js';
import type { FieldIssue } from './errors.js';
import type { EventDefinition, Invitation, SessionDefinition, Topic } from './model.js';
import type { EventChangeSummary } from './events/edit.js';
import type { CumbreEvent } from './outbox.js';
import type { SignInOutcome, SignInRequest } from './sign-in.js';

/**
 * The JSON the organizers' API answers with: the handlers build these (`satisfies`), and the
 * dashboard's browser code reads them, so a renamed field fails `npm run typecheck` on both sides.
 * Types only, importing nothing that needs Node: the browser build type-checks this file too.
 */

/** Where an invitation's last email stands: the email worker's outcome, then SES feedback. */
/** `held`: SES refused the sending itself (not the address); the email goes out once ops fix it (a retry or a DLQ redrive). */
export type DeliveryState = 'sent' | 'delivered' | 'bounced' | 'soft-bounced' | 'complained' | 'rejected' | 'held';

/** What an `invitation.updated` change names in `changed`: profile fields from an import, or the invitee's own details. */
export type ChangedField =
  | 'name'
  | 'title'
  | 'organization'
  | 'country'
  | 'category'
  | 'language'
  | 'sessions'
  | 'guestsAllowed'
  | 'rsvp-details'
  // invitations (organizer edits): a deputy took the invitee's place; the invitation was revoked
  | 'invitee'
  | 'revoked'
  // delegations: the named companions changed
  | 'companions';

/** The columns of an import file. */
export type ImportField = 'email' | 'name' | 'title' | 'organization' | 'country' | 'category' | 'language' | 'sessions' | 'guests';

/** One session's answers per category or country, in parties. */
export interface Tally {
  confirmed: number;
  waitlisted: number;
  declined: number;
  pending: number;
}

export interface SessionCapacity {
  sessionId: string;
  capacity: number;
  /** Seats taken by confirmed parties (invitees plus guests). */
  confirmed: number;
  confirmedParties: number;
  waitlisted: number;
  waitlistedSeats: number;
  declined: number;
  pending: number;
  free: number;
  /** Parties by category and by country. */
  byCategory: Record<string, Tally>;
  byCountry: Record<string, Tally>;
  /** Topics of interest among the session's confirmed invitees. */
  topics: Record<Topic, number>;
}

/**
 * What the dashboard needs of the event definition to name things in the organizer's language:
 * the event's and each session's names (every language), times and capacity.
 */
export interface EventOutline extends Pick<EventDefinition, 'id' | 'name' | 'timezone' | 'rsvpDeadline' | 'categories' | 'topics'> {
  sessions: Array<Pick<SessionDefinition, 'id' | 'name' | 'start' | 'end' | 'capacity' | 'cancelled'>>;
}

// Events as data
/** `GET /events/{eventId}` and the answer to `POST /events`, `PUT /events/{eventId}`: the definition to edit, with its version. */
export interface EventDetail {
  definition: EventDefinition & { version: number };
  /** Per session: seats confirmed and parties waitlisted now (what a capacity edit must respect). */
  sessions: Array<{ id: string; capacity: number; confirmedSeats: number; waitlistedParties: number; cancelled: boolean }>;
  /** After an edit: what it did. */
  change?: Omit<EventChangeSummary, 'version'>;
}

/** `GET /events`: the events the person holds a role in (admin: every event), by name, for the dashboard's event switcher. */
export interface EventList {
  events: Array<Pick<EventDefinition, 'id' | 'name'>>;
}

/** `GET /events/{eventId}/capacity`. */
export interface CapacityReport {
  eventId: string;
  event: EventOutline;
  sessions: SessionCapacity[];
  /** Topics of interest among everyone who answered. */
  topics: Record<Topic, number>;
}

/** What organizers see of an invitation: never the accreditation, never the token material. */
export type InvitationSummary = Omit<Invitation, 'tokenHash' | 'tokenNonce' | 'retiredLinks'>;

/** Fields a `viewer` does not get: contact and personal notes. */
export type PersonalField = 'email' | 'dietary' | 'accessibility' | 'badgeName' | 'delivery';

/** An invitation as the caller's role may see it: the personal fields are absent for a viewer. */
export type InvitationListItem = Omit<InvitationSummary, PersonalField> & Partial<Pick<InvitationSummary, PersonalField>>;

/** `GET /events/{eventId}/invitations`: one page; `nextCursor` asks for the next. */
export interface InvitationPage {
  total: number;
  items: InvitationListItem[];
  nextCursor?: string;
}

/**
 * A line in an invitation's history, with `at` for its time: a change that went through the stream
 * (only its type for a viewer), or an organizer's action naming who (`actor`).
 */
export type HistoryEntry = (CumbreEvent & { at: string }) | { type: CumbreEvent['type']; at: string } | { type: OrganizerAction; at: string; actor: string; route: string };

/** Organizers' actions on an invitation, from the audit trail. */
export type OrganizerAction = 'invitation.resent' | 'invitations.imported' | 'invitation.edited' | 'invitation.replaced' | 'invitation.revoked' | 'invitation.answered';

/** `GET /events/{eventId}/invitations/{invitationId}`. */
export interface InvitationDetail extends InvitationListItem {
  history: HistoryEntry[];
  badge: { ready: true; version: number } | { ready: false };
}

/** `POST /events/{eventId}/invitations/{invitationId}/resend`. */
export interface ResendResponse {
  resent: true;
  invitationId: string;
}

export interface ImportResultRow {
  row: number;
  id: string;
  email: string;
  status: 'created' | 'updated' | 'unchanged';
  /** Only when created: the one time the link is shown. */
  rsvpUrl?: string;
}

/** `POST /events/{eventId}/invitations[?dryRun=true]`. */
export interface ImportResponse {
  dryRun?: true;
  created: number;
  updated: number;
  unchanged: number;
  results: ImportResultRow[];
}

/** Badge routes asked for with `Accept: application/json`: a short-lived link to open. */
export interface LinkResponse {
  url: string;
}

/** `POST /admin/session`. */
export type SessionRequest = SignInRequest;
export type SessionResponse = SignInOutcome;

/** `GET /events/{eventId}/accreditation?format=json`. */
export interface AccreditationList {
  items: AccreditationRow[];
}

/** `PUT /events/{eventId}/accreditation/{invitationId}/clearance`. */
export interface ClearanceResponse {
  invitationId: string;
  /** The companion decided on (`c1`…); absent for the invitee. */
  holder?: string;
  clearance: Clearance;
}

/** `GET /events/{eventId}/audit`, `GET /people/audit`. */
export interface AuditPage {
  items: AuditEntry[];
}

/** `GET /people`; `POST /people` and `PUT /people/{username}` answer one of these. */
export type PersonView = Person & { roles: Grant[] };
export interface PeoplePage {
  items: PersonView[];
}

/** Every refusal: a stable code, a message for the log, and the failing fields. */
export interface ErrorResponse {
  error: string;
  message: string;
  details?: FieldIssue[];
}

// invitations (organizer edits)

/** `PATCH …/invitations/{id}`, `POST …/replace`, `POST …/revoke`, `POST …/answer`: the invitation as it now is and what the change set free. */
export interface InvitationChangeResponse {
  invitation: InvitationListItem;
  changed: ChangedField[];
  /** Seats and waitlist places the invitation gave up. */
  released: Array<{ sessionId: string; was: 'confirmed' | 'waitlisted'; seats: number }>;
  /** How many waitlisted parties got the freed seats in the same transaction. */
  promoted: number;
  /** A replacement only: the deputy's new RSVP link (also emailed to them). */
  rsvpUrl?: string;
}

/** `GET …/invitations/{id}/answer`: what the RSVP form shows, for an organizer answering on the invitee's behalf. */
export interface AnswerFormView {
  invitation: Pick<Invitation, 'id' | 'name' | 'language' | 'guestsAllowed' | 'guests' | 'dietary' | 'accessibility' | 'badgeName' | 'topics' | 'hasAccreditation' | 'status'>;
  deadline: string;
  open: boolean;
  sessions: Array<
    Pick<SessionDefinition, 'id' | 'start' | 'end' | 'requiresAccreditation'> & { status: Invitation['responses'][string]['status']; seats: number; waitlistPosition?: number }
  >;
}

// reminders
/** `POST /events/{eventId}/messages/preview`: who a group message reaches and how it reads, per language. */
export interface MessagePreview {
  total: number;
  /** Invitations the filter matches that get nothing, and why. */
  excluded: { revoked: number; optedOut: number; unreachable: number };
  /** A language missing from the message falls back along this order after the invitee's own. */
  fallbackOrder: Array<'es' | 'en' | 'fr'>;
  languages: Array<{
    language: 'es' | 'en' | 'fr';
    recipients: number;
    /** The version these recipients read; differs from `language` when it falls back. */
    contentLanguage: 'es' | 'en' | 'fr';
    subject: string;
    text: string;
  }>;
}

/** A group message as listed: its subjects, filter and delivery counts from the email ledger and SES feedback. */
export interface MessageSummary {
  id: string;
  createdAt: string;
  createdBy: string;
  subjects: Partial<Record<'es' | 'en' | 'fr', string>>;
  filter: { sessionId?: string; status?: string; category?: string; country?: string; language?: string };
  status: 'preparing' | 'queued';
  recipients: number;
  counts: { pending: number; sent: number; skipped: number; rejected: number; bounced: number; complained: number };
}

/** `POST /events/{eventId}/messages`: 202 with the message and how many emails it queued. */
export interface MessageSent {
  id: string;
  recipients: number;
  /** False when this request id had already been sent: nothing new was queued. */
  created: boolean;
}

/** `POST /events/{eventId}/reminders/run`: what the schedule found due now and queued. */
export interface DueRun {
  at: string;
  events: Array<{ eventId: string; queued: { reminder: number; 'day-before': number }; requeued: number; resumedMessages: number }>;
}
