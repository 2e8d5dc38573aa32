import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CapacityService } from '#domain/capacity.js';
import { EventService } from '#domain/events.js';
import { CapacityAlerts } from '#domain/alerts.js';
import { AlertSender } from '#domain/email/alerts.js';
import { InvitationService } from '#domain/invitations.js';
import { envelopeFor, type CumbreEvent } from '#domain/outbox.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import * as dispatcher from '../../functions/handlers/stream-dispatcher.js';
import * as capacityWorker from '../../functions/handlers/capacity-worker.js';
import * as emailWorker from '../../functions/handlers/email-worker.js';
import { EmailDeliveryService, EmailInProgressError } from '#domain/email/delivery.js';
import { handBackWhileSending } from '#shared/mailer.js';
import { eventReadsPerBatch } from '#shared/batch-event-reads.js';
import { logger } from '#shared/observability.js';
import type { CommunicationSender } from '#domain/communications/sender.js';
import * as sesEvents from '../../functions/handlers/ses-events.js';
import * as detail from '../../functions/handlers/invitation-detail.js';
import { resendInvitation } from '#domain/invitations/resend.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { MemoryEmailLedger, MemoryOutboxLedger, RecordingAlertQueue, RecordingMailer, testAlertSender } from '../fixtures/memory-workflow.js';
import { OutboxDispatcher } from '#domain/dispatch.js';
import { SqsQueuePublisher } from '#adapters/sqs-publisher.js';
import { MemoryAuditTrail } from '../fixtures/memory-access.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, context, organizer } from './events.js';

const EVENT = 'na-mayors-summit-2019';
const queues = { email: 'http://sqs.local/1/email', badge: 'http://sqs.local/1/badge', capacity: 'http://sqs.local/1/capacity' };
/** The email worker's hand-back tests send outbox envelopes only: a communication reaching this would fail the test. */
const NO_COMMUNICATIONS = { deliver: () => Promise.reject(new Error('unexpected communication')) } as unknown as CommunicationSender;
const NO_ALERTS = { deliver: () => Promise.reject(new Error('unexpected alert')) } as unknown as AlertSender;
const sqs = mockClient(SQSClient);
const sqsEvent = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m${i}`,
    receiptHandle: 'r',
    body,
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:1:q',
    awsRegion: 'us-east-1',
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
  })),
});
const streamEvent = (...items: Record<string, unknown>[]): DynamoDBStreamEvent => ({
  Records: items.map((item, i) => ({
    eventID: `s${i}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: { SequenceNumber: String(100 + i), NewImage: marshall(item, { removeUndefinedValues: true }) as never, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  })),
});

let store: MemoryStore;
const clock = fixedClock(BEFORE_DEADLINE);
beforeEach(async () => {
  sqs.reset();
  store = new MemoryStore();
  await store.putEventDefinition(summit());
});

const base = { id: 'evt-00000001', occurredAt: '2019-05-01T12:00:00.000Z', eventId: EVENT, invitationId: 'inv_1' };

