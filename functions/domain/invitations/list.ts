import * as z from '../zod.js';
import { ValidationError } from '../errors.js';
import { categorySchema, type Invitation } from '../model.js';
import type { InvitationPage } from '../organizer-api.js';
import { toSummary, type InvitationSummary } from './summary.js';

/** Organizer listing filters. Text search covers name, email and organization, accent- and case-blind. */
export const listQuerySchema = z.strictObject({
  status: z.optional(z.enum(['pending', 'confirmed', 'waitlisted', 'declined', 'revoked'])),
  category: z.optional(categorySchema),
  country: z.optional(z.string().check(z.trim(), z.toUpperCase(), z.length(2))),
  q: z.optional(z.string().check(z.trim(), z.maxLength(100))),
  sort: z._default(z.enum(['name', 'email', 'organization', 'country', 'updatedAt']), 'name'),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 50),
  cursor: z.optional(z.string().check(z.maxLength(200))),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

const fold = (s: string | undefined) => (s ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export { toSummary, type InvitationSummary };

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
