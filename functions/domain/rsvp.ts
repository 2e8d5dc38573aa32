import * as z from 'zod';
import {
  ConcurrentUpdateError,
  DomainError,
  WriteCollisionError,
  EventNotFoundError,
  InvitationNotFoundError,
  InvitationRevokedError,
  LinkRetiredError,
  NotEnoughSeatsError,
  RsvpClosedError,
  SeatConflictError,
  ValidationError,
  type FieldIssue,
} from './errors.js';
import { overallStatus, toFieldIssues } from './invitations.js';
import { noteText, plainText } from './text.js';
import {
  languageSchema,
  topicSchema,
  type Accreditation,
  type ActingOrganizer,
  type Companion,
  type EventDefinition,
  type Invitation,
  type ResponseStatus,
  type SessionState,
} from './model.js';
import { newEvent, type CumbreEvent, type EventInput } from './outbox.js';
import type { Clock, CumbreStore, EventRecord, IdGenerator, SessionChange, WaitlistChange } from './ports.js';
import { MAX_TRANSACTION_ITEMS, planPromotions } from './promotion.js';
import { zonedLocalToUtc } from './time.js';
import { hashToken, isWellFormedToken } from './tokens.js';
import { accreditationSchema, companionsRequestSchema, delegationIssues, planDelegation } from './delegation.js';

export { accreditationSchema } from './delegation.js';

export const rsvpRequestSchema = z.strictObject({
  responses: z
    .array(z.strictObject({ sessionId: z.string().min(1).max(64), attending: z.boolean() }))
    .min(1, 'answer at least one session')
    .max(50),
  guests: z.number().int('must be a whole number').min(0).max(2).optional(),
  dietary: noteText(500).optional(),
  accessibility: noteText(500).optional(),
  badgeName: plainText(60).optional(),
  /** Each topic once: a repeated topic is refused, not counted twice. */
  topics: z
    .array(topicSchema)
    .max(7)
    .refine((t) => new Set(t).size === t.length, 'each topic at most once')
    .optional(),
  accreditation: accreditationSchema.optional(),
  /** The named guests, all of them: replaces the delegation (`guests` follows its size); absent keeps it. */
  companions: companionsRequestSchema.optional(),
  /** The language the invitee answered in: later emails use it. */
  language: languageSchema.optional(),
});
export type RsvpRequest = z.infer<typeof rsvpRequestSchema>;

export const parseRsvpRequest = (body: unknown): RsvpRequest => {
  const parsed = rsvpRequestSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
  return parsed.data;
};

export interface SessionView {
  id: string;
  name: EventDefinition['sessions'][number]['name'];
  start: string;
  end: string;
  requiresAccreditation: boolean;
  status: ResponseStatus;
  seats: number;
  /** 1-based place in the waitlist, while waitlisted. */
  waitlistPosition?: number;
}

export interface RsvpView {
  invitation: {
    id: string;
    name: string;
    title?: string;
    organization?: string;
    language: Invitation['language'];
    guestsAllowed: number;
    guests: number;
    /** The named guests; never their accreditation, only whether it is on file. */
    companions: Companion[];
    dietary?: string;
    accessibility?: string;
    badgeName?: string;
    topics: Invitation['topics'];
    hasAccreditation: boolean;
    status: Invitation['status'];
  };
  event: { id: string; name: EventDefinition['name']; venue: EventDefinition['venue']; timezone: string; languages: EventDefinition['languages'] };
  deadline: string;
  open: boolean;
  sessions: SessionView[];
}

export interface RsvpServiceDeps {
  store: CumbreStore;
  clock: Clock;
  ids: IdGenerator;
  /** Attempts before giving up when other answers keep winning the same seats. */
  maxAttempts?: number;
  /** Pause between attempts; injected so tests need not sleep. */
  backoff?: (attempt: number) => Promise<void>;
  /**
   * How long a read event (definition and seat counters) plans first attempts. Counters in it may be
   * stale: the commit's conditions (seats fit, seats do not fit, capacity unchanged) do the checking,
   * and a failed condition re-reads. A changed definition (names, deadline) shows within this time.
   */
  eventCacheMs?: number;
}

/** Invitations a warm function keeps for the answer that follows a page view. */
const INVITATIONS_KEPT = 5_000;

/** The plan needs fresh reads: it frees seats for the waitlist, or would refuse or change nothing on held copies. */
class NeedsFreshEventError extends Error {}

