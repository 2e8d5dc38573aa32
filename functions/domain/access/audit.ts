import * as z from 'zod';
import { toCsv } from '../csv.js';

/**
 * The organizers' audit trail: every write an organizer makes and every read of accreditation
 * data, with who (subject and email), when, from which route, and the changed fields before and
 * after. Records are only ever added: no route changes or deletes one, and no function's role
 * allows it (the infra tests check the IAM policies).
 */
export interface AuditActor {
  sub: string;
  email: string;
}

/**
 * Every action the trail records. Closed, so the dashboard has a label for each in every language
 * (the catalogue test enumerates this list) and a new action fails typecheck until it is listed.
 */
export const AUDIT_ACTIONS = [
  'invitations.imported',
  'invitation.resent',
  'invitation.edited',
  'invitation.replaced',
  'invitation.revoked',
  'invitation.answered',
  'accreditation.read',
  'clearances.read',
  'clearance.changed',
  'person.invited',
  'person.roles.changed',
  'person.removed',
  'event.created',
  'event.updated',
  'message.sent',
  'reminders.run',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: string;
  at: string;
  /** `event:<eventId>` for an event's records, `people` for changes to who may use Cumbre. */
  scope: string;
  actor: AuditActor;
  /** What was done: one of `AUDIT_ACTIONS`. */
  action: AuditAction;
  /** The API route, e.g. `PUT /events/{eventId}/accreditation/{invitationId}/clearance`. */
  route: string;
  /** The record acted on: an invitation id, a username. */
  target?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** Anything else worth keeping (counts, the rows of an import). */
  detail?: Record<string, unknown>;
}

export const eventScope = (eventId: string) => `event:${eventId}`;
export const PEOPLE_SCOPE = 'people';

/** The audit trail, as the domain needs it. */
export interface AuditTrail {
  /** Adds a record; fails rather than overwrite one with the same key. */
  record(entry: AuditEntry): Promise<void>;
  /** Newest first, within `from`–`to` when given. */
  list(scope: string, range?: { from?: string; to?: string }): Promise<AuditEntry[]>;
}

export const auditQuerySchema = z.strictObject({
  action: z.string().max(64).optional(),
  actor: z.string().max(254).optional(),
  target: z.string().max(128).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Dates given as days cover the whole day. */
export const auditRange = (q: Pick<AuditQuery, 'from' | 'to'>) => ({
  from: q.from,
  to: q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to) ? `${q.to}T23:59:59.999Z` : q.to,
});

export const filterAudit = (entries: AuditEntry[], q: AuditQuery): AuditEntry[] =>
  entries
    .filter((e) => !q.action || e.action === q.action || e.action.startsWith(`${q.action}.`))
    .filter((e) => !q.actor || e.actor.email.toLowerCase().includes(q.actor.toLowerCase()) || e.actor.sub === q.actor)
    .filter((e) => !q.target || e.target === q.target)
    .slice(0, q.limit);

const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

export const auditCsv = (entries: AuditEntry[]) =>
  toCsv(
    ['at', 'actorEmail', 'actorSub', 'action', 'route', 'target', 'before', 'after', 'detail', 'id'],
    entries.map((e) => [e.at, e.actor.email, e.actor.sub, e.action, e.route, e.target, json(e.before), json(e.after), json(e.detail), e.id]),
  );

/** The fields of `after` that differ from `before`, each side holding only those fields. */
export const changedFields = (before: Record<string, unknown>, after: Record<string, unknown>) => {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return { before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: Object.fromEntries(keys.map((k) => [k, after[k]])) };
};
