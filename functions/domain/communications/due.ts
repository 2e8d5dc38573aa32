import type { EventDefinition, Invitation } from '../model.js';
import { zonedLocalToUtc } from '../time.js';

/** Days before the RSVP deadline at which non-responders are reminded, when the event names none. */
export const DEFAULT_REMINDER_OFFSETS_DAYS = [14, 7, 2] as const;
/** The day-before message goes from this local time on the day before (the venue's clock). */
export const DAY_BEFORE_FROM = '09:00';

/** What the schedule sends: a reminder at an offset, or the day-before message (or waitlist note) for one day. */
export type CommunicationKind = 'reminder' | 'day-before' | 'group';

export interface DueEmail {
  /** Ledger key: `reminder:<days>:<invitation>`, `eve:<YYYY-MM-DD>:<invitation>`. At most one email per key, ever. */
  emailId: string;
  kind: Exclude<CommunicationKind, 'group'>;
  invitationId: string;
  offsetDays?: number;
  /** The local date (event timezone) the day-before message is about. */
  day?: string;
}

export const reminderEmailId = (offsetDays: number, invitationId: string) => `reminder:${offsetDays}:${invitationId}`;
export const dayBeforeEmailId = (day: string, invitationId: string) => `eve:${day}:${invitationId}`;
export const groupEmailId = (messageId: string, invitationId: string) => `group:${messageId}:${invitationId}`;

/** Delivery states after which an address is not written to again (permanent bounce, complaint, SES rejection of the recipient). */
export const UNREACHABLE_STATES: ReadonlySet<string> = new Set(['bounced', 'complained', 'rejected']);

/** Revoked by an organizer (the status another part of Cumbre adds): never reminded, never messaged. */
export const isRevoked = (invitation: Pick<Invitation, 'status'>) => (invitation.status as string) === 'revoked';

/**
 * Whether optional mail (reminders, the day-before message, group messages) may go to this
 * invitation at all: not revoked, not opted out, and its address has not bounced or complained.
 */
export const acceptsOptionalMail = (invitation: Pick<Invitation, 'status' | 'optOut' | 'delivery'>) =>
  !isRevoked(invitation) && !invitation.optOut && !UNREACHABLE_STATES.has(invitation.delivery?.state ?? '');

/** Not answered: every session of the invitation still pending (a decline of one session is an answer). */
export const awaitingAnswer = (invitation: Pick<Invitation, 'sessions' | 'responses' | 'status'>) =>
  !isRevoked(invitation) && invitation.sessions.length > 0 && invitation.sessions.every((id) => (invitation.responses[id]?.status ?? 'pending') === 'pending');

const DAY_MS = 86_400_000;

/** `local` (YYYY-MM-DDTHH:mm) moved by whole calendar days, still a wall-clock time. */
export const shiftLocalDays = (local: string, days: number) => new Date(Date.parse(`${local}:00Z`) + days * DAY_MS).toISOString().slice(0, 16);

export const reminderOffsets = (def: Pick<EventDefinition, 'reminderOffsetsDays'>) => [...new Set(def.reminderOffsetsDays ?? DEFAULT_REMINDER_OFFSETS_DAYS)].sort((a, b) => b - a);

/** When the reminder at `offsetDays` becomes due: the deadline's wall-clock time that many days earlier, at the venue. */
export const reminderDueAt = (def: Pick<EventDefinition, 'rsvpDeadline' | 'timezone'>, offsetDays: number) =>
  zonedLocalToUtc(shiftLocalDays(def.rsvpDeadline, -offsetDays), def.timezone);

/**
 * The reminder owed now, if any. Only the latest offset already due counts: a schedule that
 * missed the 14-day run and wakes after the 7-day point sends the 7-day reminder, not both. None
 * after the deadline, none to an invitation created after that reminder point (its invitation
 * email is newer than the reminder would be).
 */
export const reminderDue = (def: EventDefinition, invitation: Invitation, now: Date): DueEmail | undefined => {
  if (!awaitingAnswer(invitation) || !acceptsOptionalMail(invitation)) return undefined;
  if (now.getTime() >= zonedLocalToUtc(def.rsvpDeadline, def.timezone).getTime()) return undefined;
  const due = reminderOffsets(def)
    .map((days) => ({ days, at: reminderDueAt(def, days) }))
    .filter((o) => o.at.getTime() <= now.getTime())
    .at(-1);
  if (!due || Date.parse(invitation.createdAt) >= due.at.getTime()) return undefined;
  return { emailId: reminderEmailId(due.days, invitation.id), kind: 'reminder', invitationId: invitation.id, offsetDays: due.days };
};

/** The local dates on which the invitation holds (confirmed or waitlisted) a session. */
export const attendanceDays = (def: EventDefinition, invitation: Invitation) =>
  [
    ...new Set(
      def.sessions
        .filter((s) => invitation.sessions.includes(s.id) && ['confirmed', 'waitlisted'].includes(invitation.responses[s.id]?.status ?? ''))
        .map((s) => s.start.slice(0, 10)),
    ),
  ].sort();

/**
 * The day-before message owed now: from 09:00 at the venue on the day before a day the invitee
 * attends (or waits for) until that day begins. Missed runs catch up within that window; once the
 * day has begun "tomorrow" would be wrong, so nothing is sent.
 */
export const dayBeforeDue = (def: EventDefinition, invitation: Invitation, now: Date): DueEmail[] => {
  if (!acceptsOptionalMail(invitation)) return [];
  return attendanceDays(def, invitation)
    .filter((day) => {
      const from = zonedLocalToUtc(`${shiftLocalDays(`${day}T00:00`, -1).slice(0, 10)}T${DAY_BEFORE_FROM}`, def.timezone).getTime();
      const until = zonedLocalToUtc(`${day}T00:00`, def.timezone).getTime();
      return now.getTime() >= from && now.getTime() < until;
    })
    .map((day) => ({ emailId: dayBeforeEmailId(day, invitation.id), kind: 'day-before' as const, invitationId: invitation.id, day }));
};

/** Everything the schedule owes an event's invitees at `now`, computed from the data alone. */
export const dueEmails = (def: EventDefinition, invitations: Invitation[], now: Date): DueEmail[] =>
  invitations.flatMap((invitation) => {
    const reminder = reminderDue(def, invitation, now);
    return [...(reminder ? [reminder] : []), ...dayBeforeDue(def, invitation, now)];
  });
