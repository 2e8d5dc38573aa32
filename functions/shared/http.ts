import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from '#domain/zod.js';
import { DomainError, PayloadTooLargeError, ResendTooSoonError, ServiceUnavailableError, UnsupportedMediaTypeError, ValidationError } from '#domain/errors.js';
import { asDomainError } from '#adapters/aws-errors.js';
import { toFieldIssues } from '#domain/field-issues.js';
import type { ErrorResponse, LinkResponse } from '#domain/organizer-api.js';
import { logger } from './observability.js';

/** Invitee routes carry no authorizer; organizer routes carry the JWT claims. Both fit this shape. */
export type HttpEvent = Omit<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'> & {
  requestContext: Omit<APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'], 'authorizer'> & {
    authorizer?: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer'];
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
};

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
  body: JSON.stringify(body),
});

/**
 * A 302 to a short-lived link, or `{ url }` for `Accept: application/json` callers (the dashboard
 * cannot follow a redirect to S3 under its `connect-src 'self'` policy, so it navigates to the URL).
 */
export const linkResponse = (event: HttpEvent, url: string): HttpResult =>
  (header(event, 'accept') ?? '').includes('application/json')
    ? json(200, { url } satisfies LinkResponse)
    : { statusCode: 302, headers: { ...SECURITY_HEADERS, location: url }, body: '' };

/**
 * A CSV file the browser saves under `filename`. One written for people to open (`forReaders`, an
 * export in their language) starts with a UTF-8 byte order mark: without it, a spreadsheet on
 * Windows reads "México" as "MÃ©xico". The data format has none, for programs that would keep it.
 */
export const csvDownload = (filename: string, body: string, forReaders = false): HttpResult => ({
  statusCode: 200,
  headers: { ...SECURITY_HEADERS, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` },
  body: forReaders ? `\uFEFF${body}` : body,
});

export const header = (event: HttpEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
};

export const mediaType = (event: HttpEvent) => (header(event, 'content-type') ?? '').split(';')[0].trim().toLowerCase();

/** The raw body as text, refusing bodies larger than `limitBytes` with a 413 naming the limit. */
export const readBody = (event: HttpEvent, limitBytes: number): string => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > limitBytes) throw new PayloadTooLargeError(limitBytes);
  return bytes.toString('utf8');
};

export const parseJsonBody = (event: HttpEvent, limitBytes: number): unknown => {
  const type = mediaType(event);
  if (type !== 'application/json') throw new UnsupportedMediaTypeError(type, ['application/json']);
  const text = readBody(event, limitBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([{ field: 'body', message: 'is not valid JSON' }]);
  }
};

export const parseWith = <S extends z.ZodMiniType>(schema: S, value: unknown, prefix = ''): z.infer<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error, undefined, prefix));
  return parsed.data;
};

/** Path values never hold control characters or invisible format characters, and are never long. */
const PATH_VALUE_REFUSED = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const MAX_PATH_VALUE = 256;

/**
 * A path parameter as API Gateway gives it. HTTP APIs hand Lambda `pathParameters` already
 * percent-decoded (and refuse malformed escapes themselves), so decoding again would turn
 * `%25` into a `URIError` and `a%2525ZZ` into `a%ZZ`: the value is used as it comes. A value
 * that is not well-formed text (lone surrogates, control or invisible characters, over 256
 * characters) is a 400 naming the parameter.
 */
export const pathParam = (event: HttpEvent, name: string): string => {
  const value = event.pathParameters?.[name];
  if (!value) throw new ValidationError([{ field: name, message: 'is required in the path' }]);
  if (value.length > MAX_PATH_VALUE || PATH_VALUE_REFUSED.test(value)) throw new ValidationError([{ field: name, message: 'is not a valid path value' }]);
  return value;
};

/**
 * The HTTP status of each domain error code: the one place the domain's refusals meet HTTP.
 * A code missing here is a 500 (and a unit test enumerates every DomainError to keep it complete).
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  validation_failed: 400,
  invalid_credential: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  sign_in_not_possible: 403,
  forbidden: 403,
  // check-in: an upload naming a forged or other event's credential
  scan_refused: 403,
  event_not_found: 404,
  invitation_not_found: 404,
  badge_not_ready: 404,
  not_accredited: 404,
  person_not_found: 404,
  rsvp_closed: 409,
  not_enough_seats: 409,
  concurrent_update: 409,
  import_conflict: 409,
  seat_conflict: 409,
  email_in_progress: 409,
  clearance_changed: 409,
  person_exists: 409,
  self_lockout: 409,
  // events as data
  event_exists: 409,
  event_version_conflict: 409,
  capacity_below_confirmed: 409,
  session_cancelled: 409,
  // people: a change to the same person still being applied
  person_change_in_progress: 409,
  stale_version: 409,
  invitation_revoked: 410,
  link_retired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_attempts: 429,
  resend_too_soon: 429,
  email_rejected: 502,
  email_unavailable: 503,
  service_unavailable: 503,
};

/** `Retry-After` for an error that asks to be retried (RFC 9110 §10.2.3), else nothing. */
export const retryAfterHeader = (err: DomainError): Record<string, string> =>
  err instanceof ServiceUnavailableError || err instanceof ResendTooSoonError ? { 'retry-after': String(err.retryAfterSeconds) } : {};

/** The status a domain error answers with; anything unmapped is an internal error. */
export const httpStatusOf = (err: DomainError): number => HTTP_STATUS_BY_CODE[err.code] ?? 500;

/**
 * The one place errors become responses: domain errors get their code's status; a transient AWS
 * failure (throttling, a 5xx, the table unreachable) a 503 with Retry-After; anything else is a
 * 500 whose detail stays in the log.
 */
export const httpErrorHandler = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: async (request) => {
    const original = request.error;
    const err = asDomainError(original);
    if (err instanceof DomainError) {
      const status = httpStatusOf(err);
      if (status >= 500) logger.error('Request failed', { error: err, cause: original === err ? undefined : original });
      else logger.info('Request refused', { code: err.code, details: err.details });
      request.response = json(status, { error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } satisfies ErrorResponse, retryAfterHeader(err));
      return;
    }
    logger.error('Unhandled error', { error: err as Error });
    request.response = json(500, { error: 'internal_error', message: 'Something went wrong on our side; please try again.' } satisfies ErrorResponse);
  },
});

/** Wraps a handler body with logging context and the error middleware (registered last). */
export const httpHandler = (fn: (event: HttpEvent, context: Context) => Promise<HttpResult>) =>
  middy<HttpEvent, HttpResult>(fn)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpErrorHandler());
