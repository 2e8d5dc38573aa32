import { toCsv } from './csv.js';
import { EventNotFoundError } from './errors.js';
import type { CumbreStore } from './ports.js';

/**
 * Who is coming: one row per invitee confirmed or waitlisted in at least one session (and per revoked invitation) and one per
 * named companion (`role`, `delegationOf`), a status column per session, and what the venue needs to know (guests, dietary and accessibility needs,
 * badge name). Never the accreditation: that leaves only through the accreditation export.
 */
export const attendeesExport = async (store: CumbreStore, eventId: string): Promise<string> => {
  const event = await store.getEvent(eventId);
  if (!event) throw new EventNotFoundError(eventId);
  const sessions = event.definition.sessions.map((s) => s.id);
  const attending = (await store.listInvitations(eventId))
    // A revoked invitation is listed too, `revoked` in each session it was invited to, so the door and the venue know not to expect them.
    .filter((inv) => inv.status === 'revoked' || sessions.some((s) => ['confirmed', 'waitlisted'].includes(inv.responses[s]?.status ?? '')))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  // Each named companion is a row of their own, right after their invitee: the venue counts and seats people.
  return toCsv(
    ['name', 'role', 'delegationOf', 'title', 'email', 'organization', 'country', 'category', 'language', 'guests', 'badgeName', 'dietary', 'accessibility', 'topics', ...sessions],
    attending.flatMap((inv) => {
      const statuses = sessions.map((s) => (inv.sessions.includes(s) ? (inv.status === 'revoked' ? 'revoked' : (inv.responses[s]?.status ?? 'pending')) : ''));
      return [
        [
          inv.name,
          '',
          '',
          inv.title,
          inv.email,
          inv.organization,
          inv.country,
          inv.category,
          inv.language,
          inv.guests,
          inv.badgeName,
          inv.dietary,
          inv.accessibility,
          inv.topics,
          ...statuses,
        ],
        ...(inv.companions ?? []).map((c) => [c.name, c.role, inv.name, '', '', inv.organization, inv.country, inv.category, c.language, '', '', '', '', '', ...statuses]),
      ];
    }),
  );
};
