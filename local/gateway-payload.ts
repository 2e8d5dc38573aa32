import { randomBytes } from 'node:crypto';
import type http from 'node:http';

/**
 * API Gateway HTTP API payload format 2.0: route matching, the event a function receives and how
 * its result becomes the HTTP response.
 */
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|graphql|x-yaml|yaml)|[^;]*\+(json|xml))/i;

/** HTTP APIs pass text bodies as they are and base64-encode everything else, forms included. */
export const isTextContentType = (contentType: string | undefined): boolean => contentType !== undefined && TEXT_TYPES.test(contentType.trim());

/** A path with a malformed percent escape (`%E0%A4%A`): API Gateway answers 400 before any route. */
export class MalformedPathError extends Error {
  constructor(readonly segment: string) {
    super(`malformed percent-encoding in path segment ${JSON.stringify(segment)}`);
    this.name = 'MalformedPathError';
  }
}

/**
 * HTTP APIs hand path parameters to the function percent-decoded, exactly once: `a%2525ZZ`
 * arrives as `a%25ZZ`, and the function must not decode again. `rawPath` keeps the encoding.
 */
export const decodePathParameter = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new MalformedPathError(segment);
  }
};

/** The specificity of a route for a path: literal beats `{param}` beats `{proxy+}`; `$default` is last. */
export const matchRoute = <R extends { method: string; segments: string[] }>(
  routes: R[],
  method: string,
  path: string,
): { route: R; params: Record<string, string> } | undefined => {
  const parts = path.split('/').slice(1);
  const found: Array<{ route: R; params: Record<string, string>; score: number[] }> = [];
  for (const route of routes) {
    if (route.method === '$default') continue;
    if (route.method !== 'ANY' && route.method !== method) continue;
    const params: Record<string, string> = {};
    const score: number[] = [];
    let ok = true;
    for (let i = 0; i < route.segments.length && ok; i++) {
      const seg = route.segments[i];
      const greedy = /^\{(.+)\+\}$/.exec(seg);
      if (greedy) {
        if (i >= parts.length || parts.slice(i).join('/') === '') ok = false;
        else params[greedy[1]] = decodePathParameter(parts.slice(i).join('/'));
        score.push(0);
        break;
      }
      const part = parts[i];
      if (part === undefined) ok = false;
      else if (/^\{.+\}$/.test(seg)) {
        if (part === '') ok = false;
        else {
          params[seg.slice(1, -1)] = decodePathParameter(part);
          score.push(1);
        }
      } else if (seg === part) score.push(2);
      else ok = false;
    }
    const greedyRoute = route.segments.some((s) => s.endsWith('+}'));
    if (ok && !greedyRoute && route.segments.length !== parts.length) ok = false;
    if (ok) found.push({ route, params, score: [...score, route.method === 'ANY' ? 0 : 1] });
  }
  found.sort((a, b) => {
    for (let i = 0; i < Math.max(a.score.length, b.score.length); i++) {
      const d = (b.score[i] ?? -1) - (a.score[i] ?? -1);
      if (d !== 0) return d;
    }
    return 0;
  });
  const best = found[0];
  if (best) return { route: best.route, params: best.params };
  const fallback = routes.find((r) => r.method === '$default');
  return fallback ? { route: fallback, params: {} } : undefined;
};

export const requestId = () => randomBytes(12).toString('base64').replace(/[+/=]/g, 'A').slice(0, 16);

const apiTime = (d: Date) => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

/** Request headers as API Gateway forwards them: lower-case, multi-values joined, cookies apart, X-Forwarded-*. */
const forwardedHeaders = (req: http.IncomingMessage, port: number) => {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    if (k === 'cookie') {
      cookies = (Array.isArray(v) ? v.join('; ') : v).split(/;\s*/).filter(Boolean);
      continue;
    }
    headers[k] = Array.isArray(v) ? v.join(',') : v;
  }
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-port'] = String(port);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  return { headers, cookies, sourceIp };
};

export interface EventInput {
  req: http.IncomingMessage;
  url: URL;
  method: string;
  routeKey: string;
  params: Record<string, string>;
  body: Buffer;
  authorizer?: Record<string, unknown>;
  id: string;
  apiId: string;
  accountId: string;
  port: number;
}

/** The payload format 2.0 event for one request. */
export const buildEvent = (e: EventInput): Record<string, unknown> => {
  const { headers, cookies, sourceIp } = forwardedHeaders(e.req, e.port);
  let queryStringParameters: Record<string, string> | undefined;
  for (const [k, v] of e.url.searchParams) {
    queryStringParameters ??= {};
    queryStringParameters[k] = k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;
  }
  const text = isTextContentType(headers['content-type']);
  const now = new Date();
  const host = (headers.host ?? 'localhost').split(':')[0];
  return {
    version: '2.0',
    routeKey: e.routeKey,
    rawPath: e.url.pathname,
    rawQueryString: e.url.search.replace(/^\?/, ''),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: e.accountId,
      apiId: e.apiId,
      ...(e.authorizer ? { authorizer: e.authorizer } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0],
      http: { method: e.method, path: e.url.pathname, protocol: `HTTP/${e.req.httpVersion}`, sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: e.id,
      routeKey: e.routeKey,
      stage: '$default',
      time: apiTime(now),
      timeEpoch: now.getTime(),
    },
    ...(Object.keys(e.params).length ? { pathParameters: e.params } : {}),
    ...(e.body.length ? { body: text ? e.body.toString('utf8') : e.body.toString('base64') } : {}),
    isBase64Encoded: e.body.length > 0 && !text,
  };
};

/** Maps a function result to an HTTP response as payload format 2.0 does; undefined when malformed. */
export const mapResult = (result: unknown): { status: number; headers: Record<string, string>; cookies: string[]; body: Buffer } | undefined => {
  if (result !== null && typeof result === 'object' && !Array.isArray(result) && 'statusCode' in result) {
    const r = result as { statusCode: unknown; headers?: Record<string, unknown>; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
    const status = Number(r.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const cookies = Array.isArray(r.cookies) ? r.cookies.map(String) : [];
    const raw = r.body === undefined || r.body === null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    const body = r.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    return { status, headers, cookies, body };
  }
  const body = typeof result === 'string' ? result : JSON.stringify(result);
  return { status: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(body ?? '', 'utf8') };
};
