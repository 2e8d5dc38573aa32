import { ServiceUnavailableError } from '#domain/errors.js';

/** SDK error names that mean "not now" rather than "no". */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Socket errors of a service that is down, restarting or unreachable for a moment. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

/**
 * Whether an error from an AWS SDK call is transient: throttled, a 5xx, or a connection that failed
 * (what the SDK's own retries gave up on). Conditional-check failures and validation errors are
 * not: they are answers.
 */
export const isTransientAwsError = (err: unknown): boolean => {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown };
  if (TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code && TRANSIENT_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return e.cause !== undefined && e.cause !== err && isTransientAwsError(e.cause);
};

/** The error as the domain should see it: a transient SDK failure becomes ServiceUnavailableError. */
export const asDomainError = (err: unknown): unknown => (isTransientAwsError(err) ? new ServiceUnavailableError() : err);
