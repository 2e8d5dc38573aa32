import type { CumbreStore } from '#domain/ports.js';
import { cumbreStore } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { organizerHandler } from '#shared/access.js';
import { csvDownload, pathParam } from '#shared/http.js';
import { attendeesExport } from '#domain/attendees.js';

const config = loadConfig(tableConfig);

/** GET /events/{eventId}/attendees.csv: who is coming, for the venue and the welcome desk. */
export const makeHandler = ({ store }: { store: CumbreStore }) =>
  organizerHandler(async (event) => {
    const eventId = pathParam(event, 'eventId');
    return csvDownload(`${eventId}-attendees.csv`, await attendeesExport(store, eventId));
  });

export const handler = makeHandler({ store: cumbreStore(config.TABLE_NAME) });
