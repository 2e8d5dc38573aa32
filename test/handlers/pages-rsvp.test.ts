import { beforeEach, describe, expect, it } from 'vitest';
import { InvitationService } from '#domain/invitations.js';
import { RsvpService } from '#domain/rsvp.js';
import { deriveKeys } from '#shared/app-keys.js';
import * as rsvpHandler from '../../functions/handlers/rsvp.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { countingInvitationReads, totalReads } from '../support/read-counts.js';
import { AFTER_DEADLINE, BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, context } from './events.js';
import type { HttpResult } from '#shared/http.js';

const EVENT = 'na-mayors-summit-2019';
const HOST = 'abc123.execute-api.us-east-1.amazonaws.com';
const CSRF_KEY = deriveKeys('pages-test').csrf;
const PAGE_START_KEY = deriveKeys('pages-test').pageStart;
const FORM = 'application/x-www-form-urlencoded';

let store: MemoryStore;
let clock: ReturnType<typeof fixedClock>;
let invitations: InvitationService;
let handler: ReturnType<typeof rsvpHandler.makeHandler>;

beforeEach(async () => {
  store = new MemoryStore();
  clock = fixedClock(BEFORE_DEADLINE);
  const ids = sequentialIds();
  await store.putEventDefinition(summit());
  invitations = new InvitationService({ store, clock, ids, tokenSecret: deriveKeys('s').rsvpTokens, publicBaseUrl: 'https://rsvp.example.org' });
  handler = rsvpHandler.makeHandler({ rsvp: new RsvpService({ store, clock, ids, backoff: async () => {} }), csrfKey: CSRF_KEY, pageStartKey: PAGE_START_KEY, clock });
});

const importInvitee = async (n: number, overrides: Record<string, unknown> = {}) => {
  const [result] = await invitations.import(EVENT, [{ row: 1, data: invitee(n, overrides) }]);
  return result.rsvpUrl!.split('/rsvp/')[1];
};

const page = (token: string, query?: Record<string, string>, headers: Record<string, string> = {}) =>
  handler(apiEvent({ method: 'GET', route: '/rsvp/{token}', path: { token }, query, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...headers } }), context);

const csrfOf = (res: HttpResult) => ({
  field: /name="csrf" value="([^"]*)"/.exec(res.body ?? '')?.[1] ?? '',
  cookie: (res.cookies ?? [])[0]?.split(';')[0] ?? '',
});
/** The sealed invitation the form carries (`start`), if any. */
const startOf = (res: HttpResult) => /name="start" value="([^"]*)"/.exec(res.body ?? '')?.[1];

/** Follows a 303 as a browser does: a GET of the (relative) Location with the page's Accept. */
const follow = async (token: string, res: HttpResult): Promise<HttpResult> => {
  if (res.statusCode !== 303) return res;
  const location = new URL(String(res.headers!.location), `https://${HOST}/rsvp/${token}`);
  expect(location.pathname).toBe(`/rsvp/${token}`);
  return page(token, Object.fromEntries(location.searchParams));
};

/** Loads the page like a browser, posts the form with the page's CSRF field and cookie, and follows the redirect. */
const submit = async (token: string, fields: Array<[string, string]>, opts: { headers?: Record<string, string>; csrf?: 'page' | 'none'; lang?: string } = {}) =>
  follow(token, await post(token, fields, opts));

/**
 * Loads the page like a browser, then posts the form with the page's hidden fields (CSRF token and
 * sealed start) and CSRF cookie; `to` is the function instance that takes the post (this one by default).
 */
