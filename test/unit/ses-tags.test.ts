import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CapacityAlerts } from '#domain/alerts.js';
import { EmailDeliveryService, emailKindFor, messageTags } from '#domain/email/delivery.js';
import { ofTag } from '#domain/email/tags.js';
import { EMAIL_KINDS, type EmailKind } from '#domain/email/templates.js';
import { InvitationService } from '#domain/invitations.js';
import type { CumbreEvent } from '#domain/outbox.js';
import { refusalFor, SES_LIMITS } from '../../local/emulators/ses-strict.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { MemoryEmailLedger, RecordingAlertQueue, RecordingMailer, testAlertSender } from '../fixtures/memory-workflow.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';

const EVENT = 'na-mayors-summit-2019';
const SESSION = 'welcome-cocktail';
const sendEmailOf = (tags: Record<string, string>) => ({
  EmailTags: Object.entries(tags).map(([Name, Value]) => ({ Name, Value })),
  Destination: { ToAddresses: ['a@example.org'] },
});

/** One change of each type that leads to an email; occurredAt carries milliseconds, as every real one does. */
const changeFor = (kind: EmailKind, invitationId: string, email: string): CumbreEvent => {
  const base = { id: randomUUID(), occurredAt: '2019-05-01T12:00:00.591Z', eventId: EVENT, invitationId };
  switch (kind) {
    case 'invitation':
      return { ...base, type: 'invitation.created', email, language: 'es', reason: 'created' };
    case 'confirmation':
      return { ...base, type: 'rsvp.answered', outcomes: [{ sessionId: SESSION, previous: 'pending', status: 'waitlisted' }] };
    case 'promoted':
      return { ...base, type: 'rsvp.confirmed', sessionId: SESSION, seats: 1, promoted: true };
    case 'declined':
      return { ...base, type: 'rsvp.answered', outcomes: [{ sessionId: SESSION, previous: 'pending', status: 'declined' }] };
    case 'rescheduled':
      return { ...base, type: 'invitation.rescheduled', sessions: [SESSION], changeId: randomUUID() };
    case 'session-cancelled':
      return { ...base, type: 'invitation.session-cancelled', sessionId: SESSION, previous: 'waitlisted', changeId: randomUUID() };
  }
};

describe('SES message tags (names and values: [A-Za-z0-9_-], at most 256 characters)', () => {
  it('are accepted by SES for every kind of invitee email', async () => {
    const store = new MemoryStore();
    await store.putEventDefinition(summit());
    const clock = fixedClock(BEFORE_DEADLINE);
    const [created] = await new InvitationService({ store, clock, ids: { newId: () => randomUUID() }, tokenSecret: 's', publicBaseUrl: 'https://rsvp.example.org' }).import(EVENT, [
      { row: 1, data: invitee(1) },
    ]);
    const stored = (await store.getInvitation(EVENT, created.id))!;
    // An answer's email states the invitation as it stands: waitlisted here, or every session declined.
    const waitlisted = { ...stored, responses: { ...stored.responses, [SESSION]: { ...stored.responses[SESSION], status: 'waitlisted' as const, waitlistTicket: 0 } } };
    const declinedAll = { ...stored, responses: Object.fromEntries(stored.sessions.map((id) => [id, { ...stored.responses[id], status: 'declined' as const }])) };
    let invitation: typeof stored = waitlisted;
    const mailer = new RecordingMailer();
    const ledger = new MemoryEmailLedger();
    const recorded: Array<{ state: string; detail?: string; of?: string }> = [];
    const service = new EmailDeliveryService({
      reader: { getInvitation: async () => invitation, getEvent: (id) => store.getEvent(id), countWaitlistedBefore: async () => 0 },
      ledger,
      deliveries: { recordDelivery: async (_e, _i, d) => (recorded.push(d), 'recorded' as const) },
      mailer,
      clock,
      tokenSecret: 's',
      publicBaseUrl: 'https://rsvp.example.org',
      sender: { name: 'Cumbre', address: 'invitations@cumbre.example' },
      leaseMs: 60_000,
    });
    for (const kind of EMAIL_KINDS) {
      invitation = kind === 'declined' ? declinedAll : waitlisted;
      const change = changeFor(kind, invitation.id, invitation.email);
      expect(emailKindFor(change, invitation)).toBe(kind);
      expect(await service.handle(change)).toBe('sent');
    }
    expect(mailer.sent).toHaveLength(EMAIL_KINDS.length);
    for (const email of mailer.sent) {
      expect({ emailId: email.emailId, refusal: refusalFor(sendEmailOf(email.tags)) }).toEqual({ emailId: email.emailId, refusal: undefined });
      // The feedback worker finds the invitation again by these two tags.
      expect(email.tags).toMatchObject({ eventId: EVENT, invitationId: invitation.id });
      // …and orders its report by this one: when the change the email tells of happened.
      expect(ofTag(email.tags.of)).toBe('2019-05-01T12:00:00.591Z');
    }
    expect(mailer.sent.map((m) => m.tags.kind).sort()).toEqual([...EMAIL_KINDS].sort());
    // Each email's state on the invitation is ordered by the same time.
    expect(recorded).toEqual(EMAIL_KINDS.map((kind) => expect.objectContaining({ state: 'sent', detail: kind, of: '2019-05-01T12:00:00.591Z' })));
  });

  it('are accepted by SES for capacity alerts', async () => {
    const store = new MemoryStore();
    await store.putEventDefinition(summit());
    store.events.get(EVENT)!.sessions.get(SESSION)!.confirmedSeats = 250;
    const ledger = new MemoryEmailLedger();
    const queue = new RecordingAlertQueue();
    const mailer = new RecordingMailer();
    const clock = fixedClock(BEFORE_DEADLINE);
    await new CapacityAlerts({ ledger, queue, clock }).check((await store.getEvent(EVENT))!, SESSION);
    const sender = testAlertSender({ reader: store, ledger, mailer, clock });
    for (const alert of queue.queued) await sender.deliver(alert);
    expect(mailer.sent).toHaveLength(3);
    for (const email of mailer.sent) expect(refusalFor(sendEmailOf(email.tags))).toBeUndefined();
  });

  it('replaces what SES refuses and keeps values within 256 characters', () => {
    const tags = messageTags({ emailId: 'confirmation:0b6a…:2026-11-29T19:18:49.591Z', eventId: 'e', invitationId: 'i', kind: 'k'.repeat(300), of: '2026-11-29T19:18:49.591Z' });
    expect(tags.emailId).toBe('confirmation_0b6a__2026-11-29T19_18_49_591Z');
    expect(tags.of).toBe(String(Date.UTC(2026, 10, 29, 19, 18, 49, 591)));
    expect(ofTag(tags.of)).toBe('2026-11-29T19:18:49.591Z');
    expect(tags.kind).toHaveLength(256);
    for (const [name, value] of Object.entries(tags)) expect(`${name}=${value}`).toMatch(/^[A-Za-z0-9_-]{1,256}=[A-Za-z0-9_-]{1,256}$/);
  });
});

