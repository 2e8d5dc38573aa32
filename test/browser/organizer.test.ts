import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { EVENT_ID, answer, eventually, localCloud, mailTo, organizerApi } from '../e2e/support.js';
import { LANGUAGES, eventDefinitionSchema, type Language } from '#domain/model.js';
import type { CapacityReport } from '#domain/organizer-api.js';
import { cumbreEventSchema } from '#domain/outbox-schemas.js';
import { dashboardCatalogues, dashboardText } from '#i18n/dashboard/index.js';
import { COLUMN_NAMES } from '#domain/invitations/spreadsheet.js';
import { axeViolations, frenchPunctuationFaults, launchBrowser, overflowing, screenshot, visibleTexts, watchPage } from './browser.js';

/**
 * An organizer on a laptop: signs in to the dashboard through the local Cognito pool, previews a
 * CSV with an error row (nothing is written), fixes and imports it, and watches the capacity bars
 * move once the imported invitees answer.
 */
const run = randomUUID().slice(0, 8);
const HEADER = 'email,name,title,organization,country,category,language,sessions,guests';
const invitees = [
  {
    email: `org.${run}.0@cumbre.example`,
    name: `Alcaldesa Prueba ${run}`,
    title: 'Presidenta Municipal',
    organization: `Tijuana ${run}`,
    country: 'MX',
    category: 'mayor-mx',
    language: 'es',
    guests: 0,
  },
  {
    email: `org.${run}.1@cumbre.example`,
    name: `Mayor Test ${run}`,
    title: 'Mayor',
    organization: `San Diego ${run}`,
    country: 'US',
    category: 'mayor-us',
    language: 'en',
    guests: 1,
  },
  {
    email: `org.${run}.2@cumbre.example`,
    name: `Maire Essai ${run}`,
    title: 'Maire',
    organization: `Gatineau ${run}`,
    country: 'CA',
    category: 'mayor-ca',
    language: 'fr',
    guests: 0,
  },
];
const csvLine = (i: (typeof invitees)[number], country = i.country) => [i.email, i.name, i.title, `"${i.organization}"`, country, i.category, i.language, '', i.guests].join(',');
/** Row 3 (the spreadsheet's numbering: the header is row 1) has a country that is not ISO 3166-1. */
const badCsv = [HEADER, csvLine(invitees[0]), csvLine(invitees[1], 'USA'), csvLine(invitees[2])].join('\n') + '\n';
const goodCsv = [HEADER, ...invitees.map((i) => csvLine(i))].join('\n') + '\n';
/** Seats the three invitees take when they all attend: themselves and their guests. */
const SEATS = invitees.reduce((n, i) => n + 1 + i.guests, 0);

/** The event as seeded: its ids and its names in every language are what the dashboard must show (names) and hide (ids). */
const SEED = eventDefinitionSchema.parse(JSON.parse(readFileSync(new URL('../../seed/na-mayors-summit-2019.json', import.meta.url), 'utf8')));
const text = (language: Language) => dashboardText(language);
const CHANGE_TYPES = cumbreEventSchema.def.options.map((o) => o.shape.type.def.values[0]);
/** Ids that would leak as part of a longer text: the event's, categories, topics, change types, dotted and camelCase catalogue keys. */
const RAW_FRAGMENTS = [
  SEED.id,
  ...SEED.sessions.map((x) => x.id),
  ...SEED.categories.map((c) => c.id),
  ...SEED.topics.map((x) => x.id),
  ...CHANGE_TYPES,
  'rsvp-details',
  'soft-bounced',
  ...Object.keys(dashboardCatalogues.es),
].filter((id) => /[-.]|[a-z][A-Z]/.test(id));
/** Ids that are also plain words ("trade", "academic"): a leak shows them as a whole text of their own. */
const RAW_WORDS = new Set<string>([
  ...SEED.categories.map((c) => c.id),
  ...SEED.topics.map((x) => x.id),
  ...LANGUAGES,
  'pending',
  'confirmed',
  'waitlisted',
  'declined',
  'sent',
  'delivered',
  'bounced',
  'complained',
  'rejected',
  'held',
]);

