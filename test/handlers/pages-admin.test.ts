import { cognitoAuthenticator } from '#adapters/cognito-authenticator.js';
import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvitationService } from '#domain/invitations.js';
import { RsvpService } from '#domain/rsvp.js';
import { deriveKeys } from '#shared/app-keys.js';
import { httpStatusOf } from '#shared/http.js';
import { DomainError } from '#domain/errors.js';
import type { OrganizerAuthenticator } from '#domain/sign-in.js';
import * as adminPage from '../../functions/handlers/admin-page.js';
import * as exportAttendees from '../../functions/handlers/admin-export-attendees.js';
import { buildAdminScript } from '../fixtures/admin-script.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, claimsWith, context, organizer } from './events.js';

/** A domain refusal with these fields, answered with `status` by the HTTP error mapping. */
const expectRefusal = async (promise: Promise<unknown>, status: number, fields: object) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect(err).toMatchObject(fields);
  expect(httpStatusOf(err as DomainError)).toBe(status);
};

// admin-session reads its app client id at cold start.
process.env.USER_POOL_CLIENT_ID = 'organizers-client';
const adminSession = await import('../../functions/handlers/admin-session.js');

const get = (route: string, path: Record<string, string> = {}, query?: Record<string, string>, headers: Record<string, string> = {}) =>
  adminPage.handler(apiEvent({ method: 'GET', route, path, query, headers: { accept: 'text/html', ...headers } }), context);

