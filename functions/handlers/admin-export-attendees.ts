import type { CumbreStore } from '#domain/ports.js';
import { cumbreStore } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { SECURITY_HEADERS, httpHandler, pathParam } from '#shared/http.js';
import { attendeesExport } from '#pages/attendees-export.js';

const config = loadConfig(tableConfig);

/** GET /events/{eventId}/attendees.csv: who is coming, for the venue and the welcome desk. */
export const makeHandler = ({ store }: { store: CumbreStore }) =>
  httpHandler(async (event) => {
    const eventId = pathParam(event, 'eventId');
    return {
      statusCode: 200,
      headers: { ...SECURITY_HEADERS, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${eventId}-attendees.csv"` },
      body: await attendeesExport(store, eventId),
    };
  });

export const handler = makeHandler({ store: cumbreStore(config.TABLE_NAME) });
