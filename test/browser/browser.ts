import chromium from '@sparticuz/chromium';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium as playwright, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Screenshots of each page, for the README's examples (not committed; a few are copied to docs/). */
export const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');

/**
 * Chromium from @sparticuz/chromium (installed by `npm ci`), or a system one via CHROME_PATH.
 * Background networking, component updates and sync are off, so the only requests are the test's.
 */
export const launchBrowser = async ({ multiProcess = false }: { multiProcess?: boolean } = {}): Promise<Browser> =>
  playwright.launch({
    executablePath: process.env.CHROME_PATH ?? (await chromium.executablePath()),
    // Lambda's `--single-process` crashes Chromium (SIGTRAP) once several contexts hold service workers and IndexedDB; the check-in tests run it as a desktop browser does.
    args: [...chromium.args, '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'].filter(
      (a) => !multiProcess || a !== '--single-process',
    ),
  });

/**
 * A context signed in to the dashboard as `user`: the session in sessionStorage as the sign-in form
 * leaves it (signing in itself, TOTP included, is test/browser/sign-in.test.ts's subject).
 */
export const signedInContext = async (browser: Browser, user: { token: string; username: string }, options: BrowserContextOptions = {}): Promise<BrowserContext> => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, ...options });
  await context.addInitScript(
    ([token, username]) => {
      try {
        (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(
          'cumbre.admin.session',
          JSON.stringify({ idToken: token, expiresAt: Date.now() + 3_600_000, username }),
        );
      } catch {
        // about:blank has no storage; the dashboard's own origin does.
      }
    },
    [user.token, user.username],
  );
  return context;
};

/** The whole page by default; `{ fullPage: false }` keeps to the viewport (e.g. one section scrolled into view). */
export const screenshot = async (page: Page, name: string, { fullPage = true }: { fullPage?: boolean } = {}) => {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
};

let axeSource: string | undefined;

/**
 * Runs axe-core (WCAG 2.1 A/AA rules) in the page. Evaluated through the DevTools protocol, which
 * the page's CSP does not govern, so the check needs no hole in the policy.
 */
export const axeViolations = async (page: Page) => {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }
    ).axe;
    return axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

/** The RSVP link in an email from aws-ses-v2-local's store (see mailTo in test/e2e/support.ts). */
export const rsvpLinkIn = (mail: object | undefined): string | undefined => /https?:\/\/[^"\s<>\\]+\/rsvp\/[A-Za-z0-9_-]{32}/.exec(JSON.stringify(mail ?? ''))?.[0];

/**
 * French, as every catalogue writes it (the invitee's pages, the emails and the dashboard alike):
 * : ; ! ? take a narrow no-break space before them, which the OQLF allows and France's usage wants.
 * Returns each visible text that puts one straight after a word, or after a breakable space (a
 * URL's scheme is not punctuation).
 */
export const frenchPunctuationFaults = (texts: string[]) => texts.filter((x) => /[^\u00a0\u202f][:;!?](?=\s|$)/u.test(x.replace(/\bhttps?:\/\//g, '')));

/** Script errors and Content Security Policy violations in `page`, collected into the test's lists. */
export const watchPage = (page: Page, pageErrors: string[], cspViolations: string[]): Page => {
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return page;
};

/**
 * The text a person reads in `scope`: every visible text node, except inside `skip` (a selector:
 * hidden parts, scripts, and what a test deliberately leaves out, such as form fields).
 */
export const visibleTexts = (page: Page, scope: string, skip: string) =>
  page.$$eval(
    scope,
    (roots, skipped) => {
      const out: string[] = [];
      for (const root of roots) {
        const walker = root.ownerDocument.createTreeWalker(root, 4);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const parent = n.parentElement;
          if (!parent || parent.closest(skipped) || !(parent as unknown as { offsetParent: unknown }).offsetParent) continue;
          const value = (n.textContent ?? '').trim();
          if (value) out.push(value);
        }
      }
      return out;
    },
    skip,
  );

/** Visible cells, labels and buttons in `selector` whose text is wider than their box. */
export const overflowing = (page: Page, selector: string) =>
  page.$$eval(selector, (nodes) =>
    nodes
      .filter((n) => (n as unknown as { offsetParent: unknown }).offsetParent !== null && n.scrollWidth > n.clientWidth)
      .map((n) => `${n.tagName} ${(n.textContent ?? '').slice(0, 40)} (${n.scrollWidth} > ${n.clientWidth})`),
  );
