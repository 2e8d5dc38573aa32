import type { Clock } from '#domain/ports.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { cumbreStore, randomIds, systemClock } from '#shared/clients.js';
import { loadAppKeys } from '#shared/app-keys.js';
import { accreditationConfig, loadConfig, secretConfig, tableConfig } from '#shared/config.js';
import { httpHandler, json, parseJsonBody, pathParam, type HttpEvent } from '#shared/http.js';
import { isFormPost, showRsvpPage, submitRsvpForm, wantsHtml } from '#pages/rsvp-flow.js';

const config = loadConfig(tableConfig, secretConfig, accreditationConfig);
const keys = await loadAppKeys(config.SECRET_ARN);

const MAX_BODY_BYTES = 64 * 1024;

/** A token that does not even decode is just another malformed token: the same 404 as an unknown one. */
const tokenOf = (event: HttpEvent) => {
  try {
    return pathParam(event, 'token');
  } catch {
    return '';
  }
};

export interface RsvpHandlerDeps {
  rsvp: RsvpService;
  /** Key of the form's CSRF tokens; the app secret's by default. */
  csrfKey?: string;
  /** Key that seals the invitation a page showed into its form; the app secret's by default. */
  pageStartKey?: string;
  clock?: Clock;
}

/**
 * GET and POST /rsvp/{token}: the token alone authorizes the invitee. Browsers get the page
 * (`Accept: text/html`) and post its form; API clients get and send JSON.
 */
export const makeHandler = ({ rsvp, csrfKey = keys.csrf, pageStartKey = keys.pageStart, clock = systemClock }: RsvpHandlerDeps) =>
  httpHandler(async (event) => {
    const token = tokenOf(event);
    const pages = { rsvp, csrfKey, pageStartKey, clock };
    if (isFormPost(event)) return submitRsvpForm(pages, event, token);
    if (event.requestContext.http.method === 'GET') return wantsHtml(event) ? showRsvpPage(pages, event, token) : json(200, await rsvp.view(token));
    return json(200, await rsvp.respond(token, parseRsvpRequest(parseJsonBody(event, MAX_BODY_BYTES))));
  });

export const handler = makeHandler({ rsvp: new RsvpService({ store: cumbreStore(config.TABLE_NAME, config.ACCREDITATION_TABLE), clock: systemClock, ids: randomIds }) });
