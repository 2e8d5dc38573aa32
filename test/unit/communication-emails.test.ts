import { describe, expect, it } from 'vitest';
import { CommunicationSender } from '#domain/communications/sender.js';
import { verifyUnsubscribeToken } from '#domain/communications/unsubscribe.js';
import { ofTag } from '#domain/email/tags.js';
import { InvitationService } from '#domain/invitations.js';
import { LANGUAGES, type Invitation, type Language } from '#domain/model.js';
import { formatLocal } from '#domain/time.js';
import { invitationIdFor } from '#domain/tokens.js';
import { emailText } from '#i18n/email/index.js';
import { refusalFor } from '../../local/emulators/ses-strict.js';
import { MemoryCommunicationsStore } from '../fixtures/memory-communications.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { RecordingMailer } from '../fixtures/memory-workflow.js';
import { childParts, decodeBody, parseEntity, readMessage, type Part } from '../fixtures/mime-parts.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';

const EVENT = 'na-mayors-summit-2019';
const def = summit();
const BASE = 'https://rsvp.example.org';
const UNSUB_KEY = 'unsubscribe-key';
const HOSTILE = `<script>alert("x")</script> & "quotes"`;

/** One invitee per language, each sent one email of a kind through the real service; the raw MIME as SES gets it. */
const send = async (language: Language, kind: 'reminder' | 'day-before' | 'waitlist-note' | 'group', content?: Record<string, { subject: string; body: string }>) => {
  const core = new MemoryStore();
  await core.putEventDefinition(def);
  const clock = fixedClock(BEFORE_DEADLINE);
  await new InvitationService({ store: core, clock, ids: sequentialIds('imp'), tokenSecret: 'tok', publicBaseUrl: BASE }).import(EVENT, [
    { row: 1, data: invitee(1, { language }) },
  ]);
  const id = invitationIdFor(EVENT, invitee(1).email);
  const invitation = core.invitations.get(id)!;
  // A name no import accepts, as if stored by an older version: rendering must still be safe.
  invitation.name = `Ana ${HOSTILE}`;
  const at = BEFORE_DEADLINE.toISOString();
  if (kind === 'day-before')
    Object.assign(invitation, {
      status: 'confirmed',
      responses: { 'welcome-cocktail': { status: 'confirmed', seats: 1, updatedAt: at }, 'working-day-1': { status: 'confirmed', seats: 1, updatedAt: at } },
    } satisfies Partial<Invitation>);
  if (kind === 'waitlist-note')
    Object.assign(invitation, {
      status: 'waitlisted',
      responses: { 'welcome-cocktail': { status: 'waitlisted', seats: 1, waitlistTicket: 7, updatedAt: at } },
    } satisfies Partial<Invitation>);
  const store = new MemoryCommunicationsStore(core);
  const mailer = new RecordingMailer();
  const service = new CommunicationSender({
    store,
    clock,
    publicBaseUrl: BASE,
    ledger: store.ledger,
    mailer,
    deliveries: { recordDelivery: async () => 'recorded' },
    tokenSecret: 'tok',
    unsubscribeKey: UNSUB_KEY,
    sender: { name: 'Cumbre', address: 'invitations@cumbre.example' },
    leaseMs: 60_000,
  });
  if (kind === 'group') await store.putMessage({ id: 'm1', eventId: EVENT, content: content!, filter: {}, createdAt: at, createdBy: 'o@x', status: 'queued' });
  const base = { eventId: EVENT, invitationId: id };
  await service.deliver(
    kind === 'reminder'
      ? { ...base, emailId: `reminder:14:${id}`, kind: 'reminder', offsetDays: 14 }
      : kind === 'group'
        ? { ...base, emailId: `group:m1:${id}`, kind: 'group', messageId: 'm1' }
        : { ...base, emailId: `eve:2019-06-06:${id}`, kind: 'day-before', day: '2019-06-06' },
  );
  expect(mailer.sent).toHaveLength(1);
  const [email] = mailer.sent;
  const raw = Buffer.from(email.raw).toString('utf8');
  return { email, raw, headers: parseEntity(raw).headers, message: readMessage(raw), html: htmlOf(raw), id };
};

