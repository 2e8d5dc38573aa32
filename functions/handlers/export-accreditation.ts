import { accreditationExport } from '#domain/accreditation.js';
import { cumbreStore } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { csvExportHandler } from '#shared/csv-export.js';

const config = loadConfig(tableConfig);

/** GET /events/{eventId}/accreditation: the security accreditation list, the only place ID documents leave. */
export const makeHandler = csvExportHandler('accreditation', accreditationExport);

export const handler = makeHandler({ store: cumbreStore(config.TABLE_NAME) });
