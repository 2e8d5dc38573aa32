import {
  DomainError,
  InvitationNotFoundError,
  InvitationRevokedError,
  LinkRetiredError,
  NotEnoughSeatsError,
  PayloadTooLargeError,
  RsvpClosedError,
  ValidationError,
} from '#domain/errors.js';
import type { Invitation, Language } from '#domain/model.js';
import type { Clock } from '#domain/ports.js';
import { parseRsvpRequest, type RsvpService, type RsvpView } from '#domain/rsvp.js';
import { hashToken } from '#domain/tokens.js';
import { asDomainError } from '#adapters/aws-errors.js';
import { header, httpStatusOf, mediaType, readBody, retryAfterHeader, type HttpEvent, type HttpResult } from '#shared/http.js';
import { logger } from '#shared/observability.js';
import { CSRF_FIELD, csrfCookie, issueCsrfToken, verifyCsrf } from './csrf.js';
import { PAGE_START_FIELD, openPageStart, sealPageStart } from './page-start.js';
import { renderClosedLinkPage, renderNotFoundPage, renderServerErrorPage } from './error-pages.js';
import { negotiateLanguage, pickLanguage, type RenderedPage } from './layout.js';
import { inviteeText, type InviteeKey } from '#i18n/invitee/index.js';
import { formErrorsFor, notEnoughSeatsError, readRsvpForm, valuesFromView, type FormErrors, type RsvpFormValues } from './rsvp-form.js';
import { renderResultPage, renderRsvpPage } from './rsvp-page.js';
import { htmlResponse, pageHeaders } from './security.js';

export interface RsvpPagesDeps {
  rsvp: RsvpService;
  /** `AppKeys.csrf`. */
  csrfKey: string;
  /** `AppKeys.pageStart`: seals the invitation a page showed into its form. */
  pageStartKey: string;
  clock: Clock;
}

export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
const MAX_FORM_BYTES = 64 * 1024;

/** The page's own refusals and domain error codes, as the reader sees them (`errors.<code>` in the catalogue). */
type PageErrorCode = { [K in InviteeKey]: K extends `errors.${infer Code}` ? Code : never }[InviteeKey];

/** Browsers ask for `text/html`; API clients (and the JSON API's tests) do not. */
export const wantsHtml = (event: HttpEvent) => (header(event, 'accept') ?? '').toLowerCase().includes('text/html');
export const isFormPost = (event: HttpEvent) => event.requestContext.http.method === 'POST' && mediaType(event) === FORM_MEDIA_TYPE;

const respond = (status: number, page: RenderedPage, cookies: string[] = []) => htmlResponse(status, page.html, page.csp, cookies);

/**
 * Failures every page shares: an unknown or malformed token gets the same friendly 404; an
 * unexpected failure a 500 page whose detail stays in the log.
 */
const fallback = (original: unknown, language: Language, requested?: string): HttpResult => {
  // A transient AWS failure (the table unreachable, throttling) is a 503 with Retry-After.
  const err = asDomainError(original);
  if (err instanceof InvitationNotFoundError) return respond(404, renderNotFoundPage(language));
  // A revoked or passed-on invitation: 410, in the invitee's language unless the reader chose one.
  if (err instanceof InvitationRevokedError || err instanceof LinkRetiredError)
    return respond(410, renderClosedLinkPage(err instanceof InvitationRevokedError ? 'revoked' : 'retired', pickLanguage({ lang: requested }, err.language)));
  const status = err instanceof DomainError ? httpStatusOf(err) : 500;
  if (status < 500) logger.info('Page request refused', { code: (err as DomainError).code });
  else logger.error('Page request failed', { error: original as Error });
  const page = respond(status, renderServerErrorPage(language));
  return err instanceof DomainError ? { ...page, headers: { ...page.headers, ...retryAfterHeader(err) } } : page;
};

/**
 * The form, with the invitation it was rendered from (`shown`) sealed into it when known, so the
 * post needs no read of it (`page-start.ts`); a form without one reads as before.
 */
const formPage = (deps: RsvpPagesDeps, view: RsvpView, token: string, language: Language, values: RsvpFormValues, errors: FormErrors, status: number, shown?: Invitation) => {
  const tokenHash = hashToken(token);
  const now = deps.clock.now();
  const csrf = view.open ? issueCsrfToken(deps.csrfKey, tokenHash, now) : undefined;
  const start = view.open && shown ? sealPageStart(deps.pageStartKey, tokenHash, shown, now) : undefined;
  const page = renderRsvpPage({ view, token, language, values, errors, csrf, start });
  return respond(status, page, csrf ? [csrfCookie(tokenHash, csrf)] : []);
};

/** `?result=` after an answer: whether it changed a session (so an email is on its way). */
const RESULTS = { sent: true, same: false } as const;
const resultOf = (query: Record<string, string | undefined> | undefined) => {
  const value = query?.result;
  return value !== undefined && Object.hasOwn(RESULTS, value) ? RESULTS[value as keyof typeof RESULTS] : undefined;
};

