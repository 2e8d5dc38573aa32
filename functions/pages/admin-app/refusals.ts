import type { Language } from '#domain/model.js';
import type { DashboardKey } from '#i18n/dashboard/es.js';
import { LANGUAGE, languageName, listOf, t, tOr } from './messages.js';

/**
 * A refused field in the organizer's language. The API names each field by its dotted path and
 * words the problem in English for the log (`content.es.subject: must not be empty`); the
 * dashboard shows the field's own label and what it must hold, from the catalogue, never the path.
 */

/** What the field must hold: `content.es.subject` reads as a subject, `companions.0.name` as companions, `session.<id>` as a session's answer. */
export const fieldRule = (field: string): string => {
  const segments = field.split('.').filter((s) => !/^\d+$/.test(s));
  const name = segments[0] === 'content' && segments.length > 2 ? segments[segments.length - 1] : segments[0];
  return tOr(`fieldRule.${name}`, 'fieldRule.other');
};

/** A field of the group-message form by its label: `content.fr.body` is "Français: Texte". */
export const messageFieldName = (field: string): string => {
  const [head, second, third] = field.split('.');
  const part = (p: string | undefined) => (p === 'subject' ? t('messageSubject') : t('messageBody'));
  if (head === 'content' && second && third) return t('labelled', { label: languageName(second), text: part(third) });
  if (head === 'content') return listOf([t('messageSubject'), t('messageBody')]);
  const filters: Record<string, DashboardKey> = {
    sessionId: 'messageSession',
    status: 'statusFilter',
    category: 'categoryFilter',
    country: 'countryFilter',
    language: 'messageLanguageFilter',
  };
  return head === 'filter' && second && filters[second] ? t(filters[second]) : t('auditField.other');
};

const EVENT_FIELDS: Record<string, DashboardKey> = {
  id: 'eventId',
  'name.es': 'eventNameEs',
  'name.en': 'eventNameEn',
  'name.fr': 'eventNameFr',
  'venue.name': 'eventVenueName',
  'venue.city': 'eventVenueCity',
  'venue.country': 'eventVenueCountry',
  timezone: 'eventTimezone',
  rsvpDeadline: 'eventDeadline',
};
const SESSION_FIELDS: Record<string, DashboardKey> = {
  id: 'eventNewSessionId',
  name: 'eventSessionName',
  start: 'eventSessionStart',
  end: 'eventSessionEnd',
  capacity: 'eventSessionCapacity',
};

/** What an event edit sent, to name a refused session (`sessions.2.capacity`) by that session's name. */
export interface SentSessions {
  sessions?: Array<{ id: string; name: Partial<Record<Language, string>> }>;
}

/** A field of the event forms by its label; a session's field with the session's name: "Plenaria: Capacidad". */
export const eventFieldName = (field: string, sent: SentSessions = {}): string => {
  if (EVENT_FIELDS[field]) return t(EVENT_FIELDS[field]);
  const [head, index, sub] = field.split('.');
  if (head === 'sessions' && index !== undefined && /^\d+$/.test(index)) {
    const session = sent.sessions?.[Number(index)];
    const label = session?.name[LANGUAGE] || session?.id || t('eventAddSession');
    return t('labelled', { label, text: t(SESSION_FIELDS[sub ?? ''] ?? 'sessionLabel') });
  }
  return t('auditField.other');
};
