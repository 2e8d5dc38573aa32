import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { recount } from '#domain/capacity.js';
import { ImportConflictError, ValidationError } from '#domain/errors.js';
import { InvitationService, type ImportResultRow } from '#domain/invitations.js';
import type { CumbreEvent } from '#domain/outbox.js';
import type { CumbreStore } from '#domain/ports.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { hashToken } from '#domain/tokens.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';
import { storedEvents } from '#adapters/dynamo-outbox.js';

const client = dynamoClient();
const doc = documentClient(client);
let table: string;
let store: DynamoCumbreStore;
const clock = fixedClock(BEFORE_DEADLINE);
const ids = { newId: () => randomUUID() };
const SESSION = 'working-day-1';

const service = (s: CumbreStore = store) => new InvitationService({ store: s, clock, ids, tokenSecret: 'imports', publicBaseUrl: 'http://x' });
const newEvent = async () => {
  const eventId = `imports-${randomUUID().slice(0, 8)}`;
  await store.putEventDefinition({ ...summit(), id: eventId });
  return eventId;
};
const createdEvents = async (eventId: string): Promise<CumbreEvent[]> => {
  const out: CumbreEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: '#t = :o',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':o': 'outbox' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(res.Items ?? []).flatMap(storedEvents).filter((e) => e.eventId === eventId && e.type === 'invitation.created'));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
};
const tokenOf = (r: ImportResultRow) => r.rsvpUrl!.split('/rsvp/')[1];

beforeAll(async () => {
  table = await createTestTable(client);
  store = new DynamoCumbreStore(doc, table);
});

describe('imports under concurrency on DynamoDB Local (issue 10 item 8)', () => {
  it('two identical 100-row imports at once both finish with every link; each invitation is created and emailed once', async () => {
    const eventId = await newEvent();
    const rows = Array.from({ length: 100 }, (_, n) => ({ row: n + 2, data: invitee(n) }));
    const [first, second] = await Promise.all([service().import(eventId, rows), service().import(eventId, rows)]);
    for (const result of [first, second]) {
      expect(result).toHaveLength(100);
      expect(result.map((r) => r.status)).toEqual(Array(100).fill('created'));
    }
    // Both organizers got the same, working link for every row.
    expect(second.map((r) => r.rsvpUrl)).toEqual(first.map((r) => r.rsvpUrl));
    for (const r of first) expect((await store.findInvitationByTokenHash(hashToken(tokenOf(r))))?.id).toBe(r.id);
    expect(await store.listInvitations(eventId)).toHaveLength(100);
    const created = await createdEvents(eventId);
    expect(created).toHaveLength(100);
    expect(new Set(created.map((e) => e.invitationId)).size).toBe(100);
  });

  it('a retried import finishes the job after the first attempt died between transactions, returning every link', async () => {
    const eventId = await newEvent();
    const rows = Array.from({ length: 60 }, (_, n) => ({ row: n + 2, data: invitee(n) }));
    let firstTransaction: Promise<void> | undefined;
    // The function dies once its first transaction of 25 invitations has committed (no other does).
    const dying: CumbreStore = Object.assign(Object.create(store) as CumbreStore, {
      createInvitations: async (items: Parameters<CumbreStore['createInvitations']>[0]) => {
        if (!firstTransaction) return (firstTransaction = store.createInvitations(items));
        await firstTransaction;
        throw new Error('Runtime exited: simulated crash');
      },
    });
    await expect(service(dying).import(eventId, rows)).rejects.toThrow(/simulated crash/);
    expect(await store.listInvitations(eventId)).toHaveLength(25);
    expect(await createdEvents(eventId)).toHaveLength(25);

    const retried = await service().import(eventId, rows);
    expect(retried.map((r) => r.status)).toEqual(Array(60).fill('created'));
    for (const r of retried) expect((await store.findInvitationByTokenHash(hashToken(tokenOf(r))))?.id).toBe(r.id);
    expect(await store.listInvitations(eventId)).toHaveLength(60);
    expect(await createdEvents(eventId)).toHaveLength(60);
    // Once finished, the same file again changes nothing and shows the links again.
    expect((await service().import(eventId, rows)).map((r) => r.rsvpUrl)).toEqual(retried.map((r) => r.rsvpUrl));
    expect(await createdEvents(eventId)).toHaveLength(60);
  });

  it('re-importing invitees while they answer applies every rename and keeps every answer, creating the new row once', async () => {
    const eventId = await newEvent();
    const first = await service().import(
      eventId,
      Array.from({ length: 8 }, (_, n) => ({ row: n + 2, data: invitee(n) })),
    );
    const rsvp = new RsvpService({ store, clock, ids });
    const renamed = [...Array.from({ length: 8 }, (_, n) => ({ row: n + 2, data: invitee(n, { organization: `Renamed ${n}` }) })), { row: 10, data: invitee(8) }];
    const [result] = await Promise.all([
      service().import(eventId, renamed),
      ...first.map((r) => rsvp.respond(tokenOf(r), parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: true }] }))),
    ]);
    expect(result.map((r) => r.status)).toEqual([...Array(8).fill('updated'), 'created']);
    const all = await store.listInvitations(eventId);
    expect(all).toHaveLength(9);
    for (const r of first) {
      const stored = all.find((i) => i.id === r.id)!;
      expect(stored.organization).toMatch(/^Renamed /);
      expect(stored.responses[SESSION]?.status).toBe('confirmed');
    }
    const session = (await store.getEvent(eventId))!.sessions.find((s) => s.id === SESSION)!;
    expect(recount(SESSION, all)).toMatchObject({ confirmedSeats: session.confirmedSeats, confirmedParties: 8 });
    expect(await createdEvents(eventId)).toHaveLength(9);
  });

  it('a re-import that an answer makes impossible mid-way creates and emails nothing', async () => {
    for (let trial = 0; trial < 4; trial++) {
      const eventId = await newEvent();
      const first = await service().import(
        eventId,
        Array.from({ length: 8 }, (_, n) => ({ row: n + 2, data: invitee(n) })),
      );
      const rsvp = new RsvpService({ store, clock, ids });
      // The file drops working-day-1 for everyone and adds a ninth invitee; the invitees confirm it meanwhile.
      const others = summit()
        .sessions.map((s) => s.id)
        .filter((id) => id !== SESSION);
      const file = [...Array.from({ length: 8 }, (_, n) => ({ row: n + 2, data: invitee(n, { sessions: others }) })), { row: 10, data: invitee(8) }];
      const [outcome] = await Promise.allSettled([
        service().import(eventId, file),
        ...first.map((r) => rsvp.respond(tokenOf(r), parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: true }] })).catch(() => undefined)),
      ]);
      const ninth = (await store.listInvitations(eventId)).find((i) => i.email === invitee(8).email);
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toSatisfy((e: unknown) => e instanceof ImportConflictError || e instanceof ValidationError);
        expect(ninth).toBeUndefined();
        expect(await createdEvents(eventId)).toHaveLength(8);
      } else {
        expect(ninth).toBeDefined();
        expect(await createdEvents(eventId)).toHaveLength(9);
      }
      // Either way nobody holds a seat in a session they are no longer invited to.
      for (const i of await store.listInvitations(eventId))
        for (const [sessionId, r] of Object.entries(i.responses)) if (r.status === 'confirmed') expect(i.sessions).toContain(sessionId);
    }
  });
});
