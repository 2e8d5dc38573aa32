import type { EventDefinition, Language } from '../model.js';
import { formatLocal, zonedLocalToUtc } from '../time.js';
import { badgeBlocks, manageAction, oneLine, renderInLayout, timesNote, webUrl, type Block, type EmailBody, type EmailText, type RenderedEmail } from '../email/layout.js';
import { sessionItems, type EmailData, type EmailSession } from '../email/templates.js';
import { emailText } from '#i18n/email/index.js';
import type { MessagePart } from './group.js';

/** What one communication says: a reminder at an offset, the message for one day, or an organizer's text. */
export type CommunicationContent = { kind: 'reminder' } | { kind: 'day-before'; day: string } | { kind: 'group'; part: MessagePart };

export interface CommunicationData {
  invitee: { name: string; title?: string };
  event: Pick<EventDefinition, 'name' | 'venue' | 'timezone' | 'rsvpDeadline'>;
  /** Every session of the invitation with the invitee's standing. */
  sessions: EmailSession[];
  rsvpUrl: string;
  badgeUrl?: string;
  /** The one-click unsubscribe link, also in the List-Unsubscribe header. */
  unsubscribeUrl: string;
  now: Date;
}

export interface RenderedCommunication extends RenderedEmail {
  /** Sessions the attached calendar file holds (the day-before message), if any. */
  calendar: EmailSession[];
}

const DAY_MS = 86_400_000;

/** What each kind of communication draws on: the data in the reader's words and the blocks they share. */
interface Draft {
  t: EmailText;
  data: CommunicationData;
  language: Language;
  eventName: string;
  rsvpUrl: string;
  /** The RSVP deadline as the reader reads a date and time. */
  deadline: string;
  emailData: EmailData;
  manage: Block;
}

type Drafted = EmailBody & { calendar?: EmailSession[] };

function reminder({ t, data: { event, now }, eventName, rsvpUrl, deadline }: Draft): Drafted {
  const days = Math.max(1, Math.ceil((zonedLocalToUtc(event.rsvpDeadline, event.timezone).getTime() - now.getTime()) / DAY_MS));
  return {
    subject: t('reminder.subject', { event: eventName }),
    blocks: [
      { type: 'paragraph', text: t('reminder.intro', { days, deadline }) },
      { type: 'action', label: t('invitation.action'), url: rsvpUrl, fallback: t('linkFallback') },
      { type: 'note', text: t('invitation.personalLink') },
    ],
  };
}

/** The day before: the sessions held that day with the calendar, or, to someone only waitlisted, where they stand. */
function dayBefore(d: Draft, day: string): Drafted {
  const { t, data, language, emailData } = d;
  const { event } = data;
  const ofDay = data.sessions.filter((s) => s.start.startsWith(day)).sort((a, b) => a.start.localeCompare(b.start));
  const confirmed = ofDay.filter((s) => s.status === 'confirmed');
  const waitlisted = ofDay.filter((s) => s.status === 'waitlisted');
  const date = formatLocal(`${day}T12:00`, event.timezone, language, 'date');
  const position = (s: EmailSession) => (s.waitlistPosition === undefined ? undefined : t('waitlistPosition', { position: s.waitlistPosition }));
  const venue: Block = { type: 'details', rows: [[t('venueLabel'), [event.venue.name, event.venue.city].join(', ')]] };
  if (confirmed.length > 0)
    return {
      calendar: confirmed,
      subject: t('dayBefore.subject', { event: d.eventName }),
      blocks: [
        { type: 'paragraph', text: t('dayBefore.intro', { date }) },
        sessionItems(confirmed, emailData, language),
        venue,
        ...(waitlisted.length > 0 ? [{ type: 'heading', text: t('outcome.waitlisted') } as const, sessionItems(waitlisted, emailData, language, position)] : []),
        timesNote(t, event, language, ofDay[0].start),
        { type: 'paragraph', text: t('dayBefore.calendar') },
        ...badgeBlocks(t, data.badgeUrl),
        d.manage,
      ],
    };
  if (waitlisted.length === 0) throw new RangeError(`Nothing to say about ${day}: no confirmed or waitlisted session that day`);
  return {
    subject: t('waitlistNote.subject', { event: d.eventName }),
    blocks: [
      { type: 'paragraph', text: t('waitlistNote.intro', { date, count: waitlisted.length }) },
      sessionItems(waitlisted, emailData, language, position),
      venue,
      timesNote(t, event, language, waitlisted[0].start),
      { type: 'paragraph', text: t('waitlistNote.next') },
      d.manage,
    ],
  };
}

/**
 * Reminders, the day-before message (or, to someone only waitlisted that day, a note on where
 * they stand) and group messages, in the invitee's language, in the house layout. Every one ends
 * with the unsubscribe link; organizer text is escaped and only its http(s) links become anchors.
 */
export function renderCommunication(content: CommunicationContent, data: CommunicationData, language: Language): RenderedCommunication {
  const t = emailText(language);
  const { event } = data;
  const eventName = oneLine(event.name[language]);
  const rsvpUrl = webUrl(data.rsvpUrl, 'rsvpUrl');
  const deadline = formatLocal(event.rsvpDeadline, event.timezone, language, 'dateTime');
  const emailData: EmailData = { invitee: data.invitee, event, sessions: data.sessions, rsvpUrl, deadline: event.rsvpDeadline };
  const draft: Draft = { t, data, language, eventName, rsvpUrl, deadline, emailData, manage: manageAction(t, rsvpUrl) };
  const drafted: Drafted =
    content.kind === 'reminder'
      ? reminder(draft)
      : content.kind === 'day-before'
        ? dayBefore(draft, content.day)
        : { subject: content.part.subject, blocks: [{ type: 'text', text: content.part.body }, draft.manage] };
  const rendered = renderInLayout({ language, eventName, invitee: data.invitee, unsubscribeUrl: data.unsubscribeUrl }, drafted);
  return { ...rendered, calendar: drafted.calendar ?? [] };
}

/** RFC 2369 / RFC 8058 headers: a one-click POST to the link unsubscribes; mail clients show an Unsubscribe button. */
export const listUnsubscribeHeaders = (unsubscribeUrl: string): Record<string, string> => ({
  'List-Unsubscribe': `<${unsubscribeUrl}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});
