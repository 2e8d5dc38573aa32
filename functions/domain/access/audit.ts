import { toCsv } from '../csv.js';

/**
 * The organizers' audit trail: every write an organizer makes and every read of accreditation
 * data, with who (subject and email), when, from which route, and the changed fields before and
 * after. Records are only ever added: no route changes or deletes one, and no function's role
 * allows it (the infra tests check the IAM policies).
 */
export interface AuditActor {
  sub: string;
  email: string;
}

/**
 * Every action the trail records. Closed, so the dashboard has a label for each in every language
 * (the catalogue test enumerates this list) and a new action fails typecheck until it is listed.
 */
export const AUDIT_ACTIONS = [
  'invitations.imported',
  'invitation.resent',
  'invitation.edited',
  'invitation.replaced',
  'invitation.revoked',
  'invitation.answered',
  'accreditation.read',
  'clearances.read',
  'clearance.changed',
  'person.invited',
  'person.roles.changed',
  'person.removed',
  'event.created',
  'event.updated',
  'message.sent',
  'reminders.run',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: string;
  at: string;
  /** `event:<eventId>` for an event's records, `people` for changes to who may use Cumbre. */
  scope: string;
  actor: AuditActor;
  /** What was done: one of `AUDIT_ACTIONS`. */
  action: AuditAction;
  /** The API route, e.g. `PUT /events/{eventId}/accreditation/{invitationId}/clearance`. */
  route: string;
  /** The record acted on: an invitation id, a username. */
  target?: string;
  /**
   * Whom the record is about, as they were named when it was written: the invitee's name, or a
   * delegation member's. The trail reads as people, not ids, and still does after the invitation
   * changes or is revoked; the reader of the trail may see names (admin and security).
   */
  subject?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** Anything else worth keeping (counts, the rows of an import). */
  detail?: Record<string, unknown>;
}

export const eventScope = (eventId: string) => `event:${eventId}`;
export const PEOPLE_SCOPE = 'people';

/** The audit trail, as the domain needs it. */
export interface AuditTrail {
  /** Adds a record; fails rather than overwrite one with the same key. */
  record(entry: AuditEntry): Promise<void>;
  /** Newest first, within `from`–`to` when given. */
  list(scope: string, range?: { from?: string; to?: string }): Promise<AuditEntry[]>;
}

const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

export const auditCsv = (entries: AuditEntry[]) =>
  toCsv(
    ['at', 'actorEmail', 'actorSub', 'action', 'route', 'target', 'subject', 'before', 'after', 'detail', 'id'],
    entries.map((e) => [e.at, e.actor.email, e.actor.sub, e.action, e.route, e.target, e.subject, json(e.before), json(e.after), json(e.detail), e.id]),
  );

/** The fields of `after` that differ from `before`, each side holding only those fields. */
export const changedFields = (before: Record<string, unknown>, after: Record<string, unknown>) => {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return { before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: Object.fromEntries(keys.map((k) => [k, after[k]])) };
};
