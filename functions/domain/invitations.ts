import * as z from 'zod';
import { parse as parseCsv } from 'csv-parse/sync';
import { COUNTRY_CODES } from './countries.js';
import { EventNotFoundError, InvitationNotFoundError, ValidationError, type FieldIssue } from './errors.js';
import { categorySchema, languageSchema, type EventDefinition, type Invitation, type InvitationStatus } from './model.js';
import { newEvent, type CumbreEvent } from './outbox.js';
import type { ImportResultRow, InvitationPage, InvitationSummary } from './organizer-api.js';
import type { Clock, CumbreStore, IdGenerator } from './ports.js';
import { deriveRsvpToken, hashToken, invitationIdFor, newTokenNonce } from './tokens.js';

/** Names and free text reach HTML pages, PDFs and email clients: markup is refused at the door. */
const MARKUP = /[<>]|javascript:/i;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !MARKUP.test(v), 'must not contain HTML or script')
    .refine((v) => !CONTROL.test(v), 'must not contain control characters');

const optionalText = (max: number) =>
  plainText(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const MAX_IMPORT_ROWS = 10_000;
export const IMPORT_FIELDS = ['email', 'name', 'title', 'organization', 'country', 'category', 'language', 'sessions', 'guests'] as const;

export const invitationInputSchema = z.strictObject({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .pipe(z.email('must be a valid email address')),
  name: plainText(120).pipe(z.string().min(1, 'is required')),
  title: optionalText(60),
  organization: optionalText(160),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine((c) => COUNTRY_CODES.has(c), 'must be an ISO 3166-1 alpha-2 code such as MX, US or CA'),
  category: categorySchema,
  language: languageSchema,
  /** Session ids; empty or missing means every session of the event. */
  sessions: z.array(z.string().trim().min(1)).max(50).default([]),
  guests: z.coerce.number().int('must be a whole number').min(0).max(2).default(0),
});
export type InvitationInput = z.infer<typeof invitationInputSchema>;

export type ImportedRow = { row: number; data: unknown };

/** Turns zod issues into field issues with the row they came from. */
export const toFieldIssues = (error: z.ZodError, row?: number, prefix = ''): FieldIssue[] =>
  error.issues.map((issue) => ({
    field: prefix + (issue.path.length ? issue.path.join('.') : ((issue as { keys?: string[] }).keys?.join(',') ?? 'body')),
    message: issue.code === 'unrecognized_keys' ? `unknown field ${(issue as { keys: string[] }).keys.join(', ')}` : issue.message,
    ...(row !== undefined ? { row } : {}),
  }));

/**
 * Reads a CSV upload. Rows are numbered as a spreadsheet shows them (the header is row 1).
 * `sessions` is `;`-separated; empty cells are absent fields.
 */
export const parseInvitationCsv = (text: string): ImportedRow[] => {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parseCsv(text, { columns: true, bom: true, trim: true, skip_empty_lines: true, info: true, relax_column_count: false }) as never;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new ValidationError([{ field: 'csv', message: `unreadable CSV: ${(err as Error).message}`, ...(line ? { row: line } : {}) }]);
  }
  if (records.length === 0) throw new ValidationError([{ field: 'csv', message: 'no rows after the header' }]);
  const header = Object.keys(records[0]!.record);
  const unknown = header.filter((h) => !(IMPORT_FIELDS as readonly string[]).includes(h));
  if (unknown.length) throw new ValidationError([{ field: 'csv', row: 1, message: `unknown column ${unknown.join(', ')}; expected ${IMPORT_FIELDS.join(', ')}` }]);
  return records.map(({ record, info }) => {
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (value === '') continue;
      data[key] = key === 'sessions' ? value.split(';').map((s) => s.trim()).filter(Boolean) : value;
    }
    return { row: info.lines, data };
  });
};

export type { ImportResultRow };

export interface InvitationServiceDeps {
  store: CumbreStore;
  clock: Clock;
  ids: IdGenerator;
  tokenSecret: string;
  publicBaseUrl: string;
}

const PROFILE_FIELDS = ['name', 'title', 'organization', 'country', 'category', 'language', 'sessions', 'guestsAllowed'] as const;

export const rsvpUrlFor = (baseUrl: string, token: string) => `${baseUrl.replace(/\/+$/, '')}/rsvp/${token}`;

