import MailComposer from 'nodemailer/lib/mail-composer';

/** A mailbox as `"Name" <address>` parts; a bare string is used as written. */
export type EmailAddress = string | { name: string; address: string };

export interface EmailAttachment {
  filename: string;
  /** Full content type, parameters included: `text/calendar; charset=utf-8; method=PUBLISH`. */
  contentType: string;
  content: Uint8Array | string;
}

export interface RawEmailInput {
  from: EmailAddress;
  to: EmailAddress | EmailAddress[];
  replyTo?: EmailAddress;
  subject: string;
  html: string;
  text: string;
  attachments?: EmailAttachment[];
  /** Extra headers (`X-…`, `List-Unsubscribe`); the standard ones above win over these. */
  headers?: Record<string, string>;
  /** Date header; now when absent. */
  date?: Date;
}

/**
 * The message as raw RFC 5322 bytes for SES v2 `Content.Raw`, the only SES content that carries
 * attachments: multipart/mixed around a multipart/alternative (text, then html) and the
 * attachments, base64-encoded so calendar files survive relays that rewrap long lines.
 * Non-ASCII subjects and display names become RFC 2047 encoded words; CRLF line ends throughout.
 * File and URL access are off: content only ever comes from memory.
 */
export async function buildRawEmail(input: RawEmailInput): Promise<Uint8Array> {
  const composer = new MailComposer({
    from: input.from,
    to: input.to,
    ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
    subject: input.subject,
    text: input.text,
    html: input.html,
    attachments: (input.attachments ?? []).map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: typeof attachment.content === 'string' ? Buffer.from(attachment.content, 'utf8') : Buffer.from(attachment.content),
      contentTransferEncoding: 'base64',
      contentDisposition: 'attachment',
    })),
    ...(input.headers === undefined ? {} : { headers: input.headers }),
    ...(input.date === undefined ? {} : { date: input.date }),
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const raw = await composer.compile().build();
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}
