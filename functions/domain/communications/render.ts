import type { EventDefinition, Language } from '../model.js';
import { formatLocal, zonedLocalToUtc } from '../time.js';
import { oneLine, sessionItems, toHtml, toText, webUrl, type Block, type EmailData, type EmailSession, type Layout, type RenderedEmail } from '../email/templates.js';
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
  const timesNote = (first: string): Block => ({
    type: 'note',
    text: t('timesNote', { city: event.venue.city, zoneName: formatLocal(first, event.timezone, language, 'timeZoneName') }),
  });
  const manage: Block = { type: 'action', label: t('manageAction'), url: rsvpUrl, fallback: t('linkFallback') };
  let subject: string;
  let blocks: Block[];
  let calendar: EmailSession[] = [];
  switch (content.kind) {
    case 'reminder': {
      const days = Math.max(1, Math.ceil((zonedLocalToUtc(event.rsvpDeadline, event.timezone).getTime() - data.now.getTime()) / DAY_MS));
      subject = t('reminder.subject', { event: eventName });
      blocks = [
        { type: 'paragraph', text: t('reminder.intro', { days, deadline }) },
        { type: 'action', label: t('invitation.action'), url: rsvpUrl, fallback: t('linkFallback') },
        { type: 'note', text: t('invitation.personalLink') },
      ];
      break;
    }
    case 'day-before': {
      const ofDay = data.sessions.filter((s) => s.start.startsWith(content.day)).sort((a, b) => a.start.localeCompare(b.start));
      const confirmed = ofDay.filter((s) => s.status === 'confirmed');
      const waitlisted = ofDay.filter((s) => s.status === 'waitlisted');
      const date = formatLocal(`${content.day}T12:00`, event.timezone, language, 'date');
      const position = (s: EmailSession) => (s.waitlistPosition === undefined ? undefined : t('waitlistPosition', { position: s.waitlistPosition }));
      const venue: Block = { type: 'details', rows: [[t('venueLabel'), [event.venue.name, event.venue.city].join(', ')]] };
      if (confirmed.length > 0) {
        calendar = confirmed;
        subject = t('dayBefore.subject', { event: eventName });
        blocks = [
          { type: 'paragraph', text: t('dayBefore.intro', { date }) },
          sessionItems(confirmed, emailData, language),
          venue,
          ...(waitlisted.length > 0 ? [{ type: 'heading', text: t('outcome.waitlisted') } as const, sessionItems(waitlisted, emailData, language, position)] : []),
          timesNote(ofDay[0].start),
          { type: 'paragraph', text: t('dayBefore.calendar') },
          ...(data.badgeUrl
            ? [
                { type: 'paragraph', text: t('badgeIntro') } as const,
                { type: 'action', label: t('badgeAction'), url: webUrl(data.badgeUrl, 'badgeUrl'), fallback: t('linkFallback') } as const,
              ]
            : []),
          manage,
        ];
      } else {
        if (waitlisted.length === 0) throw new RangeError(`Nothing to say about ${content.day}: no confirmed or waitlisted session that day`);
        subject = t('waitlistNote.subject', { event: eventName });
        blocks = [
          { type: 'paragraph', text: t('waitlistNote.intro', { date, count: waitlisted.length }) },
          sessionItems(waitlisted, emailData, language, position),
          venue,
          timesNote(waitlisted[0].start),
          { type: 'paragraph', text: t('waitlistNote.next') },
          manage,
        ];
      }
      break;
    }
    case 'group': {
      subject = content.part.subject;
      blocks = [{ type: 'text', text: content.part.body }, manage];
      break;
    }
  }
  blocks.push({ type: 'text', text: `${t('unsubscribe.note')}\n${webUrl(data.unsubscribeUrl, 'unsubscribeUrl')}` });
  const inviteeName = oneLine([data.invitee.title, data.invitee.name].filter(Boolean).join(' '));
  const layout: Layout = {
    language,
    subject: oneLine(subject),
    eventName,
    salutation: t('salutation', { name: inviteeName }),
    blocks,
    signOff: t('signOff'),
    organizers: t('organizers', { event: eventName }),
    footer: t('footer', { event: eventName }),
    label: (text) => t('label', { label: text }),
  };
  return { subject: layout.subject, html: toHtml(layout), text: toText(layout), calendar };
}

/** RFC 2369 / RFC 8058 headers: a one-click POST to the link unsubscribes; mail clients show an Unsubscribe button. */
export const listUnsubscribeHeaders = (unsubscribeUrl: string): Record<string, string> => ({
  'List-Unsubscribe': `<${unsubscribeUrl}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});
