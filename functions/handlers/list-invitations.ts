import { EventNotFoundError } from '#domain/errors.js';
import { filterInvitations, listQuerySchema } from '#domain/invitations.js';
import type { InvitationPage } from '#domain/organizer-api.js';
import type { CumbreStore } from '#domain/ports.js';
import { cumbreStore } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { httpHandler, json, parseWith, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig);

export const makeHandler = ({ store }: { store: CumbreStore }) =>
  httpHandler(async (event) => {
    const eventId = pathParam(event, 'eventId');
    const query = parseWith(listQuerySchema, event.queryStringParameters ?? {});
    if (!(await store.getEvent(eventId))) throw new EventNotFoundError(eventId);
    return json(200, filterInvitations(await store.listInvitations(eventId), query) satisfies InvitationPage);
  });

export const handler = makeHandler({ store: cumbreStore(config.TABLE_NAME) });
