import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { cumbreStore, randomIds, systemClock } from '#shared/clients.js';
import { loadConfig, tableConfig } from '#shared/config.js';
import { httpHandler, json, parseJsonBody, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig);

const MAX_BODY_BYTES = 64 * 1024;

/** GET and POST /rsvp/{token}: the token alone authorizes the invitee. */
export const makeHandler = ({ rsvp }: { rsvp: RsvpService }) =>
  httpHandler(async (event) => {
    const token = pathParam(event, 'token');
    if (event.requestContext.http.method === 'GET') return json(200, await rsvp.view(token));
    return json(200, await rsvp.respond(token, parseRsvpRequest(parseJsonBody(event, MAX_BODY_BYTES))));
  });

export const handler = makeHandler({ rsvp: new RsvpService({ store: cumbreStore(config.TABLE_NAME), clock: systemClock, ids: randomIds }) });
