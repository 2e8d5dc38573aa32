import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CapacityService } from '#domain/capacity.js';
import { InvitationService } from '#domain/invitations.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { keys } from '#adapters/dynamo-keys.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';

const EVENT = 'na-mayors-summit-2019';
const doc = documentClient(dynamoClient());
const clock = fixedClock(BEFORE_DEADLINE);
const ids = { newId: () => randomUUID() };
let table: string;
let store: DynamoCumbreStore;

beforeAll(async () => {
  table = await createTestTable(dynamoClient());
  store = new DynamoCumbreStore(doc, table);
  await store.putEventDefinition(summit());
  const results = await new InvitationService({ store, clock, ids, tokenSecret: 'r', publicBaseUrl: 'http://x' }).import(
    EVENT,
    [1, 2, 3].map((n) => ({ row: n, data: invitee(n) })),
  );
  const rsvp = new RsvpService({ store, clock, ids });
  for (const r of results) await rsvp.respond(r.rsvpUrl!.split('/rsvp/')[1], parseRsvpRequest({ responses: [{ sessionId: 'working-day-2', attending: true }] }));
});

describe('reconciliation on DynamoDB Local', () => {
  it('finds nothing to do when counters equal records', async () => {
    expect(await new CapacityService({ store, clock, ids }).reconcile(EVENT)).toEqual({ repaired: [], skipped: [] });
  });

  it('repairs drifted counters from the records and leaves an audit entry', async () => {
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.session(EVENT, 'working-day-2'),
        UpdateExpression: 'SET confirmedSeats = :n, declinedParties = :d',
        ExpressionAttributeValues: { ':n': 7, ':d': 4 },
      }),
    );
    const { repaired: drifts, skipped } = await new CapacityService({ store, clock, ids }).reconcile(EVENT);
    expect(skipped).toEqual([]);
    expect(drifts).toEqual([
      {
        sessionId: 'working-day-2',
        counters: expect.objectContaining({ confirmedSeats: 7, declinedParties: 4 }),
        records: expect.objectContaining({ confirmedSeats: 3, declinedParties: 0 }),
      },
    ]);
    const session = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'working-day-2')!;
    expect(session).toMatchObject({ confirmedSeats: 3, confirmedParties: 3, declinedParties: 0 });
    const audit = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
        ExpressionAttributeValues: { ':pk': `EVENT#${EVENT}`, ':a': 'AUDIT#session:working-day-2#' },
      }),
    );
    expect(audit.Items).toEqual([
      expect.objectContaining({ action: 'counters.repaired', expected: expect.objectContaining({ confirmedSeats: 7 }), actual: expect.objectContaining({ confirmedSeats: 3 }) }),
    ]);
  });

  it('never overwrites counters that moved since they were read', async () => {
    const s = (await store.getEvent(EVENT))!.sessions.find((x) => x.id === 'working-day-2')!;
    const stale = { confirmedSeats: s.confirmedSeats + 1, confirmedParties: s.confirmedParties, waitlistedSeats: 0, waitlistedParties: 0, declinedParties: 0 };
    expect(await store.repairCounters(EVENT, 'working-day-2', stale, { ...stale, confirmedSeats: 0 }, { id: randomUUID(), at: clock.now().toISOString() })).toBe('counters_moved');
    expect((await store.getEvent(EVENT))!.sessions.find((x) => x.id === 'working-day-2')!.confirmedSeats).toBe(3);
  });
});
