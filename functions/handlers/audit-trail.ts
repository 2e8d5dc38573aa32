import { auditQuerySchema, auditRange, filterAudit } from '#domain/access/audit-query.js';
import { auditCsv, eventScope, type AuditTrail } from '#domain/access/audit.js';
import { DynamoAuditTrail } from '#adapters/dynamo-audit-trail.js';
import { organizerHandler } from '#shared/access.js';
import { documentClientFor } from '#shared/clients.js';
import { auditConfig, loadConfig } from '#shared/config.js';
import { csvDownload, json, parseWith, pathParam } from '#shared/http.js';

const config = loadConfig(auditConfig);

/**
 * `GET /events/{eventId}/audit` (JSON) and `…/audit.csv`: an event's audit records, newest first,
 * filtered by `action`, `actor` (email or subject), `target`, `from`, `to`, `limit`. Read-only:
 * no route changes or deletes an audit record.
 */
export const makeHandler = ({ audit }: { audit: AuditTrail }) =>
  organizerHandler(async (event) => {
    const eventId = pathParam(event, 'eventId');
    const query = parseWith(auditQuerySchema, event.queryStringParameters ?? {});
    const entries = filterAudit(await audit.list(eventScope(eventId), auditRange(query)), query);
    return event.routeKey.endsWith('.csv') ? csvDownload(`${eventId}-audit.csv`, auditCsv(entries)) : json(200, { items: entries });
  });

export const handler = makeHandler({ audit: new DynamoAuditTrail(documentClientFor(), config.AUDIT_TABLE) });