describe('GET /admin', () => {
  it('serves the dashboard shell under a CSP that allows only this origin', async () => {
    const res = await get('/admin', {}, { lang: 'fr', event: 'na-mayors-summit-2019' });
    expect(res.statusCode).toBe(200);
    expect(res.headers!['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="fr">');
    expect(res.body).toContain('data-event="na-mayors-summit-2019"');
    expect(res.headers).toMatchObject({
      'content-security-policy':
        "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });

  it('falls back to the summit for an ?event= that is not an event id, and to the browser’s language', async () => {
    const res = await get('/admin', {}, { event: '"><script>alert(1)</script>' }, { 'accept-language': 'en-US,en;q=0.9' });
    expect(res.body).toContain('data-event="na-mayors-summit-2019"');
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain('<html lang="en">');
  });

  // "All" agrees with what each filter chooses: la catégorie, la langue (Toutes); la categoría (Todas).
  it.each([
    ['fr', { 'filter-status': 'Tous', 'filter-category': 'Toutes', 'filter-country': 'Tous', 'msg-category': 'Toutes', 'msg-country': 'Tous', 'msg-language': 'Toutes' }],
    ['es', { 'filter-status': 'Todos', 'filter-category': 'Todas', 'filter-country': 'Todos', 'msg-category': 'Todas', 'msg-country': 'Todos', 'msg-language': 'Todos' }],
    ['en', { 'filter-status': 'All', 'filter-category': 'All', 'filter-country': 'All', 'msg-category': 'All', 'msg-country': 'All', 'msg-language': 'All' }],
  ])('in %s, each filter’s “all” agrees with its noun', async (lang, expected) => {
    const { body } = await get('/admin', {}, { lang });
    const first = Object.fromEntries(Object.keys(expected).map((id) => [id, new RegExp(`<select id="${id}"[^>]*><option value="">([^<]*)</option>`).exec(body!)?.[1]]));
    expect(first).toEqual(expected);
  });

  it.each([
    ['app.js', 'text/javascript; charset=utf-8', 'sessionStorage'],
    ['app.css', 'text/css; charset=utf-8', 'box-sizing'],
  ])('serves /admin/%s', async (asset, type, content) => {
    // The script as the CDK build bundles it beside the function (see lib/constructs/browser-bundle.ts).
    const handler = adminPage.makeHandler({ script: buildAdminScript });
    const res = await handler(apiEvent({ method: 'GET', route: '/admin/{asset}', path: { asset }, headers: { accept: 'text/html' } }), context);
    expect(res.statusCode).toBe(200);
    expect(res.headers!['content-type']).toBe(type);
    expect(res.headers!['x-content-type-options']).toBe('nosniff');
    expect(res.body).toContain(content);
  });

  it.each(['nope.js', '__proto__', 'constructor'])('answers an unknown asset %s with the 404 page', async (asset) => {
    const res = await get('/admin/{asset}', { asset });
    expect(res.statusCode).toBe(404);
    expect(res.headers!['content-type']).toContain('text/html');
  });
});

describe('POST /admin/session', () => {
  const calls: unknown[][] = [];
  const fake: OrganizerAuthenticator = {
    signIn: async (username, password) => {
      calls.push(['signIn', username, password]);
      if (password === 'mfa') return { challenge: 'SOFTWARE_TOKEN_MFA', session: 'sess-1' };
      if (password !== 'Correct-Horse-9') throw new (await import('#domain/sign-in.js')).SignInRefusedError();
      return { idToken: 'id.token.jwt', expiresIn: 3600 };
    },
    answer: async (challenge, username, session, answer) => {
      calls.push(['answer', challenge, username, session, answer]);
      return { idToken: 'id.after.mfa', expiresIn: 3600 };
    },
  };
  const handler = adminSession.makeHandler({ auth: fake });
  const post = (body: unknown, contentType = 'application/json') =>
    handler(apiEvent({ method: 'POST', route: '/admin/session', path: {}, body: typeof body === 'string' ? body : JSON.stringify(body), contentType }), context);

  beforeEach(() => {
    calls.length = 0;
  });

  it('exchanges a username and password for an ID token, uncached', async () => {
    const res = await post({ username: ' ana ', password: 'Correct-Horse-9' });
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toEqual({ idToken: 'id.token.jwt', expiresIn: 3600 });
    expect(res.headers!['cache-control']).toBe('no-store');
    expect(calls).toEqual([['signIn', 'ana', 'Correct-Horse-9']]);
  });

  it('refuses a wrong password with 401 and one message', async () => {
    const res = await post({ username: 'ana', password: 'wrong' });
    expect(res.statusCode).toBe(401);
    expect(bodyOf(res).error).toBe('invalid_credentials');
  });

  it('returns a TOTP challenge and accepts its answer', async () => {
    const first = await post({ username: 'ana', password: 'mfa' });
    expect(bodyOf(first)).toEqual({ challenge: 'SOFTWARE_TOKEN_MFA', session: 'sess-1' });
    const second = await post({ username: 'ana', challenge: 'SOFTWARE_TOKEN_MFA', session: 'sess-1', code: '123456' });
    expect(bodyOf(second)).toEqual({ idToken: 'id.after.mfa', expiresIn: 3600 });
    expect(calls[1]).toEqual(['answer', 'SOFTWARE_TOKEN_MFA', 'ana', 'sess-1', '123456']);
  });

  it.each([
    [{ username: 'ana' }, 'password'],
    [{ username: 'ana', password: 'x', admin: true }, 'admin'],
    [{ username: 'ana', challenge: 'SOFTWARE_TOKEN_MFA', session: 's', code: '12ab' }, 'code'],
    [{ username: 'ana', challenge: 'NEW_PASSWORD_REQUIRED', session: 's', newPassword: 'short' }, 'newPassword'],
  ])('refuses %j with a 400 naming %s, calling nobody', async (body, field) => {
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(calls).toEqual([]);
  });

  it('takes JSON only', async () => {
    expect((await post('username=ana&password=x', 'application/x-www-form-urlencoded')).statusCode).toBe(415);
  });
});

describe('the Cognito authenticator', () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  const auth = cognitoAuthenticator(new CognitoIdentityProviderClient({ region: 'us-east-1' }), 'organizers-client');
  beforeEach(() => cognito.reset());

  it('signs in with USER_PASSWORD_AUTH on the organizers’ client', async () => {
    cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: { IdToken: 'id', AccessToken: 'a', RefreshToken: 'r', ExpiresIn: 3600 } });
    expect(await auth.signIn('ana', 'pw')).toEqual({ idToken: 'id', accessToken: 'a', expiresIn: 3600, viaMfa: false });
    expect(cognito.commandCalls(InitiateAuthCommand)[0].args[0].input).toEqual({
      ClientId: 'organizers-client',
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'ana', PASSWORD: 'pw' },
    });
  });

  it('passes on a supported challenge and answers a new-password one', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's1' });
    cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { IdToken: 'id2', ExpiresIn: 3600 } });
    expect(await auth.signIn('ana', 'temp')).toEqual({ challenge: 'NEW_PASSWORD_REQUIRED', session: 's1' });
    expect(await auth.answer('NEW_PASSWORD_REQUIRED', 'ana', 's1', 'A-new-password-1')).toEqual({ idToken: 'id2', expiresIn: 3600, viaMfa: false });
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0].args[0].input.ChallengeResponses).toEqual({ USERNAME: 'ana', NEW_PASSWORD: 'A-new-password-1' });
  });

  it.each([
    ['NotAuthorizedException', 401, 'invalid_credentials'],
    ['UserNotFoundException', 401, 'invalid_credentials'],
    ['TooManyRequestsException', 429, 'too_many_attempts'],
    ['PasswordResetRequiredException', 403, 'sign_in_not_possible'],
  ])('translates %s to %i %s', async (name, status, code) => {
    cognito.on(InitiateAuthCommand).rejects(Object.assign(new Error('cognito says no'), { name }));
    await expectRefusal(auth.signIn('ana', 'pw'), status, { code });
  });

  it('treats InvalidPasswordException as a wrong password on sign-in, and as a policy breach for a new password', async () => {
    const invalid = Object.assign(new Error('Invalid password'), { name: 'InvalidPasswordException' });
    cognito.on(InitiateAuthCommand).rejects(invalid);
    cognito.on(RespondToAuthChallengeCommand).rejects(invalid);
    await expectRefusal(auth.signIn('ana', 'wrong'), 401, { code: 'invalid_credentials' });
    await expectRefusal(auth.answer('NEW_PASSWORD_REQUIRED', 'ana', 's', 'short'), 400, { details: [{ field: 'newPassword' }] });
  });

  it('refuses a challenge the dashboard cannot answer', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'MFA_SETUP', Session: 's' });
    await expectRefusal(auth.signIn('ana', 'pw'), 403, { code: 'sign_in_not_possible' });
  });
});