/** What a person reads in the signed-in dashboard: not the import section, which names the file's columns on purpose. */
const READ_SKIPS = '#import, [hidden], script, title, option:not(:checked)';
const rawIdsIn = (texts: string[]) => [...texts.filter((x) => RAW_FRAGMENTS.some((id) => x.includes(id))), ...texts.filter((x) => RAW_WORDS.has(x))];
let info: LocalCloudInfo;
let api: ReturnType<typeof organizerApi>;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];
const pageErrors: string[] = [];
const requests: string[] = [];
let imported: Array<{ id: string; email: string; rsvpUrl: string }> = [];
/** A session with room for all three parties and no waitlist, chosen when the test runs (other files fill some). */
let sessionId: string;

const ourInvitations = async () =>
  (await (await api(`/events/${EVENT_ID}/invitations?q=${encodeURIComponent(run)}`)).json()) as { total: number; items: Array<{ id: string; email: string }> };
const capacity = async () => (await (await api(`/events/${EVENT_ID}/capacity`)).json()) as CapacityReport;
/** What the dashboard's bar for a session currently draws, part by part. */
const drawnBar = (id: string) =>
  page.$$eval(
    `#capacity-bars [data-session="${id}"] rect`,
    (rects) => Object.fromEntries(rects.map((r) => [r.getAttribute('data-part'), Number(r.getAttribute('data-value'))])) as Record<string, number>,
  );

beforeAll(async () => {
  info = localCloud();
  api = organizerApi(info);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  page = watchPage(await context.newPage(), pageErrors, cspViolations);
  page.on('request', (r) => requests.push(r.url()));
});

afterAll(async () => {
  await browser?.close();
});

