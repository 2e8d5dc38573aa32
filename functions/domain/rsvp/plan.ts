import { NotEnoughSeatsError } from '../errors.js';
import { overallStatus } from '../invitation-status.js';
import type { Accreditation, ActingOrganizer, Invitation, SessionState } from '../model.js';
import { newEvent, type CumbreEvent, type EventInput } from '../outbox.js';
import type { EventRecord, InvitationCommit, SessionChange, WaitlistChange } from '../ports.js';
import { planDelegation } from '../delegation.js';
import { holdsAccreditedSession, type RsvpRequest } from './request.js';

/** The plan needs fresh reads: it frees seats for the waitlist, or would refuse or change nothing on held copies. */
export class NeedsFreshEventError extends Error {}

/** What planning one answer starts from, and the two things it asks of the outside: event ids, and waitlist tickets. */
export interface AnswerInput {
  invitation: Invitation;
  event: EventRecord;
  request: RsvpRequest;
  now: Date;
  /** The event was read after the last lost race (or for this answer): a refusal and a hand-over of freed seats may rest on it. */
  fresh: boolean;
  /** The organizer answering on the invitee's behalf, if any. */
  enteredBy?: ActingOrganizer;
  newId: () => string;
  /** A place at the end of a session's waitlist: a ticket later than any taken before (`WaitlistTickets`). */
  takeTicket: (sessionId: string) => number;
}

/** What one answer changes, ready to commit (promotions aside: they are planned on the seats it frees). */
export interface AnswerPlan {
  commit: Omit<InvitationCommit, 'promotions'>;
  /** The sessions whose confirmed seats the answer frees, for the waitlist's promotions. */
  freed: Array<{ change: SessionChange; session: SessionState }>;
  /** The transaction items the commit takes before any promotion. */
  ownItems: number;
}

const freeSeats = (s: SessionState) => s.capacity - s.confirmedSeats;

/** The seats, waitlist places and responses the answer moves, session by session. */
interface SeatPlan {
  responses: Invitation['responses'];
  changes: SessionChange[];
  waitlist: WaitlistChange[];
  /** Sessions where a larger party does not fit: the answer is refused. */
  tooFewSeats: string[];
}

type Emit = (body: EventInput) => void;
type Response = Invitation['responses'][string];

/** An answer of yes: a confirmed or waitlisted party re-sized, or a new party seated or put on the waitlist. */
async function planAttending(input: AnswerInput, plan: SeatPlan, session: SessionState, current: Response | undefined, seats: number, emit: Emit) {
  const { invitation } = input;
  const iso = input.now.toISOString();
  const sessionId = session.id;
  const base = { eventId: invitation.eventId, invitationId: invitation.id };
  const status = current?.status ?? 'pending';
  if (status === 'confirmed') {
    const delta = seats - current!.seats;
    if (delta === 0) return;
    if (delta > 0 && freeSeats(session) < delta) {
      plan.tooFewSeats.push(sessionId);
      return;
    }
    plan.changes.push({ sessionId, capacity: session.capacity, delta: { confirmedSeats: delta }, ...(delta > 0 ? { mustFit: delta } : {}) });
    plan.responses[sessionId] = { status: 'confirmed', seats, updatedAt: iso };
    if (delta < 0) emit({ type: 'seat.freed', ...base, sessionId, seats: -delta });
  } else if (status === 'waitlisted') {
    if (current!.seats === seats) return;
    plan.changes.push({ sessionId, capacity: session.capacity, delta: { waitlistedSeats: seats - current!.seats } });
    plan.responses[sessionId] = { ...current!, seats, updatedAt: iso };
    plan.waitlist.push({ op: 'add', sessionId, ticket: current!.waitlistTicket!, seats });
  } else if (freeSeats(session) >= seats) {
    plan.changes.push({
      sessionId,
      capacity: session.capacity,
      mustFit: seats,
      delta: { confirmedSeats: seats, confirmedParties: 1, ...(status === 'declined' ? { declinedParties: -1 } : {}) },
    });
    plan.responses[sessionId] = { status: 'confirmed', seats, updatedAt: iso };
    emit({ type: 'rsvp.confirmed', ...base, sessionId, seats, promoted: false });
  } else {
    const ticket = input.takeTicket(sessionId);
    plan.changes.push({
      sessionId,
      capacity: session.capacity,
      mustNotFit: seats,
      delta: { waitlistedSeats: seats, waitlistedParties: 1, ...(status === 'declined' ? { declinedParties: -1 } : {}) },
    });
    plan.responses[sessionId] = { status: 'waitlisted', seats, waitlistTicket: ticket, updatedAt: iso };
    plan.waitlist.push({ op: 'add', sessionId, ticket, seats, newPlace: true });
    emit({ type: 'rsvp.waitlisted', ...base, sessionId, seats, ticket });
  }
}