/**
 * Who is answering: the invitee through their link (`tokenHash`), or an organizer on the invitee's
 * behalf (`enteredBy`: recorded on the invitation and on the answer's records; the deadline does
 * not bind organizers, who take late answers by phone).
 */
interface Answering {
  tokenHash?: string;
  enteredBy?: ActingOrganizer;
}

/** A link stops answering once its invitation is revoked or passed on to a deputy: each says so in its reader's language. */
const refuseClosedLink = (invitation: Invitation, tokenHash: string | undefined) => {
  if (invitation.revoked) throw new InvitationRevokedError(invitation.language);
  if (tokenHash !== undefined && invitation.tokenHash !== tokenHash)
    throw new LinkRetiredError(invitation.retiredLinks?.find((l) => l.tokenHash === tokenHash)?.language ?? invitation.language);
};

export const defaultBackoff = (attempt: number) => new Promise<void>((r) => setTimeout(r, Math.random() * Math.min(200, 10 * 2 ** attempt)));

/** True while answers are accepted: the deadline is a local time in the event's timezone. */
export const isOpen = (event: EventDefinition, now: Date) => now.getTime() <= zonedLocalToUtc(event.rsvpDeadline, event.timezone).getTime();

const freeSeats = (s: SessionState) => s.capacity - s.confirmedSeats;

/** True while the invitee holds (confirmed or waitlisted) a session that requires accreditation. */
const holdsAccreditedSession = (event: EventRecord, responses: Invitation['responses']) =>
  event.sessions.some((s) => s.requiresAccreditation && ['confirmed', 'waitlisted'].includes(responses[s.id]?.status ?? ''));

/** The responses as they would be if every answer in the request were granted (seats aside). */
const answeredResponses = (invitation: Invitation, request: RsvpRequest): Invitation['responses'] => {
  const responses = { ...invitation.responses };
  for (const r of request.responses)
    if (invitation.sessions.includes(r.sessionId)) responses[r.sessionId] = { status: r.attending ? 'confirmed' : 'declined', seats: 0, updatedAt: '' };
  return responses;
};

/**
 * Answers per session. Seats are taken in the same transaction that records the answer, guarded by
 * a condition on the session's counter; when the plan loses a race (another answer took the last
 * seats) the service re-reads and plans again, so the result is always what the counters allowed.
 */
export class RsvpService {
  private readonly maxAttempts: number;
  private readonly backoff: (attempt: number) => Promise<void>;
  private readonly eventCacheMs: number;
  private readonly events = new Map<string, { record: EventRecord; readAt: number }>();
  /** Token hash → the invitation as this function last read or wrote it; only ever a plan's start. */
  private readonly seen = new Map<string, Invitation>();
  private readonly reading = new Map<string, Promise<EventRecord>>();
  constructor(private readonly deps: RsvpServiceDeps) {
    this.maxAttempts = deps.maxAttempts ?? 25;
    this.backoff = deps.backoff ?? defaultBackoff;
    this.eventCacheMs = deps.eventCacheMs ?? 30_000;
  }

  async view(token: string): Promise<RsvpView> {
    const { invitation, event } = await this.load(token);
    this.keep(hashToken(token), invitation);
    return this.toView(invitation, event);
  }

  /** The same view for an organizer about to answer on the invitee's behalf. */
  async viewFor(eventId: string, invitationId: string): Promise<RsvpView> {
    const { invitation, event } = await this.reload(eventId, invitationId);
    refuseClosedLink(invitation, undefined);
    return this.toView(invitation, event);
  }

  /**
   * An answer an organizer enters on the invitee's behalf (an assistant phones in): the same plan,
   * conditions and promotions as the invitee's own, on fresh reads; the records name the organizer.
   */
  async respondFor(eventId: string, invitationId: string, request: RsvpRequest, enteredBy: ActingOrganizer): Promise<RsvpView> {
    return this.answer(await this.reload(eventId, invitationId), request, { enteredBy }, true);
  }

  /**
   * The first attempt is optimistic: the invitation as this function last read or wrote it (the
   * page view that precedes an answer), the event as last read, and a commit whose conditions check
   * what the plan assumed — the invitation's version, which every writer bumps, and the seat
   * counters. A lost race costs fresh reads, issued together; so does any answer the optimistic
   * plan would refuse or find unchanged, which is only ever given on fresh reads.
   */
  async respond(token: string, request: RsvpRequest): Promise<RsvpView> {
    if (!isWellFormedToken(token)) throw new InvitationNotFoundError();
    const tokenHash = hashToken(token);
    return this.answer(await this.optimistic(token, tokenHash), request, { tokenHash }, false);
  }

