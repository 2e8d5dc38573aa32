import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { CognitoDirectory } from '#adapters/cognito-directory.js';
import { EVENT_ID, eventually, localCloud, signInRequest, totp } from '../e2e/support.js';
import { dashboardText } from '#i18n/dashboard/index.js';
import { launchBrowser } from './browser.js';

/**
 * The dashboard's sign-in steps past the password, in the browser: a security officer enrols an
 * authenticator app (the secret shown, a code from it), is sent back to sign in again, and is then
 * asked for a code; a new organizer created with a temporary password chooses a new one. The HTTP
 * side of both is test/e2e/mfa.test.ts's; this is the form's.
 */
const run = randomUUID().slice(0, 8);
const t = dashboardText('en');

let info: LocalCloudInfo;
let cognito: CognitoIdentityProviderClient;
let browser: Browser;
const pageErrors: string[] = [];

const person = async (role: 'security' | 'organizer', password: { permanent: string } | { temporary: string }) => {
  const poolId = info.cognito.userPoolId!;
  const username = `${role}.${run}@sign-in.example`;
  const group = `event:${EVENT_ID}:${role}`;
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: username }],
      ...('temporary' in password ? { TemporaryPassword: password.temporary } : {}),
    }),
  );
  if ('permanent' in password) await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password.permanent, Permanent: true }));
  // The people function's own way in: the group created only when missing (cognito-local would empty an existing one).
  await new CognitoDirectory(cognito, poolId).addToGroup(username, group);
  return username;
};

const signInPage = async (): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${info.apiUrl}/admin?lang=en`);
  await page.waitForSelector('#signin-submit:not([disabled])');
  return page;
};

/** The steps of the form that show, by their ids. */
const visibleSteps = (page: Page) => page.$$eval('#signin-form > div', (steps) => steps.filter((s) => !(s as unknown as { hidden: boolean }).hidden).map((s) => s.id));
const focusedId = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id);

beforeAll(async () => {
  info = localCloud();
  cognito = new CognitoIdentityProviderClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.cognito });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('the dashboard sign-in, past the password', () => {
  it('enrols an authenticator app, then asks for its code', async () => {
    const password = `Officer-${run}-Passw0rd!`;
    const username = await person('security', { permanent: password });
    const page = await signInPage();
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('#signin-submit');

    await page.waitForSelector('#signin-mfa-setup', { state: 'visible' });
    expect(await visibleSteps(page)).toEqual(['signin-mfa-setup']);
    const secret = (await page.textContent('#mfa-secret')) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    expect(await page.getAttribute('#mfa-uri', 'href')).toContain(`secret=${secret}`);
    expect(await page.textContent('#signin-submit')).toBe(t('continue'));
    expect(await focusedId(page)).toBe('mfa-setup-code');

    await page.fill('#mfa-setup-code', totp(secret));
    await page.click('#signin-submit');
    await eventually(async () => ((await page.textContent('#signin-error')) === t('mfaEnrolled') ? true : undefined), 'the enrolment notice');
    expect(await visibleSteps(page)).toEqual(['signin-credentials']);
    expect(await page.inputValue('#password')).toBe('');
    expect(await focusedId(page)).toBe('password');
    expect(await page.textContent('#signin-submit')).toBe(t('signIn'));

    await page.fill('#password', password);
    await page.click('#signin-submit');
    await page.waitForSelector('#signin-mfa', { state: 'visible' });
    expect(await visibleSteps(page)).toEqual(['signin-mfa']);
    expect(await focusedId(page)).toBe('mfa-code');
    await page.fill('#mfa-code', totp(secret));
    await page.click('#signin-submit');
    await page.waitForSelector('#app', { state: 'visible' });
    expect(await page.isHidden('#signin')).toBe(true);
    expect(await page.textContent('#whoami')).toBe(t('signedInAs', { name: username }));

    // Signing out comes back to the first step, not to the code the last sign-in asked for.
    await page.click('#signout');
    await page.waitForSelector('#signin', { state: 'visible' });
    expect(await visibleSteps(page)).toEqual(['signin-credentials']);
    expect(await page.textContent('#signin-submit')).toBe(t('signIn'));
    expect(pageErrors).toEqual([]);
  });

  it('has a new organizer choose a password in place of the temporary one', async () => {
    const temporary = `Temporary-${run}-Passw0rd!`;
    const chosen = `Chosen-${run}-Passw0rd!`;
    const username = await person('organizer', { temporary });
    const page = await signInPage();
    await page.fill('#username', username);
    await page.fill('#password', temporary);
    await page.click('#signin-submit');

    await page.waitForSelector('#signin-new-password', { state: 'visible' });
    expect(await visibleSteps(page)).toEqual(['signin-new-password']);
    expect(await focusedId(page)).toBe('new-password');
    await page.fill('#new-password', chosen);
    await page.click('#signin-submit');
    await page.waitForSelector('#app', { state: 'visible' });
    expect(await page.textContent('#whoami')).toBe(t('signedInAs', { name: username }));

    // The chosen password is the one that works now.
    expect((await signInRequest(info, { username, password: chosen })).body.idToken).toEqual(expect.any(String));
    expect(pageErrors).toEqual([]);
  });
});
