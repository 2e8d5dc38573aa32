import * as z from '../zod.js';
import type { AuditEntry } from './audit.js';

/*
 * The audit trail's query, for the two functions that read the trail (audit-trail, people). Kept
 * out of audit.ts, which every organizer function imports for its scopes and records: there the
 * schema was built at every cold start and never used.
 */
export const auditQuerySchema = z.strictObject({
  action: z.optional(z.string().check(z.maxLength(64))),
  actor: z.optional(z.string().check(z.maxLength(254))),
  target: z.optional(z.string().check(z.maxLength(128))),
  from: z.optional(z.union([z.iso.datetime({ offset: true }), z.iso.date()])),
  to: z.optional(z.union([z.iso.datetime({ offset: true }), z.iso.date()])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 200),
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
