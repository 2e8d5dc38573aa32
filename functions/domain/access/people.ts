import * as z from '../zod.js';
import { DomainError, ValidationError } from '../errors.js';
import type { CumbreStore } from '../ports.js';
import { eventScope, PEOPLE_SCOPE, type AuditAction, type AuditEntry } from './audit.js';
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
  z.strictObject({ role: z.enum(EVENT_ROLES), eventId: z.string().check(z.regex(/^[a-z0-9-]{3,64}$/, 'must be an event id (a-z, 0-9, -)')) }),
]);
const rolesSchema = z.array(grantSchema).check(z.maxLength(50));
export const inviteSchema = z.strictObject({ email: z.email().check(z.maxLength(254)), roles: rolesSchema.check(z.minLength(1, 'give at least one role')) });
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

export class PersonChangeInProgressError extends DomainError {
  readonly code = 'person_change_in_progress';
  constructor(who: string) {
    super(`Another change to ${who} is being applied; try again in a minute`);
  }
}

const describe = (grants: Grant[]) => grants.map(groupName).sort();

/**
 * A change to who may use Cumbre, written (with its audit records) before the directory is
 * touched and removed once applied. Cognito cannot join a DynamoDB transaction, so this is the
 * outbox: a change whose request died half-way is applied by the next people request (every
 * directory step is idempotent), so its audit record never tells of a change that did not happen.
 */
export interface PendingPersonChange {
  /** `user:<username>`, or `email:<email>` for an invitation (the username comes with the account). */
  key: string;
  id: string;
  at: string;
  kind: 'invite' | 'roles' | 'remove';
  email: string;
  username?: string;
  add: string[];
  remove: string[];
}

export interface PeopleChangeLog {
  /** One transaction: the change and its audit records. PersonChangeInProgressError while one is pending under the same key. */
  begin(change: PendingPersonChange, audit: AuditEntry[]): Promise<void>;
  /** Removes the change once applied (that one only). */
  finish(change: PendingPersonChange): Promise<void>;
  get(key: string): Promise<PendingPersonChange | undefined>;
  list(): Promise<PendingPersonChange[]>;
}

/** A pending change older than this belongs to a request that died (functions stop after 29 s). */
export const STALE_CHANGE_MS = 60_000;

export interface PeopleDeps {
  directory: Directory;
  store: Pick<CumbreStore, 'getEvent'>;
  changes: PeopleChangeLog;
  /** Builds an audit record for this request (actor, route, id and time filled in). */
  entry(draft: Omit<AuditEntry, 'id' | 'at' | 'actor' | 'route'>): AuditEntry;
  now?: () => Date;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/**
 * `admin`'s management of people: invite with roles, change roles, remove. Roles become group
 * memberships; group names outside the scheme are left alone (they grant nothing). Each change is
 * audited in `people` and in every event whose roles it touched.
 */
export class PeopleService {
  constructor(private readonly deps: PeopleDeps) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  /** Applies changes whose request died half-way; one that fails again stays pending (and is logged), blocking only its own person. */
  async settle() {
    for (const change of await this.deps.changes.list()) {
      if (this.now().getTime() - Date.parse(change.at) < STALE_CHANGE_MS) continue;
      try {
        await this.apply(change);
        await this.deps.changes.finish(change);
      } catch (err) {
        this.deps.log?.('A pending change to people could not be applied', { key: change.key, id: change.id, error: (err as Error).message });
      }
    }
  }

  /** Writes the change with its audit records, applies it to the directory, then clears it. */
  private async run<T>(change: Omit<PendingPersonChange, 'id' | 'at'>, audit: AuditEntry[], apply: (c: PendingPersonChange) => Promise<T>): Promise<T> {
    const first = audit[0];
    const pending: PendingPersonChange = { ...change, id: first?.id ?? crypto.randomUUID(), at: first?.at ?? this.now().toISOString() };
    await this.deps.changes.begin(pending, audit);
    const result = await apply(pending);
    await this.deps.changes.finish(pending);
    return result;
  }

