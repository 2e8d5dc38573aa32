import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain/errors.js';
import { HTTP_STATUS_BY_CODE, httpHandler, httpStatusOf, type HttpEvent } from '#shared/http.js';
import { isTransientAwsError } from '#adapters/aws-errors.js';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';

/**
 * The domain's errors carry a code and no HTTP status; `functions/shared/http.ts` maps codes to
 * statuses. Every DomainError subclass in functions/ (found by reading the sources, not from a list
 * kept here) must have a mapping, or it would answer 500.
 */
const ROOT = fileURLToPath(new URL('../../functions/', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });

const domainErrorClasses = async () => {
  const found: Array<{ file: string; name: string; cls: new (...args: unknown[]) => DomainError }> = [];
  for (const file of sources(ROOT)) {
    const names = [...readFileSync(file, 'utf8').matchAll(/export class (\w+) extends DomainError/g)].map((m) => m[1]);
    if (!names.length) continue;
    const mod = (await import(file)) as Record<string, new (...args: unknown[]) => DomainError>;
    for (const name of names) found.push({ file: relative(ROOT, file), name, cls: mod[name] });
  }
  return found;
};

describe('domain errors and HTTP', () => {
  // It imports every module that declares a domain error: seconds on a loaded machine.
  it('gives every DomainError subclass a mapped status and no status of its own', { timeout: 30_000 }, async () => {
    const classes = await domainErrorClasses();
    expect(classes.length).toBeGreaterThanOrEqual(17);
    for (const { file, name, cls } of classes) {
      const err = new cls([], []);
      expect(err, `${file}: ${name}`).toBeInstanceOf(DomainError);
      expect(Object.keys(HTTP_STATUS_BY_CODE), `${file}: ${name} (${err.code})`).toContain(err.code);
      expect(err).not.toHaveProperty('status');
    }
  });

  it('answers an unmapped code with 500', () => {
    class Unmapped extends DomainError {
      readonly code = 'not_in_the_table';
    }
    expect(httpStatusOf(new Unmapped('x'))).toBe(500);
  });
});

describe('a backing service that is down or throttling', () => {
  const sdkError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, $metadata: {}, ...extra });
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
  const transient = [
    refused,
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }),
    sdkError('ThrottlingException'),
    sdkError('InternalServerError', { $metadata: { httpStatusCode: 500 } }),
    sdkError('Whatever', { $metadata: { httpStatusCode: 503 } }),
    sdkError('TimeoutError'),
    Object.assign(new Error('fetch failed'), { cause: refused }),
  ];
  const answers = [
    new ConditionalCheckFailedException({ message: 'no', $metadata: { httpStatusCode: 400 } }),
    new TransactionCanceledException({ message: 'cancelled', $metadata: { httpStatusCode: 400 } }),
    sdkError('ValidationException', { $metadata: { httpStatusCode: 400 } }),
    new TypeError('x is undefined'),
    'a string',
  ];

  it('tells transient failures from answers', () => {
    for (const err of transient) expect(isTransientAwsError(err), String(err)).toBe(true);
    for (const err of answers) expect(isTransientAwsError(err), String(err)).toBe(false);
  });

  it('answers a transient failure with 503 and Retry-After, and anything else unexpected with a generic 500', async () => {
    const event = { headers: {}, requestContext: { http: { method: 'GET' } } } as unknown as HttpEvent;
    const context = { getRemainingTimeInMillis: () => 1000 } as unknown as Context;
    for (const err of transient) {
      const res = await httpHandler(() => Promise.reject(err))(event, context);
      expect(res.statusCode, String(err)).toBe(503);
      expect(res.headers?.['retry-after']).toBe('2');
      expect(JSON.parse(res.body!)).toMatchObject({ error: 'service_unavailable' });
    }
    const res = await httpHandler(() => Promise.reject(new TypeError('x is undefined')))(event, context);
    expect(res.statusCode).toBe(500);
    expect(res.headers?.['retry-after']).toBeUndefined();
  });
});
