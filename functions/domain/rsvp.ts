import {
  ConcurrentUpdateError,
  DomainError,
  WriteCollisionError,
  EventNotFoundError,
  InvitationNotFoundError,
  InvitationRevokedError,
  LinkRetiredError,
  RsvpClosedError,
  SeatConflictError,
} from './errors.js';
import type { AuditFor } from './invitations.js';
import { countersOf, type ActingOrganizer, type Invitation, type SessionState } from './model.js';
import type { Clock, CumbreStore, EventRecord, IdGenerator, SessionChange } from './ports.js';
import { MAX_TRANSACTION_ITEMS, planPromotions } from './promotion.js';
import { hashToken, isWellFormedToken } from './tokens.js';
import { NeedsFreshEventError, planAnswer } from './rsvp/plan.js';
import { isOpen, validateAnswer, type RsvpRequest } from './rsvp/request.js';
import { WaitlistTickets } from './rsvp/tickets.js';
import { rsvpView, type RsvpView } from './rsvp/view.js';

export { accreditationSchema } from './delegation.js';
export { isOpen, parseRsvpRequest, rsvpRequestSchema, type RsvpRequest } from './rsvp/request.js';
export type { RsvpView, SessionView } from './rsvp/view.js';

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

/**
 * Who is answering: the invitee through their link (`tokenHash`), or an organizer on the invitee's
 * behalf (`enteredBy`: recorded on the invitation and on the answer's records; the deadline does
 * not bind organizers, who take late answers by phone).
 */
interface Answering {
  tokenHash?: string;
  enteredBy?: ActingOrganizer;
  /** The organizer's audit record of an answer entered on the invitee's behalf, written in the answer's transaction. */
  auditFor?: AuditFor;
}

/** The audit record of an answer an organizer entered: the answers and guests; of the ID document, only that one was given. */
const answerAudit = (auditFor: AuditFor, invitation: Invitation, request: RsvpRequest) =>
  auditFor({
    action: 'invitation.answered',
    target: invitation.id,
    subject: invitation.name,
    detail: {
      responses: request.responses,
      ...(request.guests !== undefined ? { guests: request.guests } : {}),
      ...(request.accreditation ? { accreditation: 'given' } : {}),
    },
  });

/** A link stops answering once its invitation is revoked or passed on to a deputy: each says so in its reader's language. */
const refuseClosedLink = (invitation: Invitation, tokenHash: string | undefined) => {
  if (invitation.revoked) throw new InvitationRevokedError(invitation.language);
  if (tokenHash !== undefined && invitation.tokenHash !== tokenHash)
    throw new LinkRetiredError(invitation.retiredLinks?.find((l) => l.tokenHash === tokenHash)?.language ?? invitation.language);
};

/** The event with each session as `update` makes it. */
const mapSessions = (record: EventRecord, update: (s: SessionState) => SessionState): EventRecord => ({ definition: record.definition, sessions: record.sessions.map(update) });

/** The hash a link's token is looked up by; a malformed token gets the same not-found as an unknown one. */
const tokenHashOf = (token: string): string => {
  if (!isWellFormedToken(token)) throw new InvitationNotFoundError();
  return hashToken(token);
};

/** Whether any session the invitation holds or held has another status in `after`. */
const statusesMoved = (before: Invitation, after: Invitation) =>
  [...new Set([...before.sessions, ...after.sessions])].some((id) => (before.responses[id]?.status ?? 'pending') !== (after.responses[id]?.status ?? 'pending'));

