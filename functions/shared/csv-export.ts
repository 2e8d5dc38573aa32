import { exportLanguage } from '#domain/exports/readable.js';
import type { Language } from '#domain/model.js';
import type { CumbreStore } from '#domain/ports.js';
import { organizerHandler } from './access.js';
import { csvDownload, pathParam } from './http.js';

/**
 * An organizer CSV export route: `GET /events/{eventId}/<name>`, answered as a download named
 * `<eventId>-<name>.csv` with what `build` makes from the store, behind the route's roles
 * (the accreditation export, which audits and records clearance, has its own handler); in the
 * reader's language with `?lang=` (the dashboard sends its own), else the data format.
 */
export const csvExportHandler =
  (name: string, build: (store: CumbreStore, eventId: string, language?: Language) => Promise<string>) =>
  ({ store }: { store: CumbreStore }) =>
    organizerHandler(async (event) => {
      const eventId = pathParam(event, 'eventId');
      const language = exportLanguage(event.queryStringParameters);
      return csvDownload(`${eventId}-${name}.csv`, await build(store, eventId, language), language !== undefined);
    });
