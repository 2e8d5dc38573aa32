import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CapacityService, recount } from '#domain/capacity.js';
import { CapacityBelowConfirmedError } from '#domain/errors.js';
import { EventService } from '#domain/events.js';
import { InvitationService } from '#domain/invitations.js';
import type { EventDefinition, Invitation } from '#domain/model.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { StreamsApi } from '../../local/event-sources/dynamodb-streams.js';
import { createTestTable, dynamoClient, dynamoEndpoint } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';
import { storedEvents } from '#adapters/dynamo-outbox.js';

/**
 * Organizers change an event while invitees answer, on DynamoDB Local: capacity raised and lowered
 * mid-burst, a session cancelled mid-burst. What must hold is read from the records themselves —
 * every image the table's stream recorded of the session's counter, and the invitations — not from
 * what the services said.
 */
const EVENT = 'harbour-forum-2019';
const HALL = 'hall';
const GARDEN = 'garden';

const client = dynamoClient();
const clock = fixedClock(BEFORE_DEADLINE);
const ids = { newId: () => randomUUID() };

const definition = (hall: number, garden = 500): Record<string, unknown> => {
  const s = summit();
  return {
    id: EVENT,
    name: { es: 'Foro del Puerto', en: 'Harbour Forum', fr: 'Forum du port' },
    venue: { name: 'Muelle 2', city: 'Ensenada', country: 'MX' },
    timezone: 'America/Tijuana',
    rsvpDeadline: '2019-06-30T18:00',
    languages: ['es', 'en', 'fr'],
    categories: s.categories,
    topics: s.topics,
    sessions: [
      { id: HALL, name: { es: 'Salón', en: 'Hall', fr: 'Salle' }, start: '2019-07-02T09:00', end: '2019-07-02T12:00', capacity: hall },
      { id: GARDEN, name: { es: 'Jardín', en: 'Garden', fr: 'Jardin' }, start: '2019-07-02T13:00', end: '2019-07-02T15:00', capacity: garden },
    ],
  };
};

/** A fresh table with the event and `parties` invitations to both sessions; the services on it. */
const world = async (hall: number, parties: number) => {
  const table = await createTestTable(client);
  const store = new DynamoCumbreStore(documentClient(client), table);
  const events = new EventService({ store, clock, ids });
  await events.create(definition(hall));
  const imported = await new InvitationService({ store, clock, ids, tokenSecret: 'edits', publicBaseUrl: 'http://x' }).import(
    EVENT,
    Array.from({ length: parties }, (_, n) => ({ row: n + 2, data: invitee(n, { category: 'academic' }) })),
  );
  const tokens = imported.map((r) => r.rsvpUrl!.split('/rsvp/')[1]);
  return { table, store, events, tokens, rsvp: new RsvpService({ store, clock, ids }), capacity: new CapacityService({ store, clock, ids }) };
};

