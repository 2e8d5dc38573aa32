import * as z from './zod.js';
import { countryCodeSchema } from './countries.js';
import {
  ConcurrentUpdateError,
  EventNotFoundError,
  InvitationNotFoundError,
  InvitationRevokedError,
  SeatConflictError,
  StaleVersionError,
  ValidationError,
  type FieldIssue,
} from './errors.js';
import { changedFields } from './access/audit.js';
import type { AuditFor } from './invitations.js';
import { toFieldIssues } from './field-issues.js';
import { overallStatus } from './invitation-status.js';
import { rsvpUrlFor } from './invitations/links.js';
import { REVOKED_OUTRIGHT, revoke } from './delegation.js';
import { categorySchema, languageSchema, type ActingOrganizer, type Invitation, type SessionState } from './model.js';
import type { ChangedField } from './organizer-api.js';
import { newEvent, type CumbreEvent, type EventInput } from './outbox.js';
import type { Clock, CumbreStore, EventRecord, IdGenerator, SessionChange, WaitlistChange } from './ports.js';
import { MAX_TRANSACTION_ITEMS, planPromotions } from './promotion.js';
import { plainText, requiredText } from './text.js';
import { deriveRsvpToken, hashToken, invitationIdFor, newTokenNonce } from './tokens.js';

/** Every credential of every holder, at any version. */
export const REVOKE_ALL = Number.MAX_SAFE_INTEGER;

const name = requiredText(120);
/** An empty string clears the field. */
const clearable = (max: number) => plainText(max);
const country = countryCodeSchema('must be an ISO 3166-1 alpha-2 code such as MX, US or CA');
const version = z.number('must be the version the change was made on').check(z.int(), z.positive());
const sessions = z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))).check(
  z.minLength(1, 'invite to at least one session; revoke the invitation to withdraw it'),
  z.maxLength(50),
  z.refine((ids: string[]) => new Set(ids).size === ids.length, 'lists a session more than once'),
);

/** `PATCH /events/{eventId}/invitations/{invitationId}`: the fields to change, on the version the organizer saw. */
export const editInvitationSchema = z.strictObject({
  version,
  name: z.optional(name),
  title: z.optional(clearable(60)),
  organization: z.optional(clearable(160)),
  country: z.optional(country),
  category: z.optional(categorySchema),
  language: z.optional(languageSchema),
  sessions: z.optional(sessions),
  guestsAllowed: z.optional(z.number('must be a whole number').check(z.int('must be a whole number'), z.gte(0), z.lte(2))),
});
export type EditInvitationRequest = z.infer<typeof editInvitationSchema>;

/** `POST …/replace`: the deputy who comes instead. Organization, country and category stay unless given; the title does not. */
export const replaceInviteeSchema = z.strictObject({
  version,
  email: z.pipe(z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254)), z.email('must be a valid email address')),
  name,
  title: z.optional(clearable(60)),
  organization: z.optional(clearable(160)),
  country: z.optional(country),
  category: z.optional(categorySchema),
  language: z.optional(languageSchema),
});
export type ReplaceInviteeRequest = z.infer<typeof replaceInviteeSchema>;

/** `POST …/revoke`: `version` pins the revocation to what the organizer saw; without it, it applies to whatever the invitation is now. */
export const revokeInvitationSchema = z.strictObject({
  version: z.optional(version),
  reason: z.optional(plainText(300)),
});
export type RevokeInvitationRequest = z.infer<typeof revokeInvitationSchema>;

export const parseWithSchema = <S extends z.ZodMiniType>(schema: S, body: unknown): z.infer<S> => {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
  return parsed.data;
};

/** A session whose seats or waitlist place a change gave up. */
export interface Released {
  sessionId: string;
  /** What the invitation held there. */
  was: 'confirmed' | 'waitlisted';
  seats: number;
}

export interface InvitationChange {
  invitation: Invitation;
  /** The profile fields that changed (as `invitation.updated` names them). */
  changed: ChangedField[];
  released: Released[];
  /** Invitations confirmed from the waitlist in the same transaction. */
  promoted: string[];
  /** Only for a replacement: the deputy's new RSVP link (also emailed to them). */
  rsvpUrl?: string;
}

