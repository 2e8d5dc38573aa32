import { toCsv } from './csv.js';
import { EventNotFoundError } from './errors.js';
import type { CumbreStore } from './ports.js';
import type { Language, ResponseStatus } from './model.js';
import { readableWords } from './exports/readable.js';

const COLUMNS = [
  'name',
  'role',
  'delegationOf',
  'title',
  'email',
  'organization',
  'country',
  'category',
  'language',
  'guests',
  'badgeName',
  'dietary',
  'accessibility',
  'topics',
] as const;

/**
 * Who is coming: one row per invitee confirmed or waitlisted in at least one session (and per revoked invitation) and one per
 * named companion (`role`, `delegationOf`), a status column per session, and what the venue needs to know (guests, dietary and accessibility needs,
 * badge name). Never the accreditation: that leaves only through the accreditation export. With
 * `language`, written for a reader of it (headers, statuses, names); without, the data format.
 */
export const attendeesExport = async (store: CumbreStore, eventId: string, language?: Language): Promise<string> => {
  const event = await store.getEvent(eventId);
  if (!event) throw new EventNotFoundError(eventId);
  const sessions = event.definition.sessions.map((s) => s.id);
  const attending = (await store.listInvitations(eventId))
    // A revoked invitation is listed too, `revoked` in each session it was invited to, so the door and the venue know not to expect them.
    .filter((inv) => inv.status === 'revoked' || sessions.some((s) => ['confirmed', 'waitlisted'].includes(inv.responses[s]?.status ?? '')))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  // In the reader's language (`language`), every code reads as words; without it, the data format.
  const words = language && readableWords(event.definition, language);
  const status = (s: ResponseStatus | 'revoked' | '') => (words && s ? words.status(s) : s);
  // Each named companion is a row of their own, right after their invitee: the venue counts and seats people.
  return toCsv(
    words ? [...COLUMNS.map(words.header), ...sessions.map(words.session)] : [...COLUMNS, ...sessions],
    attending.flatMap((inv) => {
      const statuses = sessions.map((s) => status(inv.sessions.includes(s) ? (inv.status === 'revoked' ? 'revoked' : (inv.responses[s]?.status ?? 'pending')) : ''));
      const country = words ? words.country(inv.country) : inv.country;
      const category = words ? words.category(inv.category) : inv.category;
      return [
        [
          inv.name,
          '',
          '',
          inv.title,
          inv.email,
          inv.organization,
          country,
          category,
          words ? words.language(inv.language) : inv.language,
          inv.guests,
          inv.badgeName,
          inv.dietary,
          inv.accessibility,
          words ? words.topics(inv.topics) : inv.topics,
          ...statuses,
        ],
        ...(inv.companions ?? []).map((c) => [
          c.name,
          words ? words.role(c.role) : c.role,
          inv.name,
          '',
          '',
          inv.organization,
          country,
          category,
          words ? words.language(c.language) : c.language,
          '',
          '',
          '',
          '',
          '',
          ...statuses,
        ]),
      ];
    }),
  );
};