export const defaultBackoff = (attempt: number) => new Promise<void>((r) => setTimeout(r, Math.random() * Math.min(200, 10 * 2 ** attempt)));

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
  private readonly tickets = new WaitlistTickets();
  constructor(private readonly deps: RsvpServiceDeps) {
    this.maxAttempts = deps.maxAttempts ?? 25;
    this.backoff = deps.backoff ?? defaultBackoff;
    this.eventCacheMs = deps.eventCacheMs ?? 30_000;
  }

  async view(token: string): Promise<RsvpView> {
    return (await this.viewWithStart(token)).view;
  }

  /** The view and the invitation it shows, which the page seals into its form as its answer's start (`respondFromPage`). */
  async viewWithStart(token: string): Promise<{ view: RsvpView; shown: Invitation }> {
    const tokenHash = tokenHashOf(token);
    const { invitation, event } = await this.load(tokenHash);
    this.keep(tokenHash, invitation);
    return { view: await this.toView(invitation, event), shown: invitation };
  }

  /**
   * The view of the invitation a page showed, on the event as this function holds it: what the
   * page's post is read against, with no read of the invitation. Whether it is still current is
   * for the answer's commit to check.
   */
  async viewShown(shown: Invitation): Promise<RsvpView> {
    return this.toView(shown, await this.eventOf(shown.eventId));
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
  async respondFor(eventId: string, invitationId: string, request: RsvpRequest, enteredBy: ActingOrganizer, auditFor?: AuditFor): Promise<RsvpView> {
    const { stored, event } = await this.answer(await this.reload(eventId, invitationId), request, { enteredBy, ...(auditFor ? { auditFor } : {}) }, true);
    return this.toView(stored, event);
  }

  /**
   * The first attempt is optimistic: the invitation as this function last read or wrote it (the
   * page view that precedes an answer), the event as last read, and a commit whose conditions check
   * what the plan assumed — the invitation's version, which every writer bumps, and the seat
   * counters. A lost race costs fresh reads, issued together; so does any answer the optimistic
   * plan would refuse or find unchanged, which is only ever given on fresh reads.
   */
  async respond(token: string, request: RsvpRequest): Promise<RsvpView> {
    const tokenHash = tokenHashOf(token);
    const { stored, event } = await this.answer(await this.optimistic(tokenHash), request, { tokenHash }, false);
    return this.toView(stored, event);
  }

  /**
   * The answer posted from the invitee's page: planned first on the invitation the page showed
   * (sealed in its form, so an instance that did not serve the page needs no read; this function's
   * own copy when it is newer), else as `respond` plans. Says whether any session's status moved
   * from the invitation the commit was planned on; the page shows the result on the GET it
   * redirects to, so no view is built here.
   */
  async respondFromPage(token: string, request: RsvpRequest, shown?: Invitation): Promise<{ changed: boolean }> {
    const tokenHash = tokenHashOf(token);
    const { planned, stored } = await this.answer(await this.optimistic(tokenHash, shown), request, { tokenHash }, false);
    return { changed: statusesMoved(planned, stored) };
  }

  /** Commits the answer: `planned` is the invitation its committed plan started from, `stored` the invitation after it. */
  private async answer(
    start: { invitation: Invitation; event: EventRecord },
    request: RsvpRequest,
    who: Answering,
    freshStart: boolean,
  ): Promise<{ planned: Invitation; stored: Invitation; event: EventRecord }> {
    const { tokenHash } = who;
    let { invitation, event } = start;
    let fresh = freshStart;
    let replannedOnFound = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        // Concurrent declines all hand their seats to the same waitlisted parties, so at most one of
        // them wins each round. A decline that lost every round but the last commits alone there:
        // its seat.freed wakes the capacity worker, which promotes in ticket order, and the
        // decliner gets their answer recorded rather than a 409 for everyone else's contention.
        const committed = await this.tryRespond(invitation, event, request, fresh, attempt < this.maxAttempts, who);
        if (!committed && !fresh) throw new NeedsFreshEventError();
        if (committed && tokenHash) this.keep(tokenHash, committed);
        return { planned: invitation, stored: committed ?? invitation, event };
      } catch (err) {
        // A seat condition that lost says what it lost to: plan again on those counters, without a
        // read; the new plan's conditions check them like any other. The first time at once; after
        // that with the usual pause, so answers that keep losing never spin against the counter.
        const found = err instanceof SeatConflictError && attempt < this.maxAttempts ? this.withCountersFound(event, err) : undefined;
        if (found) {
          if (replannedOnFound++ > 0) await this.backoff(attempt);
          event = found;
          fresh = false;
          continue;
        }
        // An answer planned on held copies needs reads, not another round: never the end of its attempts.
        // (It ends: only a replan on counters found makes a plan stale again, and only before the last attempt.)
        const stale = err instanceof NeedsFreshEventError || (!fresh && err instanceof DomainError && !(err instanceof SeatConflictError || err instanceof ConcurrentUpdateError));
        const retriable = stale || err instanceof SeatConflictError || err instanceof ConcurrentUpdateError;
        if (!retriable || (attempt >= this.maxAttempts && !stale)) {
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

  /**
   * Where a plan starts: the newer of the invitation as this function holds it and as the page showed
   * it (`shown`, only for its own link), else the token index's copy (one read, possibly a moment
   * behind), else as `load` reads it; the event as cached, else read. Any copy is only the start of
   * an optimistic plan (see `respond`).
   */
  private async optimistic(tokenHash: string, shown?: Invitation): Promise<{ invitation: Invitation; event: EventRecord }> {
    const held = this.seen.get(tokenHash);
    const page = shown?.tokenHash === tokenHash && !(held && held.version >= shown.version) ? shown : undefined;
    const invitation = page ?? held ?? (await this.deps.store.peekInvitationByTokenHash(tokenHash));
    if (!invitation) return this.load(tokenHash);
    return { invitation, event: await this.eventOf(invitation.eventId) };
  }

  /** The event as this function holds it (read within `eventCacheMs`), else read, joining a read in flight. */
  private async eventOf(eventId: string): Promise<EventRecord> {
    return this.cachedEvent(eventId) ?? this.readEvent(eventId);
  }

  private keep(tokenHash: string, invitation: Invitation) {
    if (this.seen.size >= INVITATIONS_KEPT && !this.seen.has(tokenHash)) this.seen.clear();
    this.seen.set(tokenHash, invitation);
  }

  private cachedEvent(eventId: string): EventRecord | undefined {
    const cached = this.events.get(eventId);
    return cached && this.deps.clock.now().getTime() - cached.readAt < this.eventCacheMs ? cached.record : undefined;
  }

  private async load(tokenHash: string): Promise<{ invitation: Invitation; event: EventRecord }> {
    const invitation = await this.deps.store.findInvitationByTokenHash(tokenHash);
    if (!invitation) throw new InvitationNotFoundError();
    refuseClosedLink(invitation, tokenHash);
    return { invitation, event: await this.eventOf(invitation.eventId) };
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
    if (this.events.get(event.definition.id)?.record !== event) return;
    this.recache(
      mapSessions(event, (s) => {
        const change = changes.find((c) => c.sessionId === s.id);
        if (!change) return s;
        const next = { ...s };
        for (const [k, v] of Object.entries(change.delta) as Array<[keyof typeof change.delta, number]>) next[k] += v;
        return next;
      }),
    );
  }

  /** The cached event replaced by what this function learned of it; it keeps the age of its read. */
  private recache(record: EventRecord) {
    const cached = this.events.get(record.definition.id);
    if (cached) this.events.set(record.definition.id, { record, readAt: cached.readAt });
  }

  /**
   * The event with the counters a seat conflict returned, for sessions whose capacity is the one
   * planned on (a changed or cancelled session needs its definition read again); the cached event
   * learns them too, so this function's next answers plan on them.
   */
  private withCountersFound(event: EventRecord, err: SeatConflictError): EventRecord | undefined {
    const found = err.found;
    const usable = (s: SessionState) => !s.cancelled && found?.[s.id] !== undefined && found[s.id].capacity === s.capacity && !found[s.id].cancelled;
    if (!found || !err.sessionIds.every((id) => event.sessions.some((s) => s.id === id && usable(s)))) return undefined;
    const apply = (record: EventRecord) => mapSessions(record, (s) => (usable(s) ? { ...s, ...countersOf(found[s.id]) } : s));
    const cached = this.events.get(event.definition.id);
    if (cached) this.recache(apply(cached.record));
    return apply(event);
  }

  /** Plans and commits one attempt; returns the stored invitation, or undefined when the answer changes nothing. */
  private async tryRespond(invitation: Invitation, event: EventRecord, request: RsvpRequest, fresh: boolean, promote: boolean, who: Answering): Promise<Invitation | undefined> {
    const now = this.deps.clock.now();
    const def = event.definition;
    refuseClosedLink(invitation, who.tokenHash);
    if (!who.enteredBy && !isOpen(def, now)) throw new RsvpClosedError(def.rsvpDeadline);
    validateAnswer(invitation, event, request);
    const plan = await planAnswer({
      invitation,
      event,
      request,
      now,
      fresh,
      enteredBy: who.enteredBy,
      newId: () => this.deps.ids.newId(),
      takeTicket: () => this.tickets.next(now),
    });
    if (!plan) return undefined;
    const audit = who.auditFor && answerAudit(who.auditFor, invitation, request);
    const own = plan.ownItems + (audit ? 1 : 0);
    const promotions = plan.freed.length && promote ? await planPromotions(this.deps, invitation.eventId, plan.freed, invitation.id, now, MAX_TRANSACTION_ITEMS - own) : [];
    try {
      await this.deps.store.commitInvitation({ ...plan.commit, ...(promotions.length ? { promotions } : {}), ...(audit ? { audit } : {}) });
    } catch (err) {
      // Freed seats are handed on only from fresh reads (who waits is in no condition), so the
      // counters a lost commit found are no start for the next plan: it reads, after the pause.
      if (err instanceof SeatConflictError && plan.freed.length && err.found) throw new SeatConflictError(err.sessionIds);
      throw err;
    }
    this.remember(event, plan.commit.sessionChanges);
    return plan.commit.invitation;
  }

  private toView(invitation: Invitation, event: EventRecord): Promise<RsvpView> {
    return rsvpView(this.deps, invitation, event);
  }
}
