export { EMAIL_KINDS, renderEmail, escapeHtml, type EmailKind, type EmailData, type EmailSession, type RenderedEmail } from './templates.js';
export { buildIcs, ICS_CONTENT_TYPE, icsContentType, type IcsInput } from './ics.js';
export { buildRawEmail, type EmailAddress, type EmailAttachment, type RawEmailInput } from './mime.js';
