import { randomUUID } from 'node:crypto';
import { accreditationCsv, accreditationRows, clearanceRequestSchema, NotAccreditedError, type AccreditationRecords } from '#domain/accreditation.js';
import { eventScope, type AuditTrail } from '#domain/access/audit.js';
import type { CumbreStore } from '#domain/ports.js';
import { DynamoAccreditationRecords } from '#adapters/dynamo-accreditation.js';
import { DynamoAuditTrail } from '#adapters/dynamo-audit-trail.js';
import { organizerHandler } from '#shared/access.js';
import { cumbreStore, documentClientFor, systemClock } from '#shared/clients.js';
import { accreditationConfig, auditConfig, loadConfig, tableConfig } from '#shared/config.js';
import { exportLanguage, readableWords } from '#domain/exports/readable.js';
import { csvDownload, json, parseJsonBody, parseWith, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig, accreditationConfig, auditConfig);

export interface AccreditationDeps {
  store: CumbreStore;
  records: AccreditationRecords;
  audit: AuditTrail;
}

/**
 * Security's views of the accreditation list: `GET …/accreditation` (CSV, or JSON with
 * `?format=json`) and `PUT …/accreditation/{invitationId}/clearance`. Every read is
 * audited before the data leaves; every clearance change commits with its audit record.
 */
export const makeHandler = ({ store, records, audit }: AccreditationDeps) =>
  organizerHandler(
    async (event, organizer) => {
      const eventId = pathParam(event, 'eventId');
      if (event.requestContext.http.method === 'PUT') {
        const invitationId = pathParam(event, 'invitationId');
        const body = parseWith(clearanceRequestSchema, parseJsonBody(event, 4096));
        const holder = body.holder ?? '';
        // The invitation names the person, for the audit record: read with the clearance it changes.
        const [current, invitation] = await Promise.all([records.get(eventId, invitationId, holder), store.getInvitation(eventId, invitationId)]);
        if (!current) throw new NotAccreditedError(holder ? `${invitationId} (${holder})` : invitationId);
        const subject = holder ? invitation?.companions?.find((c) => c.id === holder)?.name : invitation?.name;
        const at = systemClock.now().toISOString();
        const next = { state: body.state, note: body.note, by: organizer.principal.email, at };
        await records.setClearance(
          eventId,
          invitationId,
          current.clearance,
          next,
          {
            id: randomUUID(),
            at,
            scope: eventScope(eventId),
            actor: { sub: organizer.principal.sub, email: organizer.principal.email },
            action: 'clearance.changed',
            route: organizer.route,
            target: invitationId,
            ...(subject ? { subject } : {}),
            before: { clearance: current.clearance?.state ?? 'pending', note: current.clearance?.note ?? '' },
            after: { clearance: next.state, note: next.note, ...(holder ? { holder } : {}) },
          },
          holder,
        );
        return json(200, { invitationId, ...(holder ? { holder } : {}), clearance: next });
      }
      if (organizer.route === 'GET /events/{eventId}/accreditation/clearances') {
        // check-in: the door needs each holder's clearance state, never the document data behind it.
        const items = (await records.list(eventId)).map((r) => ({ i: r.invitationId, h: (r as { holder?: string }).holder ?? '', clearance: r.clearance?.state ?? 'pending' }));
        await organizer.audit({ action: 'clearances.read', detail: { rows: items.length } });
        return json(200, { items });
      }
      const asJson = event.queryStringParameters?.format === 'json';
      const language = asJson ? undefined : exportLanguage(event.queryStringParameters);
      // One read of the event: the rows and, in words, the sessions' names come from it.
      const record = language ? await store.getEvent(eventId) : undefined;
      const rows = await accreditationRows(store, records, eventId, record);
      const definition = record?.definition;
      // Recorded before the data leaves: if the record cannot be written, nothing is shown.
      await organizer.audit({
        action: 'accreditation.read',
        detail: { format: asJson ? 'json' : 'csv', rows: rows.length, invitations: [...new Set(rows.map((r) => r.invitationId))] },
      });
      return asJson
        ? json(200, { items: rows })
        : csvDownload(`${eventId}-accreditation.csv`, accreditationCsv(rows, language && definition ? readableWords(definition, language) : undefined), language !== undefined);
    },
    { audit },
  );

export const handler = makeHandler({
  store: cumbreStore(config.TABLE_NAME),
  records: new DynamoAccreditationRecords(documentClientFor(), config.ACCREDITATION_TABLE, config.AUDIT_TABLE),
  audit: new DynamoAuditTrail(documentClientFor(), config.AUDIT_TABLE),
});