describe('stream dispatcher', () => {
  it("routes each of an outbox record's events to its queues and marks the record once, reporting only failures; a record of the old one-event shape still dispatches", async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'x' });
    const ledger = new MemoryOutboxLedger(store);
    const marks: string[][] = [];
    const handler = dispatcher.makeHandler({
      dispatcher: new OutboxDispatcher({
        publisher: new SqsQueuePublisher(new SQSClient({ region: 'us-east-1' }), queues),
        ledger: { markDispatched: (r, now) => (marks.push(r.map((e) => e.id)), ledger.markDispatched(r, now)), listUndispatched: (b, l) => ledger.listUndispatched(b, l) },
        clock,
      }),
    });
    const confirmed: CumbreEvent = { ...base, type: 'rsvp.confirmed', sessionId: 'welcome-cocktail', seats: 2, promoted: false };
    const answered: CumbreEvent = {
      ...base,
      id: 'evt-00000003',
      type: 'rsvp.answered',
      outcomes: [{ sessionId: 'welcome-cocktail', previous: 'pending', status: 'confirmed' }],
    };
    const freed: CumbreEvent = { ...base, id: 'evt-00000002', type: 'seat.freed', sessionId: 'welcome-cocktail', seats: 2 };
    store.outbox.push(confirmed, answered, freed);
    const res = await handler(
      streamEvent(
        // One answer's commit: its confirmation and its answer, one record.
        { pk: 'OUTBOX#inv_1', sk: 'a', type: 'outbox', events: [confirmed, answered] },
        { pk: 'OUTBOX#inv_1', sk: 'b', type: 'outbox', events: [answered, { type: 'bogus' }] },
        // Written before records were grouped, still in flight during the deploy.
        { pk: 'OUTBOX#inv_1', sk: 'c', type: 'outbox', event: freed },
        { pk: 'OUTBOX#inv_1', sk: 'd', type: 'outbox', events: [] },
      ),
      context,
    );
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: '101' }, { itemIdentifier: '103' }]);
    const sends = sqs.commandCalls(SendMessageCommand).map((c) => [c.args[0].input.QueueUrl, JSON.parse(c.args[0].input.MessageBody!).event.type]);
    // An answer's confirmation means no email of its own (rsvp.answered tells the answer): no email queue.
    // A record with one malformed event sends none of its events: it fails as a whole and is retried as a whole.
    expect(sends.sort()).toEqual(
      [
        [queues.badge, 'rsvp.confirmed'],
        [queues.capacity, 'rsvp.confirmed'],
        [queues.email, 'rsvp.answered'],
        [queues.capacity, 'seat.freed'],
      ].sort(),
    );
    expect(marks).toEqual([['evt-00000001', 'evt-00000003'], ['evt-00000002']]);
    expect([...ledger.dispatched.keys()].sort()).toEqual(['evt-00000001', 'evt-00000002', 'evt-00000003']);
  });

  it('sends first: a table error after the queues have the event fails nothing and leaves the record for the sweep; a queue error fails the record', async () => {
    const freed: CumbreEvent = { ...base, type: 'seat.freed', sessionId: 'welcome-cocktail', seats: 2 };
    store.outbox.push(freed);
    const ledger = new MemoryOutboxLedger(store);
    const sweepClock = fixedClock(new Date(Date.parse(freed.occurredAt) + 30_000));
    const outbox = new OutboxDispatcher({
      publisher: new SqsQueuePublisher(new SQSClient({ region: 'us-east-1' }), queues),
      ledger,
      clock: sweepClock,
    });
    const handler = dispatcher.makeHandler({ dispatcher: outbox });
    const record = { pk: 'OUTBOX#inv_1', sk: 'a', type: 'outbox', events: [freed] };

    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('SQS down'), { name: 'ServiceUnavailable' }));
    // Its only record failed: the whole batch goes back to the stream.
    await expect(handler(streamEvent(record), context)).rejects.toThrow(/All records failed/);
    expect(ledger.dispatched.has(freed.id)).toBe(false);

    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'x' });
    // The queue has it; the table fails the dispatch mark.
    ledger.failNext = 1;
    expect((await handler(streamEvent(record), context)).batchItemFailures).toEqual([]);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(ledger.dispatched.has(freed.id)).toBe(false);

    // Within the minute the sweep leaves it to the stream; after it, sends it again, idempotently keyed.
    expect(await outbox.sweep()).toEqual({ found: 0, dispatched: 0, failed: 0 });
    sweepClock.at = new Date(Date.parse(freed.occurredAt) + 61_000);
    expect(await outbox.sweep()).toEqual({ found: 1, dispatched: 1, failed: 0 });
    const bodies = sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(c.args[0].input.MessageBody!).id);
    expect(bodies).toEqual([freed.id, freed.id]);
    expect(ledger.dispatched.has(freed.id)).toBe(true);
    expect(await outbox.sweep()).toEqual({ found: 0, dispatched: 0, failed: 0 });
  });
});

