import { DomainError } from '../errors.js';

/**
 * Who may do what. Roles travel in the token as Cognito group names:
 *
 * - `admin`: every event, and the people who may use Cumbre.
 * - `event:<eventId>:<role>` with role `organizer`, `security`, `door` or `viewer`: that role in
 *   that event only (`event:na-mayors-summit-2019:security`).
 *
 * Anything else in `cognito:groups` (an unknown role, a name with spaces or extra parts, an
 * uppercase event id) grants nothing: a typo in a group name must never widen access.
 */
export const EVENT_ROLES = ['organizer', 'security', 'door', 'viewer'] as const;
export type EventRole = (typeof EVENT_ROLES)[number];
export type Role = 'admin' | EventRole;
export const ROLES: readonly Role[] = ['admin', ...EVENT_ROLES];

/** Roles that must sign in with a TOTP second factor. */
export const MFA_ROLES: readonly Role[] = ['admin', 'security'];

export const EVENT_ID_PATTERN = /^[a-z0-9-]{3,64}$/;
const EVENT_GROUP = /^event:([a-z0-9-]{3,64}):(organizer|security|door|viewer)$/;

export type Grant = { role: 'admin' } | { role: EventRole; eventId: string };

/** The group name that carries a grant (Cognito group names: 1–128 printable characters, no spaces). */
export const groupName = (grant: Grant): string => (grant.role === 'admin' ? 'admin' : `event:${grant.eventId}:${grant.role}`);

/** A group name read back as a grant; `undefined` for any name this scheme does not produce. */
export const parseGroup = (name: string): Grant | undefined => {
  if (name === 'admin') return { role: 'admin' };
  const m = EVENT_GROUP.exec(name);
  return m ? { role: m[2] as EventRole, eventId: m[1] } : undefined;
};

/**
 * `cognito:groups` as a JWT authorizer hands it over: an array locally in tests, a string `[a b]`
 * from API Gateway (arrays are flattened), or absent.
 */
export const groupsClaim = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        const parsed = JSON.parse(text) as unknown;
        return Array.isArray(parsed) ? parsed.map(String) : [];
      } catch {
        return [];
      }
    }
    return inner ? inner.split(/[\s,]+/) : [];
  }
  return text ? text.split(/[\s,]+/) : [];
};

export const grantsOf = (groups: string[]): Grant[] => groups.map(parseGroup).filter((g): g is Grant => g !== undefined);

/** The roles a person holds for one event (admin counts in every event). */
export const rolesIn = (grants: Grant[], eventId: string | undefined): Role[] => {
  const roles = new Set<Role>();
  for (const g of grants) if (g.role === 'admin' || (eventId !== undefined && g.eventId === eventId)) roles.add(g.role);
  return ROLES.filter((r) => roles.has(r));
};

/** Whoever made a request, from the token's claims. */
export interface Principal {
  sub: string;
  email: string;
  grants: Grant[];
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  constructor(message: string) {
    super(message);
  }
}

/**
 * Decides a request: the route admits `admitted`; the person holds `rolesIn(grants, eventId)`.
 * Refusals name the roles that would have been needed and where.
 */
export const authorize = (principal: Principal, admitted: readonly Role[], eventId: string | undefined): Role[] => {
  // A route outside any event (the list of events, people) counts a role held in any event.
  const held = eventId === undefined ? ROLES.filter((r) => principal.grants.some((g) => g.role === r)) : rolesIn(principal.grants, eventId);
  const granted = held.filter((r) => admitted.includes(r));
  if (granted.length) return granted;
  const needed = admitted.map((r) => (r === 'admin' || eventId === undefined ? r : `${r} (group event:${eventId}:${r})`)).join(' or ');
  throw new ForbiddenError(`This needs the role ${needed}${eventId ? ` for event ${eventId}` : ''}; your account has ${held.length ? held.join(', ') : 'no role here'}`);
};

/** Roles that see personal data (emails, dietary and accessibility notes) in listings. */
export const seesPersonalData = (roles: readonly Role[]) => roles.some((r) => r === 'admin' || r === 'organizer' || r === 'security');

/** What a `viewer` sees of an invitation: names and organizations, never contact or personal notes. */
export const VIEWER_FIELDS = [
  'id',
  'eventId',
  'name',
  'title',
  'organization',
  'country',
  'category',
  'language',
  'sessions',
  'guestsAllowed',
  'guests',
  'responses',
  'status',
  'topics',
  'hasAccreditation',
  'version',
  'createdAt',
  'updatedAt',
] as const;

/** An invitation (or its summary) as these roles may see it. */
export const redactFor = <T extends object>(roles: readonly Role[], item: T): Partial<T> =>
  seesPersonalData(roles) ? item : (Object.fromEntries(Object.entries(item).filter(([k]) => (VIEWER_FIELDS as readonly string[]).includes(k))) as Partial<T>);
