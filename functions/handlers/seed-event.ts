import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { eventDefinitionSchema } from '#domain/model.js';
import type { CumbreStore } from '#domain/ports.js';
import { cumbreStore } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { logger } from '#shared/observability.js';

const config = loadConfig(tableConfig);

/**
 * Custom resource (Provider framework): writes the event definition shipped in `seed/` at deploy.
 * Updates keep every seat counter; deleting the stack leaves the data (the table is retained).
 */
export const makeHandler =
  ({ store }: { store: CumbreStore }) =>
  async (event: CloudFormationCustomResourceEvent) => {
    const definition = eventDefinitionSchema.parse(JSON.parse(String(event.ResourceProperties.Event)));
    if (event.RequestType !== 'Delete') {
      const outcome = await store.putEventDefinition(definition);
      if (outcome === 'kept') logger.info('Event edited by organizers since it was seeded; their definition is kept', { eventId: definition.id });
      else logger.info('Event seeded', { eventId: definition.id, sessions: definition.sessions.length, requestType: event.RequestType });
    }
    return { PhysicalResourceId: `event:${definition.id}`, Data: { EventId: definition.id } };
  };

export const handler = makeHandler({ store: cumbreStore(config.TABLE_NAME) });
