import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { EVENT_ID, answer, createEventOfItsOwn, eventually, localCloud, organizerApi } from '../e2e/support.js';
import { LANGUAGES, eventDefinitionSchema, type Language } from '#domain/model.js';
import { LOCALES } from '#domain/time.js';
import { dashboardCatalogues, dashboardText } from '#i18n/dashboard/index.js';
import { axeViolations, launchBrowser, overflowing, screenshot, signedInContext, visibleTexts, watchPage } from './browser.js';

/**
 * Security's and admin's views of the dashboard (functions/pages/admin-app/access.ts, roles.ts) in a
 * real browser, in es, en and fr: the accreditation list with its clearance decision, the event's
 * audit, and admin's people. The seeded security and admin accounts' tokens (session.json) are put
 * where the dashboard keeps its own after sign-in; signing in with TOTP is test/e2e/mfa.test.ts's.
 */
const run = randomUUID().slice(0, 8);
const SEED = eventDefinitionSchema.parse(JSON.parse(readFileSync(new URL('../../seed/na-mayors-summit-2019.json', import.meta.url), 'utf8')));
const ACCREDITED = SEED.sessions.find((s) => s.requiresAccreditation)!;
/** Codes that must never show as text: the event's ids, the audit's action names, clearance states, Cognito states, catalogue keys. */
const RAW = [
  SEED.id,
  ...SEED.sessions.map((s) => s.id),
  'invitations.imported',
  'invitation.resent',
  'accreditation.read',
  'clearance.changed',
  'person.invited',
  'person.roles.changed',
  'person.removed',
  'invitation.edited',
  'invitation.replaced',
  'invitation.revoked',
  'invitation.answered',
  'FORCE_CHANGE_PASSWORD',
  'CONFIRMED',
  'TOTP',
  ...Object.keys(dashboardCatalogues.es).filter((k) => /[.]|[a-z][A-Z]/.test(k)),
];
const RAW_WORDS = new Set(['pending', 'cleared', 'refused', 'admin', 'security', 'viewer', 'organizer', 'door', 'null', 'undefined', '{}']);

let info: LocalCloudInfo;
let browser: Browser;
const pageErrors: string[] = [];
const cspViolations: string[] = [];
let invitationId: string;
let invitee: { email: string; name: string };

/**
 * A page signed in as one of the seeded people, in one language. One context per person for the
 * whole file: the headless Chromium here runs as a single process, and closing a context stops it.
 */
const pages = new Map<string, Page>();
const pageAs = async (who: 'security' | 'admin', language: Language): Promise<Page> => {
  let page = pages.get(who);
  if (!page) {
    const user = info.session.users!.find((u) => u.name === who)!;
    const context = await signedInContext(browser, user);
    page = watchPage(await context.newPage(), pageErrors, cspViolations);
    pages.set(who, page);
  }
  await page.goto(`${info.apiUrl}/admin?lang=${language}`);
  await page.waitForSelector('#app', { state: 'visible' });
  await page.waitForSelector('#capacity-bars svg[role=img]');
  return page;
};

/** What a person reads: not form fields (what security types), not hints, not hidden parts. */
const READ_SKIPS = '[hidden], textarea, .hint, script';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const rawIn = (texts: string[]) => [...texts.filter((x) => RAW.some((id) => x.includes(id))), ...texts.filter((x) => RAW_WORDS.has(x))];
beforeAll(async () => {
  info = localCloud();
  browser = await launchBrowser();
  // An invitee who sent their accreditation for the session that needs it.
  invitee = { email: `accredited.${run}@cumbre.example`, name: `Alcalde Acreditado ${run}` };
  const res = await organizerApi(info)(`/events/${EVENT_ID}/invitations`, {
    method: 'POST',
    body: JSON.stringify({ ...invitee, organization: `Mexicali ${run}`, country: 'MX', category: 'mayor-mx', language: 'es', sessions: [ACCREDITED.id] }),
  });
  expect(res.status).toBe(200);
  const [row] = ((await res.json()) as { results: Array<{ id: string; rsvpUrl: string }> }).results;
  invitationId = row.id;
  expect(
    (await answer(row.rsvpUrl, { responses: [{ sessionId: ACCREDITED.id, attending: true }], accreditation: { nationality: 'MX', idDocumentNumber: `G${run.toUpperCase()}` } }))
      .status,
  ).toBe(200);
});