describe('GET /events/{eventId}/attendees.csv', () => {
  it('lists confirmed and waitlisted invitees with a status per session, without accreditation', async () => {
    const store = new MemoryStore();
    const clock = fixedClock(BEFORE_DEADLINE);
    const ids = sequentialIds();
    await store.putEventDefinition(summit());
    const invitations = new InvitationService({ store, clock, ids, tokenSecret: deriveKeys('s').rsvpTokens, publicBaseUrl: 'https://rsvp.example.org' });
    const results = await invitations.import(
      'na-mayors-summit-2019',
      [1, 2, 3].map((n) => ({ row: n, data: invitee(n, n === 1 ? { organization: '=cmd()' } : {}) })),
    );
    const rsvp = new RsvpService({ store, clock, ids });
    const token = (i: number) => results[i].rsvpUrl!.split('/rsvp/')[1];
    await rsvp.respond(token(0), {
      responses: [{ sessionId: 'presidential-session', attending: true }],
      dietary: 'Vegan',
      accreditation: { nationality: 'US', idDocumentNumber: 'P 1234567' },
    });
    await rsvp.respond(token(1), { responses: [{ sessionId: 'welcome-cocktail', attending: false }] });

    const res = await exportAttendees.makeHandler({ store })(
      apiEvent({ method: 'GET', route: '/events/{eventId}/attendees.csv', path: { eventId: 'na-mayors-summit-2019' }, claims: organizer }),
      context,
    );

    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="na-mayors-summit-2019-attendees.csv"' });
    const lines = res.body!.trim().split('\r\n');
    expect(lines[0]).toBe(
      'name,role,delegationOf,title,email,organization,country,category,language,guests,badgeName,dietary,accessibility,topics,welcome-cocktail,working-day-1,presidential-session,working-day-2',
    );
    expect(lines.slice(1)).toEqual(["Mayor 1,,,,mayor1@city1.example,'=cmd(),US,mayor-us,en,0,,Vegan,,,pending,pending,confirmed,pending"]);
    expect(res.body).not.toContain('P 1234567');
  });

  it('answers an unknown event with 404', async () => {
    const res = await exportAttendees.makeHandler({ store: new MemoryStore() })(
      apiEvent({ method: 'GET', route: '/events/{eventId}/attendees.csv', path: { eventId: 'nope-2020' }, claims: claimsWith(['admin']) }),
      context,
    );
    expect(res.statusCode).toBe(404);
  });
});
