import type { EventDefinition, Invitation, Language, Localized, ResponseStatus } from '../model.js';
import { overlapsOf } from '../schedule.js';
import { LOCALES, formatLocal, formatLocalRange } from '../time.js';
import { emailText } from '#i18n/email/index.js';

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
export const emailSessionsFor = (
  def: Pick<EventDefinition, 'sessions'>,
  invitation: Invitation,
  countWaitlistedBefore: (eventId: string, sessionId: string, ticket: number) => Promise<number>,
): Promise<EmailSession[]> =>
  Promise.all(
    def.sessions
      .filter((s) => invitation.sessions.includes(s.id))
      .map(async (s) => {
        const r = invitation.responses[s.id];
        const position = r?.status === 'waitlisted' && r.waitlistTicket !== undefined ? 1 + (await countWaitlistedBefore(invitation.eventId, s.id, r.waitlistTicket)) : undefined;
        return { id: s.id, name: s.name, start: s.start, end: s.end, status: r?.status ?? 'pending', ...(position ? { waitlistPosition: position } : {}) };
      }),
  );

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

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export type Block =
  | { type: 'heading'; text: string }
  /** An organizer's plain text (group messages): paragraphs at blank lines, line breaks kept, http(s) links made clickable. */
  | { type: 'text'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'note'; text: string }
  | { type: 'details'; rows: [label: string, value: string][] }
  | { type: 'sessions'; items: { name: string; when: string; notes: string[] }[] }
  | { type: 'action'; label: string; url: string; fallback: string };

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/** Only web links reach a button: a `javascript:` or `data:` URL in an email is an attack, not a typo. */
export function webUrl(url: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${field} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TypeError(`${field} must be an http(s) URL`);
  return parsed.href;
}

/**
 * Header values are one line; a newline in a name must not become a second header. Only control
 * characters and line separators go: the no-break spaces French typography puts before a colon stay.
 */
// eslint-disable-next-line no-control-regex -- header values must not carry control characters
const LINE_BREAKERS = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;

export function oneLine(value: string): string {
  return value.replace(LINE_BREAKERS, ' ').replace(/ {2,}/g, ' ').trim();
}

const COLORS = { text: '#1f2937', muted: '#4b5563', page: '#f3f4f6', card: '#ffffff', accent: '#0b4f8a', rule: '#e5e7eb' };
const FONT = 'font-family:Arial,Helvetica,sans-serif;';

const LINK = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'’»]/g;

/** Escaped text with its http(s) links as anchors (the link text is the URL itself: nothing hides where it goes). */
const linkified = (text: string) => {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    out += escapeHtml(text.slice(last, m.index));
    const href = escapeHtml(m[0]);
    out += `<a href="${href}" style="color:${COLORS.accent};word-break:break-all;">${href}</a>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
};

function blockToHtml(block: Block): string {
  switch (block.type) {
    case 'text':
      return block.text
        .split(/\n{2,}/)
        .map((para) => `<p style="margin:0 0 16px;">${para.split('\n').map(linkified).join('<br>')}</p>`)
        .join('\n');
    case 'heading':
      return `<h2 style="${FONT}margin:28px 0 8px;font-size:18px;line-height:1.3;color:${COLORS.text};">${escapeHtml(block.text)}</h2>`;
    case 'paragraph':
      return `<p style="margin:0 0 16px;">${escapeHtml(block.text)}</p>`;
    case 'note':
      return `<p style="margin:0 0 16px;font-size:14px;color:${COLORS.muted};">${escapeHtml(block.text)}</p>`;
    case 'details':
      return (
        `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;">` +
        block.rows
          .map(
            ([label, value]) =>
              `<tr><th scope="row" align="left" style="${FONT}padding:2px 16px 2px 0;font-size:16px;color:${COLORS.muted};font-weight:normal;vertical-align:top;">${escapeHtml(label)}</th>` +
              `<td style="${FONT}padding:2px 0;font-size:16px;color:${COLORS.text};">${escapeHtml(value)}</td></tr>`,
          )
          .join('') +
        `</table>`
      );
    case 'sessions':
      return (
        `<ul style="margin:0 0 16px;padding:0 0 0 20px;">` +
        block.items
          .map(
            (item) =>
              `<li style="margin:0 0 10px;"><strong>${escapeHtml(item.name)}</strong><br>${escapeHtml(item.when)}` +
              item.notes.map((note) => `<br><span style="color:${COLORS.muted};">${escapeHtml(note)}</span>`).join('') +
              `</li>`,
          )
          .join('') +
        `</ul>`
      );
    case 'action': {
      const href = escapeHtml(block.url);
      return (
        `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 12px;"><tr>` +
        `<td style="border-radius:6px;background-color:${COLORS.accent};">` +
        `<a href="${href}" style="${FONT}display:inline-block;padding:12px 24px;font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(block.label)}</a>` +
        `</td></tr></table>` +
        `<p style="margin:0 0 20px;font-size:13px;color:${COLORS.muted};">${escapeHtml(block.fallback)}<br>` +
        `<a href="${href}" style="color:${COLORS.accent};word-break:break-all;">${href}</a></p>`
      );
    }
  }
}