  private async answer(start: { invitation: Invitation; event: EventRecord }, request: RsvpRequest, who: Answering, freshStart: boolean): Promise<RsvpView> {
    const { tokenHash } = who;
    let { invitation, event } = start;
    let fresh = freshStart;
    for (let attempt = 1; ; attempt++) {
      try {
        // Concurrent declines all hand their seats to the same waitlisted parties, so at most one of
        // them wins each round. A decline that lost every round but the last commits alone there:
        // its seat.freed wakes the capacity worker, which promotes in ticket order, and the
        // decliner gets their answer recorded rather than a 409 for everyone else's contention.
        const committed = await this.tryRespond(invitation, event, request, fresh, attempt < this.maxAttempts, who);
        if (!committed && !fresh) throw new NeedsFreshEventError();
        if (committed && tokenHash) this.keep(tokenHash, committed);
        return this.toView(committed ?? invitation, event);
      } catch (err) {
        const stale = err instanceof NeedsFreshEventError || (!fresh && err instanceof DomainError && !(err instanceof SeatConflictError || err instanceof ConcurrentUpdateError));
        const retriable = stale || err instanceof SeatConflictError || err instanceof ConcurrentUpdateError;
        if (!retriable || attempt >= this.maxAttempts) {
          if (err instanceof ConcurrentUpdateError && tokenHash) this.seen.delete(tokenHash);
          throw err;
        }
        if (!stale) await this.backoff(attempt);
        // A first attempt's collision proved nothing it assumed wrong: plan again on the same reads.
        // After that (and always for freed seats) every retry plans on reads made after its loss.
        if (err instanceof WriteCollisionError && !fresh) continue;
        ({ invitation, event } = await this.reload(invitation.eventId, invitation.id));
        if (tokenHash) this.keep(tokenHash, invitation);
        fresh = true;
      }
    }
  }

  /** The invitation and event without a read where this function holds them, else as `load` reads them. */
  private async optimistic(token: string, tokenHash: string): Promise<{ invitation: Invitation; event: EventRecord }> {
    const invitation = this.seen.get(tokenHash);
    const event = invitation && this.cachedEvent(invitation.eventId);
    if (invitation && event) return { invitation, event };
    return this.load(token);
  }

  private keep(tokenHash: string, invitation: Invitation) {
    if (this.seen.size >= INVITATIONS_KEPT && !this.seen.has(tokenHash)) this.seen.clear();
    this.seen.set(tokenHash, invitation);
  }

  private cachedEvent(eventId: string): EventRecord | undefined {
    const cached = this.events.get(eventId);
    return cached && this.deps.clock.now().getTime() - cached.readAt < this.eventCacheMs ? cached.record : undefined;
  }

  private async load(token: string): Promise<{ invitation: Invitation; event: EventRecord }> {
    if (!isWellFormedToken(token)) throw new InvitationNotFoundError();
    const invitation = await this.deps.store.findInvitationByTokenHash(hashToken(token));
    if (!invitation) throw new InvitationNotFoundError();
    refuseClosedLink(invitation, hashToken(token));
    return { invitation, event: this.cachedEvent(invitation.eventId) ?? (await this.readEvent(invitation.eventId)) };
  }

  /** The invitation and the event read now, together. */
  private async reload(eventId: string, invitationId: string): Promise<{ invitation: Invitation; event: EventRecord }> {
    const [invitation, event] = await Promise.all([this.deps.store.getInvitation(eventId, invitationId), this.readEvent(eventId, false)]);
    if (!invitation) throw new InvitationNotFoundError();
    return { invitation, event };
  }

  /**
   * First attempts waiting on the same event share one read of it; a retry (`join` false) reads
   * after its own lost race, never joining a read that started before it.
   */
  private readEvent(eventId: string, join = true): Promise<EventRecord> {
    const pending = join ? this.reading.get(eventId) : undefined;
    if (pending) return pending;
    const read = (async () => {
      try {
        const event = await this.deps.store.getEvent(eventId);
        if (!event) throw new EventNotFoundError(eventId);
        this.events.set(eventId, { record: event, readAt: this.deps.clock.now().getTime() });
        return event;
      } finally {
        if (join) this.reading.delete(eventId);
      }
    })();
    if (join) this.reading.set(eventId, read);
    return read;
  }

