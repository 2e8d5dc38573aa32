import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_OFFSETS_DAYS, dayBeforeEmailId, reminderDueAt, reminderEmailId } from '#domain/communications/due.js';
import { CommunicationSender } from '#domain/communications/sender.js';
import { CommunicationsService, REQUEUE_AFTER_MS } from '#domain/communications/service.js';
import { PermanentEmailError } from '#domain/email/errors.js';
import { InvitationService } from '#domain/invitations.js';
import type { Invitation } from '#domain/model.js';
import { zonedLocalToUtc } from '#domain/time.js';
import { invitationIdFor } from '#domain/tokens.js';
import { MemoryCommunicationQueue, MemoryCommunicationsStore } from '../fixtures/memory-communications.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { RecordingMailer } from '../fixtures/memory-workflow.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';

const EVENT = 'na-mayors-summit-2019';
const def = summit();
const DEADLINE = zonedLocalToUtc(def.rsvpDeadline, def.timezone);
const MINUTE = 60_000;
const DAY = 86_400_000;
const idOf = (n: number) => invitationIdFor(EVENT, invitee(n).email);

/** Ten invitees; the test gives some of them answers, opt-outs, bounces and a revocation. */
const world = async () => {
  const core = new MemoryStore();
  await core.putEventDefinition(def);
  await new InvitationService({ store: core, clock: fixedClock(BEFORE_DEADLINE), ids: sequentialIds('imp'), tokenSecret: 'tok', publicBaseUrl: 'https://rsvp.example.org' }).import(
    EVENT,
    Array.from({ length: 10 }, (_, i) => ({ row: i + 1, data: invitee(i + 1) })),
  );
  const store = new MemoryCommunicationsStore(core);
  const queue = new MemoryCommunicationQueue();
  const clock = fixedClock(BEFORE_DEADLINE);
  const mailer = new RecordingMailer();
  const service = () => new CommunicationsService({ store, queue, clock, publicBaseUrl: 'https://rsvp.example.org' });
  // A new sender per delivery run: a restarted worker remembers nothing.
  const sender = () =>
    new CommunicationSender({
      store,
      clock,
      publicBaseUrl: 'https://rsvp.example.org',
      ledger: store.ledger,
      mailer,
      deliveries: { recordDelivery: async () => 'recorded' },
      tokenSecret: 'tok',
      unsubscribeKey: 'unsub',
      sender: { name: 'Cumbre', address: 'invitations@cumbre.example' },
      leaseMs: 120_000,
    });
  const edit = (n: number, change: (i: Invitation) => void) => change(core.invitations.get(idOf(n))!);
  /** The worker: delivers everything queued, as often as it was queued. */
  const work = async (s = sender()) => {
    const outcomes: string[] = [];
    for (const m of queue.drain()) outcomes.push(await s.deliver(m.communication));
    return outcomes;
  };
  return { core, store, queue, clock, mailer, service, sender, edit, work };
};
type World = Awaited<ReturnType<typeof world>>;

/** Answers, opt-out, bounce, complaint and revocation on invitees 1–6; 7–10 have not answered. */
const answerSome = (w: World) => {
  const at = BEFORE_DEADLINE.toISOString();
  w.edit(1, (i) => Object.assign(i, { status: 'confirmed', responses: { 'welcome-cocktail': { status: 'confirmed', seats: 1, updatedAt: at } } }));
  w.edit(2, (i) => Object.assign(i, { status: 'declined', responses: Object.fromEntries(i.sessions.map((s) => [s, { status: 'declined', seats: 1, updatedAt: at }])) }));
  w.edit(3, (i) => Object.assign(i, { optOut: { at, via: 'one-click' } }));
  w.edit(4, (i) => Object.assign(i, { delivery: { state: 'bounced', at } }));
  w.edit(5, (i) => Object.assign(i, { delivery: { state: 'complained', at } }));
  w.edit(6, (i) => Object.assign(i, { status: 'revoked' }));
};
const NOT_ANSWERED = [7, 8, 9, 10];

const sentTo = (w: World) => w.mailer.sent.map((m) => m.to).sort();
const emailsOf = (ns: number[]) => ns.map((n) => invitee(n).email).sort();