  /** Every step idempotent: a change applied twice (its request and a later settle) ends the same. */
  private async apply(c: PendingPersonChange): Promise<Person | undefined> {
    const { directory } = this.deps;
    if (c.kind === 'invite') {
      const existing = async () => (await directory.list()).find((p) => p.email.toLowerCase() === c.email);
      const person =
        (await existing()) ??
        (await directory.invite(c.email).catch(async (err: unknown) => {
          const found = err instanceof PersonExistsError ? await existing() : undefined;
          if (!found) throw err;
          return found;
        }));
      for (const g of c.add) await directory.addToGroup(person.username, g);
      return person;
    }
    const gone = (err: unknown) => {
      if (!(err instanceof PersonNotFoundError)) throw err;
    };
    if (c.kind === 'remove') {
      await directory.remove(c.username!).catch(gone);
      return undefined;
    }
    for (const g of c.add) await directory.addToGroup(c.username!, g).catch(gone);
    for (const g of c.remove) await directory.removeFromGroup(c.username!, g).catch(gone);
    return undefined;
  }

  async list() {
    await this.settle();
    const people = await this.deps.directory.list();
    return people.map((p) => ({ ...p, roles: grantsOf(p.groups) })).sort((a, b) => a.email.localeCompare(b.email));
  }

  private async checkEvents(grants: Grant[]) {
    const ids = [...new Set(grants.flatMap((g) => (g.role === 'admin' ? [] : [g.eventId])))];
    const missing = [];
    for (const id of ids) if (!(await this.deps.store.getEvent(id))) missing.push(id);
    if (missing.length) throw new ValidationError(missing.map((id) => ({ field: 'roles', message: `event ${id} does not exist` })));
  }

  /** The change's audit records: in `people`, and in every event whose roles it touched. */
  private audit(action: AuditAction, target: string, before: string[], after: string[], extra: Record<string, unknown> = {}): AuditEntry[] {
    const touched = new Set(
      [...before, ...after]
        .filter((g) => !before.includes(g) || !after.includes(g))
        .map(parseGroup)
        .flatMap((g) => (g && g.role !== 'admin' ? [g.eventId] : [])),
    );
    const entry = { action, target, before: { roles: before }, after: { roles: after, ...extra } };
    const first = this.deps.entry({ ...entry, scope: PEOPLE_SCOPE });
    // One id and time for the whole change, so its records read as one.
    return [first, ...[...touched].map((eventId) => ({ ...first, scope: eventScope(eventId) }))];
  }

  async invite(request: InviteRequest) {
    const grants = dedupe(request.roles);
    await this.checkEvents(grants);
    const email = request.email.toLowerCase();
    await this.settle();
    if ((await this.deps.directory.list()).some((p) => p.email.toLowerCase() === email)) throw new PersonExistsError(email);
    const groups = describe(grants);
    const person = await this.run({ key: `email:${email}`, kind: 'invite', email, add: groups, remove: [] }, this.audit('person.invited', email, [], groups, { email }), (c) =>
      this.apply(c),
    );
    return { ...person!, groups, roles: grants };
  }

  async setRoles(actor: Principal, username: string, roles: Grant[]) {
    await this.settle();
    const person = await this.deps.directory.get(username);
    if (!person) throw new PersonNotFoundError(username);
    const grants = dedupe(roles);
    await this.checkEvents(grants);
    const before = describe(grantsOf(person.groups));
    const after = describe(grants);
    if (isSelf(actor, person) && before.includes('admin') && !after.includes('admin')) throw new SelfLockoutError();
    if (before.join() !== after.join())
      await this.run(
        { key: `user:${username}`, kind: 'roles', email: person.email, username, add: after.filter((g) => !before.includes(g)), remove: before.filter((g) => !after.includes(g)) },
        this.audit('person.roles.changed', username, before, after, { email: person.email }),
        (c) => this.apply(c),
      );
    return { ...person, groups: after, roles: grants };
  }

  async remove(actor: Principal, username: string) {
    await this.settle();
    const person = await this.deps.directory.get(username);
    if (!person) throw new PersonNotFoundError(username);
    if (isSelf(actor, person)) throw new SelfLockoutError();
    const before = describe(grantsOf(person.groups));
    await this.run(
      { key: `user:${username}`, kind: 'remove', email: person.email, username, add: [], remove: before },
      this.audit('person.removed', username, before, [], { email: person.email }),
      (c) => this.apply(c),
    );
  }
}

const isSelf = (actor: Principal, person: Person) => actor.email !== '' && actor.email.toLowerCase() === person.email.toLowerCase();
const dedupe = (grants: Grant[]) => [...new Map(grants.map((g) => [groupName(g), g])).values()];
