import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { EVENT_ID, eventually, localCloud, mailTo, organizerApi } from '../e2e/support.js';
import type { CapacityReport, InvitationDetail } from '#domain/organizer-api.js';
import { dashboardText } from '#i18n/dashboard/index.js';
import { inviteeText } from '#i18n/invitee/index.js';
import { axeViolations, launchBrowser, screenshot, watchPage } from './browser.js';

/**
 * An organizer at the dashboard changes invitations while the summit fills: answers for a mayor
 * whose assistant phoned in, edits another invitation, revokes a third and opens its old link.
 */
const run = randomUUID().slice(0, 8);
const people = [
  { email: `adm.${run}.0@cumbre.example`, name: `Alcalde Teléfono ${run}`, country: 'MX', category: 'mayor-mx', language: 'es', guests: 1 },
  { email: `adm.${run}.1@cumbre.example`, name: `Mayor Edited ${run}`, country: 'US', category: 'mayor-us', language: 'en', guests: 0 },
  { email: `adm.${run}.2@cumbre.example`, name: `Maire Retirée ${run}`, country: 'CA', category: 'mayor-ca', language: 'fr', guests: 0 },
];
const t = dashboardText('en');

let info: LocalCloudInfo;
let api: ReturnType<typeof organizerApi>;
let browser: Browser;
let page: Page;
let imported: Array<{ id: string; email: string; rsvpUrl: string }>;
/** A session without accreditation and with room: the answer taken by phone confirms into it. */
let sessionId: string;
const cspViolations: string[] = [];
/** The local organizer signs in with their email as username (local/bootstrap/organizer.ts); records name them by it. */
const organizerEmail = () => info.session.organizer.username;
const pageErrors: string[] = [];