describe('the strict SES layer refuses what SES refuses', () => {
  it('tag names and values outside the pattern or over 256 characters', () => {
    expect(refusalFor(sendEmailOf({ emailId: 'confirmation_x_2026-11-29T19_18_49.591Z' }))).toMatchObject({
      code: 'BadRequestException',
      message: expect.stringContaining('value'),
    });
    expect(refusalFor(sendEmailOf({ 'email.id': 'x' }))).toMatchObject({ code: 'BadRequestException', message: expect.stringContaining('name') });
    expect(refusalFor(sendEmailOf({ id: 'x'.repeat(257) }))).toMatchObject({ code: 'BadRequestException' });
    expect(refusalFor(sendEmailOf({ id: 'x'.repeat(256) }))).toBeUndefined();
    expect(refusalFor(sendEmailOf({ id: '' }))).toMatchObject({ code: 'BadRequestException' });
  });

  it('more than 50 recipients, in the request or in the raw message', () => {
    const to = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@example.org`);
    expect(refusalFor({ Destination: { ToAddresses: to(SES_LIMITS.recipientsMax) } })).toBeUndefined();
    expect(refusalFor({ Destination: { ToAddresses: to(40), CcAddresses: to(10), BccAddresses: to(1) } })).toMatchObject({ code: 'BadRequestException' });
    const raw = Buffer.from(`From: a@cumbre.example\r\nTo: ${to(30).join(', ')}\r\nCc: ${to(21).join(',\r\n ')}\r\nSubject: x\r\n\r\nbody`).toString('base64');
    expect(refusalFor({ Content: { Raw: { Data: raw } } })).toMatchObject({ message: expect.stringContaining('51') });
  });

  it('a message over 40 MB', { timeout: 30_000 }, () => {
    const big = Buffer.alloc(SES_LIMITS.messageMaxBytes + 1, 'a').toString('base64');
    expect(refusalFor({ Destination: { ToAddresses: ['a@example.org'] }, Content: { Raw: { Data: big } } })).toMatchObject({ code: 'MessageRejected' });
    const fits = Buffer.alloc(SES_LIMITS.messageMaxBytes, 'a').toString('base64');
    expect(refusalFor({ Destination: { ToAddresses: ['a@example.org'] }, Content: { Raw: { Data: fits } } })).toBeUndefined();
  });
});