describe('the organizers’ dashboard', () => {
  it('signs in through the form against the local user pool and draws a capacity bar per session', async () => {
    await page.goto(`${info.apiUrl}/admin?lang=en`);
    expect(await page.isVisible('#signin')).toBe(true);
    expect(await page.isHidden('#app')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.fill('#username', info.session.organizer.username);
    await page.fill('#password', 'not-the-password');
    await page.click('#signin-submit');
    await eventually(async () => ((await page.textContent('#signin-error')) === 'Wrong username or password.' ? true : undefined), 'the sign-in refusal');
    expect(page.url()).toBe(`${info.apiUrl}/admin?lang=en`);

    await page.fill('#password', info.session.organizer.password);
    await page.click('#signin-submit');

    await page.waitForSelector('#app', { state: 'visible' });
    await page.waitForSelector('#capacity-bars svg[role=img]');
    const report = await capacity();
    const drawn = await page.$$eval('#capacity-bars [data-session]', (nodes) => nodes.map((n) => n.getAttribute('data-session')));
    expect(drawn).toEqual(report.sessions.map((s) => s.sessionId));
    // Earlier files' promotions may still be settling, so the bars are compared once a refresh caught up.
    await eventually(async () => {
      const latest = await capacity();
      for (const s of latest.sessions) {
        const bar = await drawnBar(s.sessionId);
        if ((bar.confirmed ?? 0) !== s.confirmed || (bar.free ?? 0) !== s.free || (bar.waitlisted ?? 0) !== s.waitlistedSeats) return undefined;
      }
      return true;
    }, 'bars that draw the capacity report to scale');
    expect(await page.textContent('#whoami')).toContain(info.session.organizer.username);
    await page.waitForSelector('#inv-rows tr');
  });

  it('previews a CSV with an error row, naming row and field, and writes nothing', async () => {
    await page.setInputFiles('#import-file', { name: 'invitations.csv', mimeType: 'text/csv', buffer: Buffer.from(badCsv) });
    await page.click('#import-check');

    await page.waitForSelector('#import-errors tbody tr');
    expect(await page.textContent('#import-preview-errors')).toContain('nothing was written');
    expect(await page.locator('#import-errors tbody tr').count()).toBe(1);
    expect((await page.locator('#import-errors tbody td').allTextContents()).slice(0, 2)).toEqual(['3', 'country']);
    expect(await page.isDisabled('#import-commit')).toBe(true);
    expect(await ourInvitations()).toMatchObject({ total: 0 });
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#import').evaluate((section) => (section as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'center' }));
    await screenshot(page, 'admin-import-errors', { fullPage: false });
  });

  it('imports the fixed file after a clean preview', async () => {
    await page.setInputFiles('#import-file', { name: 'invitations.csv', mimeType: 'text/csv', buffer: Buffer.from(goodCsv) });
    await page.click('#import-check');
    await page.waitForSelector('#import-preview-ok');
    expect(await page.textContent('#import-preview-ok')).toContain('3 new');
    expect(await ourInvitations()).toMatchObject({ total: 0 });

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/invitations$/.test(new URL(r.url()).pathname) && !r.url().includes('dryRun')),
      page.click('#import-commit'),
    ]);
    expect(response.status()).toBe(200);
    imported = ((await response.json()) as { results: typeof imported }).results;
    await page.waitForSelector('#import-done');

    expect(imported.map((r) => r.email)).toEqual(invitees.map((i) => i.email));
    expect((await ourInvitations()).total).toBe(3);
  });

  it('filters and searches the invitations table', async () => {
    await page.fill('#filter-q', run);
    await page.click('#filters button[type=submit]');
    await eventually(async () => ((await page.$$('#inv-rows tr')).length === 3 ? true : undefined), 'the three imported invitations in the table');
    expect(await page.textContent('#inv-total')).toBe('3 invitations');
    expect(await page.isHidden('#inv-pager')).toBe(true);

    await page.selectOption('#filter-category', 'mayor-us');
    await page.click('#filters button[type=submit]');
    await eventually(async () => ((await page.$$('#inv-rows tr')).length === 1 ? true : undefined), 'only the US mayor');
    expect(await page.textContent('#inv-rows tr')).toContain(invitees[1].email);

    await page.selectOption('#filter-category', '');
    // The countries are the invitees' own, by name: no code to type.
    const countries = await page.$$eval('#filter-country option', (os) => os.map((o) => [(o as unknown as { value: string }).value, o.textContent]));
    expect(countries).toEqual(
      expect.arrayContaining([
        ['CA', 'Canada'],
        ['MX', 'Mexico'],
        ['US', 'United States'],
      ]),
    );
    expect(countries.filter(([value, label]) => value && label === value)).toEqual([]);
    await page.selectOption('#filter-country', 'CA');
    await page.click('#filters button[type=submit]');
    await eventually(async () => ((await page.$$('#inv-rows tr')).length === 1 ? true : undefined), 'only the Canadian mayor');
    expect(await page.textContent('#inv-rows tr')).toContain(invitees[2].email);
    await page.selectOption('#filter-country', '');
  });

  it('shows the capacity bars change once the imported invitees answer', async () => {
    const before = await capacity();
    // No waitlist there, so no promotion moves its counts but these answers.
    sessionId = before.sessions.filter((s) => s.free >= SEATS && s.waitlistedSeats === 0).sort((a, b) => b.free - a.free)[0].sessionId;
    const start = before.sessions.find((s) => s.sessionId === sessionId)!;

    for (const [i, r] of imported.entries()) {
      const res = await answer(r.rsvpUrl, { responses: [{ sessionId, attending: true }], guests: invitees[i].guests });
      expect(res.status).toBe(200);
    }

    // The dashboard refreshes every 10 s; this waits for a refresh rather than forcing one.
    const bar = await eventually(async () => {
      const b = await drawnBar(sessionId);
      return b.confirmed === start.confirmed + SEATS ? b : undefined;
    }, `the ${sessionId} bar to show ${SEATS} more confirmed seats`);
    expect(bar.free ?? 0).toBe(start.free - SEATS);
    expect(await page.textContent(`#capacity-bars [data-session="${sessionId}"] .bar-label`)).toContain(`${start.confirmed + SEATS} confirmed`);

    await page.selectOption('#filter-status', 'confirmed');
    await page.click('#filters button[type=submit]');
    await eventually(async () => ((await page.$$('#inv-rows tr')).length === 3 ? true : undefined), 'the three confirmed invitations');
    expect(await page.$$eval('#inv-rows tr .status-confirmed', (n) => n.length)).toBe(3);

    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-dashboard');
  });

  it('opens one invitation with its history', async () => {
    const id = imported[1].id;
    await eventually(async () => {
      await page.click(`#inv-rows [data-open="${id}"]`);
      await page.waitForSelector('#detail[open] #detail-body dl');
      const types = await page.$$eval('#detail-history li', (n) => n.map((x) => x.getAttribute('data-type')));
      if (types.includes('invitation.created') && types.includes('rsvp.confirmed')) return types;
      await page.click('#detail-close');
      return undefined;
    }, 'the invitation’s history to show its creation and confirmation');

    expect(await page.textContent('#detail-title')).toBe(invitees[1].name);
    // The history in the organizer's words, from the catalogue: the session by its name, the party's seats as a plural.
    const t = text('en');
    const history = await page.locator('#detail-history li strong').allTextContents();
    expect(history).toContain(t('history.invitation.created', { reason: 'created' }));
    expect(history).toContain(t('history.rsvp.confirmed', { promoted: 'false', session: SEED.sessions.find((x) => x.id === sessionId)!.name.en, seats: 2 }));
    expect(history).toContain(`Confirmed: ${SEED.sessions.find((x) => x.id === sessionId)!.name.en} (2 seats)`);
    expect(await page.textContent('#detail-body dl')).toContain(invitees[1].email);
    const labels = await page.locator('#detail-body dt').allTextContents();
    expect(new Set(labels).size).toBe(labels.length);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-invitation-detail');
    await page.click('#detail-close');
    expect(await page.isVisible('#detail')).toBe(false);
  });

  it('resends an invitation from its detail, which sends the email again, once for a double click', async () => {
    const { email } = invitees[0];
    const id = imported[0].id;
    const before = (await mailTo(info, email)).length;
    const resendsRecorded = async () =>
      ((await api(`/events/${EVENT_ID}/invitations/${id}`).then((r) => r.json())) as { history: Array<{ type: string; reason?: string }> }).history.filter(
        (h) => h.type === 'invitation.created',
      ).length - 1;
    await page.click(`#inv-rows [data-open="${id}"]`);
    await page.waitForSelector('#detail[open] #detail-body dl');

    // The button waits for the API's answer: the second click of a double click sends nothing.
    await page.dblclick('#detail-resend');

    await eventually(async () => ((await page.textContent('#detail-status')) === 'Invitation resent.' ? true : undefined), 'the resend confirmation');
    await eventually(async () => ((await mailTo(info, email)).length > before ? true : undefined), `another email to ${email}`);
    expect(await resendsRecorded()).toBe(1);

    // A click within the minute is refused by the API (429), which the organizer reads as when they may resend.
    await page.click('#detail-resend');
    await eventually(
      async () => (/^The invitation was resent a moment ago; you can resend it again in \d+ seconds?\.$/.test((await page.textContent('#detail-status')) ?? '') ? true : undefined),
      'the too-soon message',
    );
    expect(await resendsRecorded()).toBe(1);
    expect(await mailTo(info, email)).toHaveLength(before + 1);
  });

  it('downloads the invitee’s badge from the detail, once the badge worker made it', async () => {
    const id = imported[0].id;
    await eventually(
      async () => ((await api(`/events/${EVENT_ID}/invitations/${id}`).then((r) => r.json())) as { badge: { ready: boolean } }).badge.ready || undefined,
      'the badge',
    );
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#detail-badge')]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    expect((await readFile(await download.path())).subarray(0, 5).toString()).toBe('%PDF-');
    await page.click('#detail-close');
  });

  it('exports attendees and the badge print sheet; the accreditation list is not an organizer’s', async () => {
    const exported = async (kind: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download="${kind}"]`)]);
      return { name: download.suggestedFilename(), body: await readFile(await download.path()) };
    };

    const attendees = await exported('attendees');
    expect(attendees.name).toBe(`${SEED.name.en} – ${text('en')('fileName.attendees')}.csv`);
    for (const { email } of invitees) expect(attendees.body.toString()).toContain(email);
    // In the dashboard's language (en here), for a spreadsheet: a UTF-8 byte order mark, then headers in words, sessions by name.
    expect(attendees.body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines: string[][] = parse(attendees.body, { bom: true, to_line: 1 });
    const [header] = lines;
    const t = text('en');
    expect(header.slice(0, 2)).toEqual([t('export.name'), t('export.role')]);
    expect(header.slice(-SEED.sessions.length)).toEqual(SEED.sessions.map((s) => s.name.en));

    // Security's export: hidden for an organizer, and the API refuses it (test/e2e/role-matrix.test.ts).
    expect(await page.isHidden('[data-download="accreditation"]')).toBe(true);
    expect(await page.isHidden('#accreditation')).toBe(true);
    expect(await page.isHidden('#people')).toBe(true);

    const sheet = await exported('badges');
    expect(sheet.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await page.textContent('#export-status')).toBe('');
  });

  it('pages through the invitations 50 at a time, each row a compact line', async () => {
    // Their own tag: a search for this file's run must still find only its three invitees.
    const tag = `pg${randomUUID().slice(0, 8)}`;
    const many = Array.from({ length: 51 }, (_, i) => ({
      email: `${tag}.${i}@cumbre.example`,
      name: `Paging ${tag} ${String(i).padStart(2, '0')}`,
      country: 'MX',
      category: 'local-official',
      language: 'es',
    }));
    const res = await api(`/events/${EVENT_ID}/invitations`, { method: 'POST', body: JSON.stringify(many) });
    expect(res.status).toBe(200);

    await page.selectOption('#filter-status', '');
    await page.fill('#filter-q', tag);
    await page.click('#filters button[type=submit]');
    await eventually(async () => ((await page.textContent('#inv-total')) === '51 invitations' ? true : undefined), 'the 51 paging invitations');
    expect(await page.isVisible('#inv-pager')).toBe(true);
    expect(await page.locator('#inv-rows tr').count()).toBe(50);
    expect(await page.textContent('#inv-range')).toBe('1–50 of 51');
    expect(await page.isDisabled('#inv-prev')).toBe(true);
    // Compact: four session columns in one line of chips, not four chips stacked per row (was ~366 px a row).
    const rowHeight = await page.$eval('#inv-rows', (tbody) => (tbody as unknown as { offsetHeight: number }).offsetHeight / tbody.children.length);
    expect(rowHeight).toBeLessThan(100);

    await page.click('#inv-next');
    await eventually(async () => ((await page.textContent('#inv-range')) === '51–51 of 51' ? true : undefined), 'the second page');
    expect(await page.locator('#inv-rows tr').count()).toBe(1);
    expect(await page.textContent('#inv-rows tr')).toContain(`Paging ${tag} 50`);
    expect(await page.isDisabled('#inv-next')).toBe(true);

    await page.click('#inv-prev');
    await eventually(async () => ((await page.textContent('#inv-range')) === '1–50 of 51' ? true : undefined), 'back on the first page');
    expect(await page.locator('#inv-rows tr').count()).toBe(50);
    await page.fill('#filter-q', run);
    await page.click('#filters button[type=submit]');
    await eventually(async () => ((await page.$$('#inv-rows tr')).length === 3 ? true : undefined), 'our three invitations again');
  });

  for (const language of LANGUAGES) {
    it(`speaks ${language}: names from the event and the catalogue, no raw ids, plurals for 0, 1 and many, nothing overflowing`, async () => {
      const t = text(language);
      await page.goto(`${info.apiUrl}/admin?lang=${language}`);
      await page.waitForSelector('#app', { state: 'visible' });
      await page.waitForSelector('#capacity-bars svg[role=img]');
      expect(await page.textContent('#event-name')).toBe(SEED.name[language]);
      expect(await page.locator('#capacity-bars .bar-label strong').allTextContents()).toEqual(SEED.sessions.map((x) => x.name[language]));

      const shows = async (filters: { q: string; category?: string }, count: number) => {
        await page.fill('#filter-q', filters.q);
        await page.selectOption('#filter-category', filters.category ?? '');
        await page.click('#filters button[type=submit]');
        await eventually(async () => ((await page.textContent('#inv-total')) === t('total', { count }) ? true : undefined), `"${t('total', { count })}"`);
        expect(await page.locator('#inv-rows tr').count()).toBe(count);
        return page.textContent('#inv-total');
      };
      const plurals = {
        es: ['Ninguna invitación', '1 invitación', '3 invitaciones'],
        en: ['No invitations', '1 invitation', '3 invitations'],
        fr: ['Aucune invitation', '1 invitation', '3 invitations'],
      }[language];
      expect(await shows({ q: `nobody-${run}` }, 0)).toBe(plurals[0]);
      expect(await shows({ q: run, category: 'mayor-us' }, 1)).toBe(plurals[1]);
      expect(await shows({ q: run }, 3)).toBe(plurals[2]);

      expect(await page.locator('#inv-head th.session').allTextContents()).toEqual(SEED.sessions.map((x) => x.name[language]));
      const row = page.locator(`#inv-rows tr[data-id="${imported[1].id}"]`);
      expect(await row.locator(`td[data-session="${sessionId}"]`).textContent()).toBe(t('short.confirmed'));
      expect(await row.locator('td[data-guests]').textContent()).toBe('1');
      expect(await row.textContent()).toContain(SEED.categories.find((c) => c.id === 'mayor-us')!.name[language]);
      expect(await row.textContent()).toContain(new Intl.DisplayNames([{ es: 'es-MX', en: 'en-US', fr: 'fr-CA' }[language]], { type: 'region' }).of('US'));

      expect(rawIdsIn(await visibleTexts(page, '#app', READ_SKIPS))).toEqual([]);
      if (language === 'fr') expect(frenchPunctuationFaults(await visibleTexts(page, '#app', READ_SKIPS))).toEqual([]);
      expect(await overflowing(page, '#inv-table th, #inv-table td, #app button, #capacity .bar-label, #filters label')).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `admin-dashboard-${language}`);

      await page.click(`#inv-rows [data-open="${imported[1].id}"]`);
      await page.waitForSelector('#detail[open] #detail-history li');
      const session = SEED.sessions.find((x) => x.id === sessionId)!.name[language];
      expect(await page.locator('#detail-history li strong').allTextContents()).toContain(t('history.rsvp.confirmed', { promoted: 'false', session, seats: 2 }));
      expect(await page.textContent('#detail-body dl')).toContain(t('guestsOf', { guests: 1, allowed: 1 }));
      expect(rawIdsIn(await visibleTexts(page, '#detail', READ_SKIPS))).toEqual([]);
      expect(await overflowing(page, '#detail dt, #detail dd, #detail button')).toEqual([]);
      await screenshot(page, `admin-invitation-detail-${language}`, { fullPage: false });
      await page.click('#detail-close');
    });
  }

  // The invitation list as an organizer writes it: the template in their language, filled in and imported back.
  for (const language of LANGUAGES) {
    it(`hands out a ${language} template, headed and filled in words, that imports back as it is`, async () => {
      const t = text(language);
      await page.goto(`${info.apiUrl}/admin?lang=${language}`);
      await page.waitForSelector('#capacity-bars svg[role=img]');
      const columns = Object.values(COLUMN_NAMES).map((names) => names[language]);
      expect(await page.textContent('#import-hint')).toContain(columns.join(', '));
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#import-template')]);
      expect(download.suggestedFilename()).toBe(`${SEED.name[language]} – ${t('fileName.importTemplate')}.csv`);
      const body = await readFile(await download.path());
      expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const [header, example, ...more]: string[][] = parse(body, { bom: true });
      expect(header).toEqual(columns);
      expect(more).toEqual([]);
      const cell = (field: keyof typeof COLUMN_NAMES) => example[Object.keys(COLUMN_NAMES).indexOf(field)];
      // Names, not codes: the country, the first category, the page's language, every open session.
      expect(cell('country')).toBe(new Intl.DisplayNames([{ es: 'es-MX', en: 'en-US', fr: 'fr-CA' }[language]], { type: 'region' }).of({ es: 'MX', en: 'US', fr: 'CA' }[language]));
      expect(cell('category')).toBe(SEED.categories[0].name[language]);
      expect(cell('sessions')).toBe(
        SEED.sessions
          .filter((x) => !x.cancelled)
          .map((x) => x.name[language])
          .join('; '),
      );
      expect(rawIdsIn(example)).toEqual([]);
      // Filled in (another address) and checked: it passes as it is; nothing is written by the check.
      const filled = [header, example.map((v, i) => (i === 0 ? `template.${language}.${run}@cumbre.example` : v))].map((r) => r.map((v) => `"${v}"`).join(',')).join('\n');
      await page.setInputFiles('#import-file', { name: 'plantilla.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${filled}\n`) });
      await page.click('#import-check');
      await page.waitForSelector('#import-preview-ok');
      expect(await page.isEnabled('#import-commit')).toBe(true);
      expect((await (await api(`/events/${EVENT_ID}/invitations?q=${encodeURIComponent(`template.${language}.${run}`)}`)).json()) as { total: number }).toMatchObject({ total: 0 });
    });
  }

  it('signs out, forgetting the token', async () => {
    await page.click('#signout');
    expect(await page.isVisible('#signin')).toBe(true);
    expect(await page.isHidden('#app')).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length)).toBe(0);
    await page.reload();
    expect(await page.isVisible('#signin')).toBe(true);
  });

  it('stayed within its CSP, raised no script errors and asked no other origin for anything', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
    // The badge links are the stack's own bucket (a navigation, not a fetch); nothing else leaves the API.
    expect(requests.filter((u) => !u.startsWith(info.apiUrl) && !u.startsWith('blob:') && !u.startsWith(info.endpoints.s3))).toEqual([]);
  });
});
