import * as z from '../zod.js';
import { countryCodeSchema } from '../countries.js';
import { ValidationError } from '../errors.js';
import { LANGUAGES, categorySchema, languageSchema, type EventDefinition, type Invitation, type Language } from '../model.js';
import { noteText, plainText } from '../text.js';
import { acceptsOptionalMail } from './due.js';

/** Longest subject and body an organizer may write per language (characters, after NFC). */
export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;

const nonEmpty = (schema: z.ZodMiniType<string, string>) => schema.check(z.refine((v: string) => v.length > 0, 'must not be empty'));

/** One language version of a message: a one-line subject and a plain-text body (links allowed, markup refused). */
export const messagePartSchema = z.strictObject({ subject: nonEmpty(plainText(SUBJECT_MAX)), body: nonEmpty(noteText(BODY_MAX)) });
export type MessagePart = z.infer<typeof messagePartSchema>;

/**
 * The recipients of a group message, with the invitations table's filters: status (in one session
 * when `sessionId` is given, the invitation's overall status otherwise), category, country and
 * the invitee's language. Every value is checked: an unknown one is a 400 naming the field, never
 * an empty audience.
 */
export const recipientFilterSchema = z.strictObject({
  sessionId: z.optional(z.string().check(z.maxLength(64))),
  status: z.optional(z.enum(['pending', 'confirmed', 'waitlisted', 'declined'])),
  category: z.optional(categorySchema),
  country: z.optional(countryCodeSchema('is not an ISO 3166-1 alpha-2 country code')),
  language: z.optional(languageSchema),
});
export type RecipientFilter = z.infer<typeof recipientFilterSchema>;

const contentSchema = z
  .strictObject({ es: z.optional(messagePartSchema), en: z.optional(messagePartSchema), fr: z.optional(messagePartSchema) })
  .check(z.refine((c: Partial<Record<Language, MessagePart>>) => LANGUAGES.some((l) => c[l]), 'needs the subject and body in at least one language'));

/** The dashboard previews exactly what it will send: the request id may ride along, and is ignored. */
export const messagePreviewSchema = z.strictObject({ content: contentSchema, filter: z._default(recipientFilterSchema, {}), requestId: z.optional(z.uuid()) });
export type MessagePreviewInput = z.infer<typeof messagePreviewSchema>;

/** Sending needs an id the dashboard makes once per message, so a repeated click or a retry sends nothing twice. */
export const messageSendSchema = z.extend(messagePreviewSchema, { requestId: z.uuid() });
export type MessageSendInput = z.infer<typeof messageSendSchema>;

/** Checks what zod cannot: the session named by the filter must be one of the event's. */
export const checkFilter = (def: EventDefinition, filter: RecipientFilter) => {
  if (filter.sessionId !== undefined && !def.sessions.some((s) => s.id === filter.sessionId))
    throw new ValidationError([{ field: 'filter.sessionId', message: `is not a session of ${def.id}` }]);
  // Categories are the event's own data: a filter names one of them.
  if (filter.category !== undefined && !def.categories.some((c) => c.id === filter.category))
    throw new ValidationError([{ field: 'filter.category', message: `is not a category of ${def.id}; expected ${def.categories.map((c) => c.id).join(', ')}` }]);
};

export const matchesFilter = (invitation: Invitation, filter: RecipientFilter) => {
  if (filter.sessionId !== undefined) {
    if (!invitation.sessions.includes(filter.sessionId)) return false;
    if (filter.status && (invitation.responses[filter.sessionId]?.status ?? 'pending') !== filter.status) return false;
  } else if (filter.status && invitation.status !== filter.status) return false;
  if (filter.category && invitation.category !== filter.category) return false;
  if (filter.country && invitation.country !== filter.country) return false;
  if (filter.language && invitation.language !== filter.language) return false;
  return true;
};

/** Why a matching invitation gets nothing: said in the preview, so the count is never a surprise. */
export type Exclusion = 'revoked' | 'optedOut' | 'unreachable';
export const exclusionOf = (invitation: Invitation): Exclusion | undefined =>
  acceptsOptionalMail(invitation) ? undefined : (invitation.status as string) === 'revoked' ? 'revoked' : invitation.optOut ? 'optedOut' : 'unreachable';

/**
 * The language version an invitee reads: their own, else the first present in the summit's
 * order (es, en, fr) — the fallback order the preview states.
 */
export const contentLanguageFor = (content: Partial<Record<Language, MessagePart>>, language: Language): Language => {
  const chosen = [language, ...LANGUAGES].find((l) => content[l]);
  if (!chosen) throw new RangeError('A message needs at least one language version');
  return chosen;
};

/** A message's subject in each language it was written in: what the audit trail names it by. */
export const subjectsOf = (content: Partial<Record<Language, MessagePart>>): Partial<Record<Language, string>> =>
  Object.fromEntries(LANGUAGES.flatMap((l) => (content[l] ? [[l, content[l].subject]] : [])));

export interface Audience {
  recipients: Invitation[];
  excluded: Record<Exclusion, number>;
}

/** Who a filter reaches, and who matches it but is left out (revoked, opted out, unreachable). */
export const audienceOf = (invitations: Invitation[], filter: RecipientFilter): Audience => {
  const excluded: Record<Exclusion, number> = { revoked: 0, optedOut: 0, unreachable: 0 };
  const recipients: Invitation[] = [];
  for (const invitation of invitations.filter((i) => matchesFilter(i, filter))) {
    const why = exclusionOf(invitation);
    if (why) excluded[why] += 1;
    else recipients.push(invitation);
  }
  return { recipients, excluded };
};