  /** A committed plan moved the counters by its deltas; the cached event follows its own writes. */
  private remember(event: EventRecord, changes: SessionChange[]) {
    const cached = this.events.get(event.definition.id);
    if (!cached || cached.record !== event) return;
    const sessions = event.sessions.map((s) => {
      const change = changes.find((c) => c.sessionId === s.id);
      if (!change) return s;
      const next = { ...s };
      for (const [k, v] of Object.entries(change.delta) as Array<[keyof typeof change.delta, number]>) next[k] += v;
      return next;
    });
    this.events.set(event.definition.id, { record: { definition: event.definition, sessions }, readAt: cached.readAt });
  }

  /** Plans and commits one attempt; returns the stored invitation, or undefined when the answer changes nothing. */
  private async tryRespond(invitation: Invitation, event: EventRecord, request: RsvpRequest, fresh: boolean, promote: boolean, who: Answering): Promise<Invitation | undefined> {
    const now = this.deps.clock.now();
    const def = event.definition;
    refuseClosedLink(invitation, who.tokenHash);
    if (!who.enteredBy && !isOpen(def, now)) throw new RsvpClosedError(def.rsvpDeadline);
    const enteredBy = who.enteredBy ? { enteredBy: { sub: who.enteredBy.sub, email: who.enteredBy.email } } : {};
    this.validateAgainst(invitation, event, request);

    const guests = request.guests ?? request.companions?.length ?? invitation.guests;
    const seats = 1 + guests;
    const iso = now.toISOString();
    const sessions = new Map(event.sessions.map((s) => [s.id, s]));
    const responses = { ...invitation.responses };
    const changes: SessionChange[] = [];
    const waitlist: WaitlistChange[] = [];
    const events: CumbreEvent[] = [];
    const base = { eventId: invitation.eventId, invitationId: invitation.id };
    const emit = (body: EventInput) => events.push(newEvent(body, now, this.deps.ids.newId()));
    const tooFewSeats: string[] = [];

    // Answers for sessions not mentioned keep their status; a guest-count change re-sizes them too.
    const answers = new Map(request.responses.map((r) => [r.sessionId, r.attending]));
    for (const sessionId of new Set(invitation.sessions)) {
      const current = invitation.responses[sessionId];
      const status = current?.status ?? 'pending';
      const attending = answers.has(sessionId) ? answers.get(sessionId)! : status === 'confirmed' || status === 'waitlisted' ? true : undefined;
      if (attending === undefined) continue;
      const session = sessions.get(sessionId)!;
      if (attending) {
        if (status === 'confirmed') {
          const delta = seats - current.seats;
          if (delta === 0) continue;
          if (delta > 0 && freeSeats(session) < delta) {
            tooFewSeats.push(sessionId);
            continue;
          }
          changes.push({ sessionId, capacity: session.capacity, delta: { confirmedSeats: delta }, ...(delta > 0 ? { mustFit: delta } : {}) });
          responses[sessionId] = { status: 'confirmed', seats, updatedAt: iso };
          if (delta < 0) emit({ type: 'seat.freed', ...base, sessionId, seats: -delta });
        } else if (status === 'waitlisted') {
          if (current.seats === seats) continue;
          changes.push({ sessionId, capacity: session.capacity, delta: { waitlistedSeats: seats - current.seats } });
          responses[sessionId] = { ...current, seats, updatedAt: iso };
          waitlist.push({ op: 'add', sessionId, ticket: current.waitlistTicket!, seats });
        } else if (freeSeats(session) >= seats) {
          changes.push({
            sessionId,
            capacity: session.capacity,
            mustFit: seats,
            delta: { confirmedSeats: seats, confirmedParties: 1, ...(status === 'declined' ? { declinedParties: -1 } : {}) },
          });
          responses[sessionId] = { status: 'confirmed', seats, updatedAt: iso };
          emit({ type: 'rsvp.confirmed', ...base, sessionId, seats, promoted: false });
        } else {
          const ticket = await this.deps.store.takeWaitlistTicket(invitation.eventId, sessionId);
          changes.push({
            sessionId,
            capacity: session.capacity,
            mustNotFit: seats,
            delta: { waitlistedSeats: seats, waitlistedParties: 1, ...(status === 'declined' ? { declinedParties: -1 } : {}) },
          });
          responses[sessionId] = { status: 'waitlisted', seats, waitlistTicket: ticket, updatedAt: iso };
          waitlist.push({ op: 'add', sessionId, ticket, seats });
          emit({ type: 'rsvp.waitlisted', ...base, sessionId, seats, ticket });
        }
      } else {
        if (status === 'declined') continue;
        const held = current?.seats ?? 0;
        const delta = status === 'confirmed' ? { confirmedSeats: -held, confirmedParties: -1 } : status === 'waitlisted' ? { waitlistedSeats: -held, waitlistedParties: -1 } : {};
        changes.push({ sessionId, capacity: session.capacity, delta: { ...delta, declinedParties: 1 } });
        responses[sessionId] = { status: 'declined', seats: 0, updatedAt: iso };
        if (status === 'waitlisted') waitlist.push({ op: 'remove', sessionId, ticket: current.waitlistTicket!, seats: held });
        emit({ type: 'rsvp.declined', ...base, sessionId, previous: status });
        if (status === 'confirmed') emit({ type: 'seat.freed', ...base, sessionId, seats: held });
      }
    }
    // A refusal is only as good as the counters it read: never refuse on a cached copy.
    if (tooFewSeats.length) throw fresh ? new NotEnoughSeatsError(tooFewSeats) : new NeedsFreshEventError();
    const outcomes = invitation.sessions
      .map((sessionId) => ({ sessionId, previous: invitation.responses[sessionId]?.status ?? 'pending', status: responses[sessionId]?.status ?? 'pending' }))
      .filter((o) => o.previous !== o.status);
    if (outcomes.length) emit({ type: 'rsvp.answered', ...base, outcomes, ...enteredBy });

    const next: Invitation = {
      ...invitation,
      responses,
      guests,
      dietary: request.dietary ?? invitation.dietary,
      accessibility: request.accessibility ?? invitation.accessibility,
      badgeName: request.badgeName ?? invitation.badgeName,
      topics: request.topics ?? invitation.topics,
      language: request.language ?? invitation.language,
      hasAccreditation: invitation.hasAccreditation || request.accreditation !== undefined,
      // Who entered the answer: kept while it stands, cleared by the invitee's own next answer.
      answeredBy: who.enteredBy ? { sub: who.enteredBy.sub, email: who.enteredBy.email, at: iso } : undefined,
    };
    // Nationality and ID document are kept only while a session that needs them is held.
    const holdsAccredited = holdsAccreditedSession(event, responses);
    const dropAccreditation = next.hasAccreditation && !holdsAccredited;
    if (dropAccreditation) next.hasAccreditation = false;
    // Delegations: the named companions, their holder ids and what removing or renaming one revokes.
    const delegation = planDelegation(invitation, request.companions, holdsAccredited, invitation.version + 1);
    if (delegation.changed || invitation.companions)
      Object.assign(next, { companions: delegation.companions, holderSeq: delegation.holderSeq, revocations: delegation.revocations });
    next.status = overallStatus(next);
    const profileChanged = (['guests', 'dietary', 'accessibility', 'badgeName', 'topics', 'language'] as const).some(
      (f) => JSON.stringify(next[f]) !== JSON.stringify(invitation[f]),
    );
    if (changes.length === 0 && !profileChanged && !delegation.changed && !delegation.removeAccreditations.length && !request.accreditation) return undefined;
    if (profileChanged || delegation.changed)
      emit({ type: 'invitation.updated', ...base, changed: [...(profileChanged ? ['rsvp-details'] : []), ...(delegation.changed ? ['companions'] : [])], ...enteredBy });

    const stored: Invitation = { ...next, version: invitation.version + 1, updatedAt: iso };
    const freed = changes.filter((c) => (c.delta.confirmedSeats ?? 0) < 0).map((change) => ({ change, session: sessions.get(change.sessionId)! }));
    // Who waits is not in any condition of this commit: hand freed seats on from counters read now.
    if (freed.length && !fresh) throw new NeedsFreshEventError();
    const ownItems =
      changes.length + 1 + (request.accreditation ? 1 : 0) + delegation.accreditations.length + delegation.removeAccreditations.length + waitlist.length + events.length;
    const promotions = freed.length && promote ? await planPromotions(this.deps, invitation.eventId, freed, invitation.id, now, MAX_TRANSACTION_ITEMS - ownItems) : [];
    await this.deps.store.commitInvitation({
      invitation: stored,
      expectedVersion: invitation.version,
      sessionChanges: changes,
      waitlist,
      ...(request.accreditation && !dropAccreditation ? { accreditation: request.accreditation satisfies Accreditation } : {}),
      ...(dropAccreditation && invitation.hasAccreditation ? { removeAccreditation: true } : {}),
      ...(delegation.accreditations.length ? { companionAccreditations: delegation.accreditations } : {}),
      ...(delegation.removeAccreditations.length ? { removeCompanionAccreditations: delegation.removeAccreditations } : {}),
      events,
      ...(promotions.length ? { promotions } : {}),
    });
    this.remember(event, changes);
    return stored;
  }