export const overallStatus = (inv: Pick<Invitation, 'responses' | 'sessions'>): InvitationStatus => {
  const statuses = inv.sessions.map((s) => inv.responses[s]?.status ?? 'pending');
  if (statuses.includes('confirmed')) return 'confirmed';
  if (statuses.includes('waitlisted')) return 'waitlisted';
  if (statuses.length > 0 && statuses.every((s) => s === 'declined')) return 'declined';
  return 'pending';
};

export interface ImportOptions {
  /**
   * Validate every row against the event and the stored invitations and report what would be
   * created, updated or left unchanged, writing nothing. Organizers preview a file this way before
   * committing it; no token is derived, so a dry run never returns RSVP links.
   */
  dryRun?: boolean;
}

/** Imports and updates invitations; rejects the whole batch when any row is invalid. */
export class InvitationService {
  constructor(private readonly deps: InvitationServiceDeps) {}

  async import(eventId: string, rows: ImportedRow[], options: ImportOptions = {}): Promise<ImportResultRow[]> {
    const { store, clock } = this.deps;
    if (rows.length === 0) throw new ValidationError([{ field: 'body', message: 'no invitations given' }]);
    if (rows.length > MAX_IMPORT_ROWS) throw new ValidationError([{ field: 'body', message: `at most ${MAX_IMPORT_ROWS} invitations per request` }]);
    const event = await store.getEvent(eventId);
    if (!event) throw new EventNotFoundError(eventId);

    const valid = this.validate(event.definition, rows);
    const ids = valid.map((v) => invitationIdFor(eventId, v.input.email));
    const existing = new Map((await store.getInvitations(eventId, ids)).map((i) => [i.id, i]));
    const now = clock.now();
    const iso = now.toISOString();

    const issues: FieldIssue[] = [];
    const creates: Array<{ row: number; invitation: Invitation; token: string }> = [];
    const updates: Array<{ row: number; before: Invitation; after: Invitation; changed: string[] }> = [];
    const results: ImportResultRow[] = [];

    valid.forEach(({ row, input }, index) => {
      const id = ids[index]!;
      const sessions = input.sessions.length ? input.sessions : event.definition.sessions.map((s) => s.id);
      const before = existing.get(id);
      if (!before) {
        const nonce = newTokenNonce();
        const token = deriveRsvpToken(this.deps.tokenSecret, id, nonce);
        const invitation: Invitation = {
          id, eventId, email: input.email, name: input.name, title: input.title, organization: input.organization,
          country: input.country, category: input.category, language: input.language, sessions,
          guestsAllowed: input.guests, guests: 0, tokenHash: hashToken(token), tokenNonce: nonce, responses: {},
          status: 'pending', topics: [], hasAccreditation: false, version: 1, createdAt: iso, updatedAt: iso,
        };
        creates.push({ row, invitation, token });
        return;
      }
      const after: Invitation = { ...before, name: input.name, title: input.title, organization: input.organization,
        country: input.country, category: input.category, language: input.language, sessions, guestsAllowed: input.guests };
      const changed = PROFILE_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
      const answered = before.sessions.filter((s) => !sessions.includes(s) && ['confirmed', 'waitlisted'].includes(before.responses[s]?.status ?? ''));
      if (answered.length) issues.push({ row, field: 'sessions', message: `cannot remove ${answered.join(', ')}: the invitee holds a seat or waitlist place there; they must decline it first` });
      if (input.guests < before.guests) issues.push({ row, field: 'guests', message: `the invitee already brings ${before.guests} guest(s)` });
      if (changed.length === 0) results.push({ row, id, email: input.email, status: 'unchanged' });
      else updates.push({ row, before, after: { ...after, status: overallStatus(after), version: before.version + 1, updatedAt: iso }, changed });
    });
    if (issues.length) throw new ValidationError(issues);
    if (options.dryRun) {
      results.push(
        ...creates.map(({ row, invitation }) => ({ row, id: invitation.id, email: invitation.email, status: 'created' as const })),
        ...updates.map(({ row, after }) => ({ row, id: after.id, email: after.email, status: 'updated' as const })),
      );
      return results.sort((a, b) => a.row - b.row);
    }

    await store.createInvitations(
      creates.map(({ invitation }) => ({
        invitation,
        events: [newEvent({ type: 'invitation.created', eventId, invitationId: invitation.id, email: invitation.email, language: invitation.language, reason: 'created' }, now, this.deps.ids.newId())],
      })),
    );
    for (const c of creates) results.push({ row: c.row, id: c.invitation.id, email: c.invitation.email, status: 'created', rsvpUrl: rsvpUrlFor(this.deps.publicBaseUrl, c.token) });

    for (const u of updates) {
      const events: CumbreEvent[] = [newEvent({ type: 'invitation.updated', eventId, invitationId: u.after.id, changed: u.changed }, now, this.deps.ids.newId())];
      await store.commitInvitation({ invitation: u.after, expectedVersion: u.before.version, sessionChanges: [], events });
      results.push({ row: u.row, id: u.after.id, email: u.after.email, status: 'updated' });
    }
    return results.sort((a, b) => a.row - b.row);
  }