function blockToText(block: Block, label: (text: string) => string): string {
  switch (block.type) {
    case 'heading':
      return `${block.text}\n${'-'.repeat(Math.min(block.text.length, 60))}`;
    case 'paragraph':
    case 'note':
    case 'text':
      return block.text;
    case 'details':
      return block.rows.map(([name, value]) => `${label(name)} ${value}`).join('\n');
    case 'sessions':
      return block.items.map((item) => [`- ${item.name}`, item.when, ...item.notes].join('\n  ')).join('\n');
    case 'action':
      return `${block.label}\n${block.url}`;
  }
}

export interface Layout {
  language: Language;
  subject: string;
  eventName: string;
  salutation: string;
  blocks: Block[];
  signOff: string;
  organizers: string;
  footer: string;
  /** "Venue:" in the reader's typography ("Lieu :" in French). */
  label: (text: string) => string;
}

export function toHtml(layout: Layout): string {
  const body = layout.blocks.map(blockToHtml).join('\n');
  return `<!DOCTYPE html>
<html lang="${LOCALES[layout.language]}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(layout.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:${COLORS.page};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${COLORS.page};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:${COLORS.card};border-radius:8px;">
<tr><td style="${FONT}padding:32px;font-size:16px;line-height:1.5;color:${COLORS.text};">
<h1 style="${FONT}margin:0 0 24px;font-size:22px;line-height:1.3;color:${COLORS.accent};">${escapeHtml(layout.eventName)}</h1>
<p style="margin:0 0 16px;">${escapeHtml(layout.salutation)}</p>
${body}
<p style="margin:24px 0 0;">${escapeHtml(layout.signOff)}<br>${escapeHtml(layout.organizers)}</p>
</td></tr>
</table>
<p style="${FONT}margin:16px 0 0;max-width:600px;font-size:12px;line-height:1.4;color:${COLORS.muted};">${escapeHtml(layout.footer)}</p>
</td></tr>
</table>
</body>
</html>
`;
}