/** An answer of no: a seat or waitlist place released, or a pending invitation declined. */
function planDeclining(input: AnswerInput, plan: SeatPlan, session: SessionState, current: Response | undefined, emit: Emit) {
  const { invitation } = input;
  const sessionId = session.id;
  const base = { eventId: invitation.eventId, invitationId: invitation.id };
  const status = current?.status ?? 'pending';
  if (status === 'declined') return;
  const held = current?.seats ?? 0;
  const delta = status === 'confirmed' ? { confirmedSeats: -held, confirmedParties: -1 } : status === 'waitlisted' ? { waitlistedSeats: -held, waitlistedParties: -1 } : {};
  plan.changes.push({ sessionId, capacity: session.capacity, delta: { ...delta, declinedParties: 1 } });
  plan.responses[sessionId] = { status: 'declined', seats: 0, updatedAt: input.now.toISOString() };
  if (status === 'waitlisted') plan.waitlist.push({ op: 'remove', sessionId, ticket: current!.waitlistTicket!, seats: held });
  emit({ type: 'rsvp.declined', ...base, sessionId, previous: status });
  if (status === 'confirmed') emit({ type: 'seat.freed', ...base, sessionId, seats: held });
}

/** Answers for sessions not mentioned keep their status; a guest-count change re-sizes them too. */
async function planSeats(input: AnswerInput, seats: number, emit: Emit): Promise<SeatPlan> {
  const { invitation, request } = input;
  const sessions = new Map(input.event.sessions.map((s) => [s.id, s]));
  const plan: SeatPlan = { responses: { ...invitation.responses }, changes: [], waitlist: [], tooFewSeats: [] };
  const answers = new Map(request.responses.map((r) => [r.sessionId, r.attending]));
  for (const sessionId of new Set(invitation.sessions)) {
    const current = invitation.responses[sessionId];
    const status = current?.status ?? 'pending';
    const attending = answers.has(sessionId) ? answers.get(sessionId)! : status === 'confirmed' || status === 'waitlisted' ? true : undefined;
    if (attending === undefined) continue;
    const session = sessions.get(sessionId)!;
    // A cancelled session takes no seat and no place; the capacity worker takes it out of the invitation.
    if (session.cancelled && (attending || !answers.has(sessionId))) continue;
    if (attending) await planAttending(input, plan, session, current, seats, emit);
    else planDeclining(input, plan, session, current, emit);
  }
  return plan;
}

/** The `rsvp.answered` record when any session's status moved: the email about this answer is rendered from this state, whatever lands after it. */
function answeredEvent(input: AnswerInput, responses: Invitation['responses'], emit: Emit) {
  const { invitation, request } = input;
  const outcomes = invitation.sessions
    .map((sessionId) => ({ sessionId, previous: invitation.responses[sessionId]?.status ?? 'pending', status: responses[sessionId]?.status ?? 'pending' }))
    .filter((o) => o.previous !== o.status);
  if (!outcomes.length) return;
  const state = {
    language: request.language ?? invitation.language,
    version: invitation.version + 1,
    sessions: invitation.sessions.map((sessionId) => {
      const r = responses[sessionId];
      return { sessionId, status: r?.status ?? 'pending', ...(r?.status === 'waitlisted' && r.waitlistTicket !== undefined ? { waitlistTicket: r.waitlistTicket } : {}) };
    }),
  };
  emit({ type: 'rsvp.answered', eventId: invitation.eventId, invitationId: invitation.id, outcomes, state, ...enteredByOf(input) });
}

const enteredByOf = ({ enteredBy }: AnswerInput) => (enteredBy ? { enteredBy: { sub: enteredBy.sub, email: enteredBy.email } } : {});

