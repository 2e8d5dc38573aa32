import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmailDeliveryService } from '#domain/email/delivery.js';
import { InvitationService } from '#domain/invitations.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { emailText } from '#i18n/email/index.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { readMessage } from '../fixtures/mime-parts.js';
import { MemoryEmailLedger, RecordingMailer } from '../fixtures/memory-workflow.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';

/**
 * An invitee's answers, end to end in memory: the RSVP core writes its outbox, every record is
 * handed to the email worker's service as the stream would, and what reaches the mailer is read
 * back as an invitee (and their calendar client) would read it.
 */
const EVENT = 'na-mayors-summit-2019';
const clock = fixedClock(BEFORE_DEADLINE);
const def = summit();
const nameOf = (id: string, language: 'es' | 'en' | 'fr') => def.sessions.find((s) => s.id === id)!.name[language];

let store: MemoryStore;
let mailer: RecordingMailer;
let emails: EmailDeliveryService;
let token: string;
let invitationId: string;
let delivered = 0;

/** Hands every outbox record not yet seen to the email service, and returns the messages it sent. */
const deliver = async () => {
  const before = mailer.sent.length;
  for (const event of store.outbox.slice(delivered)) await emails.handle(event);
  delivered = store.outbox.length;
  return mailer.sent.slice(before).map((m) => readMessage(Buffer.from(m.raw).toString('utf8')));
};

const answer = (body: object) => new RsvpService({ store, clock, ids: sequentialIds(`r${store.outbox.length}`), backoff: async () => {} }).respond(token, parseRsvpRequest(body));

/** The session a line of the email's text lists, and the outcome heading it sits under. */
const outcomeOf = (text: string, session: string, language: 'es' | 'en' | 'fr') => {
  const t = emailText(language);
  const at = text.indexOf(`- ${session}\n`);
  expect(at, `${session} in\n${text}`).toBeGreaterThan(0);
  const headings = (['confirmed', 'waitlisted', 'declined', 'pending'] as const).map((o) => [o, text.lastIndexOf(`${t(`outcome.${o}`)}\n`, at)] as const);
  return headings.sort((a, b) => b[1] - a[1])[0][0];
};

const calendar = (ics: string) => {
  const root = new ICAL.Component(ICAL.parse(ics));
  return {
    method: root.getFirstPropertyValue('method'),
    events: root.getAllSubcomponents('vevent').map((v) => ({
      uid: String(v.getFirstPropertyValue('uid')),
      sequence: Number(v.getFirstPropertyValue('sequence')),
      status: String(v.getFirstPropertyValue('status')),
      summary: String(v.getFirstPropertyValue('summary')),
    })),
  };
};

beforeEach(async () => {
  store = new MemoryStore();
  await store.putEventDefinition(def);
  mailer = new RecordingMailer();
  const ledger = new MemoryEmailLedger();
  emails = new EmailDeliveryService({
    reader: store,
    ledger,
    mailer,
    deliveries: { recordDelivery: async () => 'recorded' as const },
    clock,
    tokenSecret: 'answers',
    publicBaseUrl: 'https://rsvp.example.org',
    sender: { name: 'Cumbre', address: 'invitations@cumbre.example' },
    leaseMs: 60_000,
  });
  const [created] = await new InvitationService({ store, clock, ids: sequentialIds('i'), tokenSecret: 'answers', publicBaseUrl: 'https://rsvp.example.org' }).import(EVENT, [
    { row: 1, data: invitee(3, { language: 'es' }) },
  ]);
  token = created.rsvpUrl!.split('/rsvp/')[1]!;
  invitationId = created.id;
  delivered = 0;
  expect((await deliver()).map((m) => m.subject)).toEqual([emailText('es')('invitation.subject', { event: def.name.es })]);
  // The President's session is full: a "yes" there waitlists.
  const presidential = store.events.get(EVENT)!.sessions.get('presidential-session')!;
  presidential.confirmedSeats = presidential.capacity;
});