export interface InvitationAdminDeps {
  store: CumbreStore;
  clock: Clock;
  ids: IdGenerator;
  tokenSecret: string;
  publicBaseUrl: string;
  /** Attempts when answers keep landing between read and write. */
  maxAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
}

/** The fields of a plan that touch seats: counter changes, waitlist records and the events that tell of them. */
interface SeatPlan {
  responses: Invitation['responses'];
  changes: SessionChange[];
  waitlist: WaitlistChange[];
  released: Released[];
  events: EventInput[];
}

/** True while the invitee holds (confirmed or waitlisted) a session that requires accreditation. */
const holdsAccreditedSession = (event: EventRecord, responses: Invitation['responses']) =>
  event.sessions.some((s) => s.requiresAccreditation && ['confirmed', 'waitlisted'].includes(responses[s.id]?.status ?? ''));

/**
 * Gives up the invitation's standing in `drop` sessions (seats, waitlist place, or a decline's count)
 * and re-sizes what it keeps to `seats`, exactly as an answer would: the same counter deltas, so the
 * counters keep equalling the records.
 */
const planSeats = (invitation: Invitation, event: EventRecord, drop: Set<string>, seats: number, iso: string): SeatPlan => {
  const sessions = new Map(event.sessions.map((s) => [s.id, s]));
  const plan: SeatPlan = { responses: { ...invitation.responses }, changes: [], waitlist: [], released: [], events: [] };
  const base = { eventId: invitation.eventId, invitationId: invitation.id };
  for (const [sessionId, current] of Object.entries(invitation.responses)) {
    const session = sessions.get(sessionId);
    if (!session) continue;
    if (drop.has(sessionId)) {
      delete plan.responses[sessionId];
      if (current.status === 'confirmed') {
        plan.changes.push({ sessionId, capacity: session.capacity, delta: { confirmedSeats: -current.seats, confirmedParties: -1 } });
        plan.released.push({ sessionId, was: 'confirmed', seats: current.seats });
        plan.events.push({ type: 'seat.freed', ...base, sessionId, seats: current.seats });
      } else if (current.status === 'waitlisted') {
        plan.changes.push({ sessionId, capacity: session.capacity, delta: { waitlistedSeats: -current.seats, waitlistedParties: -1 } });
        plan.waitlist.push({ op: 'remove', sessionId, ticket: current.waitlistTicket!, seats: current.seats });
        plan.released.push({ sessionId, was: 'waitlisted', seats: current.seats });
      } else if (current.status === 'declined') plan.changes.push({ sessionId, capacity: session.capacity, delta: { declinedParties: -1 } });
      continue;
    }
    if (current.seats <= seats || (current.status !== 'confirmed' && current.status !== 'waitlisted')) continue;
    const less = current.seats - seats;
    if (current.status === 'confirmed') {
      plan.changes.push({ sessionId, capacity: session.capacity, delta: { confirmedSeats: -less } });
      plan.events.push({ type: 'seat.freed', ...base, sessionId, seats: less });
    } else {
      plan.changes.push({ sessionId, capacity: session.capacity, delta: { waitlistedSeats: -less } });
      plan.waitlist.push({ op: 'add', sessionId, ticket: current.waitlistTicket!, seats });
    }
    plan.responses[sessionId] = { ...current, seats, updatedAt: iso };
  }
  return plan;
};

/** A category must be one of the event's own (categories are event data). */
const categoryIssues = (definition: { categories: Array<{ id: string }> }, category: string | undefined): FieldIssue[] =>
  category === undefined || definition.categories.some((c) => c.id === category)
    ? []
    : [{ field: 'category', message: `unknown category ${category}; expected ${definition.categories.map((c) => c.id).join(', ')}` }];

const PROFILE = ['name', 'title', 'organization', 'country', 'category', 'language', 'sessions', 'guestsAllowed'] as const;

