import { randomUUID } from 'node:crypto';
import { PDFDocument, PDFName } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { REVOKED_OUTRIGHT } from '#domain/delegation.js';
import { inviteeText } from '#i18n/invitee/index.js';
import { EVENT_ID, eventually, localCloud, organizerApi } from '../e2e/support.js';
import { launchBrowser, screenshot } from './browser.js';

/**
 * Delegations on a phone with JavaScript turned off (axe needs scripts: the page's accessibility with
 * companion rows open is checked in invitee.test.ts): every companion row is on the page, the
 * invitee names two people, is refused beside a field in English, removes one by emptying the row,
 * and downloads the other's badge (made by the badge worker on the local cloud).
 */
const run = randomUUID().slice(0, 8);
const email = `delegation.${run}@cumbre.example`;
const t = inviteeText('en');

let info: LocalCloudInfo;
let api: ReturnType<typeof organizerApi>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let link: string;
let invitationId: string;

interface Detail {
  guests: number;
  companions?: Array<{ id: string; name: string; role: string; language: string }>;
  revocations?: Array<{ holder: string; below: number }>;
}
const detail = async () => (await (await api(`/events/${EVENT_ID}/invitations/${invitationId}`)).json()) as Detail;
const send = () => Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);

beforeAll(async () => {
  info = localCloud();
  api = organizerApi(info);
  const res = await api(`/events/${EVENT_ID}/invitations`, {
    method: 'POST',
    body: JSON.stringify([{ email, name: 'Grace Delegada', country: 'US', category: 'mayor-us', language: 'en', guests: 2, sessions: ['welcome-cocktail', 'working-day-1'] }]),
  });
  expect(res.status).toBe(200);
  const [result] = ((await res.json()) as { results: Array<{ id: string; rsvpUrl: string }> }).results;
  link = result.rsvpUrl;
  invitationId = result.id;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled: false, locale: 'en-US' });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe('companions on the RSVP page without JavaScript', () => {
  it('shows a row for each place the invitation admits, and no script-only buttons', async () => {
    await page.goto(link);

    expect(await page.locator('#companions legend').first().textContent()).toBe(t('companions.heading'));
    expect(await page.locator('#companion-1').isVisible()).toBe(true);
    expect(await page.locator('#companion-2').isVisible()).toBe(true);
    expect(await page.locator('#companion-add').isHidden()).toBe(true);
    expect(await page.locator('[data-remove]').first().isHidden()).toBe(true);
  });

  it('refuses a companion without a role beside the field, keeping what was typed', async () => {
    await page.check('#session-welcome-cocktail-yes');
    await page.fill('#companion-1-name', 'Ana Ruiz');
    await page.selectOption('#companion-1-role', 'adviser');
    await page.fill('#companion-2-name', 'Bo Chen');
    await send();

    expect(await page.textContent('#companion-2-role-error')).toBe(t('fieldErrors.companionRole'));
    expect(await page.getAttribute('#companion-2-role', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#companion-1-name')).toBe('Ana Ruiz');
    expect(await page.inputValue('#companion-2-name')).toBe('Bo Chen');
    expect((await detail()).companions).toBeUndefined();
    await screenshot(page, 'rsvp-companions-errors-en');
  });

  it('names two companions and sees them, each with a badge link, on the result page', async () => {
    await page.selectOption('#companion-2-role', 'interpreter');
    await page.selectOption('#companion-2-language', 'fr');
    await Promise.all([page.waitForURL(/result=sent/), page.click('button[type=submit]')]);

    const summary = await page.textContent('dl.summary');
    expect(summary).toContain(t('result.companion', { name: 'Ana Ruiz', role: t('companionRole.adviser') }));
    expect(summary).toContain(t('result.companion', { name: 'Bo Chen', role: t('companionRole.interpreter') }));
    expect(summary).toContain(t('result.guestCount', { count: 2 }));
    expect(await page.getAttribute('a[data-holder=c2]', 'href')).toMatch(/\/badge\?holder=c2$/);
    expect(await detail()).toMatchObject({
      guests: 2,
      companions: [
        { id: 'c1', name: 'Ana Ruiz', role: 'adviser', language: 'en' },
        { id: 'c2', name: 'Bo Chen', role: 'interpreter', language: 'fr' },
      ],
    });
    await screenshot(page, 'rsvp-companions-result-en');
  });

  it('downloads a companion’s own badge once the badge worker made it', async () => {
    const pdf = await eventually(
      async () => {
        const res = await fetch(`${link}/badge?holder=c2`, { headers: { accept: 'application/json' } });
        if (res.status !== 200) return undefined;
        const { url } = (await res.json()) as { url: string };
        return new Uint8Array(await (await fetch(url)).arrayBuffer());
      },
      'the badge of companion c2',
      90_000,
    );
    const doc = await PDFDocument.load(pdf);
    expect(doc.getTitle()).toBe('Bo Chen');
    // Printed in her companion's language (the document's /Lang).
    expect(String(doc.catalog.get(PDFName.of('Lang')))).toContain('fr');
  });

  it('removes a companion by emptying their row: their credential revoked, their badge gone', async () => {
    await eventually(async () => ((await fetch(`${link}/badge?holder=c1`, { headers: { accept: 'application/json' } })).status === 200 ? true : undefined), 'the badge of c1');
    await page.goto(link);
    await page.fill('#companion-1-name', '');
    await page.selectOption('#companion-1-role', '');
    await Promise.all([page.waitForURL(/result=/), page.click('button[type=submit]')]);

    expect(await page.textContent('dl.summary')).not.toContain('Ana Ruiz');
    const after = await detail();
    expect(after.companions!.map((c) => c.id)).toEqual(['c2']);
    expect(after.guests).toBe(1);
    expect(after.revocations).toEqual([{ holder: 'c1', below: REVOKED_OUTRIGHT }]);
    await eventually(
      async () => ((await fetch(`${link}/badge?holder=c1`, { headers: { accept: 'application/json' } })).status === 404 ? true : undefined),
      'c1’s badge taken down',
    );
    expect((await fetch(`${link}/badge?holder=c2`, { headers: { accept: 'application/json' } })).status).toBe(200);
  });
});