describe('the email about an answer', () => {
  it('is one email for a mixed answer, naming every session under its outcome, with a calendar of the confirmed ones', async () => {
    await answer({
      responses: [
        { sessionId: 'welcome-cocktail', attending: true },
        { sessionId: 'working-day-1', attending: true },
        { sessionId: 'presidential-session', attending: true },
        { sessionId: 'working-day-2', attending: false },
      ],
      accreditation: { nationality: 'MX', idDocumentNumber: 'G1234567' },
    });

    const sent = await deliver();

    expect(sent).toHaveLength(1);
    const [email] = sent;
    const t = emailText('es');
    expect(email.subject).toBe(t('confirmation.subject', { outcome: 'confirmed', event: def.name.es }));
    expect(email.text).not.toContain(t('declined.intro'));
    expect(outcomeOf(email.text, nameOf('welcome-cocktail', 'es'), 'es')).toBe('confirmed');
    expect(outcomeOf(email.text, nameOf('working-day-1', 'es'), 'es')).toBe('confirmed');
    expect(outcomeOf(email.text, nameOf('presidential-session', 'es'), 'es')).toBe('waitlisted');
    expect(outcomeOf(email.text, nameOf('working-day-2', 'es'), 'es')).toBe('declined');
    const ics = calendar(email.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.body);
    expect(ics.method).toBe('PUBLISH');
    expect(ics.events.map((e) => [e.summary, e.status])).toEqual([
      [nameOf('welcome-cocktail', 'es'), 'CONFIRMED'],
      [nameOf('working-day-1', 'es'), 'CONFIRMED'],
    ]);
  });

  it('cancels, in the calendar, a session declined after it was confirmed: same UID, higher SEQUENCE, in the language now chosen', async () => {
    await answer({
      responses: [
        { sessionId: 'welcome-cocktail', attending: true },
        { sessionId: 'working-day-1', attending: true },
      ],
    });
    const [first] = await deliver();
    const before = calendar(first.attachments[0].body);

    await answer({ responses: [{ sessionId: 'welcome-cocktail', attending: false }], language: 'fr' });
    const sent = await deliver();

    expect(sent).toHaveLength(1);
    const [second] = sent;
    expect((await store.getInvitation(EVENT, invitationId))!.language).toBe('fr');
    expect(second.subject).toBe(emailText('fr')('confirmation.subject', { outcome: 'confirmed', event: def.name.fr }));
    expect(outcomeOf(second.text, nameOf('welcome-cocktail', 'fr'), 'fr')).toBe('declined');
    expect(second.text).toContain(emailText('fr')('calendarCancelled', { count: 1, sessions: nameOf('welcome-cocktail', 'fr') }));
    const after = calendar(second.attachments[0].body);
    const cocktailBefore = before.events.find((e) => e.summary === nameOf('welcome-cocktail', 'es'))!;
    const cocktailAfter = after.events.find((e) => e.uid === cocktailBefore.uid)!;
    expect(cocktailAfter).toMatchObject({ status: 'CANCELLED' });
    expect(cocktailAfter.sequence).toBeGreaterThan(cocktailBefore.sequence);
    const day1Before = before.events.find((e) => e.summary === nameOf('working-day-1', 'es'))!;
    expect(after.events.find((e) => e.uid === day1Before.uid)).toMatchObject({ status: 'CONFIRMED' });
  });

  it('is the regret only when every session is declined, and its calendar file cancels what was confirmed', async () => {
    await answer({
      responses: [
        { sessionId: 'welcome-cocktail', attending: true },
        { sessionId: 'working-day-2', attending: false },
      ],
    });
    const [mixed] = await deliver();
    expect(mixed.text).not.toContain(emailText('es')('declined.intro'));

    await answer({ responses: def.sessions.map((s) => ({ sessionId: s.id, attending: false })) });
    const sent = await deliver();

    expect(sent).toHaveLength(1);
    expect(sent[0].subject).toBe(emailText('es')('declined.subject', { event: def.name.es }));
    expect(sent[0].text).toContain(emailText('es')('declined.intro'));
    const ics = calendar(sent[0].attachments[0].body);
    expect(ics.method).toBe('CANCEL');
    expect(sent[0].attachments[0].contentType).toMatch(/method=CANCEL/);
    expect(ics.events.map((e) => [e.summary, e.status])).toEqual([[nameOf('welcome-cocktail', 'es'), 'CANCELLED']]);
  });

  it('states its own answer, in its own language, when a later answer is already stored (a queue backlog)', async () => {
    // Prepare: two answers land before the email worker reads either.
    await answer({
      responses: [
        { sessionId: 'welcome-cocktail', attending: true },
        { sessionId: 'working-day-1', attending: true },
      ],
      language: 'en',
    });
    await answer({ responses: [{ sessionId: 'welcome-cocktail', attending: false }], language: 'fr' });

    // Act: the worker catches up.
    const [first, second] = await deliver();

    // Assess: each email is a receipt of its own answer.
    expect(first.subject).toBe(emailText('en')('confirmation.subject', { outcome: 'confirmed', event: def.name.en }));
    expect(outcomeOf(first.text, nameOf('welcome-cocktail', 'en'), 'en')).toBe('confirmed');
    expect(outcomeOf(first.text, nameOf('working-day-1', 'en'), 'en')).toBe('confirmed');
    expect(second.subject).toBe(emailText('fr')('confirmation.subject', { outcome: 'confirmed', event: def.name.fr }));
    expect(outcomeOf(second.text, nameOf('welcome-cocktail', 'fr'), 'fr')).toBe('declined');
    const one = calendar(first.attachments[0].body);
    const two = calendar(second.attachments[0].body);
    expect(one.events.map((e) => [e.summary, e.status])).toEqual([
      [nameOf('welcome-cocktail', 'en'), 'CONFIRMED'],
      [nameOf('working-day-1', 'en'), 'CONFIRMED'],
    ]);
    const cocktail = one.events.find((e) => e.summary === nameOf('welcome-cocktail', 'en'))!;
    // The later answer's calendar wins in the client whichever email arrives last.
    expect(two.events.find((e) => e.uid === cocktail.uid)).toMatchObject({ status: 'CANCELLED' });
    expect(two.events.find((e) => e.uid === cocktail.uid)!.sequence).toBeGreaterThan(cocktail.sequence);
  });

  it('is not sent for an answer that changes no session', async () => {
    await answer({ responses: [{ sessionId: 'welcome-cocktail', attending: true }] });
    await deliver();
    await answer({ responses: [{ sessionId: 'welcome-cocktail', attending: true }], dietary: 'Vegetariano' });
    expect(await deliver()).toEqual([]);
  });
});
