import type { EventDefinition, Invitation, Language, Localized, ResponseStatus } from '../model.js';
import { overlapsOf } from '../schedule.js';
import { waitlistPositions, type CountWaitlistedBefore } from '../invitation-status.js';
import { LOCALES, formatLocal, formatLocalRange } from '../time.js';
import { emailText } from '#i18n/email/index.js';
import { badgeBlocks, manageAction, oneLine, renderInLayout, timesNote, webUrl, type Block, type EmailBody, type EmailText, type RenderedEmail } from './layout.js';

export { escapeHtml, oneLine, toHtml, toText, webUrl, type Block, type Layout, type RenderedEmail } from './layout.js';

/**
 * `confirmation` answers an answer: the whole outcome, session by session (confirmed, waitlisted,
 * declined, unanswered), whatever the mix. `declined` is the regret for declining everything;
 * `promoted` tells of a seat that came from the waitlist. `rescheduled` tells a confirmed invitee of new
 * times or a new venue (with the updated calendar); `session-cancelled` of a session the organizers
 * cancelled (with a calendar file that cancels it, when they held a seat).
 */
export const EMAIL_KINDS = ['invitation', 'confirmation', 'promoted', 'declined', 'rescheduled', 'session-cancelled'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** A session as an email shows it; `start` and `end` are wall-clock times in the event's timezone. */
export interface EmailSession {
  id: string;
  name: Localized;
  start: string;
  end: string;
  status: ResponseStatus;
  /** 1-based place in the waiting list, while waitlisted. */
  waitlistPosition?: number;
}

/**
 * The sessions an email lists: every session the invitation admits to, with the invitee's status
 * and, while waitlisted, their place in the list.
 */
export const emailSessionsFor = async (def: Pick<EventDefinition, 'sessions'>, invitation: Invitation, countWaitlistedBefore: CountWaitlistedBefore): Promise<EmailSession[]> => {
  const positions = await waitlistPositions(invitation, countWaitlistedBefore);
  return def.sessions
    .filter((s) => invitation.sessions.includes(s.id))
    .map((s) => {
      const position = positions.get(s.id);
      return { id: s.id, name: s.name, start: s.start, end: s.end, status: invitation.responses[s.id]?.status ?? 'pending', ...(position ? { waitlistPosition: position } : {}) };
    });
};

export interface EmailData {
  invitee: { name: string; title?: string };
  event: Pick<EventDefinition, 'name' | 'venue' | 'timezone'>;
  sessions: EmailSession[];
  /** The invitee's private RSVP link: it carries the token, so it is shown only to them. */
  rsvpUrl: string;
  badgeUrl?: string;
  /** RSVP deadline, wall-clock time in the event's timezone. */
  deadline: string;
  /**
   * The session a `promoted` message is about. Without it, the message covers every confirmed session.
   */
  sessionId?: string;
  /**
   * Whether the message says a calendar file is attached. Defaults to true for `confirmation` and
   * `promoted`, the messages that change the invitee's agenda; the sender must then attach `buildIcs`.
   */
  calendarAttached?: boolean;
  /** Sessions the attached calendar file cancels (confirmed before, not any more). */
  cancelled?: string[];
  /** `rescheduled`: the sessions whose times changed (all confirmed ones when the venue moved). */
  changedSessions?: string[];
  /** `session-cancelled`: what the invitee held in the cancelled session (`sessionId`). */
  previous?: ResponseStatus;
}

/** The venue's country as the reader calls it ("México", "Mexico", "Mexique"). */
export function regionName(country: string, language: Language): string {
  try {
    return new Intl.DisplayNames([LOCALES[language]], { type: 'region' }).of(country) ?? country;
  } catch {
    return country;
  }
}

/**
 * Session lines in `start`-order, each with its local-time span and optional note; a session that
 * shares its time with another of the invitation says so (the President's session inside a working day).
 */
export function sessionItems(
  sessions: EmailSession[],
  data: EmailData,
  language: Language,
  note: (session: EmailSession) => string | undefined = () => undefined,
): Extract<Block, { type: 'sessions' }> {
  const { timezone } = data.event;
  const t = emailText(language);
  const overlaps = overlapsOf(data.sessions);
  return {
    type: 'sessions',
    items: [...sessions]
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((session) => {
        const notes = [note(session), ...(overlaps.get(session.id) ?? []).map((other) => t('overlap', { session: other.name[language] }))];
        return {
          name: session.name[language],
          when: formatLocalRange(session.start, session.end, timezone, language, 'dateTime'),
          notes: notes.filter((text): text is string => Boolean(text)),
        };
      }),
  };
}

/** What an answer's subject leads with: a confirmed seat, else a waitlist place, else just the reply. */
const answerOutcome = (sessions: EmailSession[]) =>
  sessions.some((s) => s.status === 'confirmed') ? 'confirmed' : sessions.some((s) => s.status === 'waitlisted') ? 'waitlisted' : 'other';

function targetSessions(data: EmailData, status: ResponseStatus): EmailSession[] {
  if (data.sessionId === undefined) return data.sessions.filter((session) => session.status === status);
  const session = data.sessions.find((candidate) => candidate.id === data.sessionId);
  if (!session) throw new RangeError(`Session ${data.sessionId} is not among the email's sessions`);
  return [session];
}

/** What every kind of email draws on: the data in the reader's words, and the blocks several kinds share. */
interface Draft {
  t: EmailText;
  data: EmailData;
  language: Language;
  eventName: string;
  rsvpUrl: string;
  /** The email's sessions in time order. */
  sessionsByStart: EmailSession[];
  /** The RSVP deadline as the reader reads a date and time. */
  deadline: string;
  timesNote: Block;
  manage: Block;
}

const names = (d: Draft, sessions: EmailSession[]) => sessions.map((session) => session.name[d.language]).join(', ');
const venueLine = ({ data: { event }, language }: Draft) => [event.venue.name, event.venue.city, regionName(event.venue.country, language)].join(', ');
const calendar = (d: Draft, byDefault: boolean): Block[] => ((d.data.calendarAttached ?? byDefault) ? [{ type: 'paragraph', text: d.t('calendarAttached') }] : []);
const calendarCancelled = (d: Draft, cancelled: EmailSession[]): Block[] =>
  cancelled.length > 0 && (d.data.calendarAttached ?? true)
    ? [{ type: 'paragraph', text: d.t('calendarCancelled', { count: cancelled.length, sessions: names(d, cancelled) }) }]
    : [];

function invitationEmail(d: Draft): EmailBody {
  const { t, data, language, sessionsByStart } = d;
  const firstSession = sessionsByStart[0];
  const rows: [string, string][] = [];
  const lastEnd = sessionsByStart
    .map((session) => session.end)
    .sort()
    .at(-1);
  if (firstSession && lastEnd) {
    rows.push([t('datesLabel'), formatLocalRange(firstSession.start, lastEnd, data.event.timezone, language, 'date')]);
  }
  rows.push([t('venueLabel'), venueLine(d)]);
  return {
    subject: t('invitation.subject', { event: d.eventName }),
    blocks: [
      { type: 'paragraph', text: t('invitation.intro') },
      { type: 'details', rows },
      ...(sessionsByStart.length > 0 ? [{ type: 'heading', text: t('invitation.programHeading') } as const, sessionItems(sessionsByStart, data, language)] : []),
      d.timesNote,
      { type: 'paragraph', text: t('invitation.respondBy', { deadline: d.deadline }) },
      { type: 'action', label: t('invitation.action'), url: d.rsvpUrl, fallback: t('linkFallback') },
      { type: 'note', text: t('invitation.personalLink') },
    ],
  };
}

function confirmationEmail(d: Draft): EmailBody {
  const { t, data, language, sessionsByStart } = d;
  const confirmed = sessionsByStart.filter((session) => session.status === 'confirmed');
  const cancelled = sessionsByStart.filter((session) => data.cancelled?.includes(session.id));
  return {
    subject: t('confirmation.subject', { outcome: answerOutcome(sessionsByStart), event: d.eventName }),
    blocks: [
      { type: 'paragraph', text: t('confirmation.intro') },
      ...(['confirmed', 'waitlisted', 'declined', 'pending'] as const).flatMap((status): Block[] => {
        const group = sessionsByStart.filter((session) => session.status === status);
        if (group.length === 0) return [];
        return [
          { type: 'heading', text: t(`outcome.${status}`) },
          sessionItems(group, data, language, (session) => (session.waitlistPosition === undefined ? undefined : t('waitlistPosition', { position: session.waitlistPosition }))),
          ...(status === 'waitlisted' ? [{ type: 'paragraph', text: t('waitlisted.willNotify') } as const] : []),
        ];
      }),
      d.timesNote,
      ...calendar(d, confirmed.length > 0 || cancelled.length > 0),
      ...calendarCancelled(d, cancelled),
      ...badgeBlocks(t, data.badgeUrl),
      { type: 'paragraph', text: t('changeAnswerUntil', { deadline: d.deadline }) },
      d.manage,
    ],
  };
}

function promotedEmail(d: Draft): EmailBody {
  const { t, data, language } = d;
  const sessions = targetSessions(data, 'confirmed');
  return {
    subject: t('promoted.subject', { sessions: names(d, sessions) }),
    blocks: [
      ...sessions.flatMap((session): Block[] => [{ type: 'paragraph', text: t('promoted.intro', { session: session.name[language] }) }, sessionItems([session], data, language)]),
      d.timesNote,
      ...calendar(d, true),
      ...badgeBlocks(t, data.badgeUrl),
      { type: 'paragraph', text: t('changeAnswerUntil', { deadline: d.deadline }) },
      d.manage,
    ],
  };
}

function declinedEmail(d: Draft): EmailBody {
  const { t, data } = d;
  const cancelled = d.sessionsByStart.filter((session) => data.cancelled?.includes(session.id));
  return {
    subject: t('declined.subject', { event: d.eventName }),
    blocks: [
      { type: 'paragraph', text: t('declined.intro') },
      ...calendarCancelled(d, cancelled),
      { type: 'paragraph', text: t('declined.changeMind', { deadline: d.deadline }) },
      d.manage,
    ],
  };
}

function rescheduledEmail(d: Draft): EmailBody {
  const { t, data, language, sessionsByStart } = d;
  const changed = sessionsByStart.filter((session) => data.changedSessions?.includes(session.id));
  return {
    subject: t('rescheduled.subject', { event: d.eventName }),
    blocks: [
      { type: 'paragraph', text: t('rescheduled.intro') },
      sessionItems(changed.length ? changed : sessionsByStart.filter((s) => s.status === 'confirmed'), data, language),
      { type: 'details', rows: [[t('venueLabel'), venueLine(d)]] },
      d.timesNote,
      ...calendar(d, true),
      ...badgeBlocks(t, data.badgeUrl),
      d.manage,
    ],
  };
}

function sessionCancelledEmail(d: Draft): EmailBody {
  const { t, data, language } = d;
  const [session] = targetSessions(data, 'declined');
  return {
    subject: t('sessionCancelled.subject', { session: session.name[language] }),
    blocks: [
      { type: 'paragraph', text: t('sessionCancelled.intro', { session: session.name[language] }) },
      sessionItems([session], data, language),
      { type: 'paragraph', text: t('sessionCancelled.released', { previous: data.previous ?? 'pending' }) },
      ...calendarCancelled(d, data.cancelled?.includes(session.id) ? [session] : []),
      d.manage,
    ],
  };
}

/** What each kind of email says, by kind. */
const BODIES: Record<EmailKind, (draft: Draft) => EmailBody> = {
  invitation: invitationEmail,
  confirmation: confirmationEmail,
  promoted: promotedEmail,
  declined: declinedEmail,
  rescheduled: rescheduledEmail,
  'session-cancelled': sessionCancelledEmail,
};

/**
 * Subject, HTML and plain-text bodies of one email to an invitee, in their language. Pure: the
 * caller decides when to send and what to attach (`buildIcs` for the calendar the confirmation
 * mentions). Every interpolated value is escaped in the HTML, and only http(s) links are accepted.
 */
export function renderEmail(kind: EmailKind, data: EmailData, language: Language): RenderedEmail {
  const t = emailText(language);
  const { event } = data;
  const eventName = oneLine(event.name[language]);
  const rsvpUrl = webUrl(data.rsvpUrl, 'rsvpUrl');
  const sessionsByStart = [...data.sessions].sort((a, b) => a.start.localeCompare(b.start));
  const draft: Draft = {
    t,
    data,
    language,
    eventName,
    rsvpUrl,
    sessionsByStart,
    deadline: formatLocal(data.deadline, event.timezone, language, 'dateTime'),
    timesNote: timesNote(t, event, language, sessionsByStart[0]?.start ?? data.deadline),
    manage: manageAction(t, rsvpUrl),
  };
  if (!Object.hasOwn(BODIES, kind)) throw new RangeError(`Unknown email kind: ${String(kind)}`);
  return renderInLayout({ language, eventName, invitee: data.invitee }, BODIES[kind](draft));
}
