import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { EVENT_ID, answer, eventually, localCloud } from '../e2e/support.js';
import type { CapacityReport, EventDetail, ImportResponse } from '#domain/organizer-api.js';
import { dashboardText } from '#i18n/dashboard/index.js';
import { axeViolations, launchBrowser, screenshot, signedInContext, watchPage } from './browser.js';

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
    await page.fill('#create-country', 'MX');
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
});
