import * as z from 'zod';
import { DomainError, ValidationError } from '../errors.js';
import type { CumbreStore } from '../ports.js';
import { eventScope, PEOPLE_SCOPE, type AuditEntry } from './audit.js';
import { EVENT_ROLES, grantsOf, groupName, parseGroup, type Grant, type Principal } from './roles.js';

/** A person who may use the dashboard, as the directory (the Cognito pool) knows them. */
export interface Person {
  username: string;
  email: string;
  /** `FORCE_CHANGE_PASSWORD` until the invitation is used, then `CONFIRMED`. */
  status: string;
  enabled: boolean;
  /** Group names as they are in the pool, including any this scheme does not read (they grant nothing). */
  groups: string[];
  mfa: boolean;
  createdAt?: string;
}

/** The organizers' directory: Cognito's user pool, as the people service needs it. */
export interface Directory {
  list(): Promise<Person[]>;
  get(username: string): Promise<Person | undefined>;
  /** Creates the account and sends the invitation email with a temporary password. */
  invite(email: string): Promise<Person>;
  addToGroup(username: string, group: string): Promise<void>;
  removeFromGroup(username: string, group: string): Promise<void>;
  remove(username: string): Promise<void>;
}

const grantSchema = z.union([
  z.strictObject({ role: z.literal('admin') }),
  z.strictObject({ role: z.enum(EVENT_ROLES), eventId: z.string().regex(/^[a-z0-9-]{3,64}$/, 'must be an event id (a-z, 0-9, -)') }),
]);
const rolesSchema = z.array(grantSchema).max(50);
export const inviteSchema = z.strictObject({ email: z.email().max(254), roles: rolesSchema.min(1, 'give at least one role') });
export const updateRolesSchema = z.strictObject({ roles: rolesSchema });
export type InviteRequest = z.infer<typeof inviteSchema>;

export class PersonNotFoundError extends DomainError {
  readonly code = 'person_not_found';
  constructor(username: string) {
    super(`No person ${username} in the organizers' directory`);
  }
}

export class PersonExistsError extends DomainError {
  readonly code = 'person_exists';
  constructor(email: string) {
    super(`${email} already has an account; change their roles instead`);
  }
}

export class SelfLockoutError extends DomainError {
  readonly code = 'self_lockout';
  constructor() {
    super('You cannot remove your own admin role or account; ask another admin');
  }
}

const describe = (grants: Grant[]) => grants.map(groupName).sort();

export interface PeopleDeps {
  directory: Directory;
  store: Pick<CumbreStore, 'getEvent'>;
  record(entry: Omit<AuditEntry, 'id' | 'at' | 'actor' | 'route'>): Promise<void>;
}

/**
 * `admin`'s management of people: invite with roles, change roles, remove. Roles become group
 * memberships; group names outside the scheme are left alone (they grant nothing). Each change is
 * audited in `people` and in every event whose roles it touched.
 */
export class PeopleService {
  constructor(private readonly deps: PeopleDeps) {}

  async list() {
    const people = await this.deps.directory.list();
    return people.map((p) => ({ ...p, roles: grantsOf(p.groups) })).sort((a, b) => a.email.localeCompare(b.email));
  }

  private async checkEvents(grants: Grant[]) {
    const ids = [...new Set(grants.flatMap((g) => (g.role === 'admin' ? [] : [g.eventId])))];
    const missing = [];
    for (const id of ids) if (!(await this.deps.store.getEvent(id))) missing.push(id);
    if (missing.length) throw new ValidationError(missing.map((id) => ({ field: 'roles', message: `event ${id} does not exist` })));
  }

  private async audit(action: string, target: string, before: string[], after: string[], extra: Record<string, unknown> = {}) {
    const touched = new Set(
      [...before, ...after]
        .filter((g) => !before.includes(g) || !after.includes(g))
        .map(parseGroup)
        .flatMap((g) => (g && g.role !== 'admin' ? [g.eventId] : [])),
    );
    const entry = { action, target, before: { roles: before }, after: { roles: after, ...extra } };
    await this.deps.record({ ...entry, scope: PEOPLE_SCOPE });
    for (const eventId of touched) await this.deps.record({ ...entry, scope: eventScope(eventId) });
  }

  async invite(request: InviteRequest) {
    const grants = dedupe(request.roles);
    await this.checkEvents(grants);
    const email = request.email.toLowerCase();
    if ((await this.deps.directory.list()).some((p) => p.email.toLowerCase() === email)) throw new PersonExistsError(email);
    const person = await this.deps.directory.invite(email);
    for (const g of describe(grants)) await this.deps.directory.addToGroup(person.username, g);
    await this.audit('person.invited', person.username, [], describe(grants), { email });
    return { ...person, groups: describe(grants), roles: grants };
  }

  async setRoles(actor: Principal, username: string, roles: Grant[]) {
    const person = await this.deps.directory.get(username);
    if (!person) throw new PersonNotFoundError(username);
    const grants = dedupe(roles);
    await this.checkEvents(grants);
    const before = describe(grantsOf(person.groups));
    const after = describe(grants);
    if (isSelf(actor, person) && before.includes('admin') && !after.includes('admin')) throw new SelfLockoutError();
    for (const g of after.filter((g) => !before.includes(g))) await this.deps.directory.addToGroup(username, g);
    for (const g of before.filter((g) => !after.includes(g))) await this.deps.directory.removeFromGroup(username, g);
    if (before.join() !== after.join()) await this.audit('person.roles.changed', username, before, after, { email: person.email });
    return { ...person, groups: after, roles: grants };
  }

  async remove(actor: Principal, username: string) {
    const person = await this.deps.directory.get(username);
    if (!person) throw new PersonNotFoundError(username);
    if (isSelf(actor, person)) throw new SelfLockoutError();
    await this.deps.directory.remove(username);
    await this.audit('person.removed', username, describe(grantsOf(person.groups)), [], { email: person.email });
  }
}

const isSelf = (actor: Principal, person: Person) => actor.email !== '' && actor.email.toLowerCase() === person.email.toLowerCase();
const dedupe = (grants: Grant[]) => [...new Map(grants.map((g) => [groupName(g), g])).values()];