describe('capacity worker', () => {
  it('promotes the waitlist when seats free up and alerts organizers at thresholds', async () => {
    const def = summit();
    def.sessions = def.sessions.map((s) => (s.id === 'welcome-cocktail' ? { ...s, capacity: 1 } : s));
    await store.putEventDefinition(def);
    const ids = sequentialIds();
    const imported = await new InvitationService({ store, clock, ids, tokenSecret: 's', publicBaseUrl: 'https://x.example' }).import(
      EVENT,
      [1, 2].map((n) => ({ row: n, data: invitee(n) })),
    );
    const rsvp = new RsvpService({ store, clock, ids, backoff: async () => {} });
    const [a, b] = imported.map((r) => r.rsvpUrl!.split('/rsvp/')[1]);
    await rsvp.respond(a, parseRsvpRequest({ responses: [{ sessionId: 'welcome-cocktail', attending: true }] }));
    await rsvp.respond(b, parseRsvpRequest({ responses: [{ sessionId: 'welcome-cocktail', attending: true }] }));
    await rsvp.respond(a, parseRsvpRequest({ responses: [{ sessionId: 'welcome-cocktail', attending: false }] }));
    const ledger = new MemoryEmailLedger();
    const alertQueue = new RecordingAlertQueue();
    const handler = capacityWorker.makeHandler({
      store,
      capacity: new CapacityService({ store, clock, ids }),
      events: new EventService({ store, clock, ids }),
      alerts: new CapacityAlerts({ ledger, queue: alertQueue, clock }),
    });
    const freed = store.outbox.find((e) => e.type === 'seat.freed')!;
    expect((await handler(sqsEvent(JSON.stringify(envelopeFor(freed))), context)).batchItemFailures).toEqual([]);
    expect((await store.getInvitation(EVENT, imported[1].id))!.responses['welcome-cocktail'].status).toBe('confirmed');
    const promotion = store.outbox.find((e) => e.type === 'rsvp.confirmed' && e.promoted)!;
    await handler(sqsEvent(JSON.stringify(envelopeFor(promotion))), context);
    // 80, 95 and 100 % of one seat at once, queued for the email worker; delivered again, nothing more.
    expect(alertQueue.queued.map((a) => a.threshold)).toEqual([80, 95, 100]);
    await handler(sqsEvent(JSON.stringify(envelopeFor(promotion))), context);
    expect(alertQueue.queued).toHaveLength(3);
    // The email worker sends each once, to the organizers.
    const mailer = new RecordingMailer();
    const alerts = testAlertSender({ reader: store, ledger, mailer, clock }, 'en');
    const emails = emailWorker.makeHandler({ emails: emailService({ reader: store, ledger, mailer, clock }), communications: NO_COMMUNICATIONS, alerts });
    const messages = [...alertQueue.queued, alertQueue.queued[0]].map((alert) => JSON.stringify({ v: 1, alert }));
    expect((await emails(sqsEvent(...messages), context)).batchItemFailures).toEqual([]);
    expect(mailer.sent.map((m) => [m.to, m.tags.kind])).toEqual(Array.from({ length: 3 }, () => ['ops@cumbre.example', 'capacity-alert']));
  });
});

/** The email worker's service on the memory store, with a 120 s lease. */
const emailService = (deps: Pick<ConstructorParameters<typeof EmailDeliveryService>[0], 'reader' | 'ledger' | 'mailer' | 'clock'>) =>
  new EmailDeliveryService({
    ...deps,
    deliveries: { recordDelivery: async () => 'recorded' as const },
    tokenSecret: 's',
    publicBaseUrl: 'https://x.example',
    sender: { name: 'C', address: 'c@cumbre.example' },
    leaseMs: 120_000,
  });

