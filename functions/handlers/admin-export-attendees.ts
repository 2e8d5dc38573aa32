import { attendeesExport } from '#domain/attendees.js';
import { cumbreStore } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { csvExportHandler } from '#shared/csv-export.js';

const config = loadConfig(tableConfig);

/** GET /events/{eventId}/attendees.csv: who is coming, for the venue and the welcome desk. */
export const makeHandler = csvExportHandler('attendees', attendeesExport);

export const handler = makeHandler({ store: cumbreStore(config.TABLE_NAME) });
