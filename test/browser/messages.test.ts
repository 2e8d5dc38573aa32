import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { adminApi, createEventOfItsOwn, eventually, localCloud, mailTo } from '../e2e/support.js';
import type { ImportResponse, MessageSummary } from '#domain/organizer-api.js';
import { dashboardText } from '#i18n/dashboard/index.js';
import { launchBrowser, signedInContext, watchPage } from './browser.js';

/**
 * The dashboard's messages section on an event of its own with two invitees (one reads Spanish,
 * one English): a refused preview, a preview filtered by language, the full preview with the
 * English reader falling back to the Spanish text, an edit that asks for a new preview, the send
 * and the list of sent messages; and "what is due now" on an event whose deadline is far away.
 */
const run = randomUUID().slice(0, 8);
const EVENT = `messages-${run}`;
const t = dashboardText('en');
const READERS = { es: `lee.${run}@messages.example`, en: `reads.${run}@messages.example` } as const;
const SUBJECT = `Aviso ${run}`;
/** Languages as the English dashboard names them (Intl, as the page does). */
const languageName = (code: string) => new Intl.DisplayNames(['en-US'], { type: 'language' }).of(code);

let info: LocalCloudInfo;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];
const pageErrors: string[] = [];

let asAdmin: ReturnType<typeof adminApi>;

const resultText = () => page.textContent('#message-result');

beforeAll(async () => {
  info = localCloud();
  const admin = info.session.users?.find((u) => u.name === 'admin');
  if (!admin) throw new Error('the local cloud lists no admin in session.json');
  asAdmin = adminApi(info);
  await createEventOfItsOwn(info, { id: EVENT, name: { es: `Foro ${run}`, en: `Forum ${run}`, fr: `Forum ${run}` }, capacity: 50 });
  const rows = Object.entries(READERS).map(([language, email]) => ({
    email,
    name: `Reader ${language} ${run}`,
    country: 'MX',
    category: 'academic',
    language,
    sessions: ['plenary'],
  }));
  const imported = (await (await asAdmin(`/events/${EVENT}/invitations`, { method: 'POST', body: JSON.stringify(rows) })).json()) as ImportResponse;
  expect(imported.results.map((r) => r.rsvpUrl).filter(Boolean)).toHaveLength(2);

  browser = await launchBrowser();
  const context = await signedInContext(browser, admin, { locale: 'en-US' });
  page = watchPage(await context.newPage(), pageErrors, cspViolations);
});

afterAll(async () => {
  await browser?.close();
});

describe('messages from the dashboard', () => {
  it('refuses a preview with no text, naming the field', async () => {
    await page.goto(`${info.apiUrl}/admin?lang=en&event=${EVENT}`);
    await page.waitForSelector('#messages', { state: 'visible' });
    // The session filter names the event's sessions once the outline has come.
    await page.waitForSelector('#msg-session option[value="plenary"]', { state: 'attached' });
    expect(await page.textContent('#msg-session option[value="plenary"]')).toBe('Plenary');
    await eventually(async () => ((await page.textContent('#messages-rows')) === t('noMessages') ? true : undefined), 'the empty list of messages');
    await page.click('#message-preview');
    await page.waitForSelector('#message-error', { state: 'visible' });
    // The field by its labels and what it must hold, from the catalogue; never the API's path or English wording.
    const field = new Intl.ListFormat('en-US', { type: 'conjunction' }).format([t('messageSubject'), t('messageBody')]);
    expect(await page.textContent('#message-error')).toBe(t('fieldProblem', { field, message: t('fieldRule.content') }));
    expect(await page.isDisabled('#message-send')).toBe(true);
  });

  it('previews per language, the English reader on the Spanish text, and asks for a new preview after an edit', async () => {
    await page.fill('#msg-subject-es', SUBJECT);
    await page.fill('#msg-body-es', 'El foro empieza a las nueve.');
    await page.selectOption('#msg-language', 'en');
    await page.click('#message-preview');
    await eventually(async () => ((await resultText())?.startsWith(t('messageCount', { count: 1 })) ? true : undefined), 'the preview for English readers');
    expect(await page.isHidden('#message-error')).toBe(true);
    expect(await page.$$eval('#message-result [data-language]', (cards) => cards.map((c) => c.getAttribute('data-language')))).toEqual(['en']);
    expect(await page.textContent('#message-result [data-language="en"] h4')).toBe(
      `${t('messageVersion', { language: languageName('en'), count: 1, version: languageName('es') })} ${t('messageFallback')}`,
    );
    expect(await page.getAttribute('#message-result [data-language="en"] pre', 'lang')).toBe('es');
    expect(await page.isEnabled('#message-send')).toBe(true);

    await page.selectOption('#msg-language', '');
    expect(await page.isDisabled('#message-send')).toBe(true);
    await page.click('#message-preview');
    await eventually(async () => ((await resultText())?.startsWith(t('messageCount', { count: 2 })) ? true : undefined), 'the preview for everyone');
    expect(await page.$$eval('#message-result [data-language]', (cards) => cards.map((c) => c.getAttribute('data-language')).sort())).toEqual(['en', 'es']);
    expect(await page.$$eval('#message-result [data-language="es"] .meta', (n) => n.length)).toBe(0);
    expect(await page.textContent('#message-result [data-language="es"] p strong')).toBe(SUBJECT);
    expect(await page.isEnabled('#message-send')).toBe(true);
  });

  it('sends once, lists the message, and the readers get it', async () => {
    await page.click('#message-send');
    await eventually(async () => ((await page.textContent('#message-result p[role="status"]')) === t('messageQueued', { count: 2 }) ? true : undefined), 'the queued message');
    const listed = await eventually(async () => (await page.$('#messages-rows tr[data-id]')) ?? undefined, 'the sent message listed');
    expect(await listed.$eval('td:nth-child(2)', (td) => td.textContent)).toBe(SUBJECT);
    expect(await listed.$eval('td:nth-child(3)', (td) => td.textContent)).toBe('2');
    const { items } = (await (await asAdmin(`/events/${EVENT}/messages`)).json()) as { items: MessageSummary[] };
    expect(items.map((m) => m.id)).toEqual([await listed.getAttribute('data-id')]);
    for (const address of Object.values(READERS))
      await eventually(async () => ((await mailTo(info, address)).some((m) => m.subject === SUBJECT) ? true : undefined), `the message to ${address}`);
  });

  it('runs "what is due now": nothing on an event whose deadline is years away', async () => {
    await page.click('#reminders-run');
    await eventually(async () => ((await page.textContent('#reminders-status')) === t('remindersQueued', { reminders: 0, dayBefore: 0 }) ? true : undefined), 'the reminders run');
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