/**
 * What organizers change on an invitation while invitees keep answering: edits, a deputy in the
 * invitee's place, revocation. Each is one transaction with the seat counters, waitlist records,
 * outbox records and the promotions that take freed seats, conditioned like an answer (the
 * invitation's version, each promoted party's version, the counters), retried on fresh reads when
 * an answer lands in between. Removing a session the invitee holds, or lowering the guest limit
 * below the guests they bring, *releases* the seats (the organizer's decision stands; the
 * dashboard says what will be released before it is sent) and hands them to the waitlist at once.
 */
/** What the audit keeps of an invitation: who it is for and what it admits to; never notes or accreditation. */
const audited = (i: Invitation) => ({
  email: i.email,
  name: i.name,
  title: i.title,
  organization: i.organization,
  country: i.country,
  category: i.category,
  language: i.language,
  sessions: i.sessions,
  guestsAllowed: i.guestsAllowed,
  guests: i.guests,
  status: i.status,
});

/** The organizer's audit record of a change, written in the change's own transaction: both or neither. */
export interface ChangeAudit {
  action: 'invitation.edited' | 'invitation.replaced' | 'invitation.revoked';
  auditFor: AuditFor;
}

export class InvitationAdminService {
  constructor(private readonly deps: InvitationAdminDeps) {}

  edit(eventId: string, invitationId: string, request: EditInvitationRequest, auditFor?: AuditFor): Promise<InvitationChange> {
    return this.change(eventId, invitationId, request.version, auditFor && { action: 'invitation.edited', auditFor }, (invitation, event, now) => {
      if (invitation.revoked) throw new InvitationRevokedError(invitation.language);
      const known = new Set(event.definition.sessions.map((s) => s.id));
      const issues: FieldIssue[] = (request.sessions ?? []).flatMap((s, i) => (known.has(s) ? [] : [{ field: `sessions.${i}`, message: `unknown session ${s}` }]));
      // events as data: the event's own categories; a cancelled session is not newly invited to.
      issues.push(...categoryIssues(event.definition, request.category));
      (request.sessions ?? []).forEach((s, i) => {
        if (event.definition.sessions.find((d) => d.id === s)?.cancelled && !invitation.sessions.includes(s)) issues.push({ field: `sessions.${i}`, message: `${s} is cancelled` });
      });
      if (issues.length) throw new ValidationError(issues);
      const next: Invitation = {
        ...invitation,
        ...(request.name !== undefined ? { name: request.name } : {}),
        ...(request.title !== undefined ? { title: request.title || undefined } : {}),
        ...(request.organization !== undefined ? { organization: request.organization || undefined } : {}),
        ...(request.country !== undefined ? { country: request.country } : {}),
        ...(request.category !== undefined ? { category: request.category } : {}),
        ...(request.language !== undefined ? { language: request.language } : {}),
        ...(request.sessions !== undefined ? { sessions: request.sessions } : {}),
        ...(request.guestsAllowed !== undefined ? { guestsAllowed: request.guestsAllowed, guests: Math.min(invitation.guests, request.guestsAllowed) } : {}),
      };
      const changed = PROFILE.filter((f) => JSON.stringify(invitation[f]) !== JSON.stringify(next[f]));
      const dropped = new Set(invitation.sessions.filter((s) => !next.sessions.includes(s)));
      return { next, changed, seats: planSeats(invitation, event, dropped, 1 + next.guests, now.toISOString()), events: [] };
    });
  }