describe('reminders to non-responders', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    answerSome(w);
  });

  it.each(DEFAULT_REMINDER_OFFSETS_DAYS)('the %i-day reminder goes once to exactly the invitees who have not answered, however often the schedule fires', async (days) => {
    // Prepare: the moment the reminder becomes due
    w.clock.at = new Date(reminderDueAt(def, days).getTime() + MINUTE);
    // Act: the schedule fires twice, the worker runs after each
    const first = await w.service().runDue();
    await w.work();
    const second = await w.service().runDue();
    await w.work();
    // Assess
    expect(first.events[0].queued.reminder).toBe(NOT_ANSWERED.length);
    expect(second.events[0].queued.reminder).toBe(0);
    expect(sentTo(w)).toEqual(emailsOf(NOT_ANSWERED));
    expect(w.mailer.sent.map((m) => m.emailId).sort()).toEqual(NOT_ANSWERED.map((n) => reminderEmailId(days, idOf(n))).sort());
  });

  it('sends nothing before the first reminder point, and nothing after the deadline', async () => {
    w.clock.at = new Date(reminderDueAt(def, 14).getTime() - MINUTE);
    expect((await w.service().runDue()).events[0].queued.reminder).toBe(0);
    w.clock.at = new Date(DEADLINE.getTime() + MINUTE);
    expect((await w.service().runDue()).events[0].queued.reminder).toBe(0);
    expect(w.queue.messages).toEqual([]);
  });

  it('a late run sends the latest reminder due, not every missed one; the next point still sends its own', async () => {
    // The schedule was down from before the 14-day point until after the 7-day one.
    w.clock.at = new Date(reminderDueAt(def, 7).getTime() + 3 * 3_600_000);
    await w.service().runDue();
    await w.work();
    expect(w.mailer.sent.map((m) => m.emailId.split(':')[1])).toEqual(NOT_ANSWERED.map(() => '7'));
    // Restart (a new service over the same data), then the 2-day point.
    w.clock.at = new Date(reminderDueAt(def, 2).getTime() + MINUTE);
    await w.service().runDue();
    await w.service().runDue();
    await w.work();
    expect(w.mailer.sent.map((m) => m.emailId.split(':')[1]).sort()).toEqual([...NOT_ANSWERED.map(() => '2'), ...NOT_ANSWERED.map(() => '7')]);
  });

  it('an invitee who answers after the reminder was queued is skipped at send time, with the reason on the record', async () => {
    w.clock.at = new Date(reminderDueAt(def, 14).getTime() + MINUTE);
    await w.service().runDue();
    w.edit(7, (i) => Object.assign(i, { status: 'declined', responses: Object.fromEntries(i.sessions.map((s) => [s, { status: 'declined', seats: 1, updatedAt: 'x' }])) }));
    w.edit(8, (i) => Object.assign(i, { optOut: { at: 'x', via: 'one-click' } }));
    w.store.suppressed.add(invitee(9).email);
    const outcomes = await w.work();
    expect(outcomes.sort()).toEqual(['sent', 'skipped', 'skipped', 'skipped']);
    expect(sentTo(w)).toEqual(emailsOf([10]));
    expect(w.store.reasonOf(reminderEmailId(14, idOf(7)))).toBe('answered');
    expect(w.store.reasonOf(reminderEmailId(14, idOf(8)))).toBe('opted out');
    expect(w.store.reasonOf(reminderEmailId(14, idOf(9)))).toMatch(/suppressed/);
  });

  it('a reminder SES refuses for its address is rejected on the invitation; one refused by a stopped sending is held and goes out once fixed', async () => {
    w.clock.at = new Date(reminderDueAt(def, 14).getTime() + MINUTE);
    await w.service().runDue();
    const [toBadAddress, held] = w.queue.drain().map((m) => m.communication);
    const recorded: Array<[string, string]> = [];
    const refusing = (error: PermanentEmailError) =>
      new CommunicationSender({
        ...(w.sender() as unknown as { deps: ConstructorParameters<typeof CommunicationSender>[0] }).deps,
        mailer: { send: () => Promise.reject(error) },
        deliveries: { recordDelivery: async (_e, invitationId, d) => (recorded.push([invitationId, d.state]), 'recorded') },
      });
    expect(await refusing(new PermanentEmailError('MessageRejected: Illegal address', 'recipient')).deliver(toBadAddress)).toBe('rejected');
    expect(w.store.ledger.records.get(toBadAddress.emailId)!.status).toBe('REJECTED');
    expect(recorded).toEqual([[toBadAddress.invitationId, 'rejected']]);

    // The account paused: every delivery fails (SQS retries, then the DLQ keeps it), nothing is final.
    for (let receive = 1; receive <= 3; receive++)
      await expect(refusing(new PermanentEmailError('SendingPausedException: Sending paused for this account', 'sending')).deliver(held)).rejects.toThrow('Sending paused');
    expect(w.store.ledger.records.get(held.emailId)!.status).toBe('QUEUED');
    expect(recorded).toHaveLength(1);
    // Fixed, and the message redriven: sent once.
    expect(await w.sender().deliver(held)).toBe('sent');
    expect(await w.sender().deliver(held)).toBe('duplicate');
    expect(w.mailer.sent.map((m) => m.emailId)).toEqual([held.emailId]);
  });

  it('a queue message delivered twice sends once; a lost one is queued again once it is stale', async () => {
    w.clock.at = new Date(reminderDueAt(def, 14).getTime() + MINUTE);
    await w.service().runDue();
    const [lost, ...rest] = w.queue.drain();
    for (const m of [...rest, ...rest]) await w.sender().deliver(m.communication);
    expect(w.mailer.sent).toHaveLength(rest.length);
    // The next run, too soon, leaves the lost one waiting; one after REQUEUE_AFTER_MS queues it again.
    w.clock.at = new Date(w.clock.at.getTime() + 5 * MINUTE);
    expect((await w.service().runDue()).events[0].requeued).toBe(0);
    w.clock.at = new Date(w.clock.at.getTime() + REQUEUE_AFTER_MS);
    expect((await w.service().runDue()).events[0].requeued).toBe(1);
    await w.work();
    expect(w.mailer.sent.map((m) => m.emailId)).toContain(lost.communication.emailId);
    expect(sentTo(w)).toEqual(emailsOf(NOT_ANSWERED));
  });

  it('an invitation created after a reminder point gets no reminder for it', async () => {
    w.clock.at = new Date(reminderDueAt(def, 14).getTime() + MINUTE);
    w.edit(10, (i) => Object.assign(i, { createdAt: new Date(reminderDueAt(def, 14).getTime() + 1).toISOString() }));
    await w.service().runDue();
    await w.work();
    expect(sentTo(w)).toEqual(emailsOf([7, 8, 9]));
  });

  it('honours the offsets an event sets', async () => {
    await w.core.putEventDefinition({ ...def, reminderOffsetsDays: [3] });
    w.clock.at = new Date(reminderDueAt(def, 7).getTime() + MINUTE);
    expect((await w.service().runDue()).events[0].queued.reminder).toBe(0);
    w.clock.at = new Date(reminderDueAt(def, 3).getTime() + MINUTE);
    await w.service().runDue();
    await w.work();
    expect(w.mailer.sent.map((m) => m.emailId.split(':')[1])).toEqual(NOT_ANSWERED.map(() => '3'));
  });
});

