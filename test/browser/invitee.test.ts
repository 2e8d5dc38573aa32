import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { EVENT_ID, eventually, fillSession, localCloud, mailTo, organizerApi } from '../e2e/support.js';
import { axeViolations, launchBrowser, rsvpLinkIn, screenshot } from './browser.js';

/**
 * An invitee on a phone: opens the link from the invitation email (aws-ses-v2-local's store),
 * answers in Spanish on a 390×844 viewport, sees what is confirmed and what is waitlisted.
 */
const FULL_SESSION = 'working-day-2';
const run = randomUUID().slice(0, 8);
const email = `browser.${run}@cumbre.example`;

let info: LocalCloudInfo;
let api: ReturnType<typeof organizerApi>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let link: string;

beforeAll(async () => {
  info = localCloud();
  api = organizerApi(info);
  const res = await api(`/events/${EVENT_ID}/invitations`, {
    method: 'POST',
    body: JSON.stringify({ email, name: 'Ana Navegador', title: 'Presidenta Municipal', organization: 'Ensenada', country: 'MX', category: 'mayor-mx', language: 'es', guests: 1 }),
  });
  expect(res.status).toBe(200);
  await fillSession(info, FULL_SESSION, run);
  link = await eventually(async () => rsvpLinkIn((await mailTo(info, email)).at(-1)), `the invitation email to ${email}`);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'es-MX' });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe('the invitee’s RSVP page', () => {
  it('opens from the emailed link in the invitee’s language, accessible and under the CSP', async () => {
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    const response = await page.goto(link);

    expect(response!.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await expect(page.locator('h1').textContent()).resolves.toBe('Cumbre de Alcaldes de América del Norte');
    expect(await page.locator('#accreditation').isHidden()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
    expect(requests.every((u) => u.startsWith(info.apiUrl))).toBe(true);
    await screenshot(page, 'rsvp-form-es');
  });

  it('shows the accreditation fields only once the presidential session is chosen', async () => {
    await page.check('#session-presidential-session-yes');
    expect(await page.locator('#accreditation').isVisible()).toBe(true);
    await page.check('#session-presidential-session-no');
    expect(await page.locator('#accreditation').isHidden()).toBe(true);
  });

  it('puts an error beside the field, in Spanish, keeping what was typed', async () => {
    await page.check('#session-welcome-cocktail-yes');
    await page.fill('#badgeName', 'Ana <Navegador>');
    await page.fill('#dietary', 'Sin gluten');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);

    expect(await page.textContent('#badgeName-error')).toBe('Use hasta 60 caracteres, sin < ni >.');
    expect(await page.inputValue('#badgeName')).toBe('Ana <Navegador>');
    expect(await page.inputValue('#dietary')).toBe('Sin gluten');
    expect(await page.isChecked('#session-welcome-cocktail-yes')).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement?: { id: string } } }).document.activeElement?.id)).toBe('error-summary');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rsvp-errors-es');
  });

  it('answers and sees what is confirmed and what is waitlisted, with the position', async () => {
    await page.fill('#badgeName', 'Ana Navegador');
    await page.check('#session-welcome-cocktail-yes');
    await page.check('#session-working-day-1-yes');
    await page.check(`#session-${FULL_SESSION}-yes`);
    await page.check('#session-presidential-session-yes');
    await page.selectOption('#nationality', 'MX');
    await page.fill('#idDocumentNumber', 'G12345678');
    await page.selectOption('#guests', '1');
    await page.check('#topic-border-cooperation');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);

    await expect(page.locator('h1').textContent()).resolves.toBe('Gracias, hemos recibido su respuesta');
    const confirmed = await page.textContent('section:has(#result-confirmed)');
    expect(confirmed).toContain('Cóctel de bienvenida');
    expect(confirmed).toContain('Sesión con el Presidente de México');
    const waitlisted = await page.textContent('section:has(#result-waitlisted)');
    expect(waitlisted).toContain('Sesiones de trabajo, día 2');
    expect(waitlisted).toMatch(/lugar \d+ en la lista de espera/);
    expect(await page.textContent('[role=status]')).toContain('Le enviamos un correo electrónico');
    expect(await page.getAttribute('a.button:not(.secondary)', 'href')).toMatch(/\/badge$/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rsvp-result-es');
  });

  it('switches language keeping the token, and shows the stored answer', async () => {
    await page.goto(`${link}?lang=fr`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.isChecked('#session-welcome-cocktail-yes')).toBe(true);
    expect(await page.textContent(`#session-${FULL_SESSION}-status`)).toContain('En liste d’attente');
    await page.click('nav.lang a[hreflang=en]');
    expect(page.url()).toBe(`${link}?lang=en`);
    expect(await page.textContent('button[type=submit]')).toBe('Send my answer');
    await screenshot(page, 'rsvp-form-en');
  });

  it('shows a friendly 404 for an unknown link', async () => {
    const response = await page.goto(`${info.apiUrl}/rsvp/${'x'.repeat(32)}`);
    expect(response!.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('No encontramos esta invitación');
    expect(await axeViolations(page)).toEqual([]);
  });
});