  async replace(eventId: string, invitationId: string, request: ReplaceInviteeRequest, auditFor?: AuditFor): Promise<InvitationChange> {
    const { store, tokenSecret } = this.deps;
    const existing = await store.getInvitation(eventId, invitationIdFor(eventId, request.email));
    if (existing && existing.id !== invitationId) throw new ValidationError([{ field: 'email', message: `${request.email} already has an invitation to this event` }]);
    const nonce = newTokenNonce();
    const token = deriveRsvpToken(tokenSecret, invitationId, nonce);
    const result = await this.change(eventId, invitationId, request.version, auditFor && { action: 'invitation.replaced', auditFor }, (invitation, event, now) => {
      if (invitation.revoked) throw new InvitationRevokedError(invitation.language);
      if (request.email === invitation.email) throw new ValidationError([{ field: 'email', message: 'is the current invitee’s; a deputy has an address of their own' }]);
      const unknownCategory = categoryIssues(event.definition, request.category);
      if (unknownCategory.length) throw new ValidationError(unknownCategory);
      const iso = now.toISOString();
      const next: Invitation = {
        ...invitation,
        email: request.email,
        name: request.name,
        title: request.title || undefined,
        organization: request.organization !== undefined ? request.organization || undefined : invitation.organization,
        country: request.country ?? invitation.country,
        category: request.category ?? invitation.category,
        language: request.language ?? invitation.language,
        tokenHash: hashToken(token),
        tokenNonce: nonce,
        retiredLinks: [...(invitation.retiredLinks ?? []), { tokenHash: invitation.tokenHash, language: invitation.language, at: iso }],
        // The invitee's own notes and accreditation are theirs, not the deputy's: the deputy gives their own.
        dietary: undefined,
        accessibility: undefined,
        badgeName: undefined,
        topics: [],
        answeredBy: undefined,
        // Nothing sent to the deputy yet; a late report on the predecessor's emails (older `of`) is not theirs.
        delivery: { state: 'none', at: iso, of: iso },
        // Every badge printed for the invitee before this version stops opening the door; the deputy's is printed at this version or later.
        revocations: [...(invitation.revocations ?? []), { holder: '', below: invitation.version + 1 }],
      };
      const changed: ChangedField[] = ['invitee', ...PROFILE.filter((f) => JSON.stringify(invitation[f]) !== JSON.stringify(next[f]))];
      return {
        next,
        changed,
        seats: planSeats(invitation, event, new Set(), 1 + invitation.guests, iso),
        events: [{ type: 'invitation.created', eventId, invitationId, email: next.email, language: next.language, reason: 'replaced' }],
        newTokenHash: next.tokenHash,
        dropAccreditation: true,
      };
    });
    return { ...result, rsvpUrl: rsvpUrlFor(this.deps.publicBaseUrl, token) };
  }

  revoke(eventId: string, invitationId: string, request: RevokeInvitationRequest, by: ActingOrganizer, auditFor?: AuditFor): Promise<InvitationChange> {
    return this.change(eventId, invitationId, request.version, auditFor && { action: 'invitation.revoked', auditFor }, (invitation, event, now) => {
      if (invitation.revoked) return undefined;
      const iso = now.toISOString();
      const next: Invitation = {
        ...invitation,
        revoked: { at: iso, by: { sub: by.sub, email: by.email }, ...(request.reason ? { reason: request.reason } : {}) },
        answeredBy: undefined,
        revocations: [...(invitation.revocations ?? []), { holder: '*', below: REVOKE_ALL }],
      };
      return { next, changed: ['revoked'], seats: planSeats(invitation, event, new Set(Object.keys(invitation.responses)), 0, iso), events: [], dropAccreditation: true };
    });
  }