const post = async (
  token: string,
  fields: Array<[string, string]>,
  opts: { headers?: Record<string, string>; csrf?: 'page' | 'none'; lang?: string; to?: typeof handler; start?: (sealed: string | undefined) => string | undefined } = {},
) => {
  const loaded = await page(token, opts.lang ? { lang: opts.lang } : undefined);
  const { field, cookie } = csrfOf(loaded);
  const start = opts.start ? opts.start(startOf(loaded)) : startOf(loaded);
  const body = new URLSearchParams([
    ...(opts.csrf === 'none' ? [] : [['csrf', field] as [string, string]]),
    ...(start !== undefined ? [['start', start] as [string, string]] : []),
    ['lang', opts.lang ?? ''],
    ...fields,
  ]).toString();
  return (opts.to ?? handler)(
    apiEvent({
      method: 'POST',
      route: '/rsvp/{token}',
      path: { token },
      body,
      contentType: FORM,
      headers: { accept: 'text/html', origin: `https://${HOST}`, 'sec-fetch-site': 'same-origin', ...(opts.csrf === 'none' ? {} : { cookie }), ...opts.headers },
    }),
    context,
  );
};

const stored = () => [...store.invitations.values()][0];

describe('GET /rsvp/{token} as a page', () => {
  it('renders the invitation in the invitee’s language with every security header', async () => {
    const token = await importInvitee(0, { language: 'es', guests: 2 });

    const res = await page(token);

    expect(res.statusCode).toBe(200);
    expect(res.headers!['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="es">');
    expect(res.body).toContain('<h1>Cumbre de Alcaldes de América del Norte</h1>');
    expect(res.body).toContain('Grand Velas Los Cabos');
    expect(res.body).toMatch(/jueves, 6 de junio de 2019/);
    expect(res.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    const csp = res.headers!['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('sets a __Host- CSRF cookie matching the hidden field', async () => {
    const token = await importInvitee(1);
    const res = await page(token);
    const { field } = csrfOf(res);
    expect(field).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
    expect(res.cookies).toHaveLength(1);
    expect(res.cookies![0]).toMatch(new RegExp(`^__Host-cumbre-csrf-[A-Za-z0-9_-]{12}=${field.replace('.', '\\.')}; Max-Age=7200; Path=/; Secure; HttpOnly; SameSite=Strict$`));
  });

  it.each([
    ['es', 'Enviar mi respuesta'],
    ['en', 'Send my answer'],
    ['fr', 'Envoyer ma réponse'],
  ])('switches to ?lang=%s, keeping the token in the switcher’s relative links', async (lang, submitLabel) => {
    const token = await importInvitee(1);
    const res = await page(token, { lang });
    expect(res.body).toContain(`<html lang="${lang}">`);
    expect(res.body).toContain(submitLabel);
    expect(res.body).toContain(`action="${token}"`);
    expect(res.body).toContain('href="?lang=fr"');
  });

  it('ignores a ?lang= that is not a summit language', async () => {
    const token = await importInvitee(1);
    expect((await page(token, { lang: 'de' })).body).toContain('<html lang="en">');
  });

  it('gives an unknown and a malformed token the same friendly 404 page', async () => {
    const unknown = await page('B'.repeat(32), undefined, { 'accept-language': 'fr-CA,fr;q=0.9' });
    const malformed = await page('not a token', undefined, { 'accept-language': 'fr-CA,fr;q=0.9' });
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
    expect(unknown.body).toBe(malformed.body);
    expect(unknown.body).toContain('<html lang="fr">');
    expect(unknown.body).toContain('Nous n’avons pas trouvé cette invitation');
    expect(unknown.headers!['content-security-policy']).toContain("default-src 'none'");
  });

  it('keeps serving JSON to API clients', async () => {
    const token = await importInvitee(1);
    const res = await handler(apiEvent({ method: 'GET', route: '/rsvp/{token}', path: { token } }), context);
    expect(res.headers!['content-type']).toContain('application/json');
    expect(JSON.parse(res.body!).invitation.name).toBe('Mayor 1');
  });

  it('is read-only after the deadline, with a message and no form', async () => {
    const token = await importInvitee(1);
    clock.at = AFTER_DEADLINE;
    const res = await page(token);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Answers closed on Friday, May 31, 2019 at 11:59\u00a0PM');
    expect(res.body).not.toContain('<form');
    expect(res.body).not.toContain('<script');
    expect(res.cookies ?? []).toEqual([]);
  });

  it('hides internal failures behind a generic 500 page', async () => {
    const token = await importInvitee(1);
    store.findInvitationByTokenHash = async () => {
      throw new Error('connect ECONNREFUSED secret-detail');
    };
    const res = await page(token);
    expect(res.statusCode).toBe(500);
    expect(res.headers!['content-type']).toContain('text/html');
    expect(res.body).not.toContain('secret-detail');
  });
});

describe('the form carries the invitation its page showed', () => {
  /** Another instance of the function: its own service (nothing cached), over the same table; counts the invitation reads it makes. */
  const otherInstance = () => {
    const { store: reads, counts } = countingInvitationReads(store);
    const other = rsvpHandler.makeHandler({
      rsvp: new RsvpService({ store: reads, clock, ids: sequentialIds('other'), backoff: async () => {} }),
      csrfKey: CSRF_KEY,
      pageStartKey: PAGE_START_KEY,
      clock,
    });
    return { other, counts };
  };

  it('seals it, so the page shows none of the record beyond what it renders', async () => {
    const token = await importInvitee(1, { language: 'en', organization: 'City One' });
    const res = await page(token);
    const start = startOf(res)!;
    expect(start).toMatch(/^v1\.[A-Za-z0-9_-]{100,}$/);
    // The email address and category are on the record and not on the page; they are not in the field either.
    expect(res.body).not.toContain('mayor1@city1.example');
    expect(res.body).not.toContain('mayor-us');
    expect(Buffer.from(start.slice(3), 'base64url').toString('latin1')).not.toMatch(/mayor1@city1|mayor-us|"version"/);
  });

  it('lets an instance that did not serve the page take the post with no read of the invitation', async () => {
    const token = await importInvitee(1, { language: 'en' });
    const { other, counts } = otherInstance();
    const res = await post(token, [['session.welcome-cocktail', 'yes']], { to: other });
    expect(res.statusCode).toBe(303);
    expect(res.headers!.location).toBe(`${token}?lang=en&result=sent`);
    expect(counts).toEqual({ peek: 0, token: 0, invitation: 0 });
    expect(stored().responses['welcome-cocktail']).toMatchObject({ status: 'confirmed', seats: 1 });
  });

  it('answers on what is stored when the invitation changed after the page was served', async () => {
    const token = await importInvitee(1, { language: 'en' });
    const loaded = await page(token); // pending when served
    await post(token, [['session.welcome-cocktail', 'yes']]); // confirmed from another tab
    const { other } = otherInstance();
    const res = await post(token, [['session.welcome-cocktail', 'yes']], { to: other, start: () => startOf(loaded) });
    expect(res.headers!.location).toBe(`${token}?lang=en&result=same`);
    const session = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')!;
    expect(session).toMatchObject({ confirmedSeats: 1, confirmedParties: 1 });
  });

  it('ignores a start that does not open for this link, and answers on reads', async () => {
    const token = await importInvitee(1, { language: 'en' });
    const theirs = startOf(await page(await importInvitee(2, { language: 'en' })));
    const altered = (v: string | undefined) => `${v!.slice(0, -2)}${v!.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const start of [() => theirs, altered, () => 'v1.not-sealed', () => '']) {
      const { other, counts } = otherInstance();
      const res = await post(token, [['session.welcome-cocktail', 'no']], { to: other, start });
      expect(res.statusCode).toBe(303);
      expect(totalReads(counts)).toBeGreaterThan(0);
      await post(token, [['session.welcome-cocktail', 'yes']]);
    }
    expect(stored().responses['welcome-cocktail']).toMatchObject({ status: 'confirmed' });
    expect([...store.invitations.values()].find((i) => i.email === 'mayor2@city2.example')!.responses).toEqual({});
  });
});

describe('POST /rsvp/{token} from the form', () => {
  it('records the answer and shows what is confirmed, with the badge link and the email notice', async () => {
    const token = await importInvitee(1, { guests: 1 });
    const res = await submit(token, [
      ['session.welcome-cocktail', 'yes'],
      ['session.working-day-2', 'no'],
      ['guests', '1'],
      ['dietary', 'Vegetarian'],
      ['badgeName', 'Mayor One'],
      ['topics-present', '1'],
      ['topics', 'trade'],
      ['topics', 'mobility'],
    ]);

    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Thank you, we have received your answer');
    // What was recorded, repeated: guests, dietary needs, badge name and topics.
    expect(res.body).toContain('<dd>1 guest</dd>');
    expect(res.body).toContain('<dd>Vegetarian</dd>');
    expect(res.body).toContain('<dd>Mayor One</dd>');
    expect(res.body).toContain('<dd>Trade, Mobility</dd>');
    expect(res.body).toContain('Attendance confirmed');
    expect(res.body).toContain('An email with this summary is on its way to you.');
    expect(res.body).toContain(`href="${token}/badge"`);
    const inv = stored();
    expect(inv.responses['welcome-cocktail']).toMatchObject({ status: 'confirmed', seats: 2 });
    expect(inv.responses['working-day-2']).toMatchObject({ status: 'declined' });
    expect(inv.responses['working-day-1']).toBeUndefined();
    expect(inv).toMatchObject({ dietary: 'Vegetarian', badgeName: 'Mayor One', topics: ['trade', 'mobility'], guests: 1 });
  });

  it('answers the POST with 303 to the result page, which a reload shows again without posting', async () => {
    const token = await importInvitee(1, { language: 'fr' });
    const res = await post(
      token,
      [
        ['session.presidential-session', 'yes'],
        ['nationality', 'CA'],
        ['idDocumentNumber', 'AB 123456'],
      ],
      { lang: 'en' },
    );

    expect(res.statusCode).toBe(303);
    expect(res.headers!.location).toBe(`${token}?lang=en&result=sent`);
    expect(res.headers!['cache-control']).toBe('no-store');
    expect(stored().language).toBe('en');
    const version = stored().version;
    const shown = await follow(token, res);
    const reloaded = await follow(token, res);
    expect(reloaded.body).toBe(shown.body);
    expect(stored().version).toBe(version);
    expect(shown.body).toContain('<html lang="en">');
    expect(shown.body).toContain('We have received your accreditation details.');
    expect(shown.body).not.toContain('AB 123456');
    // The language switcher keeps the result page.
    expect(shown.body).toContain(`href="?lang=fr&amp;result=sent"`);
    expect((await page(token, { lang: 'fr', result: 'sent' })).body).toContain('Merci, nous avons bien reçu votre réponse');
  });

  it('says when nothing changed, and that no new email is coming', async () => {
    const token = await importInvitee(1);
    await submit(token, [['session.welcome-cocktail', 'yes']]);
    const again = await submit(token, [['session.welcome-cocktail', 'yes']]);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Your answer is the same as before');
  });

  it('shows the waitlist position when the session is full', async () => {
    const def = summit();
    def.sessions[0].capacity = 1;
    await store.putEventDefinition(def);
    const first = await importInvitee(1);
    await submit(first, [['session.welcome-cocktail', 'yes']]);
    const second = await importInvitee(4);

    const res = await submit(second, [['session.welcome-cocktail', 'yes']], { lang: 'es' });

    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('En lista de espera');
    expect(res.body).toContain('lugar 1 en la lista de espera');
    expect(res.body).not.toContain('/badge"');
  });

  it('re-renders the form with each error beside its field, in the page’s language, keeping what was typed', async () => {
    const token = await importInvitee(2, { language: 'fr' });
    const before = JSON.stringify(stored());

    const res = await submit(token, [
      ['session.presidential-session', 'yes'],
      ['nationality', 'CA'],
      ['idDocumentNumber', '#!'],
      ['badgeName', '<b>Maire</b>'],
      ['dietary', 'Sans gluten « merci »'],
    ]);

    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<html lang="fr">');
    expect(res.body).toMatch(
      /<p class="error-message" id="badgeName-error">Utilisez au plus 60 caractères, sans &lt; ni &gt;\.<\/p>\s*<input type="text" id="badgeName" name="badgeName"[^>]* value="&lt;b&gt;Maire&lt;\/b&gt;"[^>]*aria-describedby="badgeName-hint badgeName-error" aria-invalid="true">/,
    );
    expect(res.body).toContain('id="idDocumentNumber-error">Entrez de 4 à 40 lettres');
    expect(res.body).toContain('value="#!"');
    expect(res.body).toContain('>Sans gluten « merci »</textarea>');
    expect(res.body).toMatch(/<option value="CA" selected>/);
    expect(res.body).toMatch(/id="session-presidential-session-yes" name="session.presidential-session" value="yes" checked/);
    expect(res.body).toContain('id="error-summary"');
    expect(res.body).not.toContain('<b>Maire</b>');
    expect(JSON.stringify(stored())).toBe(before);
  });

  it('asks for the accreditation when the presidential session is chosen without it', async () => {
    const token = await importInvitee(1);
    const res = await submit(token, [['session.presidential-session', 'yes']]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="accreditation-error">Nationality and ID document number are required for “Session with the President of Mexico”.');
    expect(res.body).toContain('<a href="#nationality">');
  });

  it('accepts the accreditation with the presidential session and ignores it otherwise', async () => {
    const token = await importInvitee(1);
    const declined = await submit(token, [
      ['session.presidential-session', 'no'],
      ['nationality', 'US'],
      ['idDocumentNumber', 'x'],
    ]);
    expect(declined.statusCode).toBe(200);
    expect(store.accreditations.size).toBe(0);
    const res = await submit(token, [
      ['session.presidential-session', 'yes'],
      ['nationality', 'US'],
      ['idDocumentNumber', 'P 1234567'],
    ]);
    expect(res.statusCode).toBe(200);
    expect(stored().responses['presidential-session']?.status).toBe('confirmed');
    expect([...store.accreditations.values()]).toEqual([{ nationality: 'US', idDocumentNumber: 'P 1234567' }]);
  });

  it('asks for at least one answer', async () => {
    const token = await importInvitee(1);
    const res = await submit(token, [['dietary', 'none']]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Please tell us whether you will attend at least one session.');
  });

  it('refuses more guests than the invitation allows, beside the guests field', async () => {
    const token = await importInvitee(1, { guests: 1 });
    const res = await submit(token, [
      ['session.welcome-cocktail', 'yes'],
      ['guests', '2'],
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="guests-error">Choose between 0 and 1 guests.');
  });

  it('names the sessions without seats for more guests', async () => {
    const def = summit();
    def.sessions[0].capacity = 2;
    await store.putEventDefinition(def);
    const token = await importInvitee(1, { guests: 2 });
    await submit(token, [
      ['session.welcome-cocktail', 'yes'],
      ['guests', '1'],
    ]);
    const res = await submit(token, [
      ['session.welcome-cocktail', 'yes'],
      ['guests', '2'],
    ]);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('There are no seats left for more guests in: Welcome cocktail.');
    expect(stored().responses['welcome-cocktail']?.seats).toBe(2);
  });

  it('shows the read-only page with a 409 when the deadline passed while the form was open', async () => {
    const token = await importInvitee(1);
    const loaded = await page(token);
    clock.at = AFTER_DEADLINE;
    const { field, cookie } = csrfOf(loaded);
    const res = await handler(
      apiEvent({
        method: 'POST',
        route: '/rsvp/{token}',
        path: { token },
        body: `csrf=${field}&session.welcome-cocktail=yes`,
        contentType: FORM,
        headers: { accept: 'text/html', cookie },
      }),
      context,
    );
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Answers closed on');
    expect(stored().responses).toEqual({});
  });

  it.each([
    ['no CSRF field or cookie', { csrf: 'none' as const }],
    ['a cross-site fetch', { headers: { 'sec-fetch-site': 'cross-site' } }],
    ['another origin', { headers: { origin: 'https://evil.example' } }],
  ])('refuses %s with 403, keeping what was typed and writing nothing', async (_, opts) => {
    const token = await importInvitee(1);
    const res = await submit(
      token,
      [
        ['session.welcome-cocktail', 'yes'],
        ['dietary', 'kosher'],
      ],
      opts,
    );
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('For your security, this page expired.');
    expect(res.body).toContain('>kosher</textarea>');
    expect(res.cookies?.[0]).toMatch(/^__Host-cumbre-csrf-/);
    expect(stored().responses).toEqual({});
  });

  it('refuses a CSRF token for another invitation, a forged one and an expired one', async () => {
    const token = await importInvitee(1);
    const other = await importInvitee(2);
    const theirs = csrfOf(await page(other));
    const post = (field: string, cookie: string) =>
      handler(
        apiEvent({
          method: 'POST',
          route: '/rsvp/{token}',
          path: { token },
          body: `csrf=${field}&session.welcome-cocktail=yes`,
          contentType: FORM,
          headers: { accept: 'text/html', cookie },
        }),
        context,
      );
    const mine = csrfOf(await page(token));
    const cookieName = mine.cookie.split('=')[0];

    expect((await post(theirs.field, `${cookieName}=${theirs.field}`)).statusCode).toBe(403);
    expect((await post(`${mine.field.split('.')[0]}.${'A'.repeat(43)}`, mine.cookie)).statusCode).toBe(403);
    clock.at = new Date(BEFORE_DEADLINE.getTime() + 3 * 60 * 60 * 1000);
    expect((await post(mine.field, mine.cookie)).statusCode).toBe(403);
    expect(stored().responses).toEqual({});
  });

  it('accepts the page of another tab of the same invitation', async () => {
    const token = await importInvitee(1);
    const tab1 = csrfOf(await page(token));
    clock.at = new Date(BEFORE_DEADLINE.getTime() + 60_000);
    const tab2 = csrfOf(await page(token));
    const res = await handler(
      apiEvent({
        method: 'POST',
        route: '/rsvp/{token}',
        path: { token },
        body: `csrf=${tab1.field}&session.welcome-cocktail=yes`,
        contentType: FORM,
        headers: { accept: 'text/html', cookie: tab2.cookie },
      }),
      context,
    );
    expect(res.statusCode).toBe(303);
  });

  it('reads a base64-encoded form body, as API Gateway may deliver it', async () => {
    const token = await importInvitee(1);
    const { field, cookie } = csrfOf(await page(token));
    const event = apiEvent({ method: 'POST', route: '/rsvp/{token}', path: { token }, contentType: FORM, headers: { accept: 'text/html', cookie } });
    event.body = Buffer.from(`csrf=${encodeURIComponent(field)}&session.working-day-1=yes`).toString('base64');
    event.isBase64Encoded = true;
    const res = await handler(event, context);
    expect(res.statusCode).toBe(303);
    expect(stored().responses['working-day-1']?.status).toBe('confirmed');
  });

  it('answers an oversize form with 413 and the form', async () => {
    const token = await importInvitee(1);
    const res = await submit(token, [
      ['session.welcome-cocktail', 'yes'],
      ['dietary', 'x'.repeat(70_000)],
    ]);
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('The form is too large.');
  });

  it('gives a form post to an unknown token the 404 page', async () => {
    const res = await handler(
      apiEvent({ method: 'POST', route: '/rsvp/{token}', path: { token: 'C'.repeat(32) }, body: 'session.welcome-cocktail=yes', contentType: FORM }),
      context,
    );
    expect(res.statusCode).toBe(404);
    expect(res.headers!['content-type']).toContain('text/html');
  });
});
