import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Log } from './log.js';
import { apiGatewayClaims, type JwtVerifier } from './jwt.js';
import type { LocalFunction } from './runtime/functions.js';

/** API Gateway's payload limit for HTTP APIs. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface GatewayRoute {
  routeKey: string;
  fn: LocalFunction;
  authorizer?: JwtVerifier;
  scopes?: string[];
  /** The stage's RouteSettings for this route, when it overrides the default throttling. */
  throttle?: Throttle;
}

export interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

export interface CorsConfig {
  AllowOrigins?: string[];
  AllowMethods?: string[];
  AllowHeaders?: string[];
  ExposeHeaders?: string[];
  AllowCredentials?: boolean;
  MaxAge?: number;
}

interface CompiledRoute extends GatewayRoute {
  method: string;
  segments: string[];
  bucket?: TokenBucket;
}

class TokenBucket {
  private tokens: number;
  private last = Date.now();
  constructor(private readonly t: Throttle) {
    this.tokens = t.burstLimit;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.t.burstLimit, this.tokens + ((now - this.last) / 1000) * this.t.rateLimit);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|graphql|x-yaml|yaml)|[^;]*\+(json|xml))/i;

/** HTTP APIs pass text bodies as they are and base64-encode everything else, forms included. */
export const isTextContentType = (contentType: string | undefined): boolean => contentType !== undefined && TEXT_TYPES.test(contentType.trim());

