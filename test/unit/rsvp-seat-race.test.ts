import { describe, expect, it } from 'vitest';
import { SeatConflictError, type CountersFound } from '#domain/errors.js';
import { InvitationService } from '#domain/invitations.js';
import type { InvitationCommit } from '#domain/ports.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';

const EVENT = 'na-mayors-summit-2019';
const SESSION = 'welcome-cocktail';

/** Like the DynamoDB adapter: a lost seat condition comes back with the counters it lost to; every read and commit is counted. */
class CountingStore extends MemoryStore {
  reads = 0;
  commits: InvitationCommit[] = [];
  override async getEvent(eventId: string) {
    this.reads++;
    return super.getEvent(eventId);
  }
  override async getInvitation(eventId: string, id: string) {
    this.reads++;
    return super.getInvitation(eventId, id);
  }
  override async findInvitationByTokenHash(tokenHash: string) {
    this.reads++;
    return super.findInvitationByTokenHash(tokenHash);
  }
  override async commitInvitation(commit: InvitationCommit) {
    this.commits.push(commit);
    try {
      await super.commitInvitation(commit);
    } catch (err) {
      if (!(err instanceof SeatConflictError)) throw err;
      const sessions = this.events.get(EVENT)!.sessions;
      const found: Record<string, CountersFound> = Object.fromEntries(err.sessionIds.map((id) => [id, { ...sessions.get(id)! }]));
      throw new SeatConflictError(err.sessionIds, found);
    }
  }
}

const cocktail = (attending: boolean, guests = 2) => parseRsvpRequest({ responses: [{ sessionId: SESSION, attending }], guests });

describe('an answer that loses the last seats to another function', () => {
  it('is waitlisted on the counters its failed commit returned, with no read in between', async () => {
    const store = new CountingStore();
    const def = summit();
    await store.putEventDefinition({ ...def, sessions: def.sessions.map((s) => (s.id === SESSION ? { ...s, capacity: 3 } : s)) });
    const clock = fixedClock(BEFORE_DEADLINE);
    const invitations = new InvitationService({ store, clock, ids: sequentialIds('inv'), tokenSecret: 's', publicBaseUrl: 'https://x.example' });
    const [a, b] = (
      await invitations.import(
        EVENT,
        [1, 2].map((n) => ({ row: n + 1, data: invitee(n, { guests: 2 }) })),
      )
    ).map((r) => r.rsvpUrl!.split('/rsvp/')[1]);
    const here = new RsvpService({ store, clock, ids: sequentialIds('here'), backoff: async () => {} });
    const elsewhere = new RsvpService({ store, clock, ids: sequentialIds('there'), backoff: async () => {} });
    await here.view(b); // this function now holds the invitation and the empty counters
    await elsewhere.respond(a, cocktail(true)); // another function takes all three seats

    store.reads = 0;
    store.commits = [];
    const view = await here.respond(b, cocktail(true));

    expect(view.sessions.find((s) => s.id === SESSION)).toMatchObject({ status: 'waitlisted', seats: 3, waitlistPosition: 1 });
    expect(store.reads).toBe(0);
    expect(store.commits.map((c) => c.sessionChanges.map((s) => [s.mustFit, s.mustNotFit]))).toEqual([[[3, undefined]], [[undefined, 3]]]);
    const session = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === SESSION)!;
    expect(session).toMatchObject({ confirmedSeats: 3, confirmedParties: 1, waitlistedSeats: 3, waitlistedParties: 1 });

    // The function learned the counters: its next answer plans a waitlist place straight away.
    const [c] = (await invitations.import(EVENT, [{ row: 2, data: invitee(3, { guests: 2 }) }])).map((r) => r.rsvpUrl!.split('/rsvp/')[1]);
    await here.view(c);
    store.commits = [];
    await here.respond(c, cocktail(true));
    expect(store.commits.map((c) => c.sessionChanges.map((s) => s.mustNotFit))).toEqual([[3]]);
  });
});