export function toText(layout: Layout): string {
  return (
    [
      layout.eventName,
      layout.salutation,
      ...layout.blocks.map((block) => blockToText(block, layout.label)),
      `${layout.signOff}\n${layout.organizers}`,
      `--\n${layout.footer}`,
    ].join('\n\n') + '\n'
  );
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
  const inviteeName = oneLine([data.invitee.title, data.invitee.name].filter(Boolean).join(' '));
  const sessionsByStart = [...data.sessions].sort((a, b) => a.start.localeCompare(b.start));
  const firstSession = sessionsByStart[0];
  const deadline = formatLocal(data.deadline, event.timezone, language, 'dateTime');
  const timesNote: Block = {
    type: 'note',
    text: t('timesNote', {
      city: event.venue.city,
      zoneName: formatLocal(firstSession?.start ?? data.deadline, event.timezone, language, 'timeZoneName'),
    }),
  };
  const manage: Block = { type: 'action', label: t('manageAction'), url: rsvpUrl, fallback: t('linkFallback') };
  const badge = (): Block[] =>
    data.badgeUrl
      ? [
          { type: 'paragraph', text: t('badgeIntro') },
          { type: 'action', label: t('badgeAction'), url: webUrl(data.badgeUrl, 'badgeUrl'), fallback: t('linkFallback') },
        ]
      : [];
  const calendar = (byDefault: boolean): Block[] => ((data.calendarAttached ?? byDefault) ? [{ type: 'paragraph', text: t('calendarAttached') }] : []);
  const names = (sessions: EmailSession[]) => sessions.map((session) => session.name[language]).join(', ');
  const calendarCancelled = (cancelled: EmailSession[]): Block[] =>
    cancelled.length > 0 && (data.calendarAttached ?? true) ? [{ type: 'paragraph', text: t('calendarCancelled', { count: cancelled.length, sessions: names(cancelled) }) }] : [];

  let subject: string;
  let blocks: Block[];
  switch (kind) {
    case 'invitation': {
      const rows: [string, string][] = [];
      const lastEnd = sessionsByStart
        .map((session) => session.end)
        .sort()
        .at(-1);
      if (firstSession && lastEnd) {
        rows.push([t('datesLabel'), formatLocalRange(firstSession.start, lastEnd, event.timezone, language, 'date')]);
      }
      rows.push([t('venueLabel'), [event.venue.name, event.venue.city, regionName(event.venue.country, language)].join(', ')]);
      subject = t('invitation.subject', { event: eventName });
      blocks = [
        { type: 'paragraph', text: t('invitation.intro') },
        { type: 'details', rows },
        ...(sessionsByStart.length > 0 ? [{ type: 'heading', text: t('invitation.programHeading') } as const, sessionItems(sessionsByStart, data, language)] : []),
        timesNote,
        { type: 'paragraph', text: t('invitation.respondBy', { deadline }) },
        { type: 'action', label: t('invitation.action'), url: rsvpUrl, fallback: t('linkFallback') },
        { type: 'note', text: t('invitation.personalLink') },
      ];
      break;
    }
    case 'confirmation': {
      const confirmed = sessionsByStart.filter((session) => session.status === 'confirmed');
      const cancelled = sessionsByStart.filter((session) => data.cancelled?.includes(session.id));
      subject = t('confirmation.subject', { outcome: answerOutcome(sessionsByStart), event: eventName });
      blocks = [
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
        timesNote,
        ...calendar(confirmed.length > 0 || cancelled.length > 0),
        ...calendarCancelled(cancelled),
        ...badge(),
        { type: 'paragraph', text: t('changeAnswerUntil', { deadline }) },
        manage,
      ];
      break;
    }
    case 'promoted': {
      const sessions = targetSessions(data, 'confirmed');
      subject = t('promoted.subject', { sessions: names(sessions) });
      blocks = [
        ...sessions.flatMap((session): Block[] => [{ type: 'paragraph', text: t('promoted.intro', { session: session.name[language] }) }, sessionItems([session], data, language)]),
        timesNote,
        ...calendar(true),
        ...badge(),
        { type: 'paragraph', text: t('changeAnswerUntil', { deadline }) },
        manage,
      ];
      break;
    }
    case 'declined': {
      subject = t('declined.subject', { event: eventName });
      const cancelled = sessionsByStart.filter((session) => data.cancelled?.includes(session.id));
      blocks = [{ type: 'paragraph', text: t('declined.intro') }, ...calendarCancelled(cancelled), { type: 'paragraph', text: t('declined.changeMind', { deadline }) }, manage];
      break;
    }
    case 'rescheduled': {
      const changed = sessionsByStart.filter((session) => data.changedSessions?.includes(session.id));
      subject = t('rescheduled.subject', { event: eventName });
      blocks = [
        { type: 'paragraph', text: t('rescheduled.intro') },
        sessionItems(changed.length ? changed : sessionsByStart.filter((s) => s.status === 'confirmed'), data, language),
        { type: 'details', rows: [[t('venueLabel'), [event.venue.name, event.venue.city, regionName(event.venue.country, language)].join(', ')]] },
        timesNote,
        ...calendar(true),
        ...badge(),
        manage,
      ];
      break;
    }
    case 'session-cancelled': {
      const [session] = targetSessions(data, 'declined');
      subject = t('sessionCancelled.subject', { session: session.name[language] });
      blocks = [
        { type: 'paragraph', text: t('sessionCancelled.intro', { session: session.name[language] }) },
        sessionItems([session], data, language),
        { type: 'paragraph', text: t('sessionCancelled.released', { previous: data.previous ?? 'pending' }) },
        ...calendarCancelled(data.cancelled?.includes(session.id) ? [session] : []),
        manage,
      ];
      break;
    }
    default: {
      const unknown: never = kind;
      throw new RangeError(`Unknown email kind: ${String(unknown)}`);
    }
  }

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
  return { subject: layout.subject, html: toHtml(layout), text: toText(layout) };
}
