import { EventNotFoundError } from '#domain/errors.js';
import { filterInvitations, listQuerySchema } from '#domain/invitations/list.js';
import type { InvitationListItem, InvitationPage } from '#domain/organizer-api.js';
import type { CumbreStore } from '#domain/ports.js';
import { cumbreStore } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { redactFor } from '#domain/access/roles.js';
import { organizerHandler } from '#shared/access.js';
import { json, parseWith, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig);

export const makeHandler = ({ store }: { store: CumbreStore }) =>
  organizerHandler(async (event, organizer) => {
    const eventId = pathParam(event, 'eventId');
    const query = parseWith(listQuerySchema, event.queryStringParameters ?? {});
    if (!(await store.getEvent(eventId))) throw new EventNotFoundError(eventId);
    const page = filterInvitations(await store.listInvitations(eventId), query);
    return json(200, { ...page, items: page.items.map((i) => redactFor(organizer.roles, i) as InvitationListItem) } satisfies InvitationPage);
  });

export const handler = makeHandler({ store: cumbreStore(config.TABLE_NAME) });