describe('the day before', () => {
  // The cocktail is on 2019-06-06 (Los Cabos time); working day 1 on 2019-06-07.
  const eveOf = (day: string, hhmm: string) => zonedLocalToUtc(`${day}T${hhmm}`, def.timezone);

  it('confirmed attendees get the day-before message and waitlisted ones a note, once per day, between 09:00 the day before and midnight', async () => {
    const w = await world();
    const at = BEFORE_DEADLINE.toISOString();
    w.edit(1, (i) => Object.assign(i, { status: 'confirmed', responses: { 'welcome-cocktail': { status: 'confirmed', seats: 1, updatedAt: at } } }));
    w.edit(2, (i) => Object.assign(i, { status: 'waitlisted', responses: { 'welcome-cocktail': { status: 'waitlisted', seats: 1, waitlistTicket: 1, updatedAt: at } } }));
    w.edit(3, (i) =>
      Object.assign(i, { status: 'confirmed', optOut: { at, via: 'one-click' }, responses: { 'welcome-cocktail': { status: 'confirmed', seats: 1, updatedAt: at } } }),
    );
    w.edit(4, (i) => Object.assign(i, { status: 'confirmed', responses: { 'working-day-1': { status: 'confirmed', seats: 1, updatedAt: at } } }));
    w.edit(5, (i) => Object.assign(i, { status: 'declined', responses: { 'welcome-cocktail': { status: 'declined', seats: 1, updatedAt: at } } }));

    w.clock.at = new Date(eveOf('2019-06-05', '08:59').getTime());
    expect((await w.service().runDue()).events[0].queued['day-before']).toBe(0);
    w.clock.at = eveOf('2019-06-05', '09:00');
    await w.service().runDue();
    w.clock.at = eveOf('2019-06-05', '21:00');
    await w.service().runDue();
    await w.work();
    expect(w.mailer.sent.map((m) => m.emailId).sort()).toEqual([dayBeforeEmailId('2019-06-06', idOf(1)), dayBeforeEmailId('2019-06-06', idOf(2))].sort());
    // Once the day has begun it is too late for "tomorrow"; the next day's eve is its own.
    w.clock.at = eveOf('2019-06-06', '00:00');
    expect((await w.service().runDue()).events[0].queued['day-before']).toBe(0);
    w.clock.at = eveOf('2019-06-06', '10:00');
    await w.service().runDue();
    await w.work();
    expect(w.mailer.sent.map((m) => m.emailId).slice(2)).toEqual([dayBeforeEmailId('2019-06-07', idOf(4))]);
  });
});

describe('after the schedule fires late for a whole day', () => {
  it('catches up: everything due from the data is queued by the next run', async () => {
    const w = await world();
    w.clock.at = new Date(reminderDueAt(def, 14).getTime() + DAY);
    expect((await w.service().runDue()).events[0].queued.reminder).toBe(10);
  });
});
