import { CapacityService } from '#domain/capacity.js';
import { cumbreStore, randomIds, systemClock } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { organizerHandler } from '#shared/access.js';
import { json, pathParam } from '#shared/http.js';
import type { CapacityReport } from '#domain/organizer-api.js';

const config = loadConfig(tableConfig);

export const makeHandler = ({ capacity }: { capacity: CapacityService }) =>
  organizerHandler(async (event) => json(200, (await capacity.report(pathParam(event, 'eventId'))) satisfies CapacityReport));

export const handler = makeHandler({ capacity: new CapacityService({ store: cumbreStore(config.TABLE_NAME), clock: systemClock, ids: randomIds }) });
