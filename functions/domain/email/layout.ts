import type { EventDefinition, Language } from '../model.js';
import { LOCALES, formatLocal } from '../time.js';
import { emailText } from '#i18n/email/index.js';

/**
 * The house layout every email to an invitee shares (answers, reminders, group messages): the
 * event's name as the header, the salutation, the blocks a message says, the sign-off and footer,
 * an unsubscribe link where the message is one a reader may stop, as HTML and as plain text.
 */
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

export type EmailText = ReturnType<typeof emailText>;

/** What one message says between the salutation and the sign-off. */
export interface EmailBody {
  subject: string;
  blocks: Block[];
}

/** Who a message is to and about, which the layout around its body names. */
export interface Envelope {
  language: Language;
  /** The event's name on one line, in the reader's language: the header, sign-off and footer name it. */
  eventName: string;
  invitee: { name: string; title?: string };
  /** The one-click unsubscribe link: reminders and group messages end with it, answers to an answer do not. */
  unsubscribeUrl?: string;
}

/** One message in the house layout: its subject on one line, the HTML and the plain-text parts. */
export function renderInLayout(envelope: Envelope, body: EmailBody): RenderedEmail {
  const { language, eventName } = envelope;
  const t = emailText(language);
  const blocks: Block[] =
    envelope.unsubscribeUrl === undefined
      ? body.blocks
      : [...body.blocks, { type: 'text', text: `${t('unsubscribe.note')}\n${webUrl(envelope.unsubscribeUrl, 'unsubscribeUrl')}` }];
  const inviteeName = oneLine([envelope.invitee.title, envelope.invitee.name].filter(Boolean).join(' '));
  const layout: Layout = {
    language,
    subject: oneLine(body.subject),
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

/** The note that times are the venue's local time, naming the zone as it is at `at` (summer or winter time). */
export const timesNote = (t: EmailText, event: Pick<EventDefinition, 'venue' | 'timezone'>, language: Language, at: string): Block => ({
  type: 'note',
  text: t('timesNote', { city: event.venue.city, zoneName: formatLocal(at, event.timezone, language, 'timeZoneName') }),
});

/** The button to the invitee's own RSVP page, where they change their answer. */
export const manageAction = (t: EmailText, rsvpUrl: string): Block => ({ type: 'action', label: t('manageAction'), url: rsvpUrl, fallback: t('linkFallback') });

/** The badge's paragraph and button, when the invitee has a badge. */
export const badgeBlocks = (t: EmailText, badgeUrl: string | undefined): Block[] =>
  badgeUrl
    ? [
        { type: 'paragraph', text: t('badgeIntro') },
        { type: 'action', label: t('badgeAction'), url: webUrl(badgeUrl, 'badgeUrl'), fallback: t('linkFallback') },
      ]
    : [];
