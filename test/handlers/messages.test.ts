import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { CommunicationSender } from '#domain/communications/sender.js';
import { CommunicationsService } from '#domain/communications/service.js';
import { unsubscribeToken } from '#domain/communications/unsubscribe.js';
import { InvitationService } from '#domain/invitations.js';
import type { MessagePreview, MessageSent, MessageSummary } from '#domain/organizer-api.js';
import { invitationIdFor } from '#domain/tokens.js';
import { MemoryAuditTrail } from '../fixtures/memory-access.js';
import { MemoryCommunicationQueue, MemoryCommunicationsStore } from '../fixtures/memory-communications.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { RecordingMailer } from '../fixtures/memory-workflow.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, claimsWith, context, organizer } from './events.js';

const EVENT = 'na-mayors-summit-2019';
const UNSUB_KEY = 'unsubscribe-key';

const setup = async () => {
  const core = new MemoryStore();
  await core.putEventDefinition(summit());
  // Nine invitees: languages es, en, fr in turn (invitee(n) picks by n % 3), countries MX, US, CA likewise.
  await new InvitationService({ store: core, clock: fixedClock(BEFORE_DEADLINE), ids: sequentialIds('imp'), tokenSecret: 'tok', publicBaseUrl: 'https://rsvp.example.org' }).import(
    EVENT,
    Array.from({ length: 9 }, (_, i) => ({ row: i + 1, data: invitee(i + 1) })),
  );
  const store = new MemoryCommunicationsStore(core);
  const queue = new MemoryCommunicationQueue();
  const mailer = new RecordingMailer();
  const clock = fixedClock(BEFORE_DEADLINE);
  const service = new CommunicationsService({ store, queue, clock, publicBaseUrl: 'https://rsvp.example.org' });
  const sender = new CommunicationSender({
    store,
    clock,
    publicBaseUrl: 'https://rsvp.example.org',
    ledger: store.ledger,
    mailer,
    deliveries: { recordDelivery: async () => 'recorded' },
    tokenSecret: 'tok',
    unsubscribeKey: UNSUB_KEY,
    sender: { name: 'C', address: 'c@cumbre.example' },
    leaseMs: 60_000,
  });
  const audit = new MemoryAuditTrail();
  const messages = (await import('../../functions/handlers/messages.js')).makeHandler({ communications: service, audit });
  const unsubscribe = (await import('../../functions/handlers/unsubscribe.js')).makeHandler({ communications: service, unsubscribeKey: UNSUB_KEY });
  const call = (method: 'GET' | 'POST', route: string, body?: unknown, claims: Record<string, string> = organizer) =>
    messages(apiEvent({ method, route, path: { eventId: EVENT }, body: body as object, claims }), context);
  return { core, store, queue, mailer, service, sender, audit, call, unsubscribe };
};

const content = { es: { subject: 'Aviso', body: 'Texto con enlace https://summit.example.org/a' }, en: { subject: 'Notice', body: 'Text' } };

describe('group messages: bad input is a 400 naming the field, and nothing is queued', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    s = await setup();
  });

  it.each([
    ['an empty subject', { content: { es: { subject: '', body: 'x' } } }, 'content.es.subject'],
    ['a blank subject', { content: { es: { subject: '   ', body: 'x' } } }, 'content.es.subject'],
    ['a body with markup', { content: { es: { subject: 'A', body: 'Hola <a href="https://x">aquí</a>' } } }, 'content.es.body'],
    ['a 100 KB body', { content: { es: { subject: 'A', body: 'x'.repeat(100 * 1024) } } }, 'content.es.body'],
    ['no language at all', { content: {} }, 'content'],
    ['an unknown language', { content: { de: { subject: 'A', body: 'B' } } }, 'content'],
    ['an unknown status', { content, filter: { status: 'maybe' } }, 'filter.status'],
    ['an unknown category', { content, filter: { category: 'astronaut' } }, 'filter.category'],
    ['an unknown country', { content, filter: { country: 'XX' } }, 'filter.country'],
    ['an unknown language filter', { content, filter: { language: 'de' } }, 'filter.language'],
    ['an unknown session', { content, filter: { sessionId: 'no-such-session' } }, 'filter.sessionId'],
    ['an unknown filter', { content, filter: { city: 'Tijuana' } }, 'filter'],
  ])('%s', async (_name, body, field) => {
    for (const route of ['/events/{eventId}/messages/preview', '/events/{eventId}/messages']) {
      const res = await s.call('POST', route, { ...body, requestId: randomUUID() });
      expect(res.statusCode, route).toBe(400);
      expect(
        bodyOf(res).details.map((d: { field: string }) => d.field),
        route,
      ).toContain(field);
    }
    expect(s.queue.messages).toEqual([]);
    expect(s.store.messages.size).toBe(0);
  });

  it('a send without a request id is refused (it is what makes a retry safe)', async () => {
    const res = await s.call('POST', '/events/{eventId}/messages', { content });
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).details.map((d: { field: string }) => d.field)).toContain('requestId');
  });

  it('viewers and door staff may not send', async () => {
    for (const role of ['viewer', 'door', 'security']) {
      const res = await s.call('POST', '/events/{eventId}/messages', { content, requestId: randomUUID() }, claimsWith([`event:${EVENT}:${role}`]));
      expect(res.statusCode, role).toBe(403);
    }
  });
});

