import type { Context, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { reminderDueAt, reminderEmailId } from '#domain/communications/due.js';
import { CommunicationSender } from '#domain/communications/sender.js';
import { CommunicationsService } from '#domain/communications/service.js';
import { unsubscribeToken } from '#domain/communications/unsubscribe.js';
import { InvitationService } from '#domain/invitations.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { DynamoCommunicationsStore, DynamoSuppressionList } from '#adapters/dynamo-communications.js';
import { DynamoEmailLedger } from '#adapters/dynamo-email-ledger.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { MemoryCommunicationQueue } from '../fixtures/memory-communications.js';
import { RecordingMailer } from '../fixtures/memory-workflow.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';

/**
 * Reminders and group messages on DynamoDB Local, with a clock the test moves: the conditional
 * writes that make "at most once per (invitee, offset)" and "once per recipient" hold when the
 * schedule fires twice (even at the same instant), late, or after a restart.
 */
const EVENT = 'na-mayors-summit-2019';
const def = summit();
const MINUTE = 60_000;
const ids = { newId: () => randomUUID() };
const ctx = { functionName: 'ses-events', awsRequestId: 'req', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

let tableName: string;
const clock = fixedClock(BEFORE_DEADLINE);
const queue = new MemoryCommunicationQueue();
const mailer = new RecordingMailer();
/** Everything a function builds at cold start, built again: a "restart" is a new one of these. */
const coldStart = () => {
  const doc = documentClient(dynamoClient());
  const core = new DynamoCumbreStore(doc, tableName);
  const store = new DynamoCommunicationsStore(doc, tableName, core);
  const ledger = new DynamoEmailLedger(doc, tableName);
  const service = new CommunicationsService({ store, queue, clock, publicBaseUrl: 'https://rsvp.example.org' });
  const sender = new CommunicationSender({
    store,
    clock,
    publicBaseUrl: 'https://rsvp.example.org',
    ledger,
    mailer,
    deliveries: ledger,
    tokenSecret: 'tok',
    unsubscribeKey: 'unsub',
    sender: { name: 'Cumbre', address: 'invitations@cumbre.example' },
    leaseMs: 60_000,
  });
  return { core, store, ledger, service, sender, suppressions: new DynamoSuppressionList(doc, tableName) };
};
const work = async () => {
  const { sender } = coldStart();
  const outcomes: string[] = [];
  for (const m of queue.drain()) outcomes.push(await sender.deliver(m.communication));
  return outcomes;
};

/** Twelve invitees: 1–3 answer, 4 opts out; the rest have not answered. */
const emails = Array.from({ length: 12 }, (_, i) => invitee(i + 1, { email: `comm${i + 1}-${randomUUID().slice(0, 6)}@example.org` }));
const idOf = new Map<string, string>();
const NOT_ANSWERED = emails.slice(4).map((e) => e.email);

beforeAll(async () => {
  tableName = await createTestTable(dynamoClient());
  const { core, store } = coldStart();
  await core.putEventDefinition(def);
  const created = await new InvitationService({ store: core, clock, ids, tokenSecret: 'tok', publicBaseUrl: 'https://rsvp.example.org' }).import(
    EVENT,
    emails.map((data, i) => ({ row: i + 1, data })),
  );
  for (const c of created) idOf.set(c.email, c.id);
  const rsvp = new RsvpService({ store: core, clock, ids });
  for (const c of created.slice(0, 3))
    await rsvp.respond(c.rsvpUrl!.split('/rsvp/')[1], parseRsvpRequest({ responses: [{ sessionId: 'welcome-cocktail', attending: c === created[0] }] }));
  expect(await store.optOut(EVENT, created[3].id, BEFORE_DEADLINE.toISOString())).toBe('recorded');
});

describe('reminders on DynamoDB Local', () => {
  it('the schedule firing twice at the same instant, again later and after a restart sends each non-responder the reminder once', async () => {
    clock.at = new Date(reminderDueAt(def, 14).getTime() + MINUTE);
    // Act: two runs at once (two invocations of a schedule that fired twice), then the worker.
    const [a, b] = await Promise.all([coldStart().service.runDue([EVENT]), coldStart().service.runDue([EVENT])]);
    expect(a.events[0].queued.reminder + b.events[0].queued.reminder).toBe(NOT_ANSWERED.length);
    await work();
    // A late run an hour later, after a restart: nothing new.
    clock.at = new Date(clock.at.getTime() + 60 * MINUTE);
    expect((await coldStart().service.runDue([EVENT])).events[0]).toMatchObject({ queued: { reminder: 0, 'day-before': 0 }, requeued: 0 });
    await work();
    // Assess: exactly the non-responders, once each, and their ledger records say SENT.
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([...NOT_ANSWERED].sort());
    const { ledger } = coldStart();
    for (const email of NOT_ANSWERED) expect((await ledger.get(EVENT, reminderEmailId(14, idOf.get(email)!)))?.status).toBe('SENT');
    for (const email of emails.slice(0, 4).map((e) => e.email)) expect(await ledger.get(EVENT, reminderEmailId(14, idOf.get(email)!))).toBeUndefined();
  });

  it('a run that died after writing its records (nothing queued) is caught up by a later run', async () => {
    clock.at = new Date(reminderDueAt(def, 7).getTime() + MINUTE);
    await coldStart().service.runDue([EVENT]);
    const lost = queue.drain();
    expect(lost).toHaveLength(NOT_ANSWERED.length);
    clock.at = new Date(clock.at.getTime() + 20 * MINUTE);
    expect((await coldStart().service.runDue([EVENT])).events[0].requeued).toBe(NOT_ANSWERED.length);
    mailer.sent.length = 0;
    await work();
    expect(mailer.sent.map((m) => m.emailId).sort()).toEqual(NOT_ANSWERED.map((e) => reminderEmailId(7, idOf.get(e)!)).sort());
  });

  it('a bounce puts the address on the suppression list; a reminder already queued for it is skipped, not sent', async () => {
    const bounced = NOT_ANSWERED[0];
    clock.at = new Date(reminderDueAt(def, 2).getTime() + MINUTE);
    await coldStart().service.runDue([EVENT]);
    // The handler module reads its table at cold start.
    process.env.TABLE_NAME = tableName;
    const { makeHandler } = await import('../../functions/handlers/ses-events.js');
    const { ledger, suppressions } = coldStart();
    const handler = makeHandler({ deliveries: ledger, clock, suppressions });
    const feedback = {
      eventType: 'Bounce',
      mail: { messageId: 'x', destination: [bounced], tags: { eventId: [EVENT], invitationId: [idOf.get(bounced)!], kind: ['reminder'] } },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: bounced }] },
    };
    const event = { Records: [{ messageId: 'f1', body: JSON.stringify({ Type: 'Notification', Message: JSON.stringify(feedback) }), attributes: {} }] } as unknown as SQSEvent;
    expect(await handler(event, ctx)).toEqual({ batchItemFailures: [] });
    expect(await coldStart().store.isSuppressed(bounced.toUpperCase())).toBe(true);
    mailer.sent.length = 0;
    const outcomes = await work();
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(1);
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(NOT_ANSWERED.slice(1).sort());
    expect((await ledger.get(EVENT, reminderEmailId(2, idOf.get(bounced)!)))?.status).toBe('SKIPPED');
  });
});

