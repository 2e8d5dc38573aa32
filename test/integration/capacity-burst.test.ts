import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { recount } from '#domain/capacity.js';
import { InvitationService } from '#domain/invitations.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';

/**
 * The capacity guarantee at eight times a session's size: 2,000 parties of one to three seats
 * answer yes at once for 250 seats. Every answer commits (none gives up), the session ends exactly
 * full, the counters equal the records, and the waitlist is in ticket order.
 */
const EVENT = 'na-mayors-summit-2019';
const SESSION = 'working-day-1';
const CAPACITY = 250;
const PARTIES = 2_000;
const guestsOf = (n: number) => (n * 7) % 3; // 0, 1, 2 mixed through the arrival order

describe('a 2,000-at-once burst for 250 seats on DynamoDB Local', () => {
  const client = dynamoClient();
  const store = new DynamoCumbreStore(documentClient(client), 'unset');
  let rsvp: RsvpService;
  let live: DynamoCumbreStore;
  const tokens: string[] = [];

  beforeAll(async () => {
    const table = await createTestTable(client);
    live = new DynamoCumbreStore(documentClient(client), table);
    const definition = summit();
    definition.sessions = definition.sessions.map((s) => (s.id === SESSION ? { ...s, capacity: CAPACITY } : s));
    await live.putEventDefinition(definition);
    const clock = fixedClock(BEFORE_DEADLINE);
    const ids = { newId: () => randomUUID() };
    const imported = await new InvitationService({ store: live, clock, ids, tokenSecret: 'burst', publicBaseUrl: 'http://x' }).import(
      EVENT,
      Array.from({ length: PARTIES }, (_, n) => ({ row: n + 2, data: invitee(n, { guests: guestsOf(n) }) })),
    );
    tokens.push(...imported.map((r) => r.rsvpUrl!.split('/rsvp/')[1]));
    rsvp = new RsvpService({ store: live, clock, ids });
    void store;
  }, 600_000);

  // DynamoDB Local serialises transactions on one counter behind a lock: 2,000 contenders take minutes
  // on a shared 2-core machine (390 s at load 30), so the burst gets room; what it asserts is unchanged.
  it('confirms exactly the capacity, keeps counters equal to records and the waitlist in ticket order', async () => {
    const settled = await Promise.allSettled(
      tokens.map((token, n) => rsvp.respond(token, parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: true }], guests: guestsOf(n) }))),
    );
    const failed = settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason));
    expect(failed).toEqual([]);

    const session = (await live.getEvent(EVENT))!.sessions.find((s) => s.id === SESSION)!;
    const invitations = await live.listInvitations(EVENT);
    const waiting = invitations.filter((i) => i.responses[SESSION]?.status === 'waitlisted');
    const confirmed = invitations.filter((i) => i.responses[SESSION]?.status === 'confirmed');

    // Exactly full: a one-seat party was waitlisted, which the commit allows only with no seat free.
    expect(waiting.some((w) => w.responses[SESSION].seats === 1)).toBe(true);
    expect(session.confirmedSeats).toBe(CAPACITY);
    expect(confirmed.reduce((n, i) => n + i.responses[SESSION].seats, 0)).toBe(CAPACITY);
    expect(confirmed.length + waiting.length).toBe(PARTIES);

    // Counters = records.
    expect(recount(SESSION, invitations)).toEqual({
      confirmedSeats: session.confirmedSeats,
      confirmedParties: session.confirmedParties,
      waitlistedSeats: session.waitlistedSeats,
      waitlistedParties: session.waitlistedParties,
      declinedParties: session.declinedParties,
    });
    expect(session.confirmedParties).toBe(confirmed.length);
    expect(session.waitlistedParties).toBe(waiting.length);

    // Waitlist order = ticket order: one entry per waiting party, unique tickets, listed ascending,
    // each entry the party holding that ticket with its seats.
    const entries = await live.listWaitlist(EVENT, SESSION);
    const byTicket = [...waiting].sort((a, b) => a.responses[SESSION].waitlistTicket! - b.responses[SESSION].waitlistTicket!);
    expect(entries.map((e) => [e.ticket, e.invitationId, e.seats])).toEqual(byTicket.map((w) => [w.responses[SESSION].waitlistTicket!, w.id, w.responses[SESSION].seats]));
    expect(new Set(entries.map((e) => e.ticket)).size).toBe(entries.length);
  }, 1_500_000);
});
