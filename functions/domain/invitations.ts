import * as z from './zod.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { countryCodeSchema } from './countries.js';
import { ConcurrentUpdateError, EventNotFoundError, ImportConflictError, ValidationError, type FieldIssue } from './errors.js';
import { categorySchema, languageSchema, type EventDefinition, type Invitation } from './model.js';
import { newEvent, type CumbreEvent } from './outbox.js';
import type { ChangedField, ImportField, ImportResultRow } from './organizer-api.js';
import type { Clock, CumbreStore, IdGenerator } from './ports.js';
import { changedFields, type AuditEntry } from './access/audit.js';
import { deriveRsvpToken, hashToken, invitationIdFor, newTokenNonce } from './tokens.js';
import { plainText, requiredText } from './text.js';
import { overallStatus } from './invitation-status.js';
import { toFieldIssues } from './field-issues.js';
import { rsvpUrlFor } from './invitations/links.js';
import { columnFor, namesToCodes } from './invitations/spreadsheet.js';

export { plainText } from './text.js';

const optionalText = (max: number) =>
  z.pipe(
    z.optional(plainText(max)),
    z.transform((v: string | undefined) => (v ? v : undefined)),
  );

export const MAX_IMPORT_ROWS = 10_000;
export const IMPORT_FIELDS = ['email', 'name', 'title', 'organization', 'country', 'category', 'language', 'sessions', 'guests'] as const satisfies readonly ImportField[];

export const invitationInputSchema = z.strictObject({
  email: z.pipe(z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254)), z.email('must be a valid email address')),
  name: requiredText(120),
  title: optionalText(60),
  organization: optionalText(160),
  country: countryCodeSchema('must be an ISO 3166-1 alpha-2 code such as MX, US or CA'),
  category: categorySchema,
  language: languageSchema,
  /** Session ids; empty or missing means every session of the event. */
  sessions: z._default(
    z.array(z.string().check(z.trim(), z.minLength(1))).check(
      z.maxLength(50),
      z.superRefine((ids: string[], ctx) => {
        // One answer per session: a repeated id would put two operations on one counter in a transaction.
        const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
        if (repeated.length) ctx.addIssue({ code: 'custom', message: `lists ${repeated.join(', ')} more than once` });
      }),
    ),
    [],
  ),
  /** A JSON number: `true` or `"1"` is refused, not coerced (CSV cells are numbers by `parseInvitationCsv`). */
  guests: z._default(z.number('must be a whole number').check(z.int('must be a whole number'), z.gte(0), z.lte(2)), 0),
});
export type InvitationInput = z.infer<typeof invitationInputSchema>;

export type ImportedRow = { row: number; data: unknown };

/**
 * Reads a CSV upload. Rows are numbered as a spreadsheet shows them (the header is row 1), its
 * headings in Spanish, English or French (spreadsheet.ts). `sessions` is `;`-separated; empty
 * cells are absent fields.
 */
