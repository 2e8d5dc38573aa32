import { eventScope, type AuditTrail } from '#domain/access/audit.js';
import { EventService } from '#domain/events.js';
import type { EventDetail, EventList } from '#domain/organizer-api.js';
import type { EventRecord } from '#domain/ports.js';
import { DynamoAuditTrail } from '#adapters/dynamo-audit-trail.js';
import { organizerHandler } from '#shared/access.js';
import { cumbreStore, documentClientFor, randomIds, systemClock } from '#shared/clients.js';
import { auditConfig, loadConfig, tableConfig } from '#shared/config.js';
import { json, parseJsonBody, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig, auditConfig);

/** An event definition is a few KB; 40 sessions with three names each stay far below this. */
const MAX_BODY_BYTES = 256 * 1024;

const detailOf = (record: EventRecord, change?: EventDetail['change']): EventDetail => ({
  definition: { ...record.definition, version: record.definition.version ?? 0 },
  sessions: record.sessions.map((s) => ({
    id: s.id,
    capacity: s.capacity,
    confirmedSeats: s.confirmedSeats,
    waitlistedParties: s.waitlistedParties,
    cancelled: Boolean(s.cancelled),
  })),
  ...(change ? { change } : {}),
});

export interface ManageEventDeps {
  events: EventService;
  listEventIds: () => Promise<string[]>;
  audit: AuditTrail;
}

/**
 * Events as organizers' data. `POST /events` (admin) creates one; `GET /events` lists those the person
 * holds a role in (admin: all);
 * `GET /events/{eventId}` gives the definition with its version and the seats taken; `PUT
 * /events/{eventId}` applies an edit made on that version (a stale one is a 409 naming what changed).
 * Every write is audited with before and after.
 */
export const makeHandler = ({ events, listEventIds, audit }: ManageEventDeps) =>
  organizerHandler(
    async (event, organizer) => {
      switch (event.routeKey) {
        case 'GET /events': {
          // Admin's are every event; anyone else's, the events they hold a role in.
          const grants = organizer.principal.grants;
          const mine = grants.some((g) => g.role === 'admin') ? undefined : new Set(grants.flatMap((g) => (g.role === 'admin' ? [] : [g.eventId])));
          const ids = (await listEventIds()).filter((id) => !mine || mine.has(id));
          const records = await Promise.all(ids.map((id) => events.get(id).catch(() => undefined)));
          const body: EventList = { events: records.filter((r) => r !== undefined).map((r) => ({ id: r.definition.id, name: r.definition.name })) };
          return json(200, body);
        }
        case 'POST /events': {
          const definition = await events.create(parseJsonBody(event, MAX_BODY_BYTES));
          await organizer.audit({ action: 'event.created', target: definition.id, scope: eventScope(definition.id), after: { definition } });
          return json(201, detailOf(await events.get(definition.id)));
        }
        case 'PUT /events/{eventId}': {
          const eventId = pathParam(event, 'eventId');
          const before = await events.get(eventId);
          const { definition, summary } = await events.update(eventId, parseJsonBody(event, MAX_BODY_BYTES));
          await organizer.audit({
            action: 'event.updated',
            target: eventId,
            before: { version: before.definition.version ?? 0, definition: before.definition },
            after: { version: definition.version, definition },
            detail: { ...summary },
          });
          const { version: _v, ...change } = summary;
          return json(200, detailOf(await events.get(eventId), change));
        }
        default:
          return json(200, detailOf(await events.get(pathParam(event, 'eventId'))));
      }
    },
    { audit },
  );

const store = cumbreStore(config.TABLE_NAME);
export const handler = makeHandler({
  events: new EventService({ store, clock: systemClock, ids: randomIds }),
  listEventIds: () => store.listEventIds(),
  audit: new DynamoAuditTrail(documentClientFor(), config.AUDIT_TABLE),
});
