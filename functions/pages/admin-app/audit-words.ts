import type { AuditEntry } from '#domain/access/audit.js';
import { parseGroup } from '#domain/access/roles.js';
import { LANGUAGES, type Language } from '#domain/languages.js';
import { el } from './dom.js';
import { grantWords } from './grants.js';
import { categoryName, countryName, LANGUAGE, languageName, listOf, LOCALE, sessionName, t, tOr } from './messages.js';

/**
 * The audit trail in the reader's words: what was done, by whom, about whom, and what changed. A
 * record keeps ids and codes (the API's `audit.csv` has them raw, for programs); every one of them
 * is named here from the event's own lists and the catalogue: sessions, categories, countries,
 * languages, statuses, an event's fields, a message's audience.
 */

/** A group name in words: the role, and its event by name (admin's over every event). */
const roleWords = (group: string) => {
  const grant = parseGroup(group);
  return grant ? grantWords(grant) : t('role.name', { role: 'other' });
};

/** A recorded scalar as text; anything else is no text (a record never shows its structure). */
const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '');
/** A value as written (a name, an organization); none when empty. */
const text = (value: unknown) => str(value) || t('auditNone');
/** A code named by `name`: none when absent. */
const named = (name: (code: string) => string) => (value: unknown) => (str(value) ? name(str(value)) : t('auditNone'));
const texts = (value: unknown, each: (v: string) => string) => (Array.isArray(value) && value.length ? listOf(value.map((v) => each(str(v)))) : t('auditNone'));
const statusWords = named((code) => tOr(`status.${code}`, 'auditField.other'));

/** Each recorded field's value in words; a field not listed is text as the organizer wrote it. */
const VALUE_WORDS: Record<string, (value: unknown) => string> = {
  roles: (v) => texts(v, roleWords),
  clearance: (v) => tOr(`clearance.${str(v)}`, 'clearance.pending'),
  country: named(countryName),
  category: named(categoryName),
  language: named(languageName),
  sessions: (v) => texts(v, sessionName),
  status: statusWords,
};
const valueWords = (field: string, value: unknown): string => (VALUE_WORDS[field] ?? text)(value);

/** Whom a group message was for: every invitee, or the filter's parts by their labels ("Sesión: Plenaria, Estado: Confirmada"). */
const audienceWords = (filter: Record<string, unknown> | undefined) => {
  const f = filter ?? {};
  const parts: Array<[label: string, code: unknown, name: (code: string) => string]> = [
    [t('messageSession'), f.sessionId, sessionName],
    [t('statusFilter'), f.status, statusWords],
    [t('auditField.category'), f.category, categoryName],
    [t('auditField.country'), f.country, countryName],
    [t('auditField.language'), f.language, languageName],
  ];
  const chosen = parts.filter(([, code]) => str(code)).map(([label, code, name]) => t('labelled', { label, text: name(str(code)) }));
  return t('auditAudience', { who: chosen.length ? chosen.join(', ') : t('auditEveryInvitee') });
};

/**
 * An event edit's summary (`EventChangeSummary`): the event's fields changed, each capacity, sessions
 * added, cancelled, moved, renamed or with their accreditation rule changed (a session's other
 * changes are its own lines: `sessions.<id>.capacity` is the capacity line, and so on).
 */
const eventChangeWords = (e: AuditEntry): string[] => {
  const detail = e.detail ?? {};
  const changed = (detail.changed as string[] | undefined) ?? [];
  const capacity = (detail.capacity as Array<{ sessionId: string; from: number; to: number; promoted: number }> | undefined) ?? [];
  const sessions = (key: string) => (detail[key] as string[] | undefined) ?? [];
  const eventFields = changed.filter((f) => !f.startsWith('sessions.'));
  const sessionField = (field: string) => changed.filter((f) => f.startsWith('sessions.') && f.endsWith(`.${field}`)).map((f) => f.slice('sessions.'.length, -field.length - 1));
  const after = (e.after?.definition as { sessions?: Array<{ id: string; requiresAccreditation?: boolean }> } | undefined)?.sessions ?? [];
  return [
    ...(eventFields.length ? [t('auditEventChanged', { fields: listOf(eventFields.map((field) => t('auditEventField', { field }))) })] : []),
    ...capacity.map((c) => t('auditCapacity', { session: sessionName(c.sessionId), from: c.from, to: c.to, promoted: c.promoted })),
    ...sessions('added').map((id) => t('auditSessionAdded', { session: sessionName(id) })),
    ...sessions('cancelled').map((id) => t('auditSessionCancelled', { session: sessionName(id) })),
    ...sessions('rescheduled').map((id) => t('auditSessionRescheduled', { session: sessionName(id) })),
    ...sessionField('name').map((id) => t('auditSessionRenamed', { session: sessionName(id) })),
    ...sessionField('requiresAccreditation').map((id) =>
      t('auditSessionAccreditation', { session: sessionName(id), required: String(Boolean(after.find((s) => s.id === id)?.requiresAccreditation)) }),
    ),
  ];
};