const detailOf = async (id: string) => (await (await api(`/events/${EVENT_ID}/invitations/${id}`)).json()) as InvitationDetail;
const openDetail = async (id: string) => {
  await page.click(`#inv-rows [data-open="${id}"]`);
  await page.waitForSelector('#detail[open] #detail-body dl');
  await eventually(async () => ((await page.isEnabled('#detail-edit')) ? true : undefined), 'the detail’s actions');
};
/** An invitee's phone, opened once: closing a page of its own context can take the whole headless browser down here. */
let phonePage: Page | undefined;
const phone = async () => (phonePage ??= await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' }));
const statusIs = (text: string) => eventually(async () => ((await page.textContent('#detail-status')) === text ? true : undefined), `"${text}"`);

beforeAll(async () => {
  info = localCloud();
  api = organizerApi(info);
  const res = await api(`/events/${EVENT_ID}/invitations`, { method: 'POST', body: JSON.stringify(people) });
  expect(res.status).toBe(200);
  imported = ((await res.json()) as { results: typeof imported }).results;
  const report = (await (await api(`/events/${EVENT_ID}/capacity`)).json()) as CapacityReport;
  const accredited = new Set(report.event.sessions.filter((s) => s.id === 'presidential-session').map((s) => s.id));
  sessionId = report.sessions.filter((s) => !accredited.has(s.sessionId) && s.free >= 2 && s.waitlistedSeats === 0).sort((a, b) => b.free - a.free)[0].sessionId;

  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  page = watchPage(await context.newPage(), pageErrors, cspViolations);
  await page.goto(`${info.apiUrl}/admin?lang=en`);
  await page.fill('#username', info.session.organizer.username);
  await page.fill('#password', info.session.organizer.password);
  await page.click('#signin-submit');
  await page.waitForSelector('#app', { state: 'visible' });
  await page.waitForSelector('#capacity-bars svg[role=img]');
  await page.fill('#filter-q', run);
  await page.click('#filters button[type=submit]');
  await eventually(async () => ((await page.$$('#inv-rows tr')).length === 3 ? true : undefined), 'the three invitations of this run');
});

afterAll(async () => {
  await browser?.close();
});

describe('changing invitations from the dashboard', () => {
  it('answers on an invitee’s behalf: the same form, the answer names the organizer, the invitee gets the confirmation', async () => {
    const [phoned] = imported;
    const mailsBefore = (await mailTo(info, phoned.email)).length;
    await openDetail(phoned.id);
    await page.click('#detail-answer');
    await page.waitForSelector('#answer-form');
    expect(await page.textContent('#detail-form h3')).toBe(t('answerHeading', { name: people[0].name }));
    await page.check(`#answer-form input[name="session.${sessionId}"][value=yes]`);
    await page.selectOption('#answer-guests', '1');
    await page.fill('#answer-dietary', 'Sin gluten');
    // Invited to the session that needs accreditation, with none on file: the nationality is a choice by name.
    const nationalities = await page.$$eval('#answer-nationality option', (os) => os.map((o) => [(o as unknown as { value: string }).value, o.textContent ?? '']));
    expect(nationalities[0]).toEqual(['', t('chooseCountry')]);
    expect(nationalities).toContainEqual(['MX', 'Mexico']);
    expect(nationalities.filter(([value, label]) => value && label === value)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-answer-on-behalf', { fullPage: false });
    await page.click('#answer-save');
    await statusIs(t('answeredDone'));

    const stored = await detailOf(phoned.id);
    expect(stored.responses[sessionId]).toMatchObject({ status: 'confirmed', seats: 2 });
    expect(stored).toMatchObject({ dietary: 'Sin gluten', answeredBy: { email: organizerEmail() } });
    // The history names who entered it, from the audit and from the answer's own record.
    await eventually(async () => {
      await page.click('#detail-close');
      await openDetail(phoned.id);
      const lines = await page.locator('#detail-history li strong').allTextContents();
      return lines.includes(t('history.invitation.answered', { actor: organizerEmail() })) &&
        lines.some((l) => l.startsWith(t('history.rsvp.answeredFor', { actor: organizerEmail(), count: 1 })))
        ? lines
        : undefined;
    }, 'the history naming the organizer');
    expect(await page.textContent('#detail-body dl')).toContain(t('answeredByLine', { actor: organizerEmail() }));
    // The confirmation email goes to the invitee, as for their own answer.
    await eventually(async () => ((await mailTo(info, phoned.email)).length >= mailsBefore + 1 ? true : undefined), `the confirmation to ${phoned.email}`);
    await page.click('#detail-close');
  });

  it('edits an invitation on the version it shows', async () => {
    const [, edited] = imported;
    await openDetail(edited.id);
    const before = await detailOf(edited.id);
    await page.click('#detail-edit');
    await page.waitForSelector('#edit-form');
    await page.fill('#edit-name', `Mayor Renamed ${run}`);
    await page.fill('#edit-organization', `City of ${run}`);
    // The country is chosen by its name: the invitee's is shown, another is picked.
    const country = (code: string) => new Intl.DisplayNames(['en-US'], { type: 'region' }).of(code)!;
    expect(await page.$eval('#edit-country', (s) => s.querySelector('option:checked')?.textContent)).toBe(country(before.country));
    const moved = before.country === 'CA' ? 'US' : 'CA';
    await page.selectOption('#edit-country', { label: country(moved) });
    await page.uncheck(`#edit-form input[name=sessions][value="${sessionId}"]`);
    await page.selectOption('#edit-guests', '2');
    await page.click('#edit-save');
    await statusIs(t('savedChange'));

    expect(await page.textContent('#detail-title')).toBe(`Mayor Renamed ${run}`);
    const after = await detailOf(edited.id);
    expect(after).toMatchObject({ name: `Mayor Renamed ${run}`, organization: `City of ${run}`, country: moved, guestsAllowed: 2, version: before.version + 1 });
    expect(after.sessions).toEqual(before.sessions.filter((s) => s !== sessionId));
    // The table follows.
    await eventually(async () => ((await page.textContent(`#inv-rows tr[data-id="${edited.id}"]`))?.includes(`Mayor Renamed ${run}`) ? true : undefined), 'the renamed row');
    await page.click('#detail-close');
  });

  it('replaces an invitee with a deputy: the deputy is emailed a link of their own, the old link says it was passed on', async () => {
    const [, edited] = imported;
    const deputy = `deputy.${run}@cumbre.example`;
    await openDetail(edited.id);
    await page.click('#detail-replace');
    await page.waitForSelector('#replace-form');
    await page.fill('#replace-email', deputy);
    await page.fill('#replace-name', `Deputy Mayor ${run}`);
    await page.fill('#replace-title', 'Deputy mayor');
    await page.click('#replace-save');
    await statusIs(t('replacedDone', { email: deputy }));
    expect(await page.textContent('#detail-title')).toBe(`Deputy Mayor ${run}`);
    await page.click('#detail-close');

    // The invitation email goes to the deputy, with a link that opens the same invitation under their name.
    const mail = await eventually(async () => (await mailTo(info, deputy))[0], `the invitation email to ${deputy}`);
    const link = /https?:\/\/[^\s"<>]+\/rsvp\/[A-Za-z0-9_-]{32}/.exec(mail.body.text ?? '')?.[0];
    expect(link).toBeDefined();
    expect(link).not.toBe(edited.rsvpUrl);
    const invitee = await phone();
    expect((await invitee.goto(link!))?.status()).toBe(200);
    expect(await invitee.textContent('main')).toContain(`Deputy Mayor ${run}`);
    const old = await invitee.goto(edited.rsvpUrl);
    expect(old?.status()).toBe(410);
    expect(await invitee.textContent('h1')).toBe(inviteeText('en')('retired.heading'));
  });

  it('revokes an invitation; its old link shows a clear page in the invitee’s language', async () => {
    const [, , revoked] = imported;
    await openDetail(revoked.id);
    await page.click('#detail-revoke');
    await page.waitForSelector('#revoke-form');
    await page.fill('#revoke-reason', 'Invited twice');
    await page.click('#revoke-confirm');
    await statusIs(t('revokedDone'));
    expect(await page.isDisabled('#detail-revoke')).toBe(true);
    expect(await page.textContent('#detail-body dl')).toContain(t('status.revoked'));
    await page.click('#detail-close');
    await eventually(async () => ((await page.textContent(`#inv-rows tr[data-id="${revoked.id}"]`))?.includes(t('short.revoked')) ? true : undefined), 'the revoked row');
    expect((await detailOf(revoked.id)).status).toBe('revoked');

    const invitee = await phone();
    const response = await invitee.goto(revoked.rsvpUrl);
    expect(response?.status()).toBe(410);
    const fr = inviteeText('fr');
    expect(await invitee.getAttribute('html', 'lang')).toBe('fr');
    expect(await invitee.textContent('h1')).toBe(fr('revoked.heading'));
    expect(await invitee.textContent('main')).toContain(fr('revoked.body'));
    expect(await axeViolations(invitee)).toEqual([]);
    await screenshot(invitee, 'rsvp-revoked-fr');
  });

  it('stayed within its CSP and raised no script errors', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
