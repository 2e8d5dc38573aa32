import type { CumbreStore } from '#domain/ports.js';
import { csvDownload, httpHandler, pathParam } from './http.js';

/**
 * An organizer CSV export route: `GET /events/{eventId}/<name>`, answered as a download named
 * `<eventId>-<name>.csv` with what `build` makes from the store. Both exports (attendees,
 * accreditation) are this and nothing else.
 */
export const csvExportHandler =
  (name: string, build: (store: CumbreStore, eventId: string) => Promise<string>) =>
  ({ store }: { store: CumbreStore }) =>
    httpHandler(async (event) => {
      const eventId = pathParam(event, 'eventId');
      return csvDownload(`${eventId}-${name}.csv`, await build(store, eventId));
    });