describe('email worker', () => {
  it('hands a message whose email another worker holds back for the rest of that lease, then resends it once, marked', async () => {
    // Prepare: an invitation email claimed by a worker that died after SES took it (lease 120 s).
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const ids = sequentialIds();
    await new InvitationService({ store, clock, ids, tokenSecret: 's', publicBaseUrl: 'https://x.example' }).import(EVENT, [{ row: 1, data: invitee(1) }]);
    const created = store.outbox.find((e) => e.type === 'invitation.created')!;
    const ledger = new MemoryEmailLedger();
    const mailer = new RecordingMailer();
    const now = fixedClock(BEFORE_DEADLINE);
    const emails = emailService({ reader: store, ledger, mailer, clock: now });
    await ledger.claim({ emailId: `invitation:${created.id}`, to: 'x', kind: 'invitation' }, now.now(), 120_000);
    const handler = emailWorker.makeHandler({ emails, communications: NO_COMMUNICATIONS, alerts: NO_ALERTS, handBack: handBackWhileSending('http://sqs.local/1/email') });
    const poison = '{"not":"an envelope"}';
    // Act: delivered again 30 s into the lease, beside a poison message.
    now.at = new Date(BEFORE_DEADLINE.getTime() + 30_000);
    const first = await handler(sqsEvent(JSON.stringify(envelopeFor(created)), poison), context);
    // Assess: both fail; only the held one is handed back, for the 90 s left (+1), on its own queue.
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }, { itemIdentifier: 'm1' }]);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: 'http://sqs.local/1/email', ReceiptHandle: 'r', VisibilityTimeout: 91 },
    ]);
    expect(mailer.sent).toEqual([]);
    // Act: it comes back when the lease has run out.
    now.at = new Date(BEFORE_DEADLINE.getTime() + 121_000);
    const second = await handler(sqsEvent(JSON.stringify(envelopeFor(created))), context);
    // Assess: sent once more, marked as a resend; a third delivery sends nothing.
    expect(second.batchItemFailures).toEqual([]);
    expect(mailer.sent).toHaveLength(1);
    expect(ledger.records.get(`invitation:${created.id}`)).toMatchObject({ status: 'SENT', resent: true });
    expect((await handler(sqsEvent(JSON.stringify(envelopeFor(created))), context)).batchItemFailures).toEqual([]);
    expect(mailer.sent).toHaveLength(1);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(1);
  });

  it('reads the event once per batch of emails, and again for the next batch', async () => {
    const ids = sequentialIds();
    await new InvitationService({ store, clock, ids, tokenSecret: 's', publicBaseUrl: 'https://x.example' }).import(
      EVENT,
      [1, 2, 3, 4].map((n) => ({ row: n, data: invitee(n) })),
    );
    const created = store.outbox.filter((e) => e.type === 'invitation.created');
    const reads = vi.spyOn(store, 'getEvent');
    const events = eventReadsPerBatch(store);
    const mailer = new RecordingMailer();
    const emails = emailService({ reader: events.store, ledger: new MemoryEmailLedger(), mailer, clock });
    const handler = emailWorker.makeHandler({ emails, communications: NO_COMMUNICATIONS, alerts: NO_ALERTS, newBatch: events.newBatch });
    const batch = (...es: CumbreEvent[]) => handler(sqsEvent(...es.map((e) => JSON.stringify(envelopeFor(e)))), context);
    expect((await batch(created[0], created[1], created[2])).batchItemFailures).toEqual([]);
    expect(mailer.sent).toHaveLength(3);
    expect(reads).toHaveBeenCalledTimes(1);
    expect((await batch(created[3])).batchItemFailures).toEqual([]);
    expect(mailer.sent).toHaveLength(4);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('fails a capacity alert that breaks its schema alone, and sends the one beside it', async () => {
    await store.putEventDefinition(summit());
    const mailer = new RecordingMailer();
    const ledger = new MemoryEmailLedger();
    const alerts = testAlertSender({ reader: store, ledger, mailer, clock }, 'fr');
    const handler = emailWorker.makeHandler({ emails: emailService({ reader: store, ledger, mailer, clock }), communications: NO_COMMUNICATIONS, alerts });
    const alert = { emailId: `alert:${EVENT}:welcome-cocktail:80`, eventId: EVENT, sessionId: 'welcome-cocktail', threshold: 80, confirmedSeats: 200, capacity: 250 };
    const errors = vi.spyOn(logger, 'error');
    const res = await handler(sqsEvent(JSON.stringify({ v: 1, alert: { ...alert, threshold: 180 } }), JSON.stringify({ v: 1, alert })), context);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(errors.mock.calls.some(([, extra]) => String((extra as { error?: Error }).error?.message).includes('fails the alert schema: alert.threshold'))).toBe(true);
    expect(mailer.sent.map((m) => m.to)).toEqual(['ops@cumbre.example']);
  });

  it('still reports the message failed when the hand-back itself fails (it returns after the visibility timeout)', async () => {
    sqs.on(ChangeMessageVisibilityCommand).rejects(new Error('queue unreachable'));
    const held = { handle: () => Promise.reject(new EmailInProgressError('held', 5_000)) } as unknown as EmailDeliveryService;
    const handler = emailWorker.makeHandler({ emails: held, communications: NO_COMMUNICATIONS, alerts: NO_ALERTS, handBack: handBackWhileSending('http://sqs.local/1/email') });
    const created: CumbreEvent = { ...base, type: 'invitation.created', email: 'a@cumbre.example', language: 'en', reason: 'created' };
    expect((await handler(sqsEvent(JSON.stringify(envelopeFor(created))), context)).batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(1);
  });
});

describe('SES feedback', () => {
  it('marks the invitation bounced from an SNS-wrapped bounce', async () => {
    const [r] = await new InvitationService({ store, clock, ids: sequentialIds(), tokenSecret: 's', publicBaseUrl: 'https://x.example' }).import(EVENT, [
      { row: 1, data: invitee(1) },
    ]);
    const body = readFileSync(new URL('../fixtures/events/ses-bounce-sns.json', import.meta.url), 'utf8').replace('INVITATION_ID', r.id);
    const recorded: unknown[] = [];
    const handler = sesEvents.makeHandler({ deliveries: { recordDelivery: async (...args) => (recorded.push(args), 'recorded' as const) }, clock });
    expect((await handler(sqsEvent(body), context)).batchItemFailures).toEqual([]);
    // The email's `of` tag (epoch ms) comes back as the time its change happened, for the ordering.
    expect(recorded).toEqual([
      [EVENT, r.id, { state: 'bounced', detail: 'Permanent: General: smtp; 550 5.1.1 user unknown', at: BEFORE_DEADLINE.toISOString(), of: '2019-05-02T09:40:00.000Z' }],
    ]);
  });

  it('leaves a report on an email older than the one the invitation shows, saying so without a warning', async () => {
    const body = readFileSync(new URL('../fixtures/events/ses-bounce-sns.json', import.meta.url), 'utf8').replace('INVITATION_ID', 'inv_x');
    const warn = vi.spyOn(logger, 'warn');
    const info = vi.spyOn(logger, 'info');
    const handler = sesEvents.makeHandler({ deliveries: { recordDelivery: async () => 'superseded' as const }, clock });
    expect((await handler(sqsEvent(body), context)).batchItemFailures).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
    expect(info).toHaveBeenCalledWith(expect.stringContaining('later email'), expect.objectContaining({ invitationId: 'inv_x', state: 'bounced' }));
    warn.mockRestore();
    info.mockRestore();
  });
});

describe('invitation detail and resend', () => {
  it('shows history and badge state, and resends as a new invitation change', async () => {
    const ids = sequentialIds();
    const [r] = await new InvitationService({ store, clock, ids, tokenSecret: 's', publicBaseUrl: 'https://x.example' }).import(EVENT, [{ row: 1, data: invitee(1) }]);
    const handler = detail.makeHandler({
      store,
      resend: (e, i) => resendInvitation({ store, clock, ids }, e, i),
      history: { history: async () => store.outbox.filter((e) => e.invitationId === r.id) },
      badges: { get: async () => undefined },
      audit: new MemoryAuditTrail(),
    });
    const get = await handler(
      apiEvent({ method: 'GET', route: '/events/{eventId}/invitations/{invitationId}', path: { eventId: EVENT, invitationId: r.id }, claims: organizer }),
      context,
    );
    expect(get.statusCode).toBe(200);
    expect(bodyOf(get)).toMatchObject({ id: r.id, history: [{ type: 'invitation.created', at: expect.any(String) }], badge: { ready: false } });
    expect(get.body).not.toMatch(/tokenHash|tokenNonce/);
    const post = await handler(
      apiEvent({ method: 'POST', route: '/events/{eventId}/invitations/{invitationId}/resend', path: { eventId: EVENT, invitationId: r.id }, claims: organizer }),
      context,
    );
    expect(post.statusCode).toBe(202);
    expect(store.outbox.filter((e) => e.type === 'invitation.created').map((e) => e.type === 'invitation.created' && e.reason)).toEqual(['created', 'resend']);
    const missing = await handler(
      apiEvent({ method: 'POST', route: '/events/{eventId}/invitations/{invitationId}/resend', path: { eventId: EVENT, invitationId: 'inv_nope' }, claims: organizer }),
      context,
    );
    expect(missing.statusCode).toBe(404);
  });

  it('sends one email for a double click: a second resend within the minute is a 429 with Retry-After, the next minute goes', async () => {
    const ids = sequentialIds();
    const [r] = await new InvitationService({ store, clock, ids, tokenSecret: 's', publicBaseUrl: 'https://x.example' }).import(EVENT, [{ row: 1, data: invitee(1) }]);
    let now = clock.now().getTime();
    const moving = { now: () => new Date(now) };
    const handler = detail.makeHandler({
      store,
      resend: (e, i) => resendInvitation({ store, clock: moving, ids }, e, i),
      history: { history: async () => [] },
      badges: { get: async () => undefined },
      audit: new MemoryAuditTrail(),
    });
    const resend = () =>
      handler(apiEvent({ method: 'POST', route: '/events/{eventId}/invitations/{invitationId}/resend', path: { eventId: EVENT, invitationId: r.id }, claims: organizer }), context);
    const resends = () => store.outbox.filter((e) => e.type === 'invitation.created' && e.invitationId === r.id && e.reason === 'resend').length;

    expect((await resend()).statusCode).toBe(202);
    const version = (await store.getInvitation(EVENT, r.id))!.version;
    now += 20_000;
    const again = await resend();
    expect(again.statusCode).toBe(429);
    expect(again.headers?.['retry-after']).toBe('40');
    expect(bodyOf(again)).toMatchObject({ error: 'resend_too_soon' });
    expect(resends()).toBe(1);
    expect((await store.getInvitation(EVENT, r.id))!.version).toBe(version);

    now += 40_000;
    expect((await resend()).statusCode).toBe(202);
    expect(resends()).toBe(2);
  });
});
