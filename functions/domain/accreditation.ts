import * as z from './zod.js';
import type { AuditEntry } from './access/audit.js';
import { toCsv } from './csv.js';
import { DomainError, EventNotFoundError } from './errors.js';
import { plainText } from './text.js';
import { COMPANION_HOLDER, holderNumber } from './delegation.js';
import type { Accreditation, Companion, CompanionRole, Invitation, ResponseStatus } from './model.js';
import type { ReadableWords } from './exports/readable.js';
import type { CumbreStore, EventRecord } from './ports.js';

/** Security's decision on one accredited person. A new accreditation from the invitee clears it. */
export interface Clearance {
  state: 'cleared' | 'refused';
  note: string;
  /** Email of the security officer who decided. */
  by: string;
  at: string;
}

export interface AccreditationRecord {
  invitationId: string;
  /** A companion's holder id (`c1`…); absent for the invitee. */
  holder?: string;
  accreditation: Accreditation;
  clearance?: Clearance;
}

/**
 * Where accreditation data lives (its own table and key): the RSVP function writes it through
 * `CumbreStore.commitInvitation`; only the accreditation function has this port.
 */
export interface AccreditationRecords {
  list(eventId: string): Promise<AccreditationRecord[]>;
  /** The invitee's record, or with `holder` a companion's. */
  get(eventId: string, invitationId: string, holder?: string): Promise<AccreditationRecord | undefined>;
  /**
   * Sets the clearance only while it is still `expected` (so two officers cannot silently
   * overwrite each other), with the audit record in the same transaction.
   */
  setClearance(eventId: string, invitationId: string, expected: Clearance | undefined, next: Clearance, audit: AuditEntry, holder?: string): Promise<void>;
}

export const clearanceRequestSchema = z
  .strictObject({
    state: z.enum(['cleared', 'refused']),
    note: z._default(plainText(500), ''),
    /** A companion of the invitation (`c1`…); absent for the invitee. */
    holder: z.optional(z.string().check(z.regex(COMPANION_HOLDER, 'must be a companion id (c1, c2, …)'))),
  })
  .check(z.refine((c) => c.state !== 'refused' || c.note.length > 0, { path: ['note'], message: 'is required when refusing' }));

export class NotAccreditedError extends DomainError {
  readonly code = 'not_accredited';
  constructor(invitationId: string) {
    super(`Invitation ${invitationId} has no accreditation on file`);
  }
}

export class ClearanceChangedError extends DomainError {
  readonly code = 'clearance_changed';
  constructor() {
    super('Someone else changed this clearance in the meantime; reload and decide again');
  }
}

export interface AccreditationRow {
  session: string;
  status: string;
  invitationId: string;
  /** `''` for the invitee, `c1`… for a companion (the clearance route takes it). */
  holder: string;
  name: string;
  /** A companion's role in the delegation; empty for the invitee. */
  role: string;
  /** For a companion: the invitee whose delegation they belong to. */
  delegationOf: string;
  title: string;
  email: string;
  organization: string;
  country: string;
  nationality?: string;
  idDocumentNumber?: string;
  guests: number;
  clearance: 'cleared' | 'refused' | 'pending';
  clearanceNote: string;
  clearedBy: string;
  clearedAt: string;
}

/**
 * The security accreditation list for head-of-state sessions: the only place nationality and ID
 * document numbers leave their table. One row per person — the invitee and each named companion —
 * confirmed or waitlisted in such a session, with security's clearance decision.
 */
/** `known`: the event as the caller already read it (the export names its sessions from it), else read here. */
export const accreditationRows = async (store: CumbreStore, records: AccreditationRecords, eventId: string, known?: EventRecord): Promise<AccreditationRow[]> => {
  const event = known ?? (await store.getEvent(eventId));
  if (!event) throw new EventNotFoundError(eventId);
  const guarded = event.definition.sessions.filter((s) => s.requiresAccreditation).map((s) => s.id);
  const [invitations, accreditations] = await Promise.all([store.listInvitations(eventId), records.list(eventId)]);
  const byPerson = new Map(accreditations.map((a) => [`${a.invitationId}#${a.holder ?? ''}`, a]));
  const row = (inv: Invitation, s: string, person: Companion | undefined): AccreditationRow => {
    const record = byPerson.get(`${inv.id}#${person?.id ?? ''}`);
    return {
      session: s,
      status: inv.responses[s].status,
      invitationId: inv.id,
      holder: person?.id ?? '',
      name: person?.name ?? inv.name,
      role: person?.role ?? '',
      delegationOf: person ? inv.name : '',
      title: person ? '' : (inv.title ?? ''),
      email: person ? '' : inv.email,
      organization: inv.organization ?? '',
      country: inv.country,
      nationality: record?.accreditation.nationality,
      idDocumentNumber: record?.accreditation.idDocumentNumber,
      guests: person ? 0 : inv.guests,
      clearance: record?.clearance?.state ?? 'pending',
      clearanceNote: record?.clearance?.note ?? '',
      clearedBy: record?.clearance?.by ?? '',
      clearedAt: record?.clearance?.at ?? '',
    };
  };
  const rows = invitations.flatMap((inv) =>
    guarded
      .filter((s) => ['confirmed', 'waitlisted'].includes(inv.responses[s]?.status ?? ''))
      .flatMap((s) => [row(inv, s, undefined), ...(inv.companions ?? []).map((c) => row(inv, s, c))]),
  );
  // A delegation stays together: its invitee's name sorts it, the invitee first, companions by holder.
  const party = (r: AccreditationRow) => r.delegationOf || r.name;
  return rows.sort(
    (a, b) =>
      a.session.localeCompare(b.session) || party(a).localeCompare(party(b)) || a.invitationId.localeCompare(b.invitationId) || holderNumber(a.holder) - holderNumber(b.holder),
  );
};

const COLUMNS = [
  'session',
  'status',
  'name',
  'role',
  'delegationOf',
  'title',
  'email',
  'organization',
  'country',
  'nationality',
  'idDocumentNumber',
  'guests',
  'clearance',
  'clearanceNote',
  'clearedBy',
  'clearedAt',
] as const;

/** One cell as a reader of `words`' language reads it: names for ids and codes, the venue's clock for instants. */
const readableCell = (r: AccreditationRow, column: (typeof COLUMNS)[number], words: ReadableWords) => {
  switch (column) {
    case 'session':
      return words.session(r.session);
    case 'status':
      return words.status(r.status as ResponseStatus);
    case 'role':
      return words.role(r.role as CompanionRole | '');
    case 'country':
    case 'nationality':
      return words.country(r[column]);
    case 'clearance':
      return words.clearance(r.clearance);
    case 'clearedAt':
      return words.time(r.clearedAt);
    default:
      return r[column];
  }
};

/** The list as CSV: with `words`, written for a reader of their language; without, the data format (ids, codes, UTC instants). */
export const accreditationCsv = (rows: AccreditationRow[], words?: ReadableWords) =>
  toCsv(
    words ? COLUMNS.map(words.header) : COLUMNS,
    rows.map((r) => COLUMNS.map((c) => (words ? readableCell(r, c, words) : r[c]))),
  );

/** The CSV export (kept for callers that want the file in one step). */
export const accreditationExport = async (store: CumbreStore, records: AccreditationRecords, eventId: string): Promise<string> =>
  accreditationCsv(await accreditationRows(store, records, eventId));
