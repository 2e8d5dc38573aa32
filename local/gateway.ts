import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildEvent, mapResult, matchRoute, MalformedPathError, requestId } from './gateway-payload.js';
import type { Log } from './log.js';
import { apiGatewayClaims, type JwtVerifier } from './jwt.js';
import type { LocalFunction } from './runtime/functions.js';

export { decodePathParameter, isTextContentType, mapResult, matchRoute, MalformedPathError } from './gateway-payload.js';

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
    this.server = http.createServer((req, res) => void this.handle(req, res).catch((err: unknown) => this.failed(req, res, err)));
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

  /** Reads the body up to API Gateway's limit; undefined when it is over (the 413 is sent). */
  private async readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
    return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
  }

  private preflight(res: http.ServerResponse, cors: Record<string, string>, id: string) {
    const c = this.options.cors!;
    const headers = {
      ...cors,
      'access-control-allow-methods': (c.AllowMethods ?? ['*']).join(','),
      'access-control-allow-headers': (c.AllowHeaders ?? []).join(','),
      ...(c.MaxAge !== undefined ? { 'access-control-max-age': String(c.MaxAge) } : {}),
    };
    this.send(res, 204, headers, '', id);
  }

  /** The JWT authorizer's verdict: the claims for the event, or the status API Gateway answers with. */
  private async authorize(route: CompiledRoute, req: http.IncomingMessage): Promise<{ authorizer?: Record<string, unknown> } | { status: 401 | 403; note: string }> {
    if (!route.authorizer) return {};
    const check = await route.authorizer.check(req.headers.authorization);
    if (!check.ok) return { status: 401, note: ` (JWT: ${check.reason})` };
    if (route.scopes?.length && !route.scopes.some((s) => check.scopes?.includes(s))) return { status: 403, note: ' (JWT scopes)' };
    return { authorizer: { jwt: { claims: apiGatewayClaims(check.claims), scopes: check.scopes } } };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const id = requestId();
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://local');
    const method = (req.method ?? 'GET').toUpperCase();
    const cors = this.corsHeaders(req);
    const json = (status: number, message: string, extra: Record<string, string> = {}) =>
      this.send(res, status, { 'content-type': 'application/json', ...cors, ...extra }, JSON.stringify({ message }), id);
    const answer = (status: number, message: string, note = '', extra: Record<string, string> = {}) => {
      this.options.log.info('gateway', `${method} ${url.pathname} → ${status} ${Date.now() - started} ms${note}`);
      json(status, message, extra);
    };

    if (!this.ready) return json(503, 'Service Unavailable');
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      req.resume();
      return answer(413, 'Request Entity Too Large', '', { connection: 'close' });
    }
    const body = await this.readBody(req);
    if (!body) return answer(413, 'Request Entity Too Large');
    if (method === 'OPTIONS' && this.options.cors && req.headers['access-control-request-method']) return this.preflight(res, cors, id);

    let match: ReturnType<typeof matchRoute<CompiledRoute>>;
    try {
      match = matchRoute(this.routes, method, url.pathname);
    } catch (err) {
      if (err instanceof MalformedPathError) return answer(400, 'Bad Request', ` (${err.message})`);
      throw err;
    }
    if (!match) return answer(404, 'Not Found', ' (no route)');
    const { route, params } = match;
    const auth = await this.authorize(route, req);
    if ('status' in auth) return answer(auth.status, auth.status === 401 ? 'Unauthorized' : 'Forbidden', auth.note, auth.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    const bucket = route.bucket ?? this.stageBucket;
    if (bucket && !bucket.take()) return answer(429, 'Too Many Requests');

    const event = buildEvent({
      req,
      url,
      method,
      routeKey: route.routeKey,
      params,
      body,
      authorizer: auth.authorizer,
      id,
      apiId: this.options.apiId,
      accountId: this.options.accountId,
      port: this.port,
    });
    const outcome = await route.fn.invoke(event);
    const label = route.fn.def.label;
    if (!outcome.ok && outcome.error.errorType === 'RequestEntityTooLargeException') return answer(413, 'Request Entity Too Large', ` (${label}: Lambda payload limit)`);
    if (!outcome.ok) return answer(500, 'Internal Server Error', ` (${label}: ${outcome.error.errorType})`);
    const mapped = mapResult(outcome.result);
    if (!mapped) return answer(500, 'Internal Server Error', ` (${label}: malformed Lambda proxy response)`);
    this.options.log.info('gateway', `${method} ${url.pathname} → ${mapped.status} ${Date.now() - started} ms (${label} ${outcome.durationMs} ms)`);
    const outHeaders: Record<string, string | string[]> = { ...cors, ...mapped.headers };
    if (mapped.cookies.length) outHeaders['set-cookie'] = mapped.cookies;
    return this.send(res, mapped.status, outHeaders, mapped.body, id);
  }

  /**
   * Whatever a request does (a client that hangs up mid-body, a header no parser expected), the
   * gateway answers or drops that one connection and keeps serving: no input takes the cloud down.
   */
  private failed(req: http.IncomingMessage, res: http.ServerResponse, err: unknown) {
    const e = err as NodeJS.ErrnoException;
    const gone = req.destroyed && (e.code === 'ECONNRESET' || e.message === 'aborted');
    this.options.log.warn('gateway', `${req.method ?? '?'} ${req.url ?? '?'}: ${gone ? 'client closed the connection mid-request' : `${e.name}: ${e.message}`}`);
    if (res.headersSent || res.destroyed || gone) {
      res.destroy();
      return;
    }
    res.writeHead(500, { 'content-type': 'application/json', 'apigw-requestid': requestId() });
    res.end(JSON.stringify({ message: 'Internal Server Error' }));
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
