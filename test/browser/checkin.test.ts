import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import type { ArrivalsReport } from '#domain/checkin/service.js';
import type { CapacityReport } from '#domain/organizer-api.js';
import { dashboardText } from '#i18n/dashboard/index.js';
import { EVENT_ID, answer, eventually, localCloud, organizerApi } from '../e2e/support.js';
import { axeViolations, launchBrowser, screenshot, watchPage } from './browser.js';
import { renderPdfToPng } from './pdf-render.js';
import { SUMMIT_CATEGORIES } from '#domain/summit-seed.js';

/**
 * The door on the summit day: real badges (the PDFs the badge worker stored, rendered to pixels by
 * pdf.js) scanned through the check-in page's photo fallback, with the browser offline — green,
 * the first scan for a duplicate, red for a superseded badge and for someone security has not
 * cleared at the President's session — then back online: every check-in on the dashboard once,
 * a badge admitted at two doors offline recorded once and shown as a conflict.
 */
const run = randomUUID().slice(0, 8);
const en = dashboardText('en');
let info: LocalCloudInfo;
let api: ReturnType<typeof organizerApi>;
let browser: Browser;
const pageErrors: string[] = [];
const cspViolations: string[] = [];

type Who = 'valid' | 'twoDoors' | 'reissued' | 'cleared' | 'uncleared';
const people: Record<Who, { id: string; name: string; rsvpUrl: string; png?: Buffer; oldPng?: Buffer }> = {} as never;
let ordinary: string;
const GUARDED = 'presidential-session';

const userNamed = (name: string) => {
  const user = info.session.users?.find((u) => u.name === name);
  if (!user) throw new Error(`no ${name} user in session.json`);
  return user;
};
const badgeUrl = async (id: string) => {
  const res = await api(`/events/${EVENT_ID}/invitations/${id}/badge`, { headers: { accept: 'application/json' } });
  return res.status === 200 ? ((await res.json()) as { url: string }).url : undefined;
};
const pdfAt = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
const arrivals = async () => (await (await api(`/events/${EVENT_ID}/checkin/arrivals`)).json()) as ArrivalsReport;

/** Signs a door device in (with the network), waits for its package and for its service worker to control the page. */
const openDoor = async (context: BrowserContext, doorName: string) => {
  const page = watchPage(await context.newPage(), pageErrors, cspViolations);
  await page.goto(`${info.apiUrl}/checkin?lang=en&event=${EVENT_ID}`);
  await page.waitForSelector('#signin', { state: 'visible' });
  const door = userNamed('door');
  await page.fill('#username', door.username);
  await page.fill('#password', door.password);
  await page.click('#signin-submit');
  await page.waitForSelector('#door', { state: 'visible' });
  await page.evaluate(async () => {
    const nav = (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown> } } }).navigator;
    await nav.serviceWorker.ready;
  });
  // A reload proves the worker controls the page (the shell comes from its cache when offline).
  await page.reload();
  await page.waitForSelector('#door', { state: 'visible' });
  await page.waitForFunction(() => (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker.controller !== null);
  await page.fill('#door-name', doorName);
  await page.dispatchEvent('#door-name', 'change');
  return page;
};

const scan = async (page: Page, png: Buffer, sessionId: string) => {
  await page.selectOption('#session', sessionId);
  const before = Number((await page.getAttribute('#verdict', 'data-count')) ?? '0');
  await page.setInputFiles('#photo', { name: 'badge.png', mimeType: 'image/png', buffer: png });
  await page.waitForFunction(
    (n) =>
      Number((globalThis as unknown as { document: { getElementById(id: string): { dataset: { count?: string } } } }).document.getElementById('verdict').dataset.count ?? '0') > n,
    before,
  );
  return {
    kind: await page.getAttribute('#verdict', 'data-kind'),
    reason: await page.getAttribute('#verdict', 'data-reason'),
    title: await page.textContent('#verdict-title'),
    name: await page.textContent('#verdict-name'),
    detail: await page.textContent('#verdict-detail'),
  };
};