/** Every record the table's stream holds, in order per item (DynamoDB Local keeps one shard per table here). */
const streamOf = async (table: string) => {
  const api = new StreamsApi(dynamoEndpoint(), 'us-east-1');
  const arn = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!;
  const { StreamDescription } = await api.call<{ StreamDescription: { Shards: Array<{ ShardId: string }> } }>('DescribeStream', { StreamArn: arn });
  const out: Array<{ eventName: string; image: Record<string, unknown> }> = [];
  for (const shard of StreamDescription.Shards) {
    let iterator: string | undefined = (
      await api.call<{ ShardIterator: string }>('GetShardIterator', { StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' })
    ).ShardIterator;
    while (iterator) {
      const page: { Records: Array<{ eventName: string; dynamodb: { NewImage?: never } }>; NextShardIterator?: string } = await api.call('GetRecords', {
        ShardIterator: iterator,
        Limit: 1000,
      });
      for (const r of page.Records) if (r.dynamodb.NewImage) out.push({ eventName: r.eventName, image: unmarshall(r.dynamodb.NewImage) });
      iterator = page.Records.length ? page.NextShardIterator : undefined;
    }
  }
  return out;
};

/** Every image of one session's counter, in the order they were written. */
const counterImages = (stream: Awaited<ReturnType<typeof streamOf>>, sessionId: string) =>
  stream.filter((r) => r.image.sk === `DEF#SESSION#${sessionId}`).map((r) => r.image as { capacity: number; confirmedSeats: number; cancelled?: boolean });

const outboxOf = (stream: Awaited<ReturnType<typeof streamOf>>) =>
  stream.filter((r) => r.eventName === 'INSERT' && r.image.type === 'outbox').flatMap((r) => storedEvents(r.image));

const countersEqualRecords = async (store: DynamoCumbreStore, sessionId: string) => {
  const session = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === sessionId)!;
  const { confirmedSeats, confirmedParties, waitlistedSeats, waitlistedParties, declinedParties } = session;
  expect(recount(sessionId, await store.listInvitations(EVENT))).toEqual({ confirmedSeats, confirmedParties, waitlistedSeats, waitlistedParties, declinedParties });
  return session;
};

/** Waits (on state, polling the counter) until `seats` are confirmed in the session and `waiting` parties wait. */
const untilConfirmed = async (store: DynamoCumbreStore, sessionId: string, seats: number, waiting = 0) => {
  for (;;) {
    const s = (await store.getEvent(EVENT))!.sessions.find((x) => x.id === sessionId)!;
    if (s.confirmedSeats >= seats && s.waitlistedParties >= waiting) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** An edit of the current definition, retried on a stale version (nobody else edits here; answers never bump it). */
const edit = async (events: EventService, change: (d: EventDefinition) => EventDefinition) => {
  const { definition: current } = await events.get(EVENT);
  return events.update(EVENT, { ...change(current), version: current.version });
};
const withHall = (d: EventDefinition, patch: Partial<EventDefinition['sessions'][number]>) => ({ ...d, sessions: d.sessions.map((s) => (s.id === HALL ? { ...s, ...patch } : s)) });

/**
 * Answers arriving as a function fleet would send them: `IN_FLIGHT` at a time, each next one as soon
 * as one finishes. (All 500 at once only measures DynamoDB Local's one lock: on a loaded machine it
 * times requests out that DynamoDB itself would serve.)
 */
const IN_FLIGHT = 10;
const arriving = async <T>(items: T[], answerOne: (item: T) => Promise<unknown>): Promise<PromiseSettledResult<unknown>[]> => {
  const out: PromiseSettledResult<unknown>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) {
      try {
        out[i] = { status: 'fulfilled', value: await answerOne(items[i]) };
      } catch (reason) {
        out[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return out;
};

const yesTo = (sessions: string[]) => parseRsvpRequest({ responses: sessions.map((sessionId) => ({ sessionId, attending: true })) });

describe('event edits while answers arrive (DynamoDB Local)', () => {
  it('capacity raised while 500 answers arrive: every answer commits, the waitlist moves up in ticket order, never overbooked', async () => {
    const { table, store, events, tokens, rsvp, capacity } = await world(100, 500);
    const answers = arriving(tokens, (token) => rsvp.respond(token, yesTo([HALL])));
    await untilConfirmed(store, HALL, 100, 60);
    const raised = await edit(events, (d) => withHall(d, { capacity: 300 }));
    const settled = await answers;
    expect(settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason))).toEqual([]);
    // What the edit's own transaction could not promote, the capacity worker does (its seat.freed).
    await capacity.promoteWaitlisted(EVENT, HALL);

    const session = await countersEqualRecords(store, HALL);
    expect([session.capacity, session.confirmedSeats, session.confirmedParties, session.waitlistedParties]).toEqual([300, 300, 300, 200]);
    const stream = await streamOf(table);
    const images = counterImages(stream, HALL);
    expect(images.filter((i) => i.confirmedSeats > i.capacity)).toEqual([]);
    expect(images.some((i) => i.capacity === 300)).toBe(true);
    // Promoted in ticket order: everyone still waiting arrived after everyone promoted from the list.
    const invitations = await store.listInvitations(EVENT);
    const promotedIds = new Set(outboxOf(stream).flatMap((e) => (e.type === 'rsvp.confirmed' && e.promoted && e.sessionId === HALL ? [e.invitationId] : [])));
    expect(promotedIds.size).toBeGreaterThan(0);
    expect(raised.summary.capacity[0]).toMatchObject({ sessionId: HALL, from: 100, to: 300 });
    const ticketsOf = (pick: (i: Invitation) => boolean) => invitations.filter(pick).map((i) => i.responses[HALL].waitlistTicket ?? Number.NaN);
    const waitingTickets = ticketsOf((i) => i.responses[HALL].status === 'waitlisted');
    const streamTickets = new Map(outboxOf(stream).flatMap((e) => (e.type === 'rsvp.waitlisted' && e.sessionId === HALL ? [[e.invitationId, e.ticket] as const] : [])));
    const promotedTickets = [...promotedIds].map((id) => streamTickets.get(id)!);
    expect(Math.max(...promotedTickets)).toBeLessThan(Math.min(...waitingTickets));
  }, 900_000);

  it('capacity lowered while answers arrive: never more confirmed than capacity in any image of the counter, and exactly full after', async () => {
    const { table, store, events, tokens, rsvp } = await world(300, 500);
    const answers = arriving(tokens, (token) => rsvp.respond(token, yesTo([HALL])));
    await untilConfirmed(store, HALL, 30);
    let lowered: number | undefined;
    const refusals: string[] = [];
    for (let attempt = 0; lowered === undefined && attempt < 20; attempt++) {
      const { confirmedSeats } = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === HALL)!;
      const target = confirmedSeats + 40;
      try {
        await edit(events, (d) => withHall(d, { capacity: target }));
        lowered = target;
      } catch (err) {
        // Answers took the seats between the read and the edit: refused, stating the seats taken.
        if (!(err instanceof CapacityBelowConfirmedError)) throw err;
        refusals.push(err.message);
      }
    }
    expect(refusals.every((m) => /has \d+ seat\(s\) confirmed/.test(m))).toBe(true);
    expect(lowered).toBeDefined();
    const settled = await answers;
    expect(settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason))).toEqual([]);

    const session = await countersEqualRecords(store, HALL);
    expect([session.capacity, session.confirmedSeats]).toEqual([lowered, lowered]);
    const images = counterImages(await streamOf(table), HALL);
    expect(images.filter((i) => i.confirmedSeats > i.capacity)).toEqual([]);
    expect(images.some((i) => i.capacity === lowered)).toBe(true);
  }, 900_000);

  it('a session cancelled while answers arrive: no seat is confirmed into it after the cancellation, every holder is released and told', async () => {
    const { table, store, events, tokens, rsvp } = await world(500, 300);
    const answers = arriving(tokens, (token) => rsvp.respond(token, yesTo([HALL, GARDEN])));
    await untilConfirmed(store, HALL, 40);
    await edit(events, (d) => withHall(d, { cancelled: true }));
    const cancelledAt = clock.now();
    // The capacity worker's part, while answers still arrive.
    const stream0 = await streamOf(table);
    const cancellation = outboxOf(stream0).find((e) => e.type === 'session.cancelled')!;
    const [settled, fanned] = await Promise.all([answers, events.fanOut(cancellation)]);
    // Answers either committed, or (yes to a cancelled session) were refused naming it.
    const reasons = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as { code?: string }).code ?? String(s.reason)] : []));
    expect([...new Set(reasons)].filter((r) => r !== 'session_cancelled')).toEqual([]);
    // A rerun finds nothing left to do.
    expect(await events.fanOut(cancellation)).toEqual({ told: 0 });
    void cancelledAt;

    const stream = await streamOf(table);
    const images = counterImages(stream, HALL);
    const cut = images.findIndex((i) => i.cancelled);
    expect(cut).toBeGreaterThan(0);
    // After the cancellation, the counter only ever goes down: nobody took a seat in it.
    for (let i = cut + 1; i < images.length; i++) expect(images[i].confirmedSeats).toBeLessThanOrEqual(images[i - 1].confirmedSeats);
    expect(images.filter((i) => i.confirmedSeats > i.capacity && !i.cancelled)).toEqual([]);
    const hall = await countersEqualRecords(store, HALL);
    expect([hall.confirmedSeats, hall.confirmedParties, hall.waitlistedParties, hall.declinedParties]).toEqual([0, 0, 0, 0]);
    const invitations = await store.listInvitations(EVENT);
    expect(invitations.filter((i) => i.sessions.includes(HALL) || i.responses[HALL])).toEqual([]);
    expect(invitations.every((i) => i.cancelledSessions?.includes(HALL))).toBe(true);
    // Everyone who held a seat before the cut was told, exactly once.
    const told = outboxOf(stream).filter((e) => e.type === 'invitation.session-cancelled');
    expect(told.length).toBe(fanned.told);
    expect(new Set(told.map((e) => e.invitationId)).size).toBe(invitations.length);
    expect(told.filter((e) => e.type === 'invitation.session-cancelled' && e.previous === 'confirmed').length).toBe(images[cut].confirmedSeats);
    // The other session kept its answers.
    await countersEqualRecords(store, GARDEN);
  }, 900_000);
});
