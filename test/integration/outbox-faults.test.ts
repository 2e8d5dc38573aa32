import { PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { recount } from '#domain/capacity.js';
import { OutboxDispatcher, SWEEP_AFTER_MS, type QueuePublisher } from '#domain/dispatch.js';
import { InvitationService } from '#domain/invitations.js';
import { queuesFor, type CumbreEvent, type Envelope, type WorkQueue } from '#domain/outbox.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { EmailDeliveryService } from '#domain/email/delivery.js';
import { DynamoEmailLedger } from '#adapters/dynamo-email-ledger.js';
import { RecordingMailer } from '../fixtures/memory-workflow.js';
import { DynamoInvitationHistory, DynamoOutboxLedger, outboxItem, storedEvents } from '#adapters/dynamo-outbox.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { context } from '../handlers/events.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';

const SESSION = 'welcome-cocktail';
const client = dynamoClient();
const doc = documentClient(client);
let table: string;

/** Every envelope each queue received, in order. */
class RecordingQueues implements QueuePublisher {
  sent: Array<{ queue: WorkQueue; envelope: Envelope }> = [];
  async publish(queue: WorkQueue, envelope: Envelope) {
    this.sent.push({ queue, envelope: structuredClone(envelope) });
  }
  count(queue: WorkQueue, id: string) {
    return this.sent.filter((s) => s.queue === queue && s.envelope.id === id).length;
  }
}

/**
 * A document client that fails like a table in trouble: `failing()` decides per call whether the
 * request never arrives (before) or arrives and its answer is lost (after). A real client with its
 * `send` wrapped, so the SDK's paginators accept it.
 */
const flaky = (failing: (name: string) => 'before' | 'after' | undefined): DynamoDBDocumentClient => {
  const faulty = documentClient(client);
  faulty.send = (async (command: { constructor: { name: string } }) => {
    const mode = failing(command.constructor.name);
    const error = () => Object.assign(new Error('simulated DynamoDB fault'), { name: 'InternalServerError', $fault: 'server' });
    if (mode === 'before') throw error();
    const res = await doc.send(command as never);
    if (mode === 'after') throw error();
    return res;
  }) as typeof faulty.send;
  return faulty;
};

const outboxItems = async (): Promise<Array<Record<string, unknown>>> => {
  const out: Array<Record<string, unknown>> = [];
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
    out.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
};
const streamEventOf = (items: Array<Record<string, unknown>>): DynamoDBStreamEvent => ({
  Records: items.map((item, i) => ({
    eventID: `e${i}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: { SequenceNumber: String(1000 + i), NewImage: marshall(item, { removeUndefinedValues: true }) as never, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  })),
});

beforeAll(async () => {
  table = await createTestTable(client);
});

describe('outbox records reach their queues whatever happens (issue 10 item 5), on DynamoDB Local', () => {
  it('a burst under table faults: every 2xx answer stored, counters equal records, every outbox record delivered to each of its queues and its history once', async () => {
    const eventId = `faults-${randomUUID().slice(0, 8)}`;
    const store = new DynamoCumbreStore(doc, table);
    const def = summit();
    await store.putEventDefinition({ ...def, id: eventId, sessions: def.sessions.map((s) => (s.id === SESSION ? { ...s, capacity: 40 } : s)) });
    const clock = fixedClock(BEFORE_DEADLINE);
    const ids = { newId: () => randomUUID() };
    const imported = await new InvitationService({ store, clock, ids, tokenSecret: 'faults', publicBaseUrl: 'http://x' }).import(
      eventId,
      Array.from({ length: 60 }, (_, n) => ({ row: n + 2, data: invitee(n, { guests: n % 3 === 0 ? 1 : 0 }) })),
    );
    const tokens = imported.map((r) => r.rsvpUrl!.split('/rsvp/')[1]);

    // Answers against a table that fails one transaction in five, half of them after committing.
    let calls = 0;
    const faulty = new DynamoCumbreStore(
      flaky((name) => (name === 'TransactWriteCommand' && ++calls % 5 === 0 ? (calls % 10 === 0 ? 'after' : 'before') : undefined)),
      table,
    );
    const rsvp = new RsvpService({ store: faulty, clock, ids });
    const answers = await Promise.allSettled(
      tokens.map((t, n) => rsvp.respond(t, parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: true }], guests: n % 3 === 0 ? 1 : 0 }))),
    );
    const ok = answers.flatMap((a, n) => (a.status === 'fulfilled' ? [imported[n].id] : []));
    expect(answers.some((a) => a.status === 'rejected')).toBe(true);
    const all = await store.listInvitations(eventId);
    for (const id of ok) expect(['confirmed', 'waitlisted']).toContain(all.find((i) => i.id === id)!.responses[SESSION]?.status);
    const session = (await store.getEvent(eventId))!.sessions.find((s) => s.id === SESSION)!;
    expect(recount(SESSION, all)).toEqual({
      confirmedSeats: session.confirmedSeats,
      confirmedParties: session.confirmedParties,
      waitlistedSeats: session.waitlistedSeats,
      waitlistedParties: session.waitlistedParties,
      declinedParties: session.declinedParties,
    });
    expect(session.confirmedSeats).toBeLessThanOrEqual(40);

    // The stream delivers only half the records (the cloud stopped mid-burst), and while it does the
    // table fails every write the dispatcher makes after sending (the dispatch mark).
    const items = (await outboxItems()).filter((i) => storedEvents(i)[0].eventId === eventId);
    expect(items.length).toBeGreaterThan(60);
    // One record per commit and invitation: an answer's per-session outcome travels with its rsvp.answered.
    const answerRecords = items.filter((i) => storedEvents(i).some((e) => e.type === 'rsvp.answered'));
    expect(answerRecords.length).toBe(all.filter((i) => i.responses[SESSION]).length);
    const withGuest = new Set(imported.filter((_, n) => n % 3 === 0).map((r) => r.id));
    for (const r of answerRecords) {
      const [first] = storedEvents(r);
      // The badge hears of the guest from invitation.updated, in the same record.
      const tail = withGuest.has(first.invitationId) ? ['rsvp.answered', 'invitation.updated'] : ['rsvp.answered'];
      expect(storedEvents(r).map((e) => e.type)).toEqual([expect.stringMatching(/^rsvp\.(confirmed|waitlisted)$/), ...tail]);
      expect(new Set(storedEvents(r).map((e) => e.invitationId))).toEqual(new Set([first.invitationId]));
    }
    const queues = new RecordingQueues();
    let tableDown = true;
    const faultyDoc = flaky((name) => (tableDown && (name === 'PutCommand' || name === 'UpdateCommand') ? 'before' : undefined));
    const sweepClock = fixedClock(new Date(Date.parse(BEFORE_DEADLINE.toISOString()) + 10_000));
    const dispatcher = (d: DynamoDBDocumentClient) => new OutboxDispatcher({ publisher: queues, ledger: new DynamoOutboxLedger(d, table), clock: sweepClock });
    const delivered = items.filter((_, n) => n % 2 === 0);
    // The handler module reads its configuration at import (cold start); its own clients are not used here.
    Object.assign(process.env, {
      TABLE_NAME: table,
      AWS_REGION: 'us-east-1',
      EMAIL_QUEUE_URL: 'http://q.local/email',
      BADGE_QUEUE_URL: 'http://q.local/badge',
      CAPACITY_QUEUE_URL: 'http://q.local/capacity',
    });
    const streamDispatcher = await import('../../functions/handlers/stream-dispatcher.js');
    const handler = streamDispatcher.makeHandler({ dispatcher: dispatcher(faultyDoc) });
    expect((await handler(streamEventOf(delivered), context)).batchItemFailures).toEqual([]);
    for (const e of delivered.flatMap(storedEvents)) for (const q of queuesFor(e)) expect(queues.count(q, e.id)).toBe(1);

    // The table is back. Within the minute the sweep leaves everything to the stream…
    tableDown = false;
    const sweeper = dispatcher(doc);
    expect((await sweeper.sweep()).found).toBe(0);
    // …after it, it sends every record not marked dispatched, once, and marks it.
    sweepClock.at = new Date(sweepClock.at.getTime() + SWEEP_AFTER_MS);
    const swept = await sweeper.sweep(1000);
    expect(swept).toEqual({ found: items.length, dispatched: items.length, failed: 0 });
    expect(await sweeper.sweep(1000)).toEqual({ found: 0, dispatched: 0, failed: 0 });

    const history = new DynamoInvitationHistory(doc, table);
    for (const item of items) {
      for (const e of storedEvents(item)) {
        const expected = delivered.includes(item) ? 2 : 1; // the stream's send, then the sweep's (same envelope id)
        for (const q of queuesFor(e)) expect(queues.count(q, e.id)).toBe(expected);
        expect((await history.history(eventId, e.invitationId)).filter((h) => h.id === e.id)).toHaveLength(1);
      }
    }
    // A dispatched record is history: out of the undispatched index and no longer expiring.
    const after = (await outboxItems()).filter((i) => storedEvents(i)[0].eventId === eventId);
    expect(after).toHaveLength(items.length);
    for (const i of after) expect({ expires: 'expiresAt' in i, dispatched: typeof i.dispatchedAt }).toEqual({ expires: false, dispatched: 'string' });
    // Every stored answer has its one answer email (rsvp.answered: the whole outcome) queued for the email worker.
    for (const inv of await store.listInvitations(eventId)) {
      const status = inv.responses[SESSION]?.status;
      if (!status) continue;
      expect(queues.sent.some((s) => s.queue === 'email' && s.envelope.event.type === 'rsvp.answered' && s.envelope.event.invitationId === inv.id)).toBe(true);
    }
    expect((await outboxItems()).filter((i) => storedEvents(i)[0].eventId === eventId && i.undispatched !== undefined)).toEqual([]);

    // The email worker's service takes every delivery, duplicates included, and sends each effect once:
    // one invitation per invitee, one answer email per stored answer.
    const mailer = new RecordingMailer();
    const ledger = new DynamoEmailLedger(doc, table);
    const emails = new EmailDeliveryService({
      reader: store,
      ledger,
      deliveries: ledger,
      mailer,
      clock,
      tokenSecret: 'faults',
      publicBaseUrl: 'http://x',
      sender: { name: 'Cumbre', address: 'invitations@cumbre.example' },
      leaseMs: 120_000,
    });
    for (const { envelope } of queues.sent.filter((s) => s.queue === 'email')) await emails.handle(envelope.event);
    const stored = await store.listInvitations(eventId);
    const kinds = mailer.sent.map((m) => m.emailId.split(':')[0]);
    expect(kinds.filter((k) => k === 'invitation')).toHaveLength(60);
    const answered = stored.filter((i) => i.responses[SESSION]);
    expect(kinds.filter((k) => k === 'answer')).toHaveLength(answered.length);
    expect(new Set(mailer.sent.map((m) => m.emailId)).size).toBe(mailer.sent.length);
    for (const inv of answered) expect(mailer.sent.filter((m) => m.to === inv.email && m.emailId.split(':')[0] !== 'invitation')).toHaveLength(1);
  }, 300_000);

  it('a dispatch mark for a record that already expired brings nothing back', async () => {
    const ledger = new DynamoOutboxLedger(doc, table);
    const ghost: CumbreEvent = {
      id: randomUUID(),
      occurredAt: '2019-05-01T12:00:00.000Z',
      eventId: 'gone',
      invitationId: 'inv_gone',
      type: 'seat.freed',
      sessionId: SESSION,
      seats: 1,
    };
    await ledger.markDispatched([ghost], new Date());
    expect((await outboxItems()).filter((i) => storedEvents(i).some((e) => e.id === ghost.id) || i.pk === 'OUTBOX#inv_gone')).toEqual([]);
  });

  it('a record of the old one-event shape (written before grouping, in flight during the deploy) is swept, marked once and read as history', async () => {
    const eventId = `legacy-${randomUUID().slice(0, 8)}`;
    const invitationId = `inv_${randomUUID().slice(0, 8)}`;
    const occurredAt = '2019-05-01T12:00:00.000Z';
    const old: CumbreEvent = { id: randomUUID(), occurredAt, eventId, invitationId, type: 'seat.freed', sessionId: SESSION, seats: 1 };
    const grouped = outboxItem([{ ...old, id: randomUUID(), occurredAt: '2019-05-01T12:00:01.000Z' }]);
    const { events: _, ...keyed } = outboxItem([old]);
    const legacy = { ...keyed, event: old, eventType: old.type };
    for (const Item of [legacy, grouped]) await doc.send(new PutCommand({ TableName: table, Item }));

    const queues = new RecordingQueues();
    const sweeper = new OutboxDispatcher({ publisher: queues, ledger: new DynamoOutboxLedger(doc, table), clock: fixedClock(new Date('2019-05-01T13:00:00.000Z')) });
    const swept = await sweeper.sweep(1000);
    expect(swept.failed).toBe(0);
    expect(queues.count('capacity', old.id)).toBe(1);
    expect(queues.count('capacity', grouped.events[0].id)).toBe(1);
    const stored = (await outboxItems()).filter((i) => i.pk === `OUTBOX#${invitationId}`);
    expect(stored.map((i) => [storedEvents(i).map((e) => e.id), typeof i.dispatchedAt, 'undispatched' in i]).sort()).toEqual(
      [
        [[old.id], 'string', false],
        [[grouped.events[0].id], 'string', false],
      ].sort(),
    );
    expect((await new DynamoInvitationHistory(doc, table).history(eventId, invitationId)).map((e) => e.id)).toEqual([old.id, grouped.events[0].id]);
  });

  it("an invitation's history is its outbox records, oldest first, from its commit on; an undispatched one still expires", async () => {
    const eventId = `history-${randomUUID().slice(0, 8)}`;
    const store = new DynamoCumbreStore(doc, table);
    await store.putEventDefinition({ ...summit(), id: eventId });
    const clock = fixedClock(BEFORE_DEADLINE);
    const ids = { newId: () => randomUUID() };
    const [created] = await new InvitationService({ store, clock, ids, tokenSecret: 'history', publicBaseUrl: 'http://x' }).import(eventId, [{ row: 2, data: invitee(0) }]);
    clock.at = new Date(BEFORE_DEADLINE.getTime() + 1000);
    await new RsvpService({ store, clock, ids }).respond(created.rsvpUrl!.split('/rsvp/')[1], parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: true }] }));

    const history = new DynamoInvitationHistory(doc, table);
    const before = await history.history(eventId, created.id);
    // The answer's events are one record, in the order the answer made them.
    expect(before.map((e) => e.type)).toEqual(['invitation.created', 'rsvp.confirmed', 'rsvp.answered']);
    expect(before.map((e) => e.occurredAt)).toEqual([...before.map((e) => e.occurredAt)].sort());
    // Another event's history is not this invitation's.
    expect(await history.history('some-other-event', created.id)).toEqual([]);

    const records = () => outboxItems().then((all) => all.filter((i) => i.pk === `OUTBOX#${created.id}`));
    for (const r of await records()) expect(typeof r.expiresAt).toBe('number');
    const ledger = new DynamoOutboxLedger(doc, table);
    await ledger.markDispatched([before[0]], clock.now());
    const marked = await records();
    expect(marked.map((r) => [storedEvents(r).map((e) => e.type), 'expiresAt' in r, 'undispatched' in r]).sort()).toEqual([
      [['invitation.created'], false, false],
      [['rsvp.confirmed', 'rsvp.answered'], true, true],
    ]);
    expect(await history.history(eventId, created.id)).toEqual(before);
  });
});
