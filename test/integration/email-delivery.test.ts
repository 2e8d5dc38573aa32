import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmailDeliveryService } from '#domain/email/delivery.js';
import { InvitationService } from '#domain/invitations.js';
import { envelopeFor, type CumbreEvent } from '#domain/outbox.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { DynamoAlertLedger } from '#adapters/dynamo-alert-ledger.js';
import { DynamoEmailLedger } from '#adapters/dynamo-email-ledger.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { SesMailer } from '#adapters/ses-mailer.js';
import { sqsWorker } from '#shared/sqs-worker.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { readMessage } from '../fixtures/mime-parts.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';

const EVENT = 'na-mayors-summit-2019';
const client = dynamoClient();
const doc = documentClient(client);
const ses = mockClient(SESv2Client);
const clock = fixedClock(BEFORE_DEADLINE);
const ids = { newId: () => randomUUID() };
const LEASE_MS = 60_000;
let store: DynamoCumbreStore;
let ledger: DynamoEmailLedger;
let alertLedger: DynamoAlertLedger;
let emails: EmailDeliveryService;
let worker: ReturnType<typeof sqsWorker>;

const sqsEvent = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m-${i}-${randomUUID()}`,
    receiptHandle: 'r',
    body,
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:1:email',
    awsRegion: 'us-east-1',
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
  })),
});
const ctx = { functionName: 'email-worker', awsRequestId: 'req', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
const sent = () => ses.commandCalls(SendEmailCommand);
const rawOf = (i: number) => Buffer.from(sent()[i].args[0].input.Content!.Raw!.Data!).toString('utf8');

/** A fresh invitee and the events their import and first answer produced. */
const inviteAndConfirm = async (n: number) => {
  const invitations = new InvitationService({ store, clock, ids, tokenSecret: 'email-tests', publicBaseUrl: 'https://rsvp.example.org' });
  const [created] = await invitations.import(EVENT, [{ row: 1, data: invitee(n, { email: `delivery${n}-${randomUUID().slice(0, 6)}@example.org` }) }]);
  const token = created.rsvpUrl!.split('/rsvp/')[1];
  await new RsvpService({ store, clock, ids }).respond(
    token,
    parseRsvpRequest({
      responses: [
        { sessionId: 'welcome-cocktail', attending: true },
        { sessionId: 'working-day-1', attending: true },
      ],
    }),
  );
  const inv = (await store.getInvitation(EVENT, created.id))!;
  const confirmed = (sessionId: string): CumbreEvent => ({
    type: 'rsvp.confirmed',
    id: randomUUID(),
    occurredAt: inv.updatedAt,
    eventId: EVENT,
    invitationId: inv.id,
    sessionId,
    seats: 1,
    promoted: false,
  });
  const createdEvent: CumbreEvent = {
    type: 'invitation.created',
    id: randomUUID(),
    occurredAt: inv.createdAt,
    eventId: EVENT,
    invitationId: inv.id,
    email: inv.email,
    language: inv.language,
    reason: 'created',
  };
  const answered: CumbreEvent = {
    type: 'rsvp.answered',
    id: randomUUID(),
    occurredAt: inv.updatedAt,
    eventId: EVENT,
    invitationId: inv.id,
    outcomes: ['welcome-cocktail', 'working-day-1'].map((sessionId) => ({ sessionId, previous: 'pending' as const, status: 'confirmed' as const })),
  };
  return { inv, token, confirmed, answered, createdEvent };
};

beforeAll(async () => {
  const table = await createTestTable(client);
  store = new DynamoCumbreStore(doc, table);
  await store.putEventDefinition(summit());
  ledger = new DynamoEmailLedger(doc, table);
  alertLedger = new DynamoAlertLedger(doc, table);
});

beforeEach(() => {
  ses.reset();
  clock.at = BEFORE_DEADLINE;
  emails = new EmailDeliveryService({
    reader: store,
    ledger,
    deliveries: ledger,
    clock,
    tokenSecret: 'email-tests',
    publicBaseUrl: 'https://rsvp.example.org',
    mailer: new SesMailer(new SESv2Client({ region: 'us-east-1', maxAttempts: 1 }), { fromAddress: 'Cumbre <invitations@cumbre.example>', configurationSet: 'cumbre' }),
    sender: { name: 'Cumbre', address: 'invitations@cumbre.example' },
    leaseMs: LEASE_MS,
  });
  worker = sqsWorker((envelope) => emails.handle(envelope.event));
});

describe('email delivery (DynamoDB Local ledger, SES errors from aws-sdk-client-mock)', () => {
  it('sends one confirmation with the calendar for all sessions confirmed in one answer, however often delivered', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const { confirmed, answered, inv } = await inviteAndConfirm(1);
    // Every record of the answer reaches the email worker, some twice; only the answer's own one sends.
    const cocktail = JSON.stringify(envelopeFor(confirmed('welcome-cocktail')));
    const day1 = JSON.stringify(envelopeFor(confirmed('working-day-1')));
    const answer = JSON.stringify(envelopeFor(answered));
    const first = await worker(sqsEvent(cocktail, answer, day1, answer), ctx);
    await worker(sqsEvent(day1, answer, cocktail), ctx);
    expect(first.batchItemFailures).toEqual([]);
    expect(sent()).toHaveLength(1);
    const input = sent()[0].args[0].input;
    expect(input).toMatchObject({ Destination: { ToAddresses: [inv.email] }, ConfigurationSetName: 'cumbre' });
    expect(input.EmailTags).toEqual(expect.arrayContaining([{ Name: 'invitationId', Value: inv.id }]));
    const raw = rawOf(0);
    expect(raw).toMatch(/Content-Type: text\/calendar/);
    // Named after the event in the invitee's language, as their mail client shows it: never the event's id.
    expect(readMessage(raw).attachments.map((a) => a.filename)).toEqual([`${summit().name[inv.language]}.ics`]);
    expect((await store.getInvitation(EVENT, inv.id))!.delivery).toMatchObject({ state: 'sent', detail: 'confirmation' });
  });

  it('retries throttling and transient errors until SES accepts, sending exactly once', async () => {
    const { createdEvent } = await inviteAndConfirm(2);
    const body = JSON.stringify(envelopeFor(createdEvent));
    ses
      .on(SendEmailCommand)
      .rejectsOnce(Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }))
      .rejectsOnce(Object.assign(new Error('Service unavailable'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }))
      .resolves({ MessageId: 'ses-2' });
    expect((await worker(sqsEvent(body), ctx)).batchItemFailures).toHaveLength(1);
    expect((await worker(sqsEvent(body), ctx)).batchItemFailures).toHaveLength(1);
    expect((await worker(sqsEvent(body), ctx)).batchItemFailures).toHaveLength(0);
    await worker(sqsEvent(body), ctx);
    expect(sent()).toHaveLength(3); // two refused attempts, one accepted, none after
    expect((await ledger.get(EVENT, `invitation:${createdEvent.id}`))!).toMatchObject({ status: 'SENT', providerId: 'ses-2', attempts: 3 });
  });

  it('records SES refusing the address on the invitation and does not retry it', async () => {
    const { createdEvent, inv } = await inviteAndConfirm(3);
    // The sandbox's refusal names the recipient: this address, not the sending, is the problem.
    const refusal = `Email address is not verified. The following identities failed the check in region US-EAST-1: ${inv.email}`;
    ses.on(SendEmailCommand).rejects(Object.assign(new Error(refusal), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }));
    const res = await worker(sqsEvent(JSON.stringify(envelopeFor(createdEvent))), ctx);
    expect(res.batchItemFailures).toEqual([]);
    await worker(sqsEvent(JSON.stringify(envelopeFor(createdEvent))), ctx);
    expect(sent()).toHaveLength(1);
    expect((await store.getInvitation(EVENT, inv.id))!.delivery).toMatchObject({ state: 'rejected', detail: expect.stringContaining('MessageRejected') });
    expect(await ledger.get(EVENT, `invitation:${createdEvent.id}`)).toMatchObject({ status: 'REJECTED' });
  });

  it.each([
    ['the account paused', 'SendingPausedException', 'Sending paused for this account'],
    ['the sender not verified', 'MessageRejected', 'Email address is not verified. The following identities failed the check in region US-EAST-1: invitations@cumbre.example'],
    ['a request SES refuses', 'BadRequestException', 'Invalid message tag value'],
  ])('holds an email while SES refuses the sending (%s): failed for the retry, shown as held, then sent once', async (_, name, message) => {
    const { createdEvent, inv } = await inviteAndConfirm(10 + message.length);
    const body = JSON.stringify(envelopeFor(createdEvent));
    ses.on(SendEmailCommand).rejects(Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } }));
    // Every delivery until ops fix it fails the message: SQS retries it, then keeps it in the DLQ for a redrive.
    for (let receive = 1; receive <= 3; receive++) expect((await worker(sqsEvent(body), ctx)).batchItemFailures).toHaveLength(1);
    expect(await ledger.get(EVENT, `invitation:${createdEvent.id}`)).toMatchObject({ status: 'QUEUED' });
    expect((await store.getInvitation(EVENT, inv.id))!.delivery).toMatchObject({ state: 'held', detail: expect.stringContaining(name) });

    // Fixed: the message, retried or redriven from the DLQ, goes out once and the invitation says so.
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-held' });
    expect((await worker(sqsEvent(body), ctx)).batchItemFailures).toEqual([]);
    expect((await worker(sqsEvent(body), ctx)).batchItemFailures).toEqual([]);
    expect(sent()).toHaveLength(1);
    expect(await ledger.get(EVENT, `invitation:${createdEvent.id}`)).toMatchObject({ status: 'SENT', providerId: 'ses-held' });
    expect((await store.getInvitation(EVENT, inv.id))!.delivery).toMatchObject({ state: 'sent' });
  });

  it('resends exactly once, marked, when the worker died after SES accepted and before SENT', async () => {
    const { createdEvent } = await inviteAndConfirm(4);
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-4' });
    // The worker dies right after SES accepted: SENT is never written.
    const dying = new EmailDeliveryService({
      ...(emails as unknown as { deps: ConstructorParameters<typeof EmailDeliveryService>[0] }).deps,
      ledger: Object.assign(Object.create(ledger), {
        markSent: async () => {
          throw new Error('Runtime exited');
        },
      }),
    });
    await expect(dying.handle(createdEvent)).rejects.toThrow('Runtime exited');
    // Redelivered while the lease still holds: nothing is sent, the message comes back later.
    expect((await worker(sqsEvent(JSON.stringify(envelopeFor(createdEvent))), ctx)).batchItemFailures).toHaveLength(1);
    clock.at = new Date(BEFORE_DEADLINE.getTime() + LEASE_MS + 1);
    expect(await emails.handle(createdEvent)).toBe('resent');
    expect(await emails.handle(createdEvent)).toBe('duplicate');
    expect(sent()).toHaveLength(2);
    expect(await ledger.get(EVENT, `invitation:${createdEvent.id}`)).toMatchObject({ status: 'SENT', resent: true });
  });

  it('loses nothing and duplicates nothing when a worker is killed mid-batch', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-5' });
    const batch = await Promise.all([5, 6, 7, 8].map(async (n) => JSON.stringify(envelopeFor((await inviteAndConfirm(n)).createdEvent))));
    // The first worker handles two messages, then its sandbox is killed: SQS redelivers the whole batch.
    for (const body of batch.slice(0, 2)) await worker(sqsEvent(body), ctx);
    const res = await worker(sqsEvent(...batch), ctx);
    expect(res.batchItemFailures).toEqual([]);
    expect(sent()).toHaveLength(4);
    expect(new Set(sent().map((c) => c.args[0].input.Destination!.ToAddresses![0])).size).toBe(4);
  });

  it('fails a poison message alone, so only it goes back (and on to the DLQ)', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-9' });
    const good = JSON.stringify(envelopeFor((await inviteAndConfirm(9)).createdEvent));
    const event = sqsEvent('{"v":1,"id":"x"}', good, 'not json');
    const res = await worker(event, ctx);
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([event.Records[0].messageId, event.Records[2].messageId]);
    expect(sent()).toHaveLength(1);
  });
});

describe('capacity alerts on the email ledger (DynamoDB Local)', () => {
  it('owes an alert until its enqueue is recorded, then the email worker claims and sends it once', async () => {
    const emailId = `alert:${EVENT}:welcome-cocktail:${randomUUID()}`;
    const owe = () => alertLedger.owe({ emailId, eventId: EVENT }, clock.now());
    expect(await owe()).toBe(true);
    // The check died before recording its enqueue: the retried check queues it again.
    expect(await owe()).toBe(true);
    await alertLedger.markEnqueued(EVENT, emailId, clock.now());
    expect(await owe()).toBe(false);
    expect(await ledger.get(EVENT, emailId)).toMatchObject({ type: 'email', status: 'QUEUED', kind: 'capacity-alert', invitationId: '-', enqueuedAt: clock.now().toISOString() });
    // The email worker claims the record the capacity worker wrote, and fills in the recipient.
    const record = { emailId, eventId: EVENT, invitationId: '-', kind: 'capacity-alert', to: 'ops@cumbre.example' };
    expect(await ledger.claim(record, clock.now(), LEASE_MS)).toBe('claimed');
    // A check that queued it again and records that late changes nothing on a record being sent.
    expect(await owe()).toBe(false);
    await alertLedger.markEnqueued(EVENT, emailId, new Date(clock.now().getTime() + 1000));
    expect(await ledger.get(EVENT, emailId)).toMatchObject({ status: 'SENDING', to: 'ops@cumbre.example', enqueuedAt: clock.now().toISOString() });
    await ledger.markSent(emailId, EVENT, 'ses-alert', clock.now());
    expect(await owe()).toBe(false);
    expect(await ledger.claim(record, clock.now(), LEASE_MS)).toBe('done');
  });

  it('owes nothing again for an alert an earlier send gave back: its own message is retried instead', async () => {
    const emailId = `alert:${EVENT}:working-day-1:${randomUUID()}`;
    expect(await alertLedger.owe({ emailId, eventId: EVENT }, clock.now())).toBe(true);
    await alertLedger.markEnqueued(EVENT, emailId, clock.now());
    expect(await ledger.claim({ emailId, eventId: EVENT, invitationId: '-', kind: 'capacity-alert', to: 'ops@cumbre.example' }, clock.now(), LEASE_MS)).toBe('claimed');
    await ledger.release(emailId, EVENT, 'throttled');
    expect(await alertLedger.owe({ emailId, eventId: EVENT }, clock.now())).toBe(false);
    expect(await ledger.get(EVENT, emailId)).toMatchObject({ status: 'QUEUED', lastError: 'throttled' });
  });
});
