import type { Context } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import type { HttpEvent } from '#shared/http.js';

const base = JSON.parse(readFileSync(new URL('../fixtures/events/http-api-v2.json', import.meta.url), 'utf8')) as HttpEvent;

export interface EventOptions {
  method: 'GET' | 'POST' | 'PATCH';
  route: string;
  path: Record<string, string>;
  body?: string | object;
  contentType?: string;
  query?: Record<string, string>;
  claims?: Record<string, string>;
  headers?: Record<string, string>;
}

/** An API Gateway HTTP API (payload 2.0) event built from the recorded fixture. */
export const apiEvent = ({ method, route, path, body, contentType = 'application/json', query, claims, headers }: EventOptions): HttpEvent => {
  // A value that cannot be encoded (a lone surrogate) goes into rawPath as it is: the handler reads pathParameters.
  const encode = (v: string) => {
    try {
      return encodeURIComponent(v);
    } catch {
      return v;
    }
  };
  const rawPath = Object.entries(path).reduce((p, [k, v]) => p.replace(`{${k}}`, encode(v)), route);
  const event = structuredClone(base);
  return {
    ...event,
    routeKey: `${method} ${route}`,
    rawPath,
    rawQueryString: new URLSearchParams(query ?? {}).toString(),
    headers: { ...event.headers, 'content-type': contentType, ...headers },
    queryStringParameters: query,
    pathParameters: path,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    requestContext: {
      ...event.requestContext,
      routeKey: `${method} ${route}`,
      http: { ...event.requestContext.http, method, path: rawPath },
      ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } } : {}),
    },
  };
};

export const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 29_000 } as unknown as Context;
/** Claims as API Gateway hands them over (arrays flattened to `[a b]`). */
export const organizer = { sub: 'organizer-1', 'cognito:username': 'organizer', email: 'organizer@cumbre.example', 'cognito:groups': '[event:na-mayors-summit-2019:organizer]' };
export const claimsWith = (groups: string[], sub = `sub-${groups.join('-') || 'none'}`) => ({
  sub,
  'cognito:username': sub,
  email: `${sub}@cumbre.example`,
  'cognito:groups': `[${groups.join(' ')}]`,
});
export const bodyOf = (result: { body?: string }) => JSON.parse(result.body ?? 'null');