describe('an answer whose seat condition keeps failing on the counters it was handed', () => {
  it('replans at once only the first time, then pauses before each attempt, and gives up after its attempts', async () => {
    const store = new MemoryStore();
    await store.putEventDefinition(summit());
    const clock = fixedClock(BEFORE_DEADLINE);
    const invitations = new InvitationService({ store, clock, ids: sequentialIds('inv'), tokenSecret: 's', publicBaseUrl: 'https://x.example' });
    const [token] = (await invitations.import(EVENT, [{ row: 2, data: invitee(1) }])).map((r) => r.rsvpUrl!.split('/rsvp/')[1]);
    // A store whose counter condition always fails and always reports the seats as free.
    let commits = 0;
    store.commitInvitation = async () => {
      commits++;
      const s = (await store.getEvent(EVENT))!.sessions.find((x) => x.id === SESSION)!;
      throw new SeatConflictError([SESSION], { [SESSION]: { ...s } });
    };
    const pauses: number[] = [];
    const rsvp = new RsvpService({ store, clock, ids: sequentialIds('r'), maxAttempts: 6, backoff: async (attempt) => void pauses.push(attempt) });
    await expect(rsvp.respond(token, cocktail(true, 0))).rejects.toBeInstanceOf(SeatConflictError);
    expect(commits).toBe(6);
    expect(pauses).toEqual([2, 3, 4, 5]);
  });
});

describe('an answer whose commits lose with counters found, on any attempt', () => {
  const setUp = async (maxAttempts: number, capacity: number) => {
    const store = new MemoryStore();
    const def = summit();
    await store.putEventDefinition({ ...def, sessions: def.sessions.map((s) => (s.id === SESSION ? { ...s, capacity } : s)) });
    const clock = fixedClock(BEFORE_DEADLINE);
    const invitations = new InvitationService({ store, clock, ids: sequentialIds('inv'), tokenSecret: 's', publicBaseUrl: 'https://x.example' });
    const [token] = (await invitations.import(EVENT, [{ row: 2, data: invitee(1, { guests: 2 }) }])).map((r) => r.rsvpUrl!.split('/rsvp/')[1]);
    const rsvp = new RsvpService({ store, clock, ids: sequentialIds('r'), maxAttempts, backoff: async () => {} });
    await rsvp.respond(token, cocktail(true, 0));
    return { store, rsvp, token };
  };
  /** The first `failures` commits lose their seat condition, reporting the counters `found` makes of the real ones. */
  const losing = (store: MemoryStore, failures: number, found: (s: CountersFound) => CountersFound) => {
    const commit = store.commitInvitation.bind(store);
    let lost = 0;
    store.commitInvitation = async (c) => {
      if (lost >= failures) return commit(c);
      lost++;
      const s = (await store.getEvent(EVENT))!.sessions.find((x) => x.id === SESSION)!;
      throw new SeatConflictError([SESSION], { [SESSION]: found({ ...s }) });
    };
  };
  const outcome = (answer: Promise<unknown>) =>
    answer.then(
      () => 'answered',
      (err: unknown) => (err instanceof SeatConflictError ? 'seat conflict (409)' : err),
    );
  const cases = [2, 3, 4, 5, 6].flatMap((maxAttempts) => Array.from({ length: maxAttempts + 1 }, (_, failures) => [maxAttempts, failures] as const));

  // A replan on found counters is no fresh read; a decline hands seats on, and a refusal is given,
  // only on fresh reads. Whichever attempt the replan falls on, the answer reads again.
  it.each(cases)('a decline, %i attempts, %i commits lost: answered or a 409, never a failure for want of a read', async (maxAttempts, failures) => {
    const { store, rsvp, token } = await setUp(maxAttempts, 50);
    losing(store, failures, (s) => s);
    const result = await outcome(rsvp.respond(token, cocktail(false, 0)));
    // Each lost commit costs one attempt (the first plans on held copies and reads before committing).
    expect(result).toBe(failures <= maxAttempts - 2 ? 'answered' : 'seat conflict (409)');
    const session = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === SESSION)!;
    expect(session.confirmedParties + session.declinedParties).toBe(1);
  });

  it.each(cases)('a party that grows, %i attempts, %i commits lost to counters showing it full: answered or a 409', async (maxAttempts, failures) => {
    const { store, rsvp, token } = await setUp(maxAttempts, 3);
    losing(store, failures, (s) => ({ ...s, confirmedSeats: s.capacity }));
    const result = await outcome(rsvp.respond(token, cocktail(true, 2)));
    expect(['answered', 'seat conflict (409)']).toContain(result);
    if (failures === 0) expect(result).toBe('answered');
    const session = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === SESSION)!;
    expect(session.confirmedSeats).toBe(result === 'answered' ? 3 : 1);
  });
});
