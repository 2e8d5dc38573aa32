import { accreditationExport } from '#domain/accreditation.js';
import type { CumbreStore } from '#domain/ports.js';
import { cumbreStore } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { csvDownload, httpHandler, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig);

export const makeHandler = ({ store }: { store: CumbreStore }) =>
  httpHandler(async (event) => {
    const eventId = pathParam(event, 'eventId');
    return csvDownload(`${eventId}-accreditation.csv`, await accreditationExport(store, eventId));
  });

export const handler = makeHandler({ store: cumbreStore(config.TABLE_NAME) });