/** An answer an organizer entered: each session's yes or no, the guests, an ID document given. */
const answerWords = (detail: Record<string, unknown>): string[] => [
  ...((detail.responses as Array<{ sessionId: string; attending: boolean }> | undefined) ?? []).map((r) =>
    t('auditAnswer', { session: sessionName(r.sessionId), attending: r.attending ? 'yes' : 'no' }),
  ),
  ...(detail.guests !== undefined ? [t('labelled', { label: t('auditField.guests'), text: str(detail.guests) })] : []),
  ...(detail.accreditation ? [t('auditAccreditationGiven')] : []),
];

/** What an organizer's change to an invitation released and handed on, and why it was revoked. */
const releaseWords = (detail: Record<string, unknown>): string[] => {
  const released = (detail.released as Array<{ sessionId: string; seats: number }> | undefined) ?? [];
  const promoted = (detail.promoted as unknown[] | undefined) ?? [];
  return [
    ...released.map((r) => t('history.seat.freed', { seats: r.seats, session: sessionName(r.sessionId) })),
    ...(promoted.length ? [t('auditPromoted', { count: promoted.length })] : []),
    ...(detail.reason ? [t('auditReason', { reason: str(detail.reason) })] : []),
  ];
};

/** The fields a record's before and after differ in, each "Field: before → after". */
const fieldChanges = (e: AuditEntry, skip: string[] = []): string[] =>
  [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])]
    .filter((f) => !skip.includes(f))
    .map((field) =>
      t('auditChange', { field: tOr(`auditField.${field}`, 'auditField.other'), before: valueWords(field, e.before?.[field]), after: valueWords(field, e.after?.[field]) }),
    );

/** What changed, in words, by the kind of record. */
export const changeWords = (e: AuditEntry): string[] => {
  const detail = e.detail ?? {};
  switch (e.action) {
    case 'invitations.imported':
      return [t('auditImportCounts', { created: Number(detail.created ?? 0), updated: Number(detail.updated ?? 0) })];
    case 'accreditation.read':
    case 'clearances.read':
      return [t('auditReadCount', { rows: Number(detail.rows ?? 0) })];
    case 'invitation.answered':
      return answerWords(detail);
    case 'invitation.edited':
    case 'invitation.replaced':
    case 'invitation.revoked':
      return [...fieldChanges(e), ...releaseWords(detail)];
    case 'event.created':
      return [];
    case 'event.updated':
      return eventChangeWords(e);
    case 'message.sent':
      return [t('messageCount', { count: Number(e.after?.recipients ?? 0) }), audienceWords(e.after?.filter as Record<string, unknown> | undefined)];
    case 'reminders.run': {
      const queued = (detail.queued as Record<string, number> | undefined) ?? {};
      return [t('remindersQueued', { reminders: queued.reminder ?? 0, dayBefore: queued['day-before'] ?? 0 })];
    }
    default:
      // People and clearances: the person is named as the target; their email is no change.
      return fieldChanges(e, ['email']);
  }
};

/** A localized text recorded with the record (an event's name, a message's subjects): the reader's language, else the first there is. */
const inLanguage = (localized: Partial<Record<Language, unknown>> | undefined) =>
  [LANGUAGE, ...LANGUAGES].map((l) => localized?.[l]).find((x): x is string => typeof x === 'string' && x !== '');

/** Who or what the record is about, as a person reads it: a name, an email, an event's name, a message's subject; never an id. */
export const targetWords = (e: AuditEntry): string | undefined => {
  if (e.subject) return e.subject;
  if (e.action === 'event.created' || e.action === 'event.updated') return inLanguage((e.after?.definition as { name?: Partial<Record<Language, string>> } | undefined)?.name);
  if (e.action === 'message.sent') {
    const subject = inLanguage(e.detail?.subjects as Partial<Record<Language, string>> | undefined);
    return subject ? t('auditMessageSubject', { subject }) : undefined;
  }
  const email = (e.after?.email ?? e.before?.email) as string | undefined;
  if (email) return email;
  return e.target?.includes('@') ? e.target : undefined;
};

export const actionWords = (e: AuditEntry) => tOr(`auditAction.${e.action}`, 'auditAction.other');

/** One record as a line of the trail: the action, when, who, about whom; then what changed. */
export const auditLine = (e: AuditEntry) => {
  const target = targetWords(e);
  const changes = changeWords(e);
  return el(
    'li',
    { 'data-action': e.action },
    el('strong', {}, actionWords(e)),
    ' ',
    el('span', { class: 'meta' }, `${new Date(e.at).toLocaleString(LOCALE)} · ${e.actor.email}${target ? ` · ${target}` : ''}`),
    changes.length ? [el('br'), changes.join(' · ')] : null,
  );
};