/** The invitation's own fields after the answer: details, language, accreditation kept only while needed, the delegation. */
function nextInvitation(input: AnswerInput, responses: Invitation['responses'], guests: number) {
  const { invitation, request, enteredBy } = input;
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
    answeredBy: enteredBy ? { sub: enteredBy.sub, email: enteredBy.email, at: input.now.toISOString() } : undefined,
  };
  // Nationality and ID document are kept only while a session that needs them is held.
  const holdsAccredited = holdsAccreditedSession(input.event, responses);
  const dropAccreditation = next.hasAccreditation && !holdsAccredited;
  if (dropAccreditation) next.hasAccreditation = false;
  // Delegations: the named companions, their holder ids and what removing or renaming one revokes.
  const delegation = planDelegation(invitation, request.companions, holdsAccredited, invitation.version + 1);
  if (delegation.changed || invitation.companions) Object.assign(next, { companions: delegation.companions, holderSeq: delegation.holderSeq, revocations: delegation.revocations });
  next.status = overallStatus(next);
  const profileChanged = (['guests', 'dietary', 'accessibility', 'badgeName', 'topics', 'language'] as const).some(
    (f) => JSON.stringify(next[f]) !== JSON.stringify(invitation[f]),
  );
  return { next, dropAccreditation, delegation, profileChanged };
}

/**
 * What an answer changes: seats and waitlist places per session, the invitation's details and
 * companions, the accreditation kept or dropped, and the outbox records that tell of it. Undefined
 * when it changes nothing. Refusals (too few seats) and hand-overs of freed seats need `fresh` reads.
 */
export async function planAnswer(input: AnswerInput): Promise<AnswerPlan | undefined> {
  const { invitation, request } = input;
  const events: CumbreEvent[] = [];
  const emit: Emit = (body) => events.push(newEvent(body, input.now, input.newId()));
  const guests = request.guests ?? request.companions?.length ?? invitation.guests;
  const { responses, changes, waitlist, tooFewSeats } = await planSeats(input, 1 + guests, emit);
  // A refusal is only as good as the counters it read: never refuse on a cached copy.
  if (tooFewSeats.length) throw input.fresh ? new NotEnoughSeatsError(tooFewSeats) : new NeedsFreshEventError();
  answeredEvent(input, responses, emit);
  const { next, dropAccreditation, delegation, profileChanged } = nextInvitation(input, responses, guests);
  if (changes.length === 0 && !profileChanged && !delegation.changed && !delegation.removeAccreditations.length && !request.accreditation) return undefined;
  if (profileChanged || delegation.changed)
    emit({
      type: 'invitation.updated',
      eventId: invitation.eventId,
      invitationId: invitation.id,
      changed: [...(profileChanged ? ['rsvp-details'] : []), ...(delegation.changed ? ['companions'] : [])],
      ...enteredByOf(input),
    });

  const stored: Invitation = { ...next, version: invitation.version + 1, updatedAt: input.now.toISOString() };
  const sessions = new Map(input.event.sessions.map((s) => [s.id, s]));
  const freed = changes.filter((c) => (c.delta.confirmedSeats ?? 0) < 0).map((change) => ({ change, session: sessions.get(change.sessionId)! }));
  // Who waits is not in any condition of this commit: hand freed seats on from counters read now.
  if (freed.length && !input.fresh) throw new NeedsFreshEventError();
  const ownItems =
    changes.length + 1 + (request.accreditation ? 1 : 0) + delegation.accreditations.length + delegation.removeAccreditations.length + waitlist.length + events.length;
  const commit: AnswerPlan['commit'] = {
    invitation: stored,
    expectedVersion: invitation.version,
    sessionChanges: changes,
    waitlist,
    ...(request.accreditation && !dropAccreditation ? { accreditation: request.accreditation satisfies Accreditation } : {}),
    ...(dropAccreditation && invitation.hasAccreditation ? { removeAccreditation: true } : {}),
    ...(delegation.accreditations.length ? { companionAccreditations: delegation.accreditations } : {}),
    ...(delegation.removeAccreditations.length ? { removeCompanionAccreditations: delegation.removeAccreditations } : {}),
    events,
  };
  return { commit, freed, ownItems };
}