/**
 * POST/redirect/GET: a recorded answer answers 303 to the result page, so reload and Back/Forward
 * never post it again. Relative, so it works under any base path.
 */
const seeResult = (token: string, language: Language, changed: boolean): HttpResult => ({
  statusCode: 303,
  headers: { ...pageHeaders("default-src 'none'"), location: `${token}?${new URLSearchParams({ lang: language, result: changed ? 'sent' : 'same' }).toString()}` },
  body: '',
});

/**
 * `GET /rsvp/{token}` for a browser: the invitation page in `?lang=` or the invitee's language;
 * with `?result=`, the page that repeats what the last answer recorded.
 */
export const showRsvpPage = async (deps: RsvpPagesDeps, event: HttpEvent, token: string): Promise<HttpResult> => {
  const requested = event.queryStringParameters?.lang;
  try {
    const { view, shown } = await deps.rsvp.viewWithStart(token);
    const language = pickLanguage(event.queryStringParameters, view.invitation.language);
    const result = resultOf(event.queryStringParameters);
    if (result !== undefined) return respond(200, renderResultPage({ view, token, language, changed: result }));
    return formPage(deps, view, token, language, valuesFromView(view), {}, 200, shown);
  } catch (err) {
    return fallback(err, pickLanguage({ lang: requested }, negotiateLanguage(header(event, 'accept-language'))), requested);
  }
};

const sessionsOf = (err: NotEnoughSeatsError, view: RsvpView) => {
  const named = view.sessions.filter((s) => err.message.includes(s.id)).map((s) => s.id);
  return named.length ? named : view.sessions.filter((s) => s.status === 'confirmed').map((s) => s.id);
};

/**
 * `POST /rsvp/{token}` from the page's form. The answer goes through the same parser and service
 * as the JSON API; a refusal re-renders the form with what was typed and each error beside its
 * field, in the page's language.
 */
export const submitRsvpForm = async (deps: RsvpPagesDeps, event: HttpEvent, token: string): Promise<HttpResult> => {
  let language = negotiateLanguage(header(event, 'accept-language'));
  try {
    let form: URLSearchParams;
    try {
      form = new URLSearchParams(readBody(event, MAX_FORM_BYTES));
    } catch (err) {
      if (!(err instanceof PayloadTooLargeError)) throw err;
      const { view, shown } = await deps.rsvp.viewWithStart(token);
      language = pickLanguage(event.queryStringParameters, view.invitation.language);
      return formPage(deps, view, token, language, valuesFromView(view), { form: inviteeText(language)('errors.payload_too_large') }, 413, shown);
    }
    const tokenHash = hashToken(token);
    // The invitation the page showed, when its form carries it: no read of it before the commit, whose condition checks it.
    const sealed = openPageStart(deps.pageStartKey, tokenHash, form.get(PAGE_START_FIELD), deps.clock.now());
    const { view: before, shown } = sealed ? { view: await deps.rsvp.viewShown(sealed), shown: sealed } : await deps.rsvp.viewWithStart(token);
    language = pickLanguage({ lang: form.get('lang') ?? event.queryStringParameters?.lang }, before.invitation.language);
    const message = (code: PageErrorCode) => inviteeText(language)(`errors.${code}`);
    const submitted = readRsvpForm(form, before);
    if (!before.open) return formPage(deps, before, token, language, valuesFromView(before), {}, 409);
    if (!verifyCsrf(event, deps.csrfKey, tokenHash, form.get(CSRF_FIELD), deps.clock.now())) {
      logger.info('RSVP form refused: CSRF check failed');
      return formPage(deps, before, token, language, submitted.values, { form: message('csrf_failed') }, 403, shown);
    }
    try {
      const { changed } = await deps.rsvp.respondFromPage(token, parseRsvpRequest(submitted.request), sealed);
      return seeResult(token, language, changed);
    } catch (err) {
      if (err instanceof ValidationError) {
        logger.info('RSVP form refused', { code: err.code, fields: err.details?.map((d) => d.field) });
        return formPage(deps, before, token, language, submitted.values, formErrorsFor(err.details ?? [], submitted, before, language), 400, shown);
      }
      if (err instanceof NotEnoughSeatsError)
        return formPage(deps, before, token, language, submitted.values, notEnoughSeatsError(sessionsOf(err, before), before, language), 409, shown);
      if (err instanceof RsvpClosedError) {
        const view = await deps.rsvp.view(token);
        return formPage(deps, view, token, language, valuesFromView(view), {}, 409);
      }
      if (err instanceof DomainError && httpStatusOf(err) === 409) {
        // A race lost more times than the service retries: the invitee checks and sends again.
        const { view, shown: current } = await deps.rsvp.viewWithStart(token);
        return formPage(
          deps,
          view,
          token,
          language,
          submitted.values,
          { form: message(err.code === 'seat_conflict' ? 'seat_conflict' : err.code === 'session_cancelled' ? 'session_cancelled' : 'concurrent_update') },
          409,
          current,
        );
      }
      throw err;
    }
  } catch (err) {
    return fallback(err, language, event.queryStringParameters?.lang);
  }
};