beforeAll(async () => {
  info = localCloud();
  api = organizerApi(info);
  const capacity = (await (await api(`/events/${EVENT_ID}/capacity`)).json()) as CapacityReport;
  const guarded = capacity.sessions.find((s) => s.sessionId === GUARDED)!;
  // Other files fill sessions; the door uses one with room for everyone here.
  ordinary = capacity.sessions.find((s) => s.sessionId !== GUARDED && s.free >= 6)!.sessionId;
  expect(guarded.free).toBeGreaterThanOrEqual(2);

  const who: Record<Who, string[]> = {
    valid: [ordinary],
    twoDoors: [ordinary],
    reissued: [ordinary],
    cleared: [ordinary, GUARDED],
    uncleared: [ordinary, GUARDED],
  };
  const rows = Object.entries(who).map(([key, sessions]) => ({
    email: `door.${key}.${run}@cumbre.example`,
    name: `Door ${key} ${run}`,
    organization: `City ${run}`,
    country: 'MX',
    category: 'mayor-mx',
    language: 'en',
    sessions,
  }));
  const res = await api(`/events/${EVENT_ID}/invitations`, { method: 'POST', body: JSON.stringify(rows) });
  expect(res.status).toBe(200);
  const { results } = (await res.json()) as { results: Array<{ id: string; rsvpUrl: string }> };
  (Object.keys(who) as Who[]).forEach((key, i) => (people[key] = { id: results[i].id, name: rows[i].name, rsvpUrl: results[i].rsvpUrl }));
  for (const key of Object.keys(who) as Who[]) {
    const accreditation = who[key].includes(GUARDED) ? { accreditation: { nationality: 'MX', idDocumentNumber: `AB${run}` } } : {};
    const reply = await answer(people[key].rsvpUrl, { responses: who[key].map((sessionId) => ({ sessionId, attending: true })), ...accreditation });
    expect(reply.status).toBe(200);
  }
  // Security clears one of the two accredited people.
  const security = userNamed('security');
  const cleared = await fetch(`${info.apiUrl}/events/${EVENT_ID}/accreditation/${people.cleared.id}/clearance`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${security.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'cleared', note: '' }),
  });
  expect(cleared.status).toBe(200);

  browser = await launchBrowser({ multiProcess: true });
  const renderer = await browser.newPage();
  for (const key of Object.keys(who) as Who[]) {
    // A loaded machine times the badge worker out now and then; its message comes back after the visibility timeout (6 min).
    const url = await eventually(() => badgeUrl(people[key].id), `the badge of ${key}`, 480_000);
    people[key].png = await renderPdfToPng(renderer, await pdfAt(url));
  }
  // Re-issue one badge (a new printed name): the old PDF's credential is superseded.
  const oldUrl = (await badgeUrl(people.reissued.id))!;
  people.reissued.oldPng = people.reissued.png;
  expect((await answer(people.reissued.rsvpUrl, { responses: [{ sessionId: ordinary, attending: true }], badgeName: `Reissued ${run}` })).status).toBe(200);
  const newUrl = await eventually(
    async () => {
      const url = await badgeUrl(people.reissued.id);
      return url && new URL(url).pathname !== new URL(oldUrl).pathname ? url : undefined;
    },
    'the re-issued badge',
    480_000,
  );
  people.reissued.png = await renderPdfToPng(renderer, await pdfAt(newUrl));
  await renderer.close();
}, 1_500_000);

afterAll(async () => {
  await browser?.close();
});

