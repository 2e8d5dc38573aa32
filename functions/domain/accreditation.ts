import { toCsv } from './csv.js';
import { EventNotFoundError } from './errors.js';
import type { CumbreStore } from './ports.js';

/**
 * The security accreditation list for head-of-state sessions: the only place nationality and ID
 * document numbers leave the table. One row per invitee confirmed or waitlisted in such a session.
 */
export const accreditationExport = async (store: CumbreStore, eventId: string): Promise<string> => {
  const event = await store.getEvent(eventId);
  if (!event) throw new EventNotFoundError(eventId);
  const guarded = event.definition.sessions.filter((s) => s.requiresAccreditation).map((s) => s.id);
  const [invitations, accreditations] = await Promise.all([store.listInvitations(eventId), store.listAccreditations(eventId)]);
  const byId = new Map(accreditations.map((a) => [a.invitationId, a.accreditation]));
  const rows = invitations.flatMap((inv) =>
    guarded
      .filter((s) => ['confirmed', 'waitlisted'].includes(inv.responses[s]?.status ?? ''))
      .map((s) => [s, inv.responses[s]!.status, inv.name, inv.title, inv.email, inv.organization, inv.country, byId.get(inv.id)?.nationality, byId.get(inv.id)?.idDocumentNumber, inv.guests]),
  );
  rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[2]).localeCompare(String(b[2])));
  return toCsv(['session', 'status', 'name', 'title', 'email', 'organization', 'country', 'nationality', 'idDocumentNumber', 'guests'], rows);
};