afterAll(async () => {
  await browser?.close();
});

describe('security’s views', () => {
  it('clears an accredited person, and the list and the audit say so in words', async () => {
    const t = dashboardText('es');
    const page = await pageAs('security', 'es');
    expect(await page.isVisible('#accreditation')).toBe(true);
    expect(await page.isVisible('#audit')).toBe(true);
    expect(await page.isHidden('#people')).toBe(true);
    const row = page.locator(`#accreditation-rows tr[data-invitation="${invitationId}"]`);
    await row.waitFor();
    expect(await row.locator('td[data-clearance]').textContent()).toBe(t('clearance.pending'));

    // Refusing without a note: the API names the field, and the page says what it needs, in Spanish.
    await row.locator(`[data-refuse="${invitationId}"]`).click();
    await eventually(async () => ((await page.textContent('#accreditation-status')) === t('clearanceError.note') ? true : undefined), 'the note asked for');
    expect(await row.locator('td[data-clearance]').textContent()).toBe(t('clearance.pending'));

    await row.locator('input').fill('Documento vigente');
    await row.locator(`[data-clear="${invitationId}"]`).click();

    await eventually(async () => ((await row.locator('td[data-clearance]').textContent()) === t('clearance.cleared') ? true : undefined), 'the cleared state in the list');
    await page.click('#audit-filters button[type=submit]');
    const line = page.locator('#audit-rows li[data-action="clearance.changed"]').first();
    await line.waitFor();
    expect(await line.locator('strong').textContent()).toBe(t('auditAction.clearance.changed'));
    expect(await line.textContent()).toContain(t('auditChange', { field: t('auditField.clearance'), before: t('clearance.pending'), after: t('clearance.cleared') }));
    expect(await line.textContent()).toContain(info.session.users!.find((u) => u.name === 'security')!.email);
    // Whom it was about, by name (the record holds the invitation's id, which is never shown).
    expect(await line.textContent()).toContain(invitee.name);
    expect(await line.textContent()).not.toContain(invitationId);
  });

  for (const language of LANGUAGES) {
    it(`speaks ${language}: the accreditation list and the audit in words, no raw codes, nothing overflowing`, async () => {
      const t = dashboardText(language);
      const page = await pageAs('security', language);
      const row = page.locator(`#accreditation-rows tr[data-invitation="${invitationId}"]`);
      await row.waitFor();
      expect(await row.locator('td[data-clearance]').textContent()).toBe(t('clearance.cleared'));
      // The nationality by its name in the page's language, never its ISO code.
      expect(await row.locator('td').nth(2).textContent()).toBe(new Intl.DisplayNames([LOCALES[language]], { type: 'region' }).of('MX'));
      expect(await page.locator('#accreditation th').allTextContents()).toContain(t('colIdDocument'));
      await page.click('#audit-filters button[type=submit]');
      // Wait on what the trail must show (the list is replaced when the filter's answer arrives).
      for (const action of ['auditAction.clearance.changed', 'auditAction.accreditation.read'] as const)
        await page
          .locator('#audit-rows li strong', { hasText: t(action) })
          .first()
          .waitFor();
      const actions = await page.locator('#audit-rows li strong').allTextContents();
      expect(actions).toContain(t('auditAction.clearance.changed'));
      expect(actions).toContain(t('auditAction.accreditation.read'));
      expect(actions).not.toContain(t('auditAction.other'));

      expect(rawIn(await visibleTexts(page, '#accreditation, #audit', READ_SKIPS))).toEqual([]);
      expect(await overflowing(page, '#accreditation th, #accreditation td, #accreditation button, #audit button, #audit label')).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `admin-security-${language}`);

      // The export: the trail's lines in the page's words, for a spreadsheet (a byte order mark, the venue's clock).
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-export')]);
      // Named in the page's words: the event's name and what the file holds, never the event's id.
      expect(download.suggestedFilename()).toBe(`${SEED.name[language]} – ${t('fileName.audit')}.csv`);
      const body = await readFile(await download.path());
      expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const [header, ...rows]: string[][] = parse(body, { bom: true });
      expect(header).toEqual((['at', 'actor', 'action', 'target', 'changes'] as const).map((c) => t(`auditColumn.${c}`)));
      expect(rows.map((r) => r[2])).toContain(t('auditAction.clearance.changed'));
      expect(rows.map((r) => r[2])).not.toContain(t('auditAction.other'));
      const change = t('auditChange', { field: t('auditField.clearance'), before: t('clearance.pending'), after: t('clearance.cleared') });
      expect(
        rows.some((r) => r[2] === t('auditAction.clearance.changed') && r[3] === invitee.name && r[4].split(' · ').includes(change)),
        `${invitee.name}: ${change} in ${JSON.stringify(rows)}`,
      ).toBe(true);
      for (const row of rows) expect(row.join(' ')).not.toContain(invitationId);
      for (const [at] of rows) expect(at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
      expect(rawIn(rows.flat())).toEqual([]);
    });
  }
});

