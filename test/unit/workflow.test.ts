import { PDFDocument } from 'pdf-lib';
import { beforeEach, describe, expect, it } from 'vitest';
import { CapacityAlerts, crossedThresholds } from '#domain/alerts.js';
import { createCredentialSigner, seedFromSecret } from '#domain/badge/credential.js';
import { BadgeService, badgeLinkOrRepair } from '#domain/badge/service.js';
import { PermanentEmailError, emailIdFor, emailKindFor, type Mailer } from '#domain/email/delivery.js';
import type { Language } from '#domain/model.js';
import { InvitationService } from '#domain/invitations.js';
import { ROUTES, queuesFor, type CumbreEvent, type CumbreEventType } from '#domain/outbox.js';
import { cumbreEventSchema, envelopeSchema } from '#domain/outbox-schemas.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { loadBadgeFonts } from '#adapters/badge-fonts.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { readMessage } from '../fixtures/mime-parts.js';
import { MemoryBadges, MemoryEmailLedger, RecordingAlertQueue, RecordingMailer, testAlertSender } from '../fixtures/memory-workflow.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { emailText } from '#i18n/email/index.js';

const EVENT = 'na-mayors-summit-2019';
const base = { id: 'e-00000001', occurredAt: '2019-05-01T12:00:00.000Z', eventId: EVENT, invitationId: 'inv_1' };

describe('routing and email identity', () => {
  it('routes each change type to the workers that act on it', () => {
    expect(ROUTES['invitation.created']).toEqual(['email']);
    expect(ROUTES['seat.freed']).toEqual(['capacity']);
    expect(ROUTES['rsvp.confirmed']).toEqual(['email', 'badge', 'capacity']);
  });

  it('sends a record to the email queue exactly when it means an email', () => {
    // One record of every type (the record type forces a sample per type), and a promotion.
    const samples: { [T in CumbreEventType]: Extract<CumbreEvent, { type: T }> } = {
      'invitation.created': { ...base, type: 'invitation.created', email: 'a@b.example', language: 'es', reason: 'created' },
      'invitation.updated': { ...base, type: 'invitation.updated', changed: ['name'] },
      'rsvp.confirmed': { ...base, type: 'rsvp.confirmed', sessionId: 'a', seats: 1, promoted: false },
      'rsvp.waitlisted': { ...base, type: 'rsvp.waitlisted', sessionId: 'a', seats: 1, ticket: 1 },
      'rsvp.declined': { ...base, type: 'rsvp.declined', sessionId: 'a', previous: 'confirmed' },
      'rsvp.answered': { ...base, type: 'rsvp.answered', outcomes: [{ sessionId: 'a', previous: 'pending', status: 'confirmed' }] },
      'seat.freed': { ...base, type: 'seat.freed', sessionId: 'a', seats: 1 },
      'event.rescheduled': { ...base, type: 'event.rescheduled', sessions: ['a'], venue: false },
      'session.cancelled': { ...base, type: 'session.cancelled', sessionId: 'a' },
      'invitation.rescheduled': { ...base, type: 'invitation.rescheduled', sessions: ['a'], changeId: 'c1' },
      'invitation.session-cancelled': { ...base, type: 'invitation.session-cancelled', sessionId: 'a', previous: 'confirmed', changeId: 'c1' },
    };
    const all: CumbreEvent[] = [...Object.values(samples), { ...samples['rsvp.confirmed'], promoted: true }];
    expect(new Set(all.map((e) => e.type))).toEqual(new Set(cumbreEventSchema.def.options.map((o) => o.shape.type.def.values[0])));
    for (const e of all) {
      expect(cumbreEventSchema.safeParse(e).success).toBe(true);
      expect(queuesFor(e).includes('email'), `${e.type}${'promoted' in e && e.promoted ? ' (promoted)' : ''}`).toBe(emailKindFor(e) !== undefined);
      // Every other queue is the table's: only the email queue is chosen per record.
      expect(queuesFor(e).filter((q) => q !== 'email')).toEqual(ROUTES[e.type].filter((q) => q !== 'email'));
    }
  });

  it('validates the envelope strictly', () => {
    expect(envelopeSchema.safeParse({ v: 1, id: 'e-00000001', event: { ...base, type: 'seat.freed', sessionId: 's', seats: 1 } }).success).toBe(true);
    expect(envelopeSchema.safeParse({ v: 1, id: 'e-00000001', event: { ...base, type: 'seat.freed', sessionId: 's', seats: 0 } }).success).toBe(false);
    expect(envelopeSchema.safeParse({ v: 2, id: 'e-00000001', event: { ...base, type: 'seat.freed', sessionId: 's', seats: 1 } }).success).toBe(false);
  });

  it('tells an answer once, from its rsvp.answered record, and a promotion on its own', () => {
    const a: CumbreEvent = { ...base, type: 'rsvp.confirmed', sessionId: 'a', seats: 1, promoted: false };
    const answered: CumbreEvent = {
      ...base,
      id: 'e-00000002',
      type: 'rsvp.answered',
      outcomes: [
        { sessionId: 'a', previous: 'pending', status: 'confirmed' },
        { sessionId: 'b', previous: 'confirmed', status: 'declined' },
      ],
    };
    expect(emailKindFor(a)).toBeUndefined();
    expect(emailKindFor({ ...base, type: 'rsvp.declined', sessionId: 'b', previous: 'confirmed' })).toBeUndefined();
    expect(emailKindFor({ ...base, type: 'rsvp.waitlisted', sessionId: 'b', seats: 1, ticket: 1 })).toBeUndefined();
    expect(ROUTES['rsvp.answered']).toEqual(['email']);
    expect(
      emailKindFor(answered, { sessions: ['a', 'b'], responses: { a: { status: 'confirmed', seats: 1, updatedAt: '' }, b: { status: 'declined', seats: 0, updatedAt: '' } } }),
    ).toBe('confirmation');
    expect(
      emailKindFor(answered, { sessions: ['a', 'b'], responses: { a: { status: 'declined', seats: 0, updatedAt: '' }, b: { status: 'declined', seats: 0, updatedAt: '' } } }),
    ).toBe('declined');
    expect(emailIdFor(answered, 'confirmation')).toBe(emailIdFor(answered, 'declined'));
    const p: CumbreEvent = { ...a, id: 'e-00000003', promoted: true };
    expect(emailKindFor(p)).toBe('promoted');
    expect(emailIdFor(p, 'promoted')).not.toBe(emailIdFor(answered, 'confirmation'));
    expect(emailKindFor({ ...base, type: 'seat.freed', sessionId: 'a', seats: 1 })).toBeUndefined();
  });
});

