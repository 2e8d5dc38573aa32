import * as z from '#domain/zod.js';
import { ValidationError, UnsupportedMediaTypeError } from '#domain/errors.js';
import { InvitationService, parseInvitationCsv, type ImportedRow } from '#domain/invitations.js';
import type { AuditTrail } from '#domain/access/audit.js';
import { DynamoAuditTrail } from '#adapters/dynamo-audit-trail.js';
import { organizerHandler } from '#shared/access.js';
import { cumbreStore, documentClientFor, randomIds, systemClock } from '#shared/clients.js';
import { loadAppKeys } from '#shared/app-keys.js';
import { auditConfig, loadConfig, publicUrlConfig, secretConfig, tableConfig } from '#shared/config.js';
import { json, mediaType, parseJsonBody, parseWith, pathParam, readBody, type HttpEvent } from '#shared/http.js';
import type { ImportResponse } from '#domain/organizer-api.js';

const config = loadConfig(tableConfig, secretConfig, publicUrlConfig, auditConfig);
const keys = await loadAppKeys(config.SECRET_ARN);

/** Lambda's synchronous payload limit; 10,000 CSV rows fit well within it. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** One invitation, a JSON array of them, or CSV with a header row. JSON rows are numbered from 1. */
export const readImportRows = (event: HttpEvent): ImportedRow[] => {
  const type = mediaType(event);
  if (type === 'text/csv') return parseInvitationCsv(readBody(event, MAX_BODY_BYTES));
  if (type !== 'application/json') throw new UnsupportedMediaTypeError(type, ['application/json', 'text/csv']);
  const body = parseJsonBody(event, MAX_BODY_BYTES);
  const items: unknown[] = Array.isArray(body) ? (body as unknown[]) : [body];
  if (items.some((i) => typeof i !== 'object' || i === null || Array.isArray(i)))
    throw new ValidationError([{ field: 'body', message: 'expected an invitation object or an array of them' }]);
  return items.map((data: unknown, i) => ({ row: i + 1, data }));
};

/** `?dryRun=true` validates the whole file and reports what would happen, writing nothing. */
const importQuerySchema = z.strictObject({ dryRun: z.optional(z.enum(['true', 'false'])) });

export const makeHandler = ({ invitations, audit }: { invitations: InvitationService; audit: AuditTrail }) =>
  organizerHandler(
    async (event, organizer) => {
      const dryRun = parseWith(importQuerySchema, event.queryStringParameters ?? {}).dryRun === 'true';
      // Each transaction of the import carries the audit record of the rows it changes.
      const results = await invitations.import(pathParam(event, 'eventId'), readImportRows(event), { dryRun, audit: organizer.auditEntry });
      const count = (status: string) => results.filter((r) => r.status === status).length;
      const summary = { created: count('created'), updated: count('updated'), unchanged: count('unchanged') };
      const body: ImportResponse = { ...(dryRun ? { dryRun: true as const } : {}), ...summary, results };
      return json(200, body);
    },
    { audit },
  );

export const handler = makeHandler({
  invitations: new InvitationService({
    store: cumbreStore(config.TABLE_NAME, undefined, config.AUDIT_TABLE),
    clock: systemClock,
    ids: randomIds,
    tokenSecret: keys.rsvpTokens,
    publicBaseUrl: config.PUBLIC_BASE_URL,
  }),
  audit: new DynamoAuditTrail(documentClientFor(), config.AUDIT_TABLE),
});