describe('group messages on DynamoDB Local', () => {
  it('reach exactly the filter’s invitees once, even when the same send arrives twice at once', async () => {
    mailer.sent.length = 0;
    clock.at = BEFORE_DEADLINE;
    const filter = { country: 'MX' };
    const expected = emails.filter((e) => e.country === 'MX' && e !== emails[3]).map((e) => e.email);
    const input = { content: { es: { subject: 'Aviso', body: 'Hola' }, en: { subject: 'Notice', body: 'Hello' } }, filter, requestId: randomUUID() };
    const [first, second] = await Promise.all([coldStart().service.send(EVENT, input, 'org@x'), coldStart().service.send(EVENT, input, 'org@x')]);
    expect(first.id).toBe(second.id);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    await work();
    await work();
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([...expected].sort());
    const [listed] = await coldStart().service.list(EVENT);
    expect(listed).toMatchObject({ id: first.id, recipients: expected.length, status: 'queued', counts: { sent: expected.length, pending: 0 } });
    // A complaint about one of them counts against the message.
    await coldStart().suppressions.markFeedback(EVENT, `group:${first.id}:${idOf.get(expected[0])}`, 'complained');
    expect((await coldStart().service.list(EVENT))[0].counts.complained).toBe(1);
  });

  it('the one-click opt-out is recorded once; a replay changes nothing', async () => {
    const { service, core } = coldStart();
    const id = idOf.get(NOT_ANSWERED[1])!;
    const token = unsubscribeToken('unsub', EVENT, id);
    expect((await service.optOut(token, 'unsub'))?.outcome).toBe('recorded');
    const after = await core.getInvitation(EVENT, id);
    expect((await service.optOut(token, 'unsub'))?.outcome).toBe('already');
    expect(await core.getInvitation(EVENT, id)).toEqual(after);
    // A forged signature: one character in the middle of it changed (its last one may carry only padding bits, and may already be the one picked).
    const at = token.lastIndexOf('.') + Math.floor((token.length - token.lastIndexOf('.')) / 2);
    const forged = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    expect(forged).not.toBe(token);
    expect(await service.optOut(forged, 'unsub')).toBeUndefined();
  });
});