  /**
   * Reads, plans and commits one change, again on fresh reads when another writer got there first.
   * With `expectedVersion`, a change made meanwhile to the invitation itself is the organizer's to
   * look at: 409, nothing written. With `audit`, the organizer's record of the change (who,
   * before and after of the fields the audit keeps) is written in the same transaction.
   */
  private async change(
    eventId: string,
    invitationId: string,
    expectedVersion: number | undefined,
    audit: ChangeAudit | undefined,
    plan: (
      invitation: Invitation,
      event: EventRecord,
      now: Date,
    ) => { next: Invitation; changed: ChangedField[]; seats: SeatPlan; events: EventInput[]; newTokenHash?: string; dropAccreditation?: boolean } | undefined,
  ): Promise<InvitationChange> {
    const { store, clock, ids } = this.deps;
    const attempts = this.deps.maxAttempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      const [invitation, event] = await Promise.all([store.getInvitation(eventId, invitationId), store.getEvent(eventId)]);
      if (!event) throw new EventNotFoundError(eventId);
      if (!invitation) throw new InvitationNotFoundError();
      if (expectedVersion !== undefined && invitation.version !== expectedVersion) throw new StaleVersionError(expectedVersion, invitation.version);
      const now = clock.now();
      const planned = plan(invitation, event, now);
      if (!planned) return { invitation, changed: [], released: [], promoted: [] };
      const { seats, changed } = planned;
      if (changed.length === 0 && !planned.newTokenHash) return { invitation, changed: [], released: [], promoted: [] };
      const next: Invitation = { ...planned.next, responses: seats.responses, version: invitation.version + 1, updatedAt: now.toISOString() };
      const dropAccreditation = invitation.hasAccreditation && (planned.dropAccreditation || !holdsAccreditedSession(event, next.responses));
      if (dropAccreditation) next.hasAccreditation = false;
      const delegation = reconcileDelegation(invitation, next, event);
      next.status = overallStatus(next);
      const events: CumbreEvent[] = [...planned.events, { type: 'invitation.updated', eventId, invitationId, changed } satisfies EventInput, ...seats.events].map((e) =>
        newEvent(e, now, ids.newId()),
      );
      const sessions = new Map<string, SessionState>(event.sessions.map((s) => [s.id, s]));
      const freed = seats.changes.filter((c) => (c.delta.confirmedSeats ?? 0) < 0).map((change) => ({ change, session: sessions.get(change.sessionId)! }));
      const own =
        seats.changes.length +
        1 +
        seats.waitlist.length +
        events.length +
        (dropAccreditation ? 1 : 0) +
        (planned.newTokenHash ? 1 : 0) +
        delegation.removeAccreditations.length +
        (audit ? 1 : 0);
      const promotions = freed.length ? await planPromotions({ store, ids }, eventId, freed, invitationId, now, MAX_TRANSACTION_ITEMS - own) : [];
      const record = audit?.auditFor({
        action: audit.action,
        target: invitationId,
        subject: invitation.name,
        ...changedFields(audited(invitation), audited(next)),
        detail: { released: seats.released, promoted: promotions.map((p) => p.invitation.id), ...(next.revoked?.reason ? { reason: next.revoked.reason } : {}) },
      });
      try {
        await store.commitInvitation({
          ...(record ? { audit: record } : {}),
          invitation: next,
          expectedVersion: invitation.version,
          sessionChanges: seats.changes,
          waitlist: seats.waitlist,
          events,
          ...(dropAccreditation ? { removeAccreditation: true } : {}),
          ...(delegation.removeAccreditations.length ? { removeCompanionAccreditations: delegation.removeAccreditations } : {}),
          ...(promotions.length ? { promotions } : {}),
          ...(planned.newTokenHash ? { newTokenHash: planned.newTokenHash } : {}),
        });
        return { invitation: next, changed, released: seats.released, promoted: promotions.map((p) => p.invitation.id) };
      } catch (err) {
        if (!(err instanceof SeatConflictError || err instanceof ConcurrentUpdateError) || attempt >= attempts) throw err;
        await (this.deps.backoff ?? ((n: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 10 * 2 ** n)))))(attempt);
      }
    }
  }
}

/**
 * Delegations under an organizer's change: a smaller party keeps its first named companions and a
 * revoked invitation none; a companion who goes is revoked outright (the badge worker then deletes
 * their badge), and companions' accreditation goes with the last session that needs it. Mutates
 * `next`; returns the accreditation records to delete in the same commit.
 */
const reconcileDelegation = (invitation: Invitation, next: Invitation, event: EventRecord): { removeAccreditations: string[] } => {
  if (!invitation.companions?.length) return { removeAccreditations: [] };
  const kept = next.revoked ? [] : invitation.companions.slice(0, next.guests);
  const gone = invitation.companions.filter((c) => !kept.includes(c));
  const accreditationNeeded = !next.revoked && holdsAccreditedSession(event, next.responses);
  next.companions = kept.map((c) => (accreditationNeeded ? c : { ...c, hasAccreditation: false }));
  next.revocations = gone.reduce((list, c) => revoke(list, c.id, REVOKED_OUTRIGHT), next.revocations ?? []);
  const removeAccreditations = [...gone, ...(accreditationNeeded ? [] : kept)].filter((c) => c.hasAccreditation).map((c) => c.id);
  return { removeAccreditations };
};