describe('capacity alerts', () => {
  const sessionName = summit().sessions.find((s) => s.id === 'welcome-cocktail')!.name;
  const eventName = summit().name;
  const setup = async () => {
    const store = new MemoryStore();
    await store.putEventDefinition(summit());
    const ledger = new MemoryEmailLedger();
    const queue = new RecordingAlertQueue();
    const clock = fixedClock(BEFORE_DEADLINE);
    const session = store.events.get(EVENT)!.sessions.get('welcome-cocktail')!;
    const check = async () => new CapacityAlerts({ ledger, queue, clock }).check((await store.getEvent(EVENT))!, 'welcome-cocktail');
    const sender = (mailer: Mailer, language: Language = 'es') => testAlertSender({ reader: store, ledger, mailer, clock }, language);
    return { store, ledger, queue, session, check, sender };
  };

  it('crosses 80, 95 and 100 percent, and queues each alert once with the seats it crossed at', async () => {
    expect(crossedThresholds(199, 250)).toEqual([]);
    expect(crossedThresholds(200, 250)).toEqual([80]);
    expect(crossedThresholds(250, 250)).toEqual([80, 95, 100]);
    const { queue, session, check, ledger } = await setup();
    expect(session.capacity).toBe(250);
    session.confirmedSeats = 240;
    expect(await check()).toEqual([80, 95]);
    session.confirmedSeats = 250;
    expect(await check()).toEqual([100]);
    expect(await check()).toEqual([]);
    expect(queue.queued.map((a) => [a.emailId, a.threshold, a.confirmedSeats, a.capacity])).toEqual([
      [`alert:${EVENT}:welcome-cocktail:80`, 80, 240, 250],
      [`alert:${EVENT}:welcome-cocktail:95`, 95, 240, 250],
      [`alert:${EVENT}:welcome-cocktail:100`, 100, 250, 250],
    ]);
    expect([...ledger.records.values()].map((r) => [r.status, r.enqueued])).toEqual([
      ['QUEUED', true],
      ['QUEUED', true],
      ['QUEUED', true],
    ]);
  });

  it('queues an alert again when its check failed before the enqueue was recorded: none is lost', async () => {
    const { queue, session, check, ledger } = await setup();
    session.confirmedSeats = 200;
    queue.failNext = true;
    await expect(check()).rejects.toThrow('queue unreachable');
    expect(queue.queued).toEqual([]);
    expect(ledger.records.get(`alert:${EVENT}:welcome-cocktail:80`)).toMatchObject({ status: 'QUEUED' });
    // The redelivered message checks again: the alert is still owed.
    expect(await check()).toEqual([80]);
    expect(await check()).toEqual([]);
    expect(queue.queued.map((a) => a.threshold)).toEqual([80]);
  });

  it('sends each queued alert once, in the organizers’ language, stating the seats it crossed at', async () => {
    for (const language of ['es', 'en', 'fr'] as const) {
      const { queue, session, check, sender } = await setup();
      session.confirmedSeats = 200;
      await check();
      session.confirmedSeats = 210; // filled on since: the alert still tells of the crossing
      const mailer = new RecordingMailer();
      const [alert] = queue.queued;
      expect(await sender(mailer, language).deliver(alert)).toBe('sent');
      expect(await sender(mailer, language).deliver(alert)).toBe('duplicate');
      expect(mailer.sent.map((m) => [m.to, m.tags.kind])).toEqual([['ops@cumbre.example', 'capacity-alert']]);
      const { subject, text } = readMessage(Buffer.from(mailer.sent[0].raw).toString('utf8'));
      expect(text).toContain(sessionName[language]);
      // The event, the session and the threshold in the language's typography: "80 %" held by a
      // no-break space in Spanish and French, French « » and : each after a narrow no-break space.
      expect(subject).toBe(
        {
          es: `[Cumbre] ${eventName.es}: «${sessionName.es}» al 80\u00a0%`,
          en: `[Cumbre] ${eventName.en}: “${sessionName.en}” at 80%`,
          fr: `[Cumbre] ${eventName.fr}\u202f: «\u202f${sessionName.fr}\u202f» à 80\u00a0%`,
        }[language],
      );
      expect(text).toContain(
        {
          es: 'alcanzó el 80\u00a0% de su capacidad: 200 lugares confirmados de 250',
          en: 'reached 80% of capacity: 200 seats are confirmed out of 250',
          fr: 'a atteint 80\u00a0% de sa capacité\u202f: 200 places confirmées sur 250',
        }[language],
      );
    }
  });

  it('words one seat in the singular and a thousand with the language’s digit grouping', () => {
    const words = { event: 'E', session: 'S', threshold: 100 };
    expect(emailText('fr')('alert.text', { ...words, confirmed: 1, capacity: 1 })).toBe(
      'La séance «\u202fS\u202f» a atteint 100\u00a0% de sa capacité\u202f: 1 place confirmée sur 1.',
    );
    expect(emailText('es')('alert.text', { ...words, confirmed: 1, capacity: 1 })).toBe('La sesión «S» alcanzó el 100\u00a0% de su capacidad: 1 lugar confirmado de 1.');
    expect(emailText('en')('alert.text', { ...words, confirmed: 1000, capacity: 1000 })).toBe('Session “S” reached 100% of capacity: 1,000 seats are confirmed out of 1,000.');
  });

  it('records an alert whose address SES refuses as rejected; one refused by a stopped sending, or failed, goes back for the retry', async () => {
    const { queue, session, check, sender, ledger } = await setup();
    session.confirmedSeats = 250;
    await check();
    const [refused, held] = queue.queued;
    const refusingAddress: Mailer = { send: () => Promise.reject(new PermanentEmailError('Illegal address', 'recipient')) };
    expect(await sender(refusingAddress).deliver(refused)).toBe('rejected');
    expect(ledger.records.get(refused.emailId)!.status).toBe('REJECTED');
    // The sender not verified, the account paused: not this alert's fault, and never final for it.
    const stopped: Mailer = { send: () => Promise.reject(new PermanentEmailError('SendingPausedException: Sending paused for this account', 'sending')) };
    await expect(sender(stopped).deliver(held)).rejects.toThrow('Sending paused');
    expect(ledger.records.get(held.emailId)!.status).toBe('QUEUED');
    const failing: Mailer = { send: () => Promise.reject(new Error('throttled')) };
    await expect(sender(failing).deliver(held)).rejects.toThrow('throttled');
    expect(ledger.records.get(held.emailId)!.status).toBe('QUEUED');
    const mailer = new RecordingMailer();
    expect(await sender(mailer).deliver(held)).toBe('sent');
    expect(await sender(mailer).deliver(held)).toBe('duplicate');
    expect(mailer.sent).toHaveLength(1);
  });

  it('sends nothing for a session deleted since its alert was queued', async () => {
    const { queue, session, check, sender } = await setup();
    session.confirmedSeats = 250;
    await check();
    const mailer = new RecordingMailer();
    expect(await sender(mailer).deliver({ ...queue.queued[0], sessionId: 'gone' })).toBe('skipped');
    expect(mailer.sent).toEqual([]);
  });
});

