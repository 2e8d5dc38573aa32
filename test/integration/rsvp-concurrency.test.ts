import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { CapacityService, recount } from '#domain/capacity.js';
import { InvitationService } from '#domain/invitations.js';
import type { SessionState } from '#domain/model.js';
import type { CumbreEvent } from '#domain/outbox.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';
import { randomUUID } from 'node:crypto';
import { storedEvents } from '#adapters/dynamo-outbox.js';

const EVENT = 'na-mayors-summit-2019';
const SESSION = 'working-day-1';
const CAPACITY = 250;
const client = dynamoClient();
const doc = documentClient(client);
let store: DynamoCumbreStore;
let table: string;
let rsvp: RsvpService;
const clock = fixedClock(BEFORE_DEADLINE);
const ids = { newId: () => randomUUID() };

const session = async (): Promise<SessionState> => (await store.getEvent(EVENT))!.sessions.find((s) => s.id === SESSION)!;
const outbox = async (): Promise<CumbreEvent[]> => {
  const items: CumbreEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: '#t = :o',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':o': 'outbox' },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(res.Items ?? []).flatMap(storedEvents));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
};
const expectCountersEqualRecords = async () => {
  const s = await session();
  const { eventId: _e, ...definitionAndCounters } = s;
  expect(recount(SESSION, await store.listInvitations(EVENT))).toEqual({
    confirmedSeats: definitionAndCounters.confirmedSeats,
    confirmedParties: s.confirmedParties,
    waitlistedSeats: s.waitlistedSeats,
    waitlistedParties: s.waitlistedParties,
    declinedParties: s.declinedParties,
  });
  return s;
};
const yes = parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: true }] });
const no = parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: false }] });

