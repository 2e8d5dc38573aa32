import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { EVENT_ID, localCloud } from '../e2e/support.js';
import { ORGANIZER_ROUTES, type OrganizerRouteKey } from '#domain/access/organizer-routes.js';
import { grantsOf, rolesIn } from '#domain/access/roles.js';
import { launchBrowser, signedInContext, watchPage } from './browser.js';

/**
 * Each seeded person (one per role, and an organizer of another event) signs in to the summit's
 * dashboard: every part of the page that calls organizer routes (`data-route`, written from the one
 * table of access, functions/domain/access/organizer-routes.ts) shows exactly when one of its routes
 * admits one of that person's roles for this event. Nobody is shown a button the API would answer
 * with 403; nobody misses one it would serve. The API's own refusals are test/e2e/role-matrix.test.ts's.
 */
let info: LocalCloudInfo;
let browser: Browser;
const pageErrors: string[] = [];
const cspViolations: string[] = [];

beforeAll(async () => {
  info = localCloud();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const ROUTES = Object.keys(ORGANIZER_ROUTES) as OrganizerRouteKey[];

describe('what each role sees on the dashboard', () => {
  for (const name of ['admin', 'organizer', 'security', 'door', 'viewer', 'elsewhere']) {
    it(`${name}: the controls of the routes their roles admit, and no other`, async () => {
      const user = info.session.users!.find((u) => u.name === name);
      expect(user, `the local cloud seeds a ${name}`).toBeDefined();
      const roles = rolesIn(grantsOf(user!.groups), EVENT_ID);
      // One context per person, left open: closing one stops the single-process headless Chromium.
      const page = watchPage(await (await signedInContext(browser, user!)).newPage(), pageErrors, cspViolations);
      await page.goto(`${info.apiUrl}/admin?lang=en&event=${EVENT_ID}`);
      // The script has read the roles once it says who is signed in.
      await page.waitForSelector('#whoami:not(:empty)');
      const parts = await page.$$eval('[data-route]', (nodes) =>
        nodes.map((n) => ({ part: n.id || n.getAttribute('data-download') || n.className, route: n.getAttribute('data-route')!, shown: !n.hasAttribute('hidden') })),
      );
      expect(parts.length).toBeGreaterThan(15);
      for (const { part, route, shown } of parts) {
        const routes = String(route).split('|');
        expect(ROUTES, `${part}: every route it names is an organizer route`).toEqual(expect.arrayContaining(routes));
        const admitted = routes.some((r) => ORGANIZER_ROUTES[r as OrganizerRouteKey].roles.some((role) => roles.includes(role)));
        expect({ part, shown }).toEqual({ part, shown: admitted });
      }
      // Not vacuous: an admin sees every part, a person with no role on this event none.
      if (name === 'admin') expect(parts.every((p) => p.shown)).toBe(true);
      if (name === 'elsewhere') expect(parts.some((p) => p.shown)).toBe(false);
      expect(cspViolations).toEqual([]);
    });
  }
});