  private validateAgainst(invitation: Invitation, event: EventRecord, request: RsvpRequest) {
    const issues: FieldIssue[] = [];
    const invited = new Set(invitation.sessions);
    const seen = new Set<string>();
    request.responses.forEach((r, i) => {
      if (!invited.has(r.sessionId)) issues.push({ field: `responses.${i}.sessionId`, message: `unknown session ${r.sessionId}` });
      if (seen.has(r.sessionId)) issues.push({ field: `responses.${i}.sessionId`, message: `${r.sessionId} answered twice` });
      seen.add(r.sessionId);
    });
    if (request.guests !== undefined && request.guests > invitation.guestsAllowed && !request.companions)
      issues.push({ field: 'guests', message: `at most ${invitation.guestsAllowed} guest(s) for this invitation` });
    const needsAccreditation = request.responses.some((r) => r.attending && event.sessions.find((s) => s.id === r.sessionId)?.requiresAccreditation);
    if (needsAccreditation && !request.accreditation && !invitation.hasAccreditation)
      issues.push({ field: 'accreditation', message: 'nationality and ID document number are required for the session with the President' });
    const holdsAccredited = holdsAccreditedSession(event, answeredResponses(invitation, request));
    if (request.accreditation && !holdsAccredited)
      issues.push({ field: 'accreditation', message: 'is only taken for a session that requires it (the session with the President), answered yes' });
    issues.push(...delegationIssues({ invitation, requested: request.companions, guests: request.guests, holdsAccredited, answersAccredited: needsAccreditation }));
    if (issues.length) throw new ValidationError(issues);
  }

