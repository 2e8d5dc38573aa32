import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import * as z from '#domain/zod.js';
import { eventScope, PEOPLE_SCOPE, type AuditEntry, type AuditTrail } from '#domain/access/audit.js';
import { WITHHELD_CLAIM } from '#domain/access/mfa-gate.js';
import { authorize, ForbiddenError, grantsOf, groupsClaim, ROLES, type Principal, type Role } from '#domain/access/roles.js';
import { DomainError } from '#domain/errors.js';
import { randomIds, systemClock } from './clients.js';
import { httpErrorHandler, type HttpEvent, type HttpResult } from './http.js';
import { logger } from './observability.js';

/**
 * The roles each route of this function admits, `{ "<METHOD> <path>": ["admin", …] }`. The stack
 * writes it from the one table of organizer routes (`functions/domain/access/organizer-routes.ts`) into the function's
 * environment; a function without it fails its cold start.
 */
export const routeRolesSchema = z.record(z.string().check(z.regex(/^(GET|POST|PUT|DELETE|PATCH) \//)), z.array(z.enum(ROLES as [Role, ...Role[]])).check(z.minLength(1)));
export type RouteRoles = z.infer<typeof routeRolesSchema>;

export const readRouteRoles = (env: Record<string, string | undefined> = process.env): RouteRoles => {
  const raw = env.ROUTE_ROLES;
  if (!raw) throw new Error('Invalid function configuration: ROUTE_ROLES is required for organizer routes');
  const parsed = routeRolesSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error(`Invalid function configuration: ROUTE_ROLES: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
};

export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthenticated';
  constructor(message = 'Sign in first: this route needs an organizer token') {
    super(message);
  }
}

/** What an organizer route knows about the request once it is admitted. */
export interface Organizer {
  principal: Principal;
  /** The roles that admitted the request (those the route admits that the person holds here). */
  roles: Role[];
  /** The event in the path, if any. */
  eventId?: string;
  route: string;
  /** Records an audit entry for this request: actor, time, route and scope are filled in. */
  audit(entry: AuditDraft): Promise<void>;
  /** The same entry, not written: for a store to commit in the change's own transaction (both or neither). */
  auditEntry: (entry: AuditDraft) => AuditEntry;
}

type AuditDraft = Pick<AuditEntry, 'action'> & Partial<Pick<AuditEntry, 'target' | 'subject' | 'before' | 'after' | 'detail' | 'scope'>>;

const claimsOf = (event: HttpEvent): Record<string, unknown> | undefined => event.requestContext.authorizer?.jwt?.claims;

export const principalOf = (event: HttpEvent): Principal => {
  const claims = claimsOf(event);
  const sub = claims?.sub;
  if (typeof sub !== 'string' || !sub) throw new UnauthenticatedError();
  // Only ID tokens: the pool's pre-token-generation trigger shapes them (its basic plan cannot
  // shape access tokens), so an access token could still carry a role withheld for want of TOTP.
  if (claims.token_use !== 'id') throw new UnauthenticatedError('Sign in first: this route needs the ID token of an organizer (token_use id)');
  const email = typeof claims.email === 'string' ? claims.email : typeof claims['cognito:username'] === 'string' ? claims['cognito:username'] : '';
  return { sub, email, grants: grantsOf(groupsClaim(claims['cognito:groups'])) };
};

/** A refusal for a person whose roles the pool withheld (no TOTP yet) says so. */
const withheldExplained = <T>(event: HttpEvent, decide: () => T): T => {
  try {
    return decide();
  } catch (err) {
    const withheld = claimsOf(event)?.[WITHHELD_CLAIM];
    if (!(err instanceof ForbiddenError) || typeof withheld !== 'string' || !withheld) throw err;
    throw new ForbiddenError(`${err.message}. The roles ${withheld} are withheld from your token until you enrol an authenticator app: sign in on the dashboard to do it`);
  }
};

export interface OrganizerHandlerOptions {
  /** Routes this function also serves without an organizer token (the invitee's badge link). */
  publicRoutes?: string[];
  /** Where audit entries go; required by functions that write or read accreditation data. */
  audit?: AuditTrail;
  env?: Record<string, string | undefined>;
}

/**
 * The one authorization middleware of organizer routes: the token's `cognito:groups` against the
 * roles the route declares. A route the table does not list is refused (fail closed); a refusal is
 * a 403 naming the role needed, never an empty answer.
 */
export const organizerHandler = (
  fn: (event: HttpEvent, organizer: Organizer, context: Context) => Promise<HttpResult>,
  options: OrganizerHandlerOptions & { publicHandler?: (event: HttpEvent, context: Context) => Promise<HttpResult> } = {},
) => {
  const routes = readRouteRoles(options.env);
  const publicRoutes = new Set(options.publicRoutes ?? []);
  return middy<HttpEvent, HttpResult>(async (event: HttpEvent, context: Context) => {
    const route = event.routeKey;
    if (publicRoutes.has(route) && options.publicHandler) return options.publicHandler(event, context);
    const admitted = routes[route];
    const principal = principalOf(event);
    if (!admitted) throw new ForbiddenError(`The route ${route} declares no roles, so nobody may use it`);
    // API Gateway hands path parameters decoded already; decoding again would misread a '%'.
    const eventId = event.pathParameters?.eventId;
    const roles = withheldExplained(event, () => authorize(principal, admitted, eventId));
    const auditEntry = (entry: AuditDraft): AuditEntry => ({
      id: randomIds.newId(),
      at: systemClock.now().toISOString(),
      scope: entry.scope ?? (eventId ? eventScope(eventId) : PEOPLE_SCOPE),
      actor: { sub: principal.sub, email: principal.email },
      route,
      ...entry,
    });
    const organizer: Organizer = {
      principal,
      roles,
      eventId,
      route,
      auditEntry,
      audit: async (entry) => {
        if (!options.audit) throw new Error(`No audit trail wired for ${route}`);
        await options.audit.record(auditEntry(entry));
      },
    };
    logger.appendKeys({ actor: principal.sub });
    return fn(event, organizer, context);
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpErrorHandler());
};