export const parseInvitationCsv = (text: string): ImportedRow[] => {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    // Headings in any of the three languages ("correo", "pays"), read as the columns they name.
    const columns = (header: string[]) => {
      const unknown = header.filter((h) => !columnFor(h));
      if (unknown.length) throw new ValidationError([{ field: 'csv', row: 1, message: `unknown column ${unknown.join(', ')}; expected ${IMPORT_FIELDS.join(', ')}` }]);
      const named = header.map((h) => columnFor(h)!);
      const repeated = named.filter((h, i) => named.indexOf(h) !== i);
      if (repeated.length) throw new ValidationError([{ field: 'csv', row: 1, message: `column ${[...new Set(repeated)].join(', ')} appears more than once` }]);
      return named;
    };
    records = parseCsv(text, { columns, bom: true, trim: true, skip_empty_lines: true, info: true, relax_column_count: false }) as never;
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const line = (err as { lines?: number }).lines;
    throw new ValidationError([{ field: 'csv', message: `unreadable CSV: ${(err as Error).message}`, ...(line ? { row: line } : {}) }]);
  }
  if (records.length === 0) throw new ValidationError([{ field: 'csv', message: 'no rows after the header' }]);
  return records.map(({ record, info }) => {
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (value === '') continue;
      data[key] =
        key === 'sessions'
          ? value
              .split(';')
              .map((s) => s.trim())
              .filter(Boolean)
          : key === 'guests' && /^\d{1,3}$/.test(value)
            ? Number(value)
            : value;
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

const PROFILE_FIELDS = ['name', 'title', 'organization', 'country', 'category', 'language', 'sessions', 'guestsAllowed'] as const satisfies readonly ChangedField[];

/** Attempts at one transaction of an import before a concurrent writer is reported. */
const IMPORT_ATTEMPTS = 10;

interface Creation {
  row: number;
  input: InvitationInput;
  sessions: string[];
  invitation: Invitation;
  token: string;
}
interface Update {
  row: number;
  input: InvitationInput;
  sessions: string[];
  before: Invitation;
  after: Invitation;
  changed: string[];
}

/**
 * Identifies a file's content: invitations created by an attempt at the same file carry it, so a
 * retried or concurrent identical import reports them as created and returns their links.
 */
export const importIdFor = (eventId: string, inputs: InvitationInput[]) =>
  'imp_' +
  createHash('sha256')
    .update(JSON.stringify([eventId, inputs]))
    .digest('base64url')
    .slice(0, 22);

/** What importing `input` over the stored invitation changes, and why it may not. */
const planUpdate = (row: number, before: Invitation, input: InvitationInput, sessions: string[], iso: string) => {
  const issues: FieldIssue[] = [];
  // Organizers' own changes win over a file: a revoked invitation stays revoked, a replaced invitee stays replaced.
  if (before.revoked) issues.push({ row, field: 'email', message: 'this invitation was revoked from the dashboard; it cannot be re-imported' });
  else if (before.email !== input.email) issues.push({ row, field: 'email', message: `this invitation was passed on to ${before.email}; edit it from the dashboard` });
  const next: Invitation = {
    ...before,
    name: input.name,
    title: input.title,
    organization: input.organization,
    country: input.country,
    category: input.category,
    language: input.language,
    sessions,
    guestsAllowed: input.guests,
  };
  const changed = PROFILE_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(next[f]));
  const answered = before.sessions.filter((s) => !sessions.includes(s) && ['confirmed', 'waitlisted'].includes(before.responses[s]?.status ?? ''));
  if (answered.length)
    issues.push({ row, field: 'sessions', message: `cannot remove ${answered.join(', ')}: the invitee holds a seat or waitlist place there; they must decline it first` });
  if (input.guests < before.guests) issues.push({ row, field: 'guests', message: `the invitee already brings ${before.guests} guest(s)` });
  return { issues, changed: [...changed], after: { ...next, status: overallStatus(next), version: before.version + 1, updatedAt: iso } };
};

/** Builds the organizer's audit record of one transaction (actor, time, route and id filled in by the caller). */
export type AuditFor = (record: Pick<AuditEntry, 'action'> & Partial<Pick<AuditEntry, 'target' | 'subject' | 'before' | 'after' | 'detail'>>) => AuditEntry;

/** The audit record of one import transaction: its rows, with before/after of an update's changed fields. */
const importAudit = (
  auditFor: AuditFor | undefined,
  importId: string,
  rows: Array<{ id: string; email: string; status: 'created' | 'updated' }>,
  change?: { before: Invitation; after: Invitation; changed: string[] },
) =>
  auditFor?.({
    action: 'invitations.imported',
    ...(rows.length === 1 ? { target: rows[0].id } : {}),
    ...(change ? changedFields(pick(change.before, change.changed), pick(change.after, change.changed)) : {}),
    detail: { importId, created: rows.filter((r) => r.status === 'created').length, updated: rows.filter((r) => r.status === 'updated').length, rows },
  });
const pick = (inv: Invitation, fields: string[]) => Object.fromEntries(fields.map((f) => [f, (inv as unknown as Record<string, unknown>)[f]]));

export interface ImportOptions {
  /**
   * Validate every row against the event and the stored invitations and report what would be
   * created, updated or left unchanged, writing nothing. Organizers preview a file this way before
   * committing it; no token is derived, so a dry run never returns RSVP links.
   */
  dryRun?: boolean;
  /**
   * The organizer's audit record for each transaction, written in it: every row an import changes
   * is recorded with the change or not changed at all (an import spans many transactions).
   */
  audit?: AuditFor;
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
    const importId = importIdFor(
      eventId,
      valid.map((v) => v.input),
    );
    const ids = valid.map((v) => invitationIdFor(eventId, v.input.email));
    const existing = new Map((await store.getInvitations(eventId, ids)).map((i) => [i.id, i]));
    const now = clock.now();
    const iso = now.toISOString();

    const issues: FieldIssue[] = [];
    const creates: Creation[] = [];
    const updates: Update[] = [];
    const results: ImportResultRow[] = [];

    valid.forEach(({ row, input }, index) => {
      const id = ids[index];
      const sessions = input.sessions.length ? input.sessions : event.definition.sessions.filter((s) => !s.cancelled).map((s) => s.id);
      const before = existing.get(id);
      if (!before) {
        const nonce = newTokenNonce();
        const token = deriveRsvpToken(this.deps.tokenSecret, id, nonce);
        const invitation: Invitation = {
          id,
          eventId,
          email: input.email,
          name: input.name,
          title: input.title,
          organization: input.organization,
          country: input.country,
          category: input.category,
          language: input.language,
          sessions,
          guestsAllowed: input.guests,
          guests: 0,
          tokenHash: hashToken(token),
          tokenNonce: nonce,
          responses: {},
          status: 'pending',
          topics: [],
          hasAccreditation: false,
          importId,
          version: 1,
          createdAt: iso,
          updatedAt: iso,
        };
        creates.push({ row, input, sessions, invitation, token });
        return;
      }
      const plan = planUpdate(row, before, input, sessions, iso);
      issues.push(...plan.issues);
      if (before.importId === importId && plan.changed.length === 0) results.push(this.created(row, before));
      else if (plan.changed.length === 0) results.push({ row, id, email: input.email, status: 'unchanged' });
      else updates.push({ row, input, sessions, before, after: plan.after, changed: plan.changed });
    });
    if (issues.length) throw new ValidationError(issues);
    if (options.dryRun) {
      results.push(
        ...creates.map(({ row, invitation }) => ({ row, id: invitation.id, email: invitation.email, status: 'created' as const })),
        ...updates.map(({ row, after }) => ({ row, id: after.id, email: after.email, status: 'updated' as const })),
      );
      return results.map(({ rsvpUrl: _link, ...r }) => r).sort((a, b) => a.row - b.row);
    }

    // Updates first: the only step a concurrent answer can make fail (a seat taken meanwhile in a
    // session the file removes), so it fails before any invitation is created or emailed.
    for (const u of updates) results.push(await this.applyUpdate(eventId, u, now, importId, options.audit));
    results.push(...(await this.createAll(eventId, importId, creates, now, options.audit)));
    return results.sort((a, b) => a.row - b.row);
  }

  private created(row: number, invitation: Invitation): ImportResultRow {
    const token = deriveRsvpToken(this.deps.tokenSecret, invitation.id, invitation.tokenNonce);
    return { row, id: invitation.id, email: invitation.email, status: 'created', rsvpUrl: rsvpUrlFor(this.deps.publicBaseUrl, token) };
  }

  /** An update re-planned on the invitation as it is now when an answer or another import got there first. */
  private async applyUpdate(eventId: string, update: Update, now: Date, importId: string, auditFor?: AuditFor): Promise<ImportResultRow> {
    let { before, after, changed } = update;
    for (let attempt = 1; ; attempt++) {
      if (changed.length === 0) return { row: update.row, id: before.id, email: before.email, status: 'updated' };
      try {
        const events: CumbreEvent[] = [newEvent({ type: 'invitation.updated', eventId, invitationId: after.id, changed }, now, this.deps.ids.newId())];
        const audit = importAudit(auditFor, importId, [{ id: after.id, email: after.email, status: 'updated' }], { before, after, changed });
        await this.deps.store.commitInvitation({ invitation: after, expectedVersion: before.version, sessionChanges: [], events, ...(audit ? { audit } : {}) });
        return { row: update.row, id: after.id, email: after.email, status: 'updated' };
      } catch (err) {
        if (!(err instanceof ConcurrentUpdateError) || attempt >= IMPORT_ATTEMPTS) throw err;
      }
      const fresh = await this.deps.store.getInvitation(eventId, before.id);
      if (!fresh) throw new ConcurrentUpdateError(`The invitation of row ${update.row}`);
      const plan = planUpdate(update.row, fresh, update.input, update.sessions, now.toISOString());
      if (plan.issues.length) throw new ImportConflictError(plan.issues);
      ({ before, after, changed } = { before: fresh, ...plan });
    }
  }

  /**
   * Creates 25 invitations per transaction (each with its token and outbox record), a few at once.
   * An invitation that appeared meanwhile was created by a concurrent or earlier attempt at the
   * same file (same import id: reported as created, with its link) or by another file (updated).
   * So two identical imports at once, or a retried one, both end with every link, each invitation
   * created and emailed once.
   */
  private async createAll(eventId: string, importId: string, creates: Creation[], now: Date, auditFor?: AuditFor): Promise<ImportResultRow[]> {
    const results: ImportResultRow[] = [];
    const events = new Map(
      creates.map((c) => [
        c.invitation.id,
        newEvent(
          { type: 'invitation.created', eventId, invitationId: c.invitation.id, email: c.invitation.email, language: c.invitation.language, reason: 'created' },
          now,
          this.deps.ids.newId(),
        ),
      ]),
    );
    const runChunk = async (chunk: Creation[]) => {
      let pending = chunk;
      for (let attempt = 1; pending.length; attempt++) {
        try {
          await this.deps.store.createInvitations(
            pending.map((c) => ({ invitation: c.invitation, events: [events.get(c.invitation.id)!] })),
            importAudit(
              auditFor,
              importId,
              pending.map((c) => ({ id: c.invitation.id, email: c.invitation.email, status: 'created' as const })),
            ),
          );
          results.push(
            ...pending.map((c) => ({
              row: c.row,
              id: c.invitation.id,
              email: c.invitation.email,
              status: 'created' as const,
              rsvpUrl: rsvpUrlFor(this.deps.publicBaseUrl, c.token),
            })),
          );
          return;
        } catch (err) {
          if (!(err instanceof ConcurrentUpdateError) || attempt >= IMPORT_ATTEMPTS) throw err;
        }
        const found = new Map(
          (
            await this.deps.store.getInvitations(
              eventId,
              pending.map((c) => c.invitation.id),
            )
          ).map((i) => [i.id, i]),
        );
        for (const c of pending.filter((p) => found.has(p.invitation.id))) {
          const current = found.get(c.invitation.id)!;
          if (current.importId === importId) results.push(this.created(c.row, current));
          else {
            const plan = planUpdate(c.row, current, c.input, c.sessions, now.toISOString());
            if (plan.issues.length) throw new ImportConflictError(plan.issues);
            results.push(await this.applyUpdate(eventId, { row: c.row, input: c.input, sessions: c.sessions, before: current, ...plan }, now, importId, auditFor));
          }
        }
        pending = pending.filter((p) => !found.has(p.invitation.id));
        if (pending.length) await new Promise((r) => setTimeout(r, Math.random() * Math.min(500, 20 * 2 ** attempt)));
      }
    };
    const chunks = Array.from({ length: Math.ceil(creates.length / 25) }, (_, i) => creates.slice(i * 25, (i + 1) * 25));
    for (let i = 0; i < chunks.length; i += 4) {
      // Every chunk of the round settles before the import answers: a failed one must not leave the
      // others writing after the caller was told it failed (a test read the table mid-commit).
      const failed = (await Promise.allSettled(chunks.slice(i, i + 4).map(runChunk))).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return results;
  }

  private validate(event: EventDefinition, rows: ImportedRow[]) {
    const sessionIds = new Set(event.sessions.map((s) => s.id));
    const cancelledIds = new Set(event.sessions.filter((s) => s.cancelled).map((s) => s.id));
    // The event's own categories (the summit's seven are its seed).
    const categoryIds = new Set(event.categories.map((c) => c.id));
    const issues: FieldIssue[] = [];
    const seen = new Map<string, number>();
    const valid: Array<{ row: number; input: InvitationInput }> = [];
    for (const { row, data } of rows) {
      // Countries, languages, categories and sessions may be written by name, in any of the three languages.
      const parsed = invitationInputSchema.safeParse(namesToCodes(data, event));
      if (!parsed.success) {
        issues.push(...toFieldIssues(parsed.error, row));
        continue;
      }
      const input = parsed.data;
      const unknown = input.sessions.filter((s) => !sessionIds.has(s));
      if (unknown.length) issues.push({ row, field: 'sessions', message: `unknown session ${unknown.join(', ')}; expected ${[...sessionIds].join(', ')}` });
      const cancelled = input.sessions.filter((s) => cancelledIds.has(s));
      if (cancelled.length) issues.push({ row, field: 'sessions', message: `${cancelled.join(', ')} is cancelled` });
      if (!categoryIds.has(input.category)) issues.push({ row, field: 'category', message: `unknown category ${input.category}; expected ${[...categoryIds].join(', ')}` });
      const first = seen.get(input.email);
      if (first !== undefined) issues.push({ row, field: 'email', message: `duplicate of row ${first}` });
      seen.set(input.email, row);
      valid.push({ row, input });
    }
    if (issues.length) throw new ValidationError(issues, `${new Set(issues.map((i) => i.row)).size} row(s) invalid; nothing was written`);
    return valid;
  }
}

export { filterInvitations, listQuerySchema, toSummary, type InvitationSummary, type ListQuery } from './invitations/list.js';
