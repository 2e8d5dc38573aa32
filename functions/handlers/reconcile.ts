import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { CapacityService } from '#domain/capacity.js';
import type { CumbreStore } from '#domain/ports.js';
import { cumbreStore, randomIds, systemClock } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';

const config = loadConfig(tableConfig);

/** Scheduled: recounts every session from its records and repairs (with an audit entry) any drift. */
export const makeHandler = ({ store, capacity }: { store: CumbreStore; capacity: CapacityService }) =>
  middy(async () => {
    const report: Record<string, unknown> = {};
    for (const eventId of await store.listEventIds()) {
      const { repaired, skipped } = await capacity.reconcile(eventId);
      if (repaired.length) logger.warn('Counters drifted from records; repaired', { eventId, drifts: repaired });
      if (skipped.length) logger.info('Sessions left for the next reconciliation', { eventId, skipped });
      report[eventId] = repaired;
    }
    return report;
  }).use(injectLambdaContext(logger, { resetKeys: true }));

const store = cumbreStore(config.TABLE_NAME);
export const handler = makeHandler({ store, capacity: new CapacityService({ store, clock: systemClock, ids: randomIds }) });