describe('badges', () => {
  let store: MemoryStore;
  let badges: MemoryBadges;
  let service: BadgeService;
  let token: string;
  let id: string;
  const clock = fixedClock(BEFORE_DEADLINE);
  const answer = (body: object) => new RsvpService({ store, clock, ids: sequentialIds('r'), backoff: async () => {} }).respond(token, parseRsvpRequest(body));

  beforeEach(async () => {
    store = new MemoryStore();
    await store.putEventDefinition(summit());
    badges = new MemoryBadges();
    service = new BadgeService({
      reader: store,
      ledger: badges,
      storage: badges,
      clock,
      leaseMs: 60_000,
      render: { fonts: loadBadgeFonts(), signer: createCredentialSigner(seedFromSecret('unit')) },
    });
    const [r] = await new InvitationService({ store, clock, ids: sequentialIds(), tokenSecret: 's', publicBaseUrl: 'https://x.example' }).import(EVENT, [
      { row: 1, data: invitee(1, { name: 'Łucja Ærø-Nuñez' }) },
    ]);
    token = r.rsvpUrl!.split('/rsvp/')[1]!;
    id = r.id;
  });

  it('makes no badge until a session is confirmed, then one PDF per printed version', async () => {
    expect(await service.refresh(EVENT, id)).toBe('no-badge');
    await answer({ responses: [{ sessionId: 'welcome-cocktail', attending: true }] });
    expect(await service.refresh(EVENT, id)).toBe('rendered');
    expect(await service.refresh(EVENT, id)).toBe('unchanged');
    await answer({ responses: [{ sessionId: 'welcome-cocktail', attending: true }], dietary: 'vegetarian' });
    expect(await service.refresh(EVENT, id)).toBe('unchanged'); // nothing printed changed
    await answer({ responses: [{ sessionId: 'working-day-1', attending: true }] });
    expect(await service.refresh(EVENT, id)).toBe('rendered');
    await answer({ responses: [{ sessionId: 'working-day-1', attending: true }], badgeName: 'Łucja' });
    expect(await service.refresh(EVENT, id)).toBe('rendered');
    expect(badges.renders).toBe(3);
    const pdf = await PDFDocument.load([...badges.objects.values()].at(-1)!);
    expect(pdf.getTitle()).toBe('Łucja');
    expect(await service.link(EVENT, id)).toMatch(
      /^https:\/\/badges\.example\/badges\/na-mayors-summit-2019\/inv_[0-9a-f]+\/[\w-]+\/Lucja-North-American-Mayors-Summit\.pdf\?ttl=300&name=/,
    );
    // The download is named after the person and the event, in the invitee's language.
    expect(decodeURIComponent((await service.link(EVENT, id))!.split('&name=')[1])).toBe(`Łucja – ${summit().name.en}.pdf`);
  });

  it('a badge link whose file is missing asks for it again, and the worker renders that very badge once more', async () => {
    // Prepare: a ready badge whose file is gone (an emulator lost it, someone deleted it).
    await answer({ responses: [{ sessionId: 'welcome-cocktail', attending: true }] });
    expect(await service.refresh(EVENT, id)).toBe('rendered');
    const { key } = (await badges.get(EVENT, id))!;
    badges.objects.delete(key);
    const requested: string[] = [];
    const deps = { ledger: badges, storage: badges, renders: { request: async (_e: string, invitation: string) => void requested.push(invitation) } };
    // Act + Assess: the link says "not yet" (no link to a 404) and asks once per look.
    expect(await badgeLinkOrRepair(deps, EVENT, id)).toEqual({ missing: true });
    expect(requested).toEqual([id]);
    // An ordinary refresh does not look at storage; the repair request does, and renders again.
    expect(await service.refresh(EVENT, id)).toBe('unchanged');
    expect(await service.refresh(EVENT, id, { verifyStored: true })).toBe('restored');
    expect(badges.objects.has(key)).toBe(true);
    expect(await service.refresh(EVENT, id, { verifyStored: true })).toBe('unchanged');
    expect(badges.renders).toBe(2);
    const link = await badgeLinkOrRepair(deps, EVENT, id);
    expect(link).toEqual({ url: expect.stringContaining(key) });
    expect(requested).toEqual([id]);
    // No badge at all is not "missing": nothing is requested.
    const [other] = await new InvitationService({ store, clock, ids: sequentialIds('o'), tokenSecret: 's', publicBaseUrl: 'https://x.example' }).import(EVENT, [
      { row: 1, data: invitee(2) },
    ]);
    expect(await badgeLinkOrRepair(deps, EVENT, other.id)).toEqual({ missing: false });
    expect(requested).toEqual([id]);
  });

  it('a render from an older read that finishes last is not what the badge link serves', async () => {
    await answer({ responses: [{ sessionId: 'welcome-cocktail', attending: true }] });
    const older = (await store.getInvitation(EVENT, id))!;
    await answer({ responses: [{ sessionId: 'welcome-cocktail', attending: true }], badgeName: 'Łucja' });
    // Two workers, two reads of the invitation: the one that read the newer finishes first.
    expect(await service.refresh(EVENT, id)).toBe('rendered');
    const current = (await badges.get(EVENT, id))!;
    const slow = new BadgeService({
      reader: { getInvitation: async () => older, getEvent: (e) => store.getEvent(e), listInvitations: (e) => store.listInvitations(e) },
      ledger: badges,
      storage: badges,
      clock,
      leaseMs: 60_000,
      render: { fonts: loadBadgeFonts(), signer: createCredentialSigner(seedFromSecret('unit')) },
    });
    const objects = badges.objects.size;
    expect(await slow.refresh(EVENT, id)).toBe('unchanged');
    expect(await badges.get(EVENT, id)).toMatchObject({ fingerprint: current.fingerprint, key: current.key, version: current.version });
    expect(badges.objects.size).toBe(objects); // what it wrote is gone again
    expect(await service.link(EVENT, id)).toContain('/Lucja-');
  });

  it('builds one print sheet of all confirmed badges, reused while nothing changes, named in its reader’s language', async () => {
    await answer({ responses: [{ sessionId: 'welcome-cocktail', attending: true }] });
    const sheet = await service.printSheet(EVENT, 'Letter');
    expect(sheet!.count).toBe(1);
    const objects = badges.objects.size;
    // The same sheet for every reader, each download named in theirs (the event's first language without one).
    const names: Array<[Language | undefined, string]> = [
      [undefined, `${summit().name.es} – gafetes – Letter.pdf`],
      ['es', `${summit().name.es} – gafetes – Letter.pdf`],
      ['en', `${summit().name.en} – badges – Letter.pdf`],
      ['fr', `${summit().name.fr} – porte-noms – Letter.pdf`],
    ];
    for (const [language, name] of names) {
      const url = new URL((await service.printSheet(EVENT, 'Letter', language))!.url);
      expect(url.searchParams.get('name')).toBe(name);
      expect(url.pathname).toBe(new URL(sheet!.url).pathname);
    }
    expect(badges.objects.size).toBe(objects);
  });
});