describe('capacity under concurrency on DynamoDB Local', () => {
  const tokens: string[] = [];
  const tokenOf = new Map<string, string>();
  const guestsOf = (n: number) => (n % 10 === 0 ? 2 : n % 7 === 0 ? 1 : 0);

  beforeAll(async () => {
    table = await createTestTable(client);
    store = new DynamoCumbreStore(doc, table);
    await store.putEventDefinition(summit());
    rsvp = new RsvpService({ store, clock, ids });
    const invitations = new InvitationService({ store, clock, ids, tokenSecret: 'integration', publicBaseUrl: 'http://x' });
    const results = await invitations.import(
      EVENT,
      Array.from({ length: 503 }, (_, n) => ({ row: n + 2, data: invitee(n, { guests: guestsOf(n) }) })),
    );
    tokens.push(...results.map((r) => r.rsvpUrl!.split('/rsvp/')[1]));
    results.forEach((r, n) => tokenOf.set(r.id, tokens[n]));
  });

  it('imports with one outbox event per invitation, idempotently', async () => {
    expect(tokens).toHaveLength(503);
    expect((await outbox()).filter((e) => e.type === 'invitation.created')).toHaveLength(503);
    const before = await store.listInvitations(EVENT);

    // The same file again (a retried upload): each row reported as the first import created it, with
    // the same link, and nothing written — a retried import finishes the job instead of failing it.
    const again = await new InvitationService({ store, clock, ids, tokenSecret: 'integration', publicBaseUrl: 'http://x' }).import(
      EVENT,
      Array.from({ length: 503 }, (_, n) => ({ row: n + 2, data: invitee(n, { guests: guestsOf(n) }) })),
    );

    expect(again).toHaveLength(503);
    expect(again.map((r) => [r.status, r.rsvpUrl?.split('/rsvp/')[1]])).toEqual(again.map((r) => ['created', tokenOf.get(r.id)]));
    expect(again.map((r) => r.id).sort()).toEqual(before.map((i) => i.id).sort());
    expect((await outbox()).filter((e) => e.type === 'invitation.created' || e.type === 'invitation.updated')).toHaveLength(503);
    expect(await store.listInvitations(EVENT)).toEqual(before);
  });

  it('never confirms more than capacity when 500 answer yes at once', async () => {
    const answers = await Promise.all(
      tokens.slice(0, 500).map((token, n) => rsvp.respond(token, parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: true }], guests: guestsOf(n) }))),
    );
    const s = await expectCountersEqualRecords();
    expect(s.confirmedSeats).toBeLessThanOrEqual(CAPACITY);
    expect(s.confirmedParties + s.waitlistedParties).toBe(500);
    expect(s.waitlistedParties).toBeGreaterThan(0);
    const statuses = answers.map((a) => a.sessions.find((x) => x.id === SESSION)!.status);
    expect(statuses.filter((x) => x === 'confirmed')).toHaveLength(s.confirmedParties);

    // Nobody waits beside a seat they would have fitted in.
    const waiting = (await store.listInvitations(EVENT)).filter((i) => i.responses[SESSION]?.status === 'waitlisted');
    for (const w of waiting) expect(w.responses[SESSION].seats).toBeGreaterThan(CAPACITY - s.confirmedSeats);

    // Waitlist tickets are unique, so arrival order is total; positions run 1..n.
    const tickets = waiting.map((w) => w.responses[SESSION].waitlistTicket!);
    expect(new Set(tickets).size).toBe(tickets.length);
    // Once the burst has settled, positions follow tickets exactly. (The position in an answer's own
    // reply counts parties already committed; a concurrent answer holding an earlier ticket may
    // still land ahead of it, so replies are not compared.)
    const settled = await Promise.all(
      waiting.map(async (w) => [w.responses[SESSION].waitlistTicket!, (await rsvp.view(tokenOf.get(w.id)!)).sessions.find((x) => x.id === SESSION)!.waitlistPosition!] as const),
    );
    settled.sort(([a], [b]) => a - b);
    expect(settled.map(([, position]) => position)).toEqual(Array.from({ length: waiting.length }, (_, i) => i + 1));
    expect(answers.filter((a) => a.sessions.find((x) => x.id === SESSION)!.status === 'waitlisted')).toHaveLength(waiting.length);
    expect((await store.listWaitlist(EVENT, SESSION)).map((w) => w.invitationId).sort()).toEqual(waiting.map((w) => w.id).sort());

    // Late arrivals, one after another, queue behind everyone in the order they came.
    for (const token of tokens.slice(500)) await rsvp.respond(token, yes);
    const late = await Promise.all(tokens.slice(500).map((t) => rsvp.view(t)));
    expect(late.map((v) => v.sessions.find((x) => x.id === SESSION)!.waitlistPosition)).toEqual([waiting.length + 1, waiting.length + 2, waiting.length + 3]);

    const events = await outbox();
    expect(events.filter((e) => e.type === 'rsvp.confirmed' && e.sessionId === SESSION)).toHaveLength(s.confirmedParties);
    expect(events.filter((e) => e.type === 'rsvp.waitlisted' && e.sessionId === SESSION)).toHaveLength(s.waitlistedParties + 3);
  });

  it('counts freed seats back exactly after a burst of declines, each given to the waitlist in its own commit', async () => {
    const before = await session();
    const confirmed = (await store.listInvitations(EVENT)).filter((i) => i.responses[SESSION]?.status === 'confirmed');
    const decliners = confirmed.slice(0, 80);
    const freed = decliners.reduce((sum, i) => sum + i.responses[SESSION].seats, 0);
    const waitingBefore = await store.listWaitlist(EVENT, SESSION);
    await Promise.all(decliners.map((i) => rsvp.respond(tokenOf.get(i.id)!, no)));
    // Concurrent declines each planned against what they read; the worker their seat.freed wakes
    // gives any seats two of them left between them to whoever fits next.
    await new CapacityService({ store, clock, ids }).promoteWaitlisted(EVENT, SESSION);
    const after = await expectCountersEqualRecords();
    const events = await outbox();
    const promotions = events.filter((e) => e.type === 'rsvp.confirmed' && e.sessionId === SESSION && e.promoted);
    const promotedSeats = promotions.reduce((sum, e) => sum + (e.type === 'rsvp.confirmed' ? e.seats : 0), 0);
    expect(after.confirmedSeats).toBe(before.confirmedSeats - freed + promotedSeats);
    expect(after.declinedParties).toBe(before.declinedParties + 80);
    expect(after.waitlistedParties).toBe(before.waitlistedParties - promotions.length);
    const freedEvents = events.filter((e) => e.type === 'seat.freed');
    expect(freedEvents.reduce((sum, e) => sum + (e.type === 'seat.freed' ? e.seats : 0), 0)).toBe(freed);
    // The freed seats went to the head of the waitlist: every promoted party held an earlier ticket
    // than every party still waiting that would have fitted, and no waiting party fits the seats left.
    const promotedIds = new Set(promotions.map((e) => e.invitationId));
    expect(promotedIds.size).toBe(promotions.length);
    const stillWaiting = await store.listWaitlist(EVENT, SESSION);
    expect(stillWaiting.map((w) => w.invitationId).sort()).toEqual(
      waitingBefore
        .filter((w) => !promotedIds.has(w.invitationId))
        .map((w) => w.invitationId)
        .sort(),
    );
    for (const w of stillWaiting) expect(w.seats).toBeGreaterThan(CAPACITY - after.confirmedSeats);
    expect(promotions.length).toBeGreaterThan(0);
  });
});