describe('group messages: preview, send once, list', () => {
  it('previews the count and each language’s rendering, stating the fallback', async () => {
    const s = await setup();
    const res = await s.call('POST', '/events/{eventId}/messages/preview', { content, filter: {} });
    expect(res.statusCode).toBe(200);
    const preview = bodyOf(res) as MessagePreview;
    expect(preview.total).toBe(9);
    expect(preview.fallbackOrder).toEqual(['es', 'en', 'fr']);
    expect(preview.languages.map((l) => [l.language, l.recipients, l.contentLanguage])).toEqual([
      ['es', 3, 'es'],
      ['en', 3, 'en'],
      ['fr', 3, 'es'],
    ]);
    expect(preview.languages[0].subject).toBe('Aviso');
    expect(preview.languages[0].text).toContain('https://summit.example.org/a');
  });

  it('reaches exactly the filter’s invitees, once, even when the same request is sent twice', async () => {
    const s = await setup();
    // MX invitees (3, 6, 9) minus one who opted out.
    s.core.invitations.get(invitationIdFor(EVENT, invitee(6).email))!.optOut = { at: 'x', via: 'one-click' };
    const body = { content, filter: { country: 'mx' }, requestId: randomUUID() };
    const first = bodyOf(await s.call('POST', '/events/{eventId}/messages', body)) as MessageSent;
    const again = bodyOf(await s.call('POST', '/events/{eventId}/messages', body)) as MessageSent;
    expect(first).toMatchObject({ recipients: 2, created: true });
    expect(again).toEqual({ id: first.id, recipients: 2, created: false });
    const queued = s.queue.drain();
    expect(queued.map((m) => m.communication.invitationId).sort()).toEqual([3, 9].map((n) => invitationIdFor(EVENT, invitee(n).email)).sort());
    for (const m of [...queued, ...queued]) await s.sender.deliver(m.communication);
    expect(s.mailer.sent.map((m) => m.to).sort()).toEqual([invitee(3).email, invitee(9).email].sort());
    // The trail names the message by its subjects, as written (audit-words.ts shows the reader's language).
    expect(s.audit.entries.filter((e) => e.action === 'message.sent')).toMatchObject([{ target: first.id, detail: { subjects: { es: 'Aviso', en: 'Notice' } } }]);

    const list = bodyOf(await s.call('GET', '/events/{eventId}/messages')).items as MessageSummary[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: first.id, recipients: 2, subjects: { es: 'Aviso', en: 'Notice' }, counts: { sent: 2, pending: 0, bounced: 0, complained: 0 } });
    s.store.markFeedback(`group:${first.id}:${invitationIdFor(EVENT, invitee(3).email)}`, 'bounced');
    const after = bodyOf(await s.call('GET', '/events/{eventId}/messages')).items as MessageSummary[];
    expect(after[0].counts).toMatchObject({ sent: 2, bounced: 1, complained: 0 });
  });

  it('filters by status in one session', async () => {
    const s = await setup();
    s.core.invitations.get(invitationIdFor(EVENT, invitee(1).email))!.responses['welcome-cocktail'] = { status: 'confirmed', seats: 1, updatedAt: 'x' };
    const preview = bodyOf(
      await s.call('POST', '/events/{eventId}/messages/preview', { content, filter: { sessionId: 'welcome-cocktail', status: 'confirmed' } }),
    ) as MessagePreview;
    expect(preview.total).toBe(1);
  });
});

describe('one-click unsubscribe', () => {
  const id = invitationIdFor(EVENT, invitee(1).email);
  const hit = (s: Awaited<ReturnType<typeof setup>>, method: 'GET' | 'POST', token: string) =>
    s.unsubscribe(
      apiEvent({ method, route: '/unsubscribe/{token}', path: { token }, body: 'List-Unsubscribe=One-Click', contentType: 'application/x-www-form-urlencoded' }),
      context,
    );

  it('GET asks and changes nothing; POST opts out once; a replay answers the same and changes nothing', async () => {
    const s = await setup();
    const token = unsubscribeToken(UNSUB_KEY, EVENT, id);
    const page = await hit(s, 'GET', token);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post">');
    expect(s.core.invitations.get(id)!.optOut).toBeUndefined();

    expect((await hit(s, 'POST', token)).statusCode).toBe(200);
    const recorded = structuredClone(s.core.invitations.get(id)!);
    expect(recorded.optOut).toEqual({ at: BEFORE_DEADLINE.toISOString(), via: 'one-click' });
    const replay = await hit(s, 'POST', token);
    expect(replay.statusCode).toBe(200);
    expect(s.core.invitations.get(id)).toEqual(recorded);
  });

  it.each([
    ['another key', () => unsubscribeToken('not-the-key', EVENT, id)],
    ['another invitation', () => `${EVENT}.${invitationIdFor(EVENT, invitee(2).email)}.${unsubscribeToken(UNSUB_KEY, EVENT, id).split('.')[2]}`],
    ['a truncated mac', () => unsubscribeToken(UNSUB_KEY, EVENT, id).slice(0, -2)],
    ['garbage', () => 'x'],
  ])('a forged token (%s) is a 404 and changes nothing', async (_name, forge) => {
    const s = await setup();
    const before = JSON.stringify([...s.core.invitations.values()]);
    for (const method of ['GET', 'POST'] as const) expect((await hit(s, method, forge())).statusCode).toBe(404);
    expect(JSON.stringify([...s.core.invitations.values()])).toBe(before);
  });
});