  private validate(event: EventDefinition, rows: ImportedRow[]) {
    const sessionIds = new Set(event.sessions.map((s) => s.id));
    const issues: FieldIssue[] = [];
    const seen = new Map<string, number>();
    const valid: Array<{ row: number; input: InvitationInput }> = [];
    for (const { row, data } of rows) {
      const parsed = invitationInputSchema.safeParse(data);
      if (!parsed.success) {
        issues.push(...toFieldIssues(parsed.error, row));
        continue;
      }
      const input = parsed.data;
      const unknown = input.sessions.filter((s) => !sessionIds.has(s));
      if (unknown.length) issues.push({ row, field: 'sessions', message: `unknown session ${unknown.join(', ')}; expected ${[...sessionIds].join(', ')}` });
      const first = seen.get(input.email);
      if (first !== undefined) issues.push({ row, field: 'email', message: `duplicate of row ${first}` });
      seen.set(input.email, row);
      valid.push({ row, input });
    }
    if (issues.length) throw new ValidationError(issues, `${new Set(issues.map((i) => i.row)).size} row(s) invalid; nothing was written`);
    return valid;
  }
}

/** Organizer listing filters. Text search covers name, email and organization, accent- and case-blind. */
export const listQuerySchema = z.strictObject({
  status: z.enum(['pending', 'confirmed', 'waitlisted', 'declined']).optional(),
  category: categorySchema.optional(),
  country: z.string().trim().toUpperCase().length(2).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['name', 'email', 'organization', 'country', 'updatedAt']).default('name'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

const fold = (s: string | undefined) => (s ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export type { InvitationSummary };
export const toSummary = ({ tokenHash: _h, tokenNonce: _n, ...rest }: Invitation): InvitationSummary => rest;

export const filterInvitations = (all: Invitation[], query: ListQuery): InvitationPage => {
  const needle = fold(query.q);
  const matches = all
    .filter((i) => !query.status || i.status === query.status)
    .filter((i) => !query.category || i.category === query.category)
    .filter((i) => !query.country || i.country === query.country)
    .filter((i) => !needle || [i.name, i.email, i.organization].some((v) => fold(v).includes(needle)))
    .sort((a, b) => fold(String(a[query.sort] ?? '')).localeCompare(fold(String(b[query.sort] ?? ''))) || a.id.localeCompare(b.id));
  const offset = query.cursor ? decodeCursor(query.cursor) : 0;
  const page = matches.slice(offset, offset + query.limit);
  const next = offset + query.limit < matches.length ? encodeCursor(offset + query.limit) : undefined;
  return { total: matches.length, items: page.map(toSummary), ...(next ? { nextCursor: next } : {}) };
};

const encodeCursor = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
const decodeCursor = (cursor: string): number => {
  try {
    const o = (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    /* falls through to the validation error */
  }
  throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
};


/** Sends the invitation email again (same link): a new `invitation.created` change with reason `resend`. */
export const resendInvitation = async ({ store, clock, ids }: Pick<InvitationServiceDeps, 'store' | 'clock' | 'ids'>, eventId: string, invitationId: string): Promise<void> => {
  const invitation = await store.getInvitation(eventId, invitationId);
  if (!invitation) throw new InvitationNotFoundError();
  const now = clock.now();
  await store.commitInvitation({
    invitation: { ...invitation, version: invitation.version + 1, updatedAt: now.toISOString() },
    expectedVersion: invitation.version,
    sessionChanges: [],
    events: [newEvent({ type: 'invitation.created', eventId, invitationId, email: invitation.email, language: invitation.language, reason: 'resend' }, now, ids.newId())],
  });
};
