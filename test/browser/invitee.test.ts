import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { inviteeCatalogues } from '#i18n/invitee/index.js';
import { LANGUAGES, TOPICS, type Language } from '#domain/model.js';
import { EVENT_ID, answer, eventually, fillSession, localCloud, mailTo, organizerApi } from '../e2e/support.js';
import { summit } from '../fixtures/summit.js';
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
/** A second invitee allowed two guests, answered through the JSON API: the plural's "many". */
let twoGuestsLink: string;

/** Everything a reader must never see: catalogue keys (dotted or camelCase), the event's ids, ICU syntax. */
const RAW = [
  ...Object.keys(inviteeCatalogues.es).filter((key) => /[.]|[a-z][A-Z]/.test(key)),
  ...summit().sessions.map((s) => s.id),
  ...TOPICS.filter((topic) => topic.includes('-')),
  EVENT_ID,
];
const rawVisible = async (p: Page) => {
  const text = await p.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText);
  return [...RAW.filter((raw) => text.includes(raw)), ...(/[{}]/.test(text) ? ['{…}'] : [])];
};

/** Elements whose content is wider than their box (text cut or pushing the page sideways). */
const overflowing = (p: Page) =>
  p.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: {
          documentElement: { scrollWidth: number; clientWidth: number };
          querySelectorAll: (s: string) => ArrayLike<{ scrollWidth: number; clientWidth: number; tagName: string; id: string; className: string; textContent: string | null }>;
        };
      }
    ).document;
    const out = Array.from(doc.querySelectorAll('body *'))
      .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !['SELECT', 'OPTION'].includes(el.tagName))
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}: ${(el.textContent ?? '').trim().slice(0, 40)}`);
    if (doc.documentElement.scrollWidth > doc.documentElement.clientWidth) out.push(`page ${doc.documentElement.scrollWidth} > ${doc.documentElement.clientWidth}`);
    return out;
  });

beforeAll(async () => {
  info = localCloud();
  api = organizerApi(info);
  const res = await api(`/events/${EVENT_ID}/invitations`, {
    method: 'POST',
    body: JSON.stringify([
      { email, name: 'Ana Navegador', title: 'Presidenta Municipal', organization: 'Ensenada', country: 'MX', category: 'mayor-mx', language: 'es', guests: 1 },
      { email: `pair.${run}@cumbre.example`, name: 'Dos Acompañantes', country: 'CA', category: 'mayor-ca', language: 'fr', guests: 2, sessions: ['welcome-cocktail'] },
    ]),
  });
  expect(res.status).toBe(200);
  twoGuestsLink = ((await res.json()) as { results: Array<{ rsvpUrl: string }> }).results[1].rsvpUrl;
  expect((await answer(twoGuestsLink, { responses: [{ sessionId: 'welcome-cocktail', attending: true }], guests: 2 })).status).toBe(200);
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
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
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
    // Her one guest, named (with JavaScript: the row opens with "Agregar acompañante"), accredited too.
    expect(await page.locator('#companion-1').isHidden()).toBe(true);
    await page.click('#companion-add');
    expect(await page.locator('#companion-add').isHidden()).toBe(true);
    await page.fill('#companion-1-name', 'Luis Navegador');
    await page.selectOption('#companion-1-role', 'security-detail');
    await page.selectOption('#companion-1-language', 'en');
    await page.selectOption('#companion-1-nationality', 'MX');
    await page.fill('#companion-1-idDocumentNumber', 'G87654321');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rsvp-companion-es');
    await page.check('#topic-border-cooperation');
    await Promise.all([page.waitForURL(/result=sent/), page.click('button[type=submit]')]);

    // POST/redirect/GET: the result is a page of its own.
    expect(new URL(page.url()).searchParams.get('result')).toBe('sent');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('es');
    await expect(page.locator('h1').textContent()).resolves.toBe('Gracias, hemos recibido su respuesta');
    const confirmed = await page.textContent('section:has(#result-confirmed)');
    expect(confirmed).toContain('Cóctel de bienvenida');
    expect(confirmed).toContain('Sesión con el Presidente de México');
    const waitlisted = await page.textContent('section:has(#result-waitlisted)');
    expect(waitlisted).toContain('Sesiones de trabajo, día 2');
    expect(waitlisted).toMatch(/lugar \d+ en la lista de espera/);
    expect(await page.textContent('[role=status]')).toContain('Le enviamos un correo electrónico');
    expect(await page.getAttribute('a.button:not(.secondary)', 'href')).toMatch(/\/badge$/);
    // What was recorded, repeated; the accreditation only as received.
    const summary = await page.textContent('dl.summary');
    expect(summary).toContain('1 acompañante');
    expect(summary).toContain('Luis Navegador — Equipo de seguridad');
    expect(summary).toContain('Ana Navegador');
    expect(summary).toContain('Cooperación fronteriza');
    expect(summary).toContain('Recibimos sus datos de acreditación.');
    expect(await page.content()).not.toContain('G12345678');
    expect(await page.content()).not.toContain('G87654321');
    expect(await page.getAttribute('a[data-holder=c1]', 'href')).toMatch(/\/badge\?holder=c1$/);
    // The President's session lies inside working day 1: said beside it.
    expect(confirmed).toContain('Coincide en horario con «Sesiones de trabajo, día 1»');
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflowing(page)).toEqual([]);
    await screenshot(page, 'rsvp-result-es');
  });

  it('reloads the result without sending the answer again, and Back then Forward works', async () => {
    const resultUrl = page.url();
    const before = await page.textContent('main');
    const reload = await page.reload();
    expect(reload!.status()).toBe(200);
    expect(reload!.request().method()).toBe('GET');
    expect(await page.textContent('main')).toBe(before);
    // From the form (a GET) the answer is sent again as it stands: Back returns to the form, Forward
    // to the result, both plain GETs (the earlier entry with field errors was a POST's own answer).
    await page.goto(link);
    await Promise.all([page.waitForURL(/result=/), page.click('button[type=submit]')]);
    const answered = await page.textContent('main');
    await page.goBack();
    expect(await page.locator('form button[type=submit]').count()).toBe(1);
    const forward = await page.goForward();
    expect(forward!.status()).toBe(200);
    expect(forward!.request().method()).toBe('GET');
    expect(await page.textContent('main')).toBe(answered);
    await page.goto(resultUrl);
    await expect(page.locator('h1').textContent()).resolves.toBe('Gracias, hemos recibido su respuesta');
  });

  it('keeps the result page when switching language, and mails in the language chosen on the page', async () => {
    // The answer given on the Spanish page has had its email, in Spanish, before the language changes:
    // an email is written from the invitation as it stands when the worker sends it, and the queue
    // may still hold the emails of the session filled above.
    await eventually(async () => {
      const m = (await mailTo(info, email)).filter((e) => e.subject.includes('Cumbre de Alcaldes') && !e.subject.startsWith('Invitación'));
      return m.length ? m : undefined;
    }, 'the answer email in Spanish');
    await page.click('nav.lang a[hreflang=en]');
    expect(new URL(page.url()).searchParams.get('result')).toBe('sent');
    await expect(page.locator('h1').textContent()).resolves.toBe('Thank you, we have received your answer');
    await page.goto(`${link}?lang=fr`);
    await page.check('#session-welcome-cocktail-no');
    await Promise.all([page.waitForURL(/result=sent/), page.click('button[type=submit]')]);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    const mails = await eventually(async () => {
      const m = (await mailTo(info, email)).filter((e) => e.subject.includes('Sommet des maires'));
      return m.length ? m : undefined;
    }, 'an email in French after answering on the French page');
    expect(mails).toHaveLength(1);
    await page.goto(`${link}?lang=es`);
    await page.check('#session-welcome-cocktail-yes');
    await Promise.all([page.waitForURL(/result=sent/), page.click('button[type=submit]')]);
  });

  it.each(LANGUAGES)('shows no raw id or key and nothing wider than the phone in %s, form and result', async (language: Language) => {
    for (const url of [`${link}?lang=${language}`, `${link}?lang=${language}&result=same`]) {
      await page.goto(url);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      expect(await rawVisible(page), url).toEqual([]);
      expect(await overflowing(page), url).toEqual([]);
    }
    await screenshot(page, `rsvp-result-${language}`);
  });

  it.each(LANGUAGES)('writes guest counts in the plural the number needs in %s: 0, 1 and 2', async (language: Language) => {
    const t = inviteeCatalogues[language]['result.guestCount'];
    const counts = { 0: /=0 \{([^}]*)\}/.exec(t)![1], 1: /one \{# ([^}]*)\}/.exec(t)![1], 2: /other \{# ([^}]*)\}/.exec(t)![1] };
    await page.goto(`${twoGuestsLink}?lang=${language}&result=same`);
    expect(await page.textContent('dl.summary')).toContain(`2 ${counts[2]}`);
    await page.goto(`${twoGuestsLink}?lang=${language}`);
    expect(await page.textContent('#guests-hint')).toContain(`2 ${counts[2]}`);
    await page.goto(`${link}?lang=${language}&result=same`);
    expect(await page.textContent('dl.summary')).toContain(`1 ${counts[1]}`);
    await page.goto(`${link}?lang=${language}`);
    expect(await page.textContent('#guests-hint')).toContain(`1 ${counts[1]}`);
    // No guests: her companion's row removed (the button empties and hides it).
    await page.click('#companion-1 [data-remove]');
    expect(await page.locator('#companion-1').isHidden()).toBe(true);
    await Promise.all([page.waitForURL(/result=/), page.click('button[type=submit]')]);
    expect(await page.textContent('dl.summary')).toContain(counts[0]);
    expect(await page.textContent('dl.summary')).not.toMatch(/\d/);
    // One again: a new companion (a new holder) gives their accreditation for the President's session.
    await page.goto(`${link}?lang=${language}`);
    await page.click('#companion-add');
    await page.fill('#companion-1-name', 'Luis Navegador');
    await page.selectOption('#companion-1-role', 'security-detail');
    await page.selectOption('#companion-1-nationality', 'MX');
    await page.fill('#companion-1-idDocumentNumber', 'G87654321');
    await Promise.all([page.waitForURL(/result=/), page.click('button[type=submit]')]);
  });

  it('switches language keeping the token, and shows the stored answer', async () => {
    await page.goto(`${link}?lang=fr`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.isChecked('#session-welcome-cocktail-yes')).toBe(true);
    // French typography: a narrow no-break space before the colon.
    expect(await page.textContent(`#session-${FULL_SESSION}-status`)).toContain('Statut actuel\u202f:');
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