describe('check-in at the door, offline', () => {
  let north: Page;
  let south: Page;
  let northContext: BrowserContext;
  let southContext: BrowserContext;

  it('loads /checkin, signs door staff in, installs its worker and works with the network gone', async () => {
    northContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true, hasTouch: true });
    southContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true, hasTouch: true });
    north = await openDoor(northContext, 'North');
    south = await openDoor(southContext, 'South');
    expect(await axeViolations(north)).toEqual([]);
    const manifest = await north.evaluate(async () => (await fetch('/checkin/manifest.webmanifest')).json());
    expect(manifest).toMatchObject({ start_url: '/checkin', display: 'standalone' });

    await northContext.setOffline(true);
    await southContext.setOffline(true);
    // The page itself comes back from the service worker's cache, the event from IndexedDB.
    await north.reload();
    await north.waitForSelector('#door', { state: 'visible' });
    // The page tries the API at start; finding no network, it says so.
    await north.waitForFunction(
      () => (globalThis as unknown as { document: { getElementById(id: string): { dataset: { online?: string } } } }).document.getElementById('main').dataset.online === 'false',
    );
    expect(await north.textContent('#net-state')).toBe(en('checkin.offline'));
  });

  it('scans real badges: green, the first scan for a duplicate, red for a superseded badge, red for someone not cleared at the President’s session', async () => {
    const valid = await scan(north, people.valid.png!, ordinary);
    expect(valid).toMatchObject({ kind: 'admit', title: en('checkin.admit'), name: people.valid.name });
    expect(valid.detail).toContain(SUMMIT_CATEGORIES.find((c) => c.id === 'mayor-mx')!.name.en);

    const again = await scan(north, people.valid.png!, ordinary);
    expect(again).toMatchObject({ kind: 'duplicate', title: en('checkin.duplicate'), name: people.valid.name });
    expect(again.detail).toMatch(/First scanned at .+, door North/);

    const superseded = await scan(north, people.reissued.oldPng!, ordinary);
    expect(superseded).toMatchObject({ kind: 'refuse', reason: 'revoked' });
    expect(superseded.detail).toContain(en('checkin.reason.revoked'));
    const reissued = await scan(north, people.reissued.png!, ordinary);
    expect(reissued).toMatchObject({ kind: 'admit', name: `Reissued ${run}` });

    const uncleared = await scan(north, people.uncleared.png!, GUARDED);
    expect(uncleared).toMatchObject({ kind: 'refuse', reason: 'not_cleared', name: people.uncleared.name });
    expect(uncleared.detail).toContain(en('checkin.reason.not_cleared'));
    const notOnBadge = await scan(north, people.valid.png!, GUARDED);
    expect(notOnBadge).toMatchObject({ kind: 'refuse', reason: 'not_for_session' });
    const cleared = await scan(north, people.cleared.png!, GUARDED);
    expect(cleared).toMatchObject({ kind: 'admit', name: people.cleared.name });

    // The same badge at two doors, each device offline and unaware of the other.
    expect(await scan(north, people.twoDoors.png!, ordinary)).toMatchObject({ kind: 'admit' });
    expect(await scan(south, people.twoDoors.png!, ordinary)).toMatchObject({ kind: 'admit' });

    // All queued: the verified scans (8 here, 1 there) wait for the network.
    expect(await north.getAttribute('#main', 'data-queued')).toBe('8');
    expect(await south.getAttribute('#main', 'data-queued')).toBe('1');
    await screenshot(north, 'checkin-offline', { fullPage: false });
  });

  it('uploads when the network returns: every check-in on the dashboard exactly once, the two-door badge as one conflict', async () => {
    await northContext.setOffline(false);
    await southContext.setOffline(false);
    for (const page of [north, south]) {
      await page.click('#sync');
      await page
        .waitForFunction(
          () => (globalThis as unknown as { document: { getElementById(id: string): { dataset: { queued?: string } } } }).document.getElementById('main').dataset.queued === '0',
          undefined,
          { timeout: 60_000 },
        )
        .catch(async (err: Error) => {
          throw new Error(`${err.message}; the page says: ${await page.textContent('#status-line')}`);
        });
    }
    // A second sync (a retry after a lost answer) changes nothing.
    await north.click('#sync');
    await north.waitForFunction(
      () => (globalThis as unknown as { document: { getElementById(id: string): { dataset: { queued?: string } } } }).document.getElementById('main').dataset.queued === '0',
    );

    const report = await arrivals();
    const here = report.sessions.find((s) => s.id === ordinary)!;
    const mine = (key: Who) => here.arrivals.filter((a) => a.i === people[key].id);
    expect(mine('valid')).toHaveLength(1);
    expect(mine('valid')[0]).toMatchObject({ door: 'North', conflict: false, scans: [{ verdict: 'admit' }, { verdict: 'duplicate' }] });
    expect(mine('reissued')).toHaveLength(1);
    expect(mine('twoDoors')).toHaveLength(1);
    expect(mine('twoDoors')[0].conflict).toBe(true);
    expect(
      mine('twoDoors')[0]
        .scans.map((s) => s.door)
        .sort(),
    ).toEqual(['North', 'South']);
    expect(mine('uncleared')).toHaveLength(0);
    const guarded = report.sessions.find((s) => s.id === GUARDED)!;
    expect(guarded.arrivals.filter((a) => a.i === people.cleared.id)).toHaveLength(1);
    expect(guarded.arrivals.filter((a) => a.i === people.uncleared.id)).toHaveLength(0);
    expect(guarded.noShows.map((p) => p.i)).toContain(people.uncleared.id);

    // And on the dashboard itself, signed in as an organizer.
    const dashboard = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' })).newPage();
    await dashboard.goto(`${info.apiUrl}/admin?lang=en&event=${EVENT_ID}`);
    await dashboard.fill('#username', info.session.organizer.username);
    await dashboard.fill('#password', info.session.organizer.password);
    await dashboard.click('#signin-submit');
    const row = (key: Who, session: string) => dashboard.locator(`#arrivals [data-session="${session}"] tr[data-holder="${people[key].id}/"]`);
    await eventually(async () => ((await row('valid', ordinary).count()) === 1 ? true : undefined), 'the arrivals on the dashboard');
    for (const key of ['valid', 'reissued', 'twoDoors'] as Who[]) expect(await row(key, ordinary).count()).toBe(1);
    expect(await row('twoDoors', ordinary).getAttribute('data-conflict')).toBe('true');
    expect(await row('twoDoors', ordinary).textContent()).toContain('Admitted at two doors');
    expect(await row('cleared', GUARDED).count()).toBe(1);
    expect(await row('uncleared', GUARDED).count()).toBe(0);
    await dashboard.locator('#arrivals').evaluate((s) => (s as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
    await screenshot(dashboard, 'checkin-arrivals', { fullPage: false });
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