/** The decoded text/html part. */
const htmlOf = (raw: string) => {
  const leaves: Part[] = [];
  const walk = (part: Part): void => (/^multipart\//i.test(part.headers['content-type'] ?? '') ? childParts(part).forEach(walk) : void leaves.push(part));
  walk(parseEntity(raw));
  return decodeBody(leaves.find((p) => /^text\/html/i.test(p.headers['content-type'] ?? ''))!);
};

const contentIn = (languages: readonly Language[]) =>
  Object.fromEntries(
    languages.map((l) => [l, { subject: `Subject ${l} — ñ`, body: `Body ${l} ${HOSTILE}\nSee https://summit.example.org/program?day=1&x=2.\n\nSecond paragraph.` }]),
  );

describe.each(LANGUAGES)('communications in %s', (language) => {
  const t = emailText(language);
  const eventName = def.name[language];

  const assertCommon = (sent: Awaited<ReturnType<typeof send>>) => {
    // RFC 8058 one-click: both headers, the link verifies for this invitation, and it is in the text too.
    const link = /^<(https:\/\/rsvp\.example\.org\/unsubscribe\/([^>]+))>$/.exec(sent.headers['list-unsubscribe']);
    expect(link).not.toBeNull();
    expect(sent.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(verifyUnsubscribeToken(UNSUB_KEY, link![2])).toEqual({ eventId: EVENT, invitationId: sent.id });
    expect(sent.message.text).toContain(link![1]);
    expect(sent.message.text).toContain(t('unsubscribe.note'));
    // The personal RSVP link, and the strict SES layer takes the request as the mailer sends it.
    expect(sent.message.text).toMatch(/https:\/\/rsvp\.example\.org\/rsvp\/[A-Za-z0-9_-]{32}/);
    expect(
      refusalFor({
        Destination: { ToAddresses: [sent.email.to] },
        EmailTags: Object.entries(sent.email.tags).map(([Name, Value]) => ({ Name, Value })),
        Content: { Raw: { Data: Buffer.from(sent.email.raw).toString('base64') } },
      }),
    ).toBeUndefined();
    // Its report is ordered against the invitation's other emails by its sending.
    expect(ofTag(sent.email.tags.of)).toBe(BEFORE_DEADLINE.toISOString());
    // Plain text shows the name as stored; the HTML escapes it, and carries the same links as anchors.
    expect(sent.message.text).toContain(`Ana ${HOSTILE}`);
    expect(sent.html).not.toContain('<script>');
    expect(sent.html).toContain('Ana &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(sent.html).toContain(`href="${link![1]}"`);
  };

  it('reminder: says how long is left and links the invitation', async () => {
    const sent = await send(language, 'reminder');
    assertCommon(sent);
    expect(sent.message.subject).toBe(t('reminder.subject', { event: eventName }));
    expect(sent.message.text).toContain(t('reminder.intro', { days: 31, deadline: formatLocal(def.rsvpDeadline, def.timezone, language, 'dateTime') }));
    expect(sent.message.text).toContain(t('invitation.action'));
    expect(sent.message.attachments).toEqual([]);
  });

  it('day-before: that day’s sessions only, venue, badge link and a calendar file of them', async () => {
    const sent = await send(language, 'day-before');
    assertCommon(sent);
    expect(sent.message.subject).toBe(t('dayBefore.subject', { event: eventName }));
    const cocktail = def.sessions.find((s) => s.id === 'welcome-cocktail')!;
    const day1 = def.sessions.find((s) => s.id === 'working-day-1')!;
    expect(sent.message.text).toContain(cocktail.name[language]);
    expect(sent.message.text).not.toContain(day1.name[language]);
    expect(sent.message.text).toContain(def.venue.name);
    expect(sent.message.text).toMatch(/https:\/\/rsvp\.example\.org\/rsvp\/[A-Za-z0-9_-]{32}\/badge/);
    expect(sent.message.text).toContain(t('dayBefore.calendar'));
    const [ics] = sent.message.attachments;
    expect(ics.contentType).toMatch(/^text\/calendar/);
    expect(ics.body.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(ics.body).toContain(`${sent.id}`);
  });

  it('waitlist note: where they stand, and no calendar', async () => {
    const sent = await send(language, 'waitlist-note');
    assertCommon(sent);
    expect(sent.message.subject).toBe(t('waitlistNote.subject', { event: eventName }));
    expect(sent.message.text).toContain(t('waitlistPosition', { position: 1 }));
    expect(sent.message.text).toContain(t('waitlistNote.next'));
    expect(sent.message.attachments).toEqual([]);
  });

  it('group message: the organizer’s text in the reader’s language, escaped, with its links clickable in HTML', async () => {
    const sent = await send(language, 'group', contentIn(LANGUAGES));
    assertCommon(sent);
    expect(sent.message.subject).toBe(`Subject ${language} — ñ`);
    expect(sent.message.text).toContain(`Body ${language} ${HOSTILE}\nSee https://summit.example.org/program?day=1&x=2.`);
    // The trailing period is punctuation, not part of the link.
    expect(sent.html).toContain(
      `Body ${language} &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;<br>See <a href="https://summit.example.org/program?day=1&amp;x=2"`,
    );
    expect(sent.html).toContain('<p style="margin:0 0 16px;">Second paragraph.</p>');
  });

  it('group message: a missing language falls back to the first present in es, en, fr order', async () => {
    const others = LANGUAGES.filter((l) => l !== language);
    const sent = await send(language, 'group', contentIn(others));
    expect(sent.message.subject).toBe(`Subject ${others[0]} — ñ`);
  });
});