/** The specificity of a route for a path: literal beats `{param}` beats `{proxy+}`; `$default` is last. */
export const matchRoute = <R extends { method: string; segments: string[] }>(routes: R[], method: string, path: string): { route: R; params: Record<string, string> } | undefined => {
  const parts = path.split('/').slice(1);
  const found: Array<{ route: R; params: Record<string, string>; score: number[] }> = [];
  for (const route of routes) {
    if (route.method === '$default') continue;
    if (route.method !== 'ANY' && route.method !== method) continue;
    const params: Record<string, string> = {};
    const score: number[] = [];
    let ok = true;
    for (let i = 0; i < route.segments.length && ok; i++) {
      const seg = route.segments[i]!;
      const greedy = /^\{(.+)\+\}$/.exec(seg);
      if (greedy) {
        if (i >= parts.length || parts.slice(i).join('/') === '') ok = false;
        else params[greedy[1]!] = decodeURIComponent(parts.slice(i).join('/'));
        score.push(0);
        if (ok) i = parts.length;
        break;
      }
      const part = parts[i];
      if (part === undefined) ok = false;
      else if (/^\{.+\}$/.test(seg)) {
        if (part === '') ok = false;
        else {
          params[seg.slice(1, -1)] = decodeURIComponent(part);
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

const requestId = () => randomBytes(12).toString('base64').replace(/[+/=]/g, 'A').slice(0, 16);

const apiTime = (d: Date) => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

export interface GatewayOptions {
  apiId: string;
  accountId: string;
  log: Log;
  throttle?: Throttle;
  cors?: CorsConfig;
}

/** The HTTP API: routes from the template, payload format 2.0, API Gateway's own error responses. */
export class Gateway {
  private routes: CompiledRoute[] = [];
  private server?: http.Server;
  private ready = false;
  private stageBucket?: TokenBucket;
  port = 0;
  baseUrl = '';

  constructor(private options: GatewayOptions) {}

  configure(routes: GatewayRoute[], options: Partial<GatewayOptions> = {}): void {
    this.options = { ...this.options, ...options };
    this.stageBucket = this.options.throttle ? new TokenBucket(this.options.throttle) : undefined;
    this.routes = routes.map((r) => {
      const bucket = r.throttle ? new TokenBucket(r.throttle) : undefined;
      if (r.routeKey === '$default') return { ...r, bucket, method: '$default', segments: [] };
      const [method, path] = r.routeKey.split(' ') as [string, string];
      return { ...r, bucket, method: method.toUpperCase(), segments: path.split('/').slice(1) };
    });
    this.ready = true;
  }

  async listen(port: number): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.baseUrl = `http://localhost:${this.port}`;
    return this.baseUrl;
  }

  private corsHeaders(req: http.IncomingMessage): Record<string, string> {
    const cors = this.options.cors;
    const origin = req.headers.origin;
    if (!cors || !origin) return {};
    const allowed = cors.AllowOrigins ?? [];
    if (!allowed.includes('*') && !allowed.includes(origin)) return {};
    const h: Record<string, string> = { 'access-control-allow-origin': allowed.includes('*') && !cors.AllowCredentials ? '*' : origin };
    if (cors.AllowCredentials) h['access-control-allow-credentials'] = 'true';
    if (cors.ExposeHeaders?.length) h['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
    return h;
  }

  private send(res: http.ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer | string, id: string) {
    res.writeHead(status, { ...headers, 'apigw-requestid': id });
    res.end(body);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const id = requestId();
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://local');
    const method = (req.method ?? 'GET').toUpperCase();
    const cors = this.corsHeaders(req);
    const json = (status: number, message: string, extra: Record<string, string> = {}) =>
      this.send(res, status, { 'content-type': 'application/json', ...cors, ...extra }, JSON.stringify({ message }), id);
    const logLine = (status: number, note = '') => this.options.log.info('gateway', `${method} ${url.pathname} → ${status} ${Date.now() - started} ms${note}`);

    if (!this.ready) return json(503, 'Service Unavailable');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      logLine(413);
      return json(413, 'Request Entity Too Large', { connection: 'close' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
    if (size > MAX_BODY_BYTES) {
      logLine(413);
      return json(413, 'Request Entity Too Large');
    }
    const body = Buffer.concat(chunks);

    if (method === 'OPTIONS' && this.options.cors && req.headers['access-control-request-method']) {
      const c = this.options.cors;
      return this.send(
        res,
        204,
        {
          ...cors,
          'access-control-allow-methods': (c.AllowMethods ?? ['*']).join(','),
          'access-control-allow-headers': (c.AllowHeaders ?? []).join(','),
          ...(c.MaxAge !== undefined ? { 'access-control-max-age': String(c.MaxAge) } : {}),
        },
        '',
        id,
      );
    }

    const match = matchRoute(this.routes, method, url.pathname);
    if (!match) {
      logLine(404, ' (no route)');
      return json(404, 'Not Found');
    }
    const { route, params } = match;

    let authorizer: Record<string, unknown> | undefined;
    if (route.authorizer) {
      const auth = req.headers.authorization;
      const check = await route.authorizer.check(Array.isArray(auth) ? auth[0] : auth);
      if (!check.ok) {
        logLine(401, ` (JWT: ${check.reason})`);
        return json(401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
      }
      if (route.scopes?.length && !route.scopes.some((s) => check.scopes?.includes(s))) {
        logLine(403, ' (JWT scopes)');
        return json(403, 'Forbidden');
      }
      authorizer = { jwt: { claims: apiGatewayClaims(check.claims), scopes: check.scopes } };
    }

    const bucket = (route as CompiledRoute).bucket ?? this.stageBucket;
    if (bucket && !bucket.take()) {
      logLine(429);
      return json(429, 'Too Many Requests');
    }

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
    headers['x-forwarded-port'] = String(this.port);
    headers['x-forwarded-proto'] = 'http';
    headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

    const rawQueryString = url.search.replace(/^\?/, '');
    let queryStringParameters: Record<string, string> | undefined;
    for (const [k, v] of url.searchParams) {
      queryStringParameters ??= {};
      queryStringParameters[k] = k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;
    }
    const text = isTextContentType(headers['content-type']);
    const now = new Date();
    const event: Record<string, unknown> = {
      version: '2.0',
      routeKey: route.routeKey,
      rawPath: url.pathname,
      rawQueryString,
      ...(cookies ? { cookies } : {}),
      headers,
      ...(queryStringParameters ? { queryStringParameters } : {}),
      requestContext: {
        accountId: this.options.accountId,
        apiId: this.options.apiId,
        ...(authorizer ? { authorizer } : {}),
        domainName: (headers.host ?? 'localhost').split(':')[0],
        domainPrefix: (headers.host ?? 'localhost').split(':')[0]!.split('.')[0],
        http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp, userAgent: headers['user-agent'] ?? '' },
        requestId: id,
        routeKey: route.routeKey,
        stage: '$default',
        time: apiTime(now),
        timeEpoch: now.getTime(),
      },
      ...(Object.keys(params).length ? { pathParameters: params } : {}),
      ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: body.length > 0 && !text,
    };

    const outcome = await route.fn.invoke(event);
    if (!outcome.ok) {
      if (outcome.error.errorType === 'RequestEntityTooLargeException') {
        logLine(413, ` (${route.fn.def.label}: Lambda payload limit)`);
        return json(413, 'Request Entity Too Large');
      }
      logLine(500, ` (${route.fn.def.label}: ${outcome.error.errorType})`);
      return json(500, 'Internal Server Error');
    }
    const mapped = mapResult(outcome.result);
    if (!mapped) {
      logLine(500, ` (${route.fn.def.label}: malformed Lambda proxy response)`);
      return json(500, 'Internal Server Error');
    }
    logLine(mapped.status, ` (${route.fn.def.label} ${outcome.durationMs} ms)`);
    const outHeaders: Record<string, string | string[]> = { ...cors, ...mapped.headers };
    if (mapped.cookies.length) outHeaders['set-cookie'] = mapped.cookies;
    return this.send(res, mapped.status, outHeaders, mapped.body, id);
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

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