describe('admin’s people', () => {
  const email = `viewer.${run}@venue.example`;
  /** Another event, for a role held there: the editor and the trail name it, never by its id. */
  const other = { id: `access-other-${run}`, name: { es: `Foro de Tijuana ${run}`, en: `Tijuana Forum ${run}`, fr: `Forum de Tijuana ${run}` }, capacity: 10 };
  beforeAll(() => createEventOfItsOwn(info, other));

  /** The role and event chosen on each line of an editor, as the page shows them (administration says "every event"). */
  const chosen = (page: Page, scope: string) =>
    page.$$eval(`${scope} ul.grants li`, (items) =>
      items.map((li) =>
        [...li.querySelectorAll('select, .every')]
          .filter((node) => !node.hasAttribute('hidden'))
          .map((node) => (node.tagName === 'SELECT' ? (node.querySelector('option:checked')?.textContent ?? '') : (node.textContent ?? ''))),
      ),
    );

  it('invites a viewer of this event, chosen by name, who is listed with their state and the change in the trail', async () => {
    const t = dashboardText('en');
    const page = await pageAs('admin', 'en');
    expect(await page.isVisible('#people')).toBe(true);
    // A mistyped address: named in words, nobody invited. It is sent while the list of people is
    // still on its way (held here): its arrival must not wipe the refusal.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/people$/, async (route) => {
      if (route.request().method() === 'GET') await held;
      await route.continue();
    });
    await page.reload();
    await page.waitForSelector('#people', { state: 'visible' });
    // The invitation starts with one line: viewer, of the event this dashboard shows, by its name.
    await page.locator('#people-grants select[data-grant=role]').waitFor();
    expect(await chosen(page, '#people-grants')).toEqual([[t('role.name', { role: 'viewer' }), SEED.name.en]]);
    expect(await page.locator('#people-rows tr').count()).toBe(0);
    await page.fill('#people-email', 'not-an-address');
    await page.click('#people-invite button[type=submit]');
    await eventually(async () => (await page.textContent('#people-status')) || undefined, 'the address refused');
    release();
    await page.locator('#people-rows tr').first().waitFor();
    await page.unroute(/\/people$/);
    expect(await page.textContent('#people-status')).toBe(t('peopleError.email'));
    // Every event is a choice by name once admin's list came; administration hides the event.
    const events = await page.$$eval('#people-grants select[data-grant=event] option', (os) => os.map((o) => o.textContent));
    expect(events).toEqual(expect.arrayContaining([SEED.name.en, other.name.en]));
    await page.selectOption('#people-grants select[data-grant=role]', 'admin');
    expect(await chosen(page, '#people-grants')).toEqual([[t('role.name', { role: 'admin' }), t('everyEvent')]]);
    // No role at all: refused in words, nobody invited.
    await page.click('#people-grants [data-grant=remove]');
    await page.fill('#people-email', email);
    await page.click('#people-invite button[type=submit]');
    await eventually(async () => ((await page.textContent('#people-status')) === t('peopleError.roles') ? true : undefined), 'no roles refused');
    expect(await page.locator(`#people-rows tr[data-person="${email}"]`).count()).toBe(0);
    await page.click('#people-grants [data-grant=add]');
    expect(await chosen(page, '#people-grants')).toEqual([[t('role.name', { role: 'viewer' }), SEED.name.en]]);
    await page.click('#people-invite button[type=submit]');

    const row = page.locator(`#people-rows tr[data-person="${email}"]`);
    await row.waitFor();
    expect(await row.locator('td').first().locator('.meta').textContent()).toBe(t('personStatus.state', { status: 'FORCE_CHANGE_PASSWORD' }));
    expect(await chosen(page, `#people-rows tr[data-person="${email}"]`)).toEqual([[t('role.name', { role: 'viewer' }), SEED.name.en]]);
    // The form is ready for the next person: no address, one line again.
    expect(await page.inputValue('#people-email')).toBe('');
    expect(await chosen(page, '#people-grants')).toEqual([[t('role.name', { role: 'viewer' }), SEED.name.en]]);
    const line = page.locator('#people-audit li[data-action="person.invited"]', { hasText: email });
    await line.waitFor();
    expect(await line.textContent()).toContain(
      t('auditChange', { field: t('auditField.roles'), before: t('auditNone'), after: t('roleIn', { role: t('role.name', { role: 'viewer' }), event: SEED.name.en }) }),
    );
  });

  it('opens another event from the switcher, by its name; security, with one event, has no switcher', async () => {
    const t = dashboardText('es');
    const page = await pageAs('admin', 'es');
    await page.locator('#event-switch[data-events]').waitFor({ state: 'attached' });
    expect(await page.isVisible('#event-switch')).toBe(true);
    expect(await page.textContent('label[for=event-switch-select]')).toBe(t('eventSwitch'));
    const options = await page.$$eval('#event-switch-select option', (os) => os.map((o) => [o.textContent, (o as unknown as { selected: boolean }).selected]));
    expect(options).toEqual(
      expect.arrayContaining([
        [SEED.name.es, true],
        [other.name.es, false],
      ]),
    );
    expect(options.flat().filter((o) => typeof o === 'string' && (o.includes(other.id) || o.includes(SEED.id)))).toEqual([]);
    await page.selectOption('#event-switch-select', { label: other.name.es });
    await Promise.all([page.waitForURL((url) => url.searchParams.get('event') === other.id && url.searchParams.get('lang') === 'es'), page.click('#event-switch button')]);
    await page.waitForSelector('#event-line', { state: 'visible' });
    await eventually(async () => ((await page.textContent('#event-name')) === other.name.es ? true : undefined), 'the other event opened');
    expect(await page.$eval('#event-switch-select', (s) => (s as unknown as { value: string }).value)).toBe(other.id);

    const security = await pageAs('security', 'es');
    await security.locator('#event-switch[data-events]').waitFor({ state: 'attached' });
    expect(await security.getAttribute('#event-switch', 'data-events')).toBe('1');
    expect(await security.isHidden('#event-switch')).toBe(true);
  });

  it('gives the same person a role in another event, chosen by its name, and the trail names that event', async () => {
    const t = dashboardText('en');
    const page = await pageAs('admin', 'en');
    const scope = `#people-rows tr[data-person="${email}"]`;
    await page.locator(scope).waitFor();
    await page.click(`${scope} [data-grant=add]`);
    const added = page.locator(`${scope} ul.grants li`).last();
    await added.locator('select[data-grant=role]').selectOption('organizer');
    await added.locator('select[data-grant=event]').selectOption({ label: other.name.en });
    await page.click(`${scope} td.actions button >> nth=0`);
    const line = page.locator('#people-audit li[data-action="person.roles.changed"]', { hasText: email });
    await line.waitFor();
    const viewer = t('roleIn', { role: t('role.name', { role: 'viewer' }), event: SEED.name.en });
    const organizer = t('roleIn', { role: t('role.name', { role: 'organizer' }), event: other.name.en });
    // before → after, the roles in the order the API recorded them.
    expect(await line.textContent()).toMatch(
      new RegExp(`${escape(t('auditField.roles'))}: ${escape(viewer)} → (${escape(`${viewer} and ${organizer}`)}|${escape(`${organizer} and ${viewer}`)})`),
    );
    expect(await line.textContent()).not.toContain(other.id);
    // The list, drawn again from the API, holds both.
    await eventually(async () => ((await chosen(page, scope)).length === 2 ? true : undefined), 'both roles listed');
    expect(await chosen(page, scope)).toEqual(
      expect.arrayContaining([
        [t('role.name', { role: 'viewer' }), SEED.name.en],
        [t('role.name', { role: 'organizer' }), other.name.en],
      ]),
    );
  });

  for (const language of LANGUAGES) {
    it(`speaks ${language}: people, their states and who changed whom in words, no raw codes, nothing overflowing`, async () => {
      const t = dashboardText(language);
      const page = await pageAs('admin', language);
      const row = page.locator(`#people-rows tr[data-person="${email}"]`);
      await row.waitFor();
      expect(await row.locator('td').first().locator('.meta').textContent()).toBe(t('personStatus.state', { status: 'FORCE_CHANGE_PASSWORD' }));
      expect(await row.locator('td.actions button').allTextContents()).toEqual([t('saveRoles'), t('remove')]);
      // Every role and event in the editors is a name: no group code, no event id.
      const options = await page.$$eval('#people select option', (os) => os.map((o) => (o.textContent ?? '').trim()));
      expect(options).toEqual(expect.arrayContaining([other.name[language], SEED.name[language], t('role.name', { role: 'security' })]));
      expect([...rawIn(options), ...options.filter((o) => o.includes(other.id))]).toEqual([]);
      const elsewhere = t('roleIn', { role: t('role.name', { role: 'organizer' }), event: other.name[language] });
      await page.locator('#people-audit li[data-action="person.roles.changed"]', { hasText: email }).filter({ hasText: elsewhere }).waitFor();
      const line = page.locator('#people-audit li[data-action="person.invited"]', { hasText: email });
      // The roles name the event once the dashboard has its outline: wait on that state.
      const roleText = t('roleIn', { role: t('role.name', { role: 'viewer' }), event: SEED.name[language] });
      await line.filter({ hasText: roleText }).waitFor();
      expect(await line.locator('strong').textContent()).toBe(t('auditAction.person.invited'));
      expect(await line.textContent()).toContain(roleText);

      expect(rawIn(await visibleTexts(page, '#people', '[hidden], script'))).toEqual([]);
      expect(await overflowing(page, '#people th, #people td, #people button, #people label')).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `admin-people-${language}`);

      // Its export: the trail's lines in the page's words, under a name in them, for a spreadsheet.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#people-audit-export')]);
      expect(download.suggestedFilename()).toBe(`${t('fileName.peopleAudit')}.csv`);
      const body = await readFile(await download.path());
      expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const [header, ...rows]: string[][] = parse(body, { bom: true });
      expect(header).toEqual((['at', 'actor', 'action', 'target', 'changes'] as const).map((c) => t(`auditColumn.${c}`)));
      expect(
        rows.some((r) => r[2] === t('auditAction.person.invited') && r[3] === email && r[4].includes(roleText)),
        `${email} invited as ${roleText} in ${JSON.stringify(rows)}`,
      ).toBe(true);
      for (const [at] of rows) expect(at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
      expect(rawIn(rows.flat())).toEqual([]);
    });
  }

  it('on a phone, the accreditation list, the people and the event’s sessions stack their cells under their headings: nothing scrolls sideways', async () => {
    const t = dashboardText('es');
    for (const [who, table, heading] of [
      ['security', '#accreditation', t('colClearance')],
      ['admin', '#people', t('peopleRoles')],
      ['admin', '#event', t('eventSessionCapacity')],
    ] as const) {
      const page = await pageAs(who, 'es');
      const before = page.viewportSize()!;
      await page.setViewportSize({ width: 390, height: 800 });
      try {
        await page.locator(`${table} tbody tr`).first().waitFor();
        const layout = await page.$eval(`${table} table`, (node) => {
          const wrap = node.parentElement!;
          const headings = [...node.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
          const style = (globalThis as unknown as { getComputedStyle: (e: unknown, pseudo: string) => { content: string } }).getComputedStyle;
          const cells = [...node.querySelectorAll('tbody tr:first-child > *')].map((cell) => ({
            actions: cell.classList.contains('actions'),
            label: style(cell, '::before').content,
          }));
          return { scrolls: wrap.scrollWidth > wrap.clientWidth, headings, cells };
        });
        expect(layout.scrolls, `${table} scrolls sideways at 390 px`).toBe(false);
        expect(layout.headings).toContain(heading);
        // Each value under its column's name; the first cell (who, which session) and the actions need none.
        expect(layout.cells.map((c, i) => (i === 0 || c.actions ? 'none' : c.label))).toEqual(
          layout.headings.map((h, i) => (i === 0 || layout.cells[i].actions ? 'none' : JSON.stringify(h))),
        );
      } finally {
        await page.setViewportSize(before);
      }
    }
  });

  it('raised no script errors and broke no Content Security Policy', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
