import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { EVENT_ID, answer, eventually, localCloud } from '../e2e/support.js';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { AUDIT_ACTIONS } from '#domain/access/audit.js';
import { LANGUAGES, type Language } from '#domain/model.js';
import type { CapacityReport, EventDetail, ImportResponse, InvitationDetail } from '#domain/organizer-api.js';
import { LOCALES } from '#domain/time.js';
import { dashboardText } from '#i18n/dashboard/index.js';
import { axeViolations, launchBrowser, screenshot, signedInContext, visibleTexts, watchPage } from './browser.js';

/**
 * An admin creates an event from the dashboard, adds a session, and — once invitees have filled it
 * and others wait — raises its capacity and sees the waitlist promoted.
 */
const run = randomUUID().slice(0, 8);
const NEW_EVENT = `forum-${run}`;
const t = dashboardText('en');

let info: LocalCloudInfo;
let browser: Browser;
let page: Page;
let adminToken: string;
const cspViolations: string[] = [];
const pageErrors: string[] = [];

const asAdmin = (path: string, init: RequestInit = {}) =>
  fetch(`${info.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...init.headers } });
/** The forum's four invitees, imported by the capacity test; the trail test acts on them. */
let forum: ImportResponse['results'] = [];
const workshop = async () => ((await (await asAdmin(`/events/${NEW_EVENT}/capacity`)).json()) as CapacityReport).sessions.find((s) => s.sessionId === 'workshop');

beforeAll(async () => {
  info = localCloud();
  const admin = info.session.users?.find((u) => u.name === 'admin');
  if (!admin) throw new Error('the local cloud lists no admin in session.json');
  adminToken = admin.token;
  browser = await launchBrowser();
  const context = await signedInContext(browser, admin, { locale: 'en-US' });
  page = watchPage(await context.newPage(), pageErrors, cspViolations);
});

afterAll(async () => {
  await browser?.close();
});

describe('events from the dashboard', () => {
  it('creates an event (admin), in the summit’s categories and topics', async () => {
    await page.goto(`${info.apiUrl}/admin?lang=en&event=${EVENT_ID}`);
    await page.waitForSelector('#event-create', { state: 'visible' });
    await page.fill('#create-id', NEW_EVENT);
    await page.fill('#create-es', `Foro ${run}`);
    await page.fill('#create-en', `Forum ${run}`);
    await page.fill('#create-fr', `Forum ${run}`);
    await page.fill('#create-venue', 'Centro de Convenciones');
    await page.fill('#create-city', 'Monterrey');
    await page.selectOption('#create-country', { label: 'Mexico' });
    await page.fill('#create-timezone', 'America/Atlantis');
    await page.fill('#create-deadline', '2099-03-01T18:00');
    await page.fill('#create-session-id', 'plenary');
    await page.fill('#create-session-es', 'Plenaria');
    await page.fill('#create-session-en', 'Plenary');
    await page.fill('#create-session-fr', 'Plénière');
    await page.fill('#create-session-start', '2099-03-10T09:00');
    await page.fill('#create-session-end', '2099-03-10T12:00');
    await page.fill('#create-session-capacity', '50');
    // An unknown zone is refused naming the field, and nothing is created.
    await page.click('#event-create-submit');
    await eventually(
      async () => ((await page.textContent('#event-create-status')) === t('eventErrorFields', { fields: t('eventTimezone') }) ? true : undefined),
      'the timezone refusal',
    );
    expect((await asAdmin(`/events/${NEW_EVENT}`)).status).toBe(404);

    await page.fill('#create-timezone', 'America/Monterrey');
    await page.click('#event-create-submit');
    await page.waitForSelector('#event-created-link');
    const created = (await (await asAdmin(`/events/${NEW_EVENT}`)).json()) as EventDetail;
    expect(created.definition).toMatchObject({ id: NEW_EVENT, version: 1, timezone: 'America/Monterrey' });
    const summit = (await (await asAdmin(`/events/${EVENT_ID}`)).json()) as EventDetail;
    expect(created.definition.categories).toEqual(summit.definition.categories);
    await page.click('#event-created-link');
    await page.waitForURL(new RegExp(`event=${NEW_EVENT}`));
    await page.waitForSelector('#event-sessions tr[data-session="plenary"]');
  });

  it('adds a session to it', async () => {
    await page.fill('#new-session-id', 'workshop');
    await page.fill('#new-session-es', 'Taller');
    await page.fill('#new-session-en', 'Workshop');
    await page.fill('#new-session-fr', 'Atelier');
    await page.fill('#new-session-start', '2099-03-10T14:00');
    await page.fill('#new-session-end', '2099-03-10T16:00');
    await page.fill('#new-session-capacity', '2');
    await page.click('#event-save');
    await page.waitForSelector('#event-sessions tr[data-session="workshop"]');
    expect(await page.textContent('#event-version')).toBe(t('eventVersion', { version: 2 }));
    expect(await workshop()).toMatchObject({ capacity: 2, confirmed: 0 });
  });

  it('raises the session’s capacity and sees the waitlist promoted', async () => {
    // Four invitees answer yes to the two-seat workshop: two confirmed, two waiting.
    const rows = Array.from({ length: 4 }, (_, i) => ({
      email: `forum.${run}.${i}@cumbre.example`,
      name: `Invitee ${run} ${i}`,
      country: 'MX',
      category: 'academic',
      language: 'en',
      sessions: ['workshop'],
    }));
    const imported = (await (await asAdmin(`/events/${NEW_EVENT}/invitations`, { method: 'POST', body: JSON.stringify(rows) })).json()) as ImportResponse;
    forum = imported.results;
    for (const r of imported.results) expect((await answer(r.rsvpUrl!, { responses: [{ sessionId: 'workshop', attending: true }] })).status).toBe(200);
    expect(await workshop()).toMatchObject({ confirmed: 2, waitlisted: 2 });

    await page.reload();
    await page.waitForSelector('#event-sessions tr[data-session="workshop"]');
    expect(await page.textContent('#event-sessions tr[data-session="workshop"] th .meta')).toBe(t('eventSessionTaken', { seats: 2, waiting: 2 }));
    // Lowering below the seats taken is refused, stating them.
    await page.fill('#session-workshop-capacity', '1');
    await page.click('#event-save');
    await eventually(async () => ((await page.textContent('#event-status')) === t('eventErrorCapacity', { seats: 2 }) ? true : undefined), 'the capacity refusal');

    await page.fill('#session-workshop-capacity', '4');
    await page.click('#event-save');
    await eventually(async () => ((await page.textContent('#event-status')) === t('eventSaved', { version: 3, promoted: 2 }) ? true : undefined), 'the saved edit');
    expect(await page.textContent('#event-sessions tr[data-session="workshop"] th .meta')).toBe(t('eventSessionTaken', { seats: 4, waiting: 0 }));
    expect(await workshop()).toMatchObject({ capacity: 4, confirmed: 4, waitlisted: 0 });
    // The capacity bars follow: the workshop's bar draws four confirmed seats and nobody waiting.
    await eventually(async () => {
      const parts = await page.$$eval('#capacity-bars [data-session="workshop"] rect', (rects) =>
        Object.fromEntries(rects.map((r) => [r.getAttribute('data-part'), Number(r.getAttribute('data-value'))])),
      );
      return parts.confirmed === 4 && (parts.waitlisted ?? 0) === 0 ? true : undefined;
    }, 'the workshop bar with four confirmed');
    // The promoted are told.
    await eventually(async () => {
      const store = (await (await fetch(`${info.mailUrl}/store`)).json()) as { emails: Array<{ subject: string; destination: { to: string[] } }> };
      const promoted = store.emails.filter((e) => e.destination.to.some((to) => to.includes(`forum.${run}.`)) && e.subject.startsWith('Seat confirmed'));
      return promoted.length === 2 ? true : undefined;
    }, 'two promotion emails');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#event').evaluate((section) => (section as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'start' }));
    await screenshot(page, 'admin-event-edit', { fullPage: false });
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  /**
   * The event's trail in every language: each kind of record an event's own people make (every
   * action of AUDIT_ACTIONS but admin's people trail and security's accreditation records, which
   * access.test.ts reads) shows as words: sessions, categories, countries, languages and statuses by
   * their names, an event edit by what it changed, a message by its subject and audience. No id,
   * code or record structure shows, on the page or in its export.
   */
  it('keeps a trail of the event that reads in words, in es, en and fr', async () => {
    const elsewhere = ['accreditation.read', 'clearances.read', 'clearance.changed'];
    const expected = AUDIT_ACTIONS.filter((a) => !a.startsWith('person.') && !elsewhere.includes(a));
    const [edited, revoked, replaced] = forum.map((r) => r.id);
    const ok = async (res: Response) => {
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return res;
    };
    // Changes pinned to the version read, as the dashboard sends them. The workers write to an
    // invitation too (its emails' delivery, its badge): a 409 stale_version is the API asking to
    // read again and re-apply, which is what the dashboard's editor does.
    const pinned = async (id: string, send: (version: number) => Promise<Response>) => {
      for (let attempt = 1; ; attempt++) {
        const version = ((await (await asAdmin(`/events/${NEW_EVENT}/invitations/${id}`)).json()) as InvitationDetail).version;
        const res = await send(version);
        if (res.status !== 409 || ((await res.clone().json()) as { error: string }).error !== 'stale_version' || attempt === 5) return ok(res);
      }
    };
    const post = (path: string, body?: object) => asAdmin(`/events/${NEW_EVENT}${path}`, { method: 'POST', ...(body ? { body: JSON.stringify(body) } : {}) });
    await ok(await post(`/invitations/${edited}/resend`));
    await pinned(edited, (version) =>
      asAdmin(`/events/${NEW_EVENT}/invitations/${edited}`, {
        method: 'PATCH',
        body: JSON.stringify({ version, country: 'CA', category: 'mayor-ca', language: 'fr', sessions: ['plenary', 'workshop'] }),
      }),
    );
    await ok(
      await post(`/invitations/${edited}/answer`, {
        responses: [
          { sessionId: 'plenary', attending: true },
          { sessionId: 'workshop', attending: false },
        ],
      }),
    );
    await pinned(revoked, (version) => post(`/invitations/${revoked}/revoke`, { version, reason: 'Duplicada' }));
    await pinned(replaced, (version) => post(`/invitations/${replaced}/replace`, { version, email: `deputy.${run}@cumbre.example`, name: `Deputy ${run}` }));
    const filter = { sessionId: 'workshop', status: 'confirmed', category: 'academic', country: 'MX', language: 'en' };
    const content = { es: { subject: 'Aviso del foro', body: 'Texto' }, en: { subject: 'Forum notice', body: 'Text' } };
    await ok(await post('/messages', { content, filter, requestId: randomUUID() }));
    await ok(await post('/reminders/run'));
    const definition = ((await (await asAdmin(`/events/${NEW_EVENT}`)).json()) as EventDetail).definition;
    const summit = ((await (await asAdmin(`/events/${EVENT_ID}`)).json()) as EventDetail).definition;

    for (const language of LANGUAGES) {
      const t = dashboardText(language);
      const locale = LOCALES[language];
      const country = (code: string) => new Intl.DisplayNames([locale], { type: 'region' }).of(code)!;
      const languageName = (code: string) => new Intl.DisplayNames([locale], { type: 'language' }).of(code)!;
      const list = (items: string[]) => new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
      const session = (id: string) => definition.sessions.find((s) => s.id === id)!.name[language];
      const category = (id: string) => summit.categories.find((c) => c.id === id)!.name[language];
      const change = (field: string, before: string, after: string) => t('auditChange', { field: t(field as 'auditField.other'), before, after });

      await page.goto(`${info.apiUrl}/admin?lang=${language}&event=${NEW_EVENT}`);
      await page.waitForSelector('#audit', { state: 'visible' });
      for (const action of expected) await page.locator(`#audit-rows li[data-action="${action}"]`).first().waitFor();
      const line = async (action: string) => (await page.locator(`#audit-rows li[data-action="${action}"]`).allTextContents()).join('\n');

      expect(await line('event.created')).toContain(`Fo${language === 'es' ? 'ro' : 'rum'} ${run}`);
      const updates = await line('event.updated');
      expect(updates).toContain(t('auditSessionAdded', { session: session('workshop') }));
      expect(updates).toContain(t('auditCapacity', { session: session('workshop'), from: 2, to: 4, promoted: 2 }));
      // Both edits changed sessions only: no field of the event itself is named (a re-sent definition is no change).
      expect(updates).not.toContain(t('auditEventChanged', { fields: '' }).trim());
      const edits = await line('invitation.edited');
      expect(edits).toContain(change('auditField.country', country('MX'), country('CA')));
      expect(edits).toContain(change('auditField.category', category('academic'), category('mayor-ca')));
      expect(edits).toContain(change('auditField.language', languageName('en'), languageName('fr')));
      expect(edits).toContain(change('auditField.sessions', list([session('workshop')]), list([session('plenary'), session('workshop')])));
      const answered = await line('invitation.answered');
      expect(answered).toContain(t('auditAnswer', { session: session('plenary'), attending: 'yes' }));
      expect(answered).toContain(t('auditAnswer', { session: session('workshop'), attending: 'no' }));
      const revocation = await line('invitation.revoked');
      expect(revocation).toContain(t('auditReason', { reason: 'Duplicada' }));
      expect(revocation).toContain(t('history.seat.freed', { seats: 1, session: session('workshop') }));
      expect(revocation).toContain(change('auditField.status', t('status.confirmed'), t('status.revoked')));
      expect(await line('invitation.replaced')).toContain(change('auditField.name', `Invitee ${run} 2`, `Deputy ${run}`));
      const message = await line('message.sent');
      // The subject in the reader's language, else the first written (es before en before fr).
      expect(message).toContain(t('auditMessageSubject', { subject: content[language === 'en' ? 'en' : 'es'].subject }));
      expect(message).toContain(t('messageCount', { count: 2 }));
      const audience = [
        t('labelled', { label: t('messageSession'), text: session('workshop') }),
        t('labelled', { label: t('statusFilter'), text: t('status.confirmed') }),
        t('labelled', { label: t('auditField.category'), text: category('academic') }),
        t('labelled', { label: t('auditField.country'), text: country('MX') }),
        t('labelled', { label: t('auditField.language'), text: languageName('en') }),
      ].join(', ');
      expect(message).toContain(t('auditAudience', { who: audience }));
      expect(await line('reminders.run')).toContain(t('remindersQueued', { reminders: 0, dayBefore: 0 }));

      await page.locator('#audit').evaluate((section) => (section as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'start' }));
      await screenshot(page, `admin-event-audit-${language}`, { fullPage: false });
      const texts = await visibleTexts(page, '#audit', '[hidden], script');
      expect(rawTokens(texts, language)).toEqual([]);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-export')]);
      const rows: string[][] = parse(await readFile(await download.path()), { bom: true });
      expect(rawTokens(rows.flat(), language)).toEqual([]);
    }
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/**
 * Ids, codes and record structure in a trail's texts: the forum's and its sessions' ids, invitation
 * ids, category and status codes, country codes, action names, JSON and what a missing value prints.
 */
const RAW_TOKENS = new Set(['workshop', 'plenary', 'academic', 'mayor-ca', 'MX', 'CA', 'undefined', 'null', 'NaN']);
/** Status codes are English words ("Invitation revoked"): raw only on a page in another language. */
const STATUS_CODES = ['confirmed', 'waitlisted', 'declined', 'pending', 'revoked'];
const rawTokens = (texts: string[], language: Language) =>
  texts.filter(
    (x) =>
      x.includes(NEW_EVENT) ||
      /inv_[0-9a-f]{6}|[{}]|":|\[object/.test(x) ||
      AUDIT_ACTIONS.some((a) => x.includes(a)) ||
      x.split(/[\s,.:;·→«»“”()\u202f]+/u).some((token) => RAW_TOKENS.has(token) || (language !== 'en' && STATUS_CODES.includes(token))),
  );