  private async toView(invitation: Invitation, event: EventRecord): Promise<RsvpView> {
    const def = event.definition;
    const waitlistPositions = await this.waitlistPositions(invitation);
    return {
      invitation: {
        id: invitation.id,
        name: invitation.name,
        title: invitation.title,
        organization: invitation.organization,
        language: invitation.language,
        guestsAllowed: invitation.guestsAllowed,
        guests: invitation.guests,
        companions: (invitation.companions ?? []).map((c) => ({ ...c })),
        dietary: invitation.dietary,
        accessibility: invitation.accessibility,
        badgeName: invitation.badgeName,
        topics: invitation.topics,
        hasAccreditation: invitation.hasAccreditation,
        status: invitation.status,
      },
      event: { id: def.id, name: def.name, venue: def.venue, timezone: def.timezone, languages: def.languages },
      deadline: def.rsvpDeadline,
      open: isOpen(def, this.deps.clock.now()),
      sessions: def.sessions
        .filter((s) => invitation.sessions.includes(s.id))
        .map((s) => {
          const r = invitation.responses[s.id];
          const position = waitlistPositions.get(s.id);
          return {
            id: s.id,
            name: s.name,
            start: s.start,
            end: s.end,
            requiresAccreditation: s.requiresAccreditation,
            status: r?.status ?? 'pending',
            seats: r?.seats ?? 0,
            ...(position ? { waitlistPosition: position } : {}),
          };
        }),
    };
  }

  /** Position = 1 + parties still waiting with an earlier ticket. */
  private async waitlistPositions(invitation: Invitation): Promise<Map<string, number>> {
    const waiting = Object.entries(invitation.responses).filter(([, r]) => r.status === 'waitlisted');
    const positions = await Promise.all(
      waiting.map(async ([sessionId, r]) => [sessionId, 1 + (await this.deps.store.countWaitlistedBefore(invitation.eventId, sessionId, r.waitlistTicket!))] as const),
    );
    return new Map(positions);
  }
}
