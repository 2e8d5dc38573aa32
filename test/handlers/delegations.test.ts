import { beforeEach, describe, expect, it } from 'vitest';
import { REVOKED_OUTRIGHT } from '#domain/delegation.js';
import { InvitationService } from '#domain/invitations.js';
import { COMPANION_ROLES, type Language } from '#domain/model.js';
import { RsvpService } from '#domain/rsvp.js';
import { deriveKeys } from '#shared/app-keys.js';
import type { HttpResult } from '#shared/http.js';
import { inviteeText } from '#i18n/invitee/index.js';
import * as badgeLinkHandler from '../../functions/handlers/badge-link.js';
import * as exportAccreditation from '../../functions/handlers/export-accreditation.js';
import * as rsvpHandler from '../../functions/handlers/rsvp.js';
import { MemoryAccreditationRecords, MemoryAuditTrail } from '../fixtures/memory-access.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { MemoryBadges } from '../fixtures/memory-workflow.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, claimsWith, context } from './events.js';

/**
 * Delegations through the RSVP function (JSON API and the page's form), the badge links and
 * security's clearance: companions named, refused with the field and the page's language, removed.
 */
const EVENT = 'na-mayors-summit-2019';
const PRESIDENT = 'presidential-session';
const HOST = 'abc123.execute-api.us-east-1.amazonaws.com';
const CSRF_KEY = deriveKeys('delegations-test').csrf;
const FORM = 'application/x-www-form-urlencoded';

let store: MemoryStore;
let invitations: InvitationService;
let handler: ReturnType<typeof rsvpHandler.makeHandler>;
const clock = fixedClock(BEFORE_DEADLINE);

beforeEach(async () => {
  store = new MemoryStore();
  const ids = sequentialIds();
  await store.putEventDefinition(summit());
  invitations = new InvitationService({ store, clock, ids, tokenSecret: deriveKeys('s').rsvpTokens, publicBaseUrl: 'https://rsvp.example.org' });
  handler = rsvpHandler.makeHandler({ rsvp: new RsvpService({ store, clock, ids, backoff: async () => {} }), csrfKey: CSRF_KEY, clock });
});

const importInvitee = async (n: number, overrides: Record<string, unknown> = {}) => {
  const [result] = await invitations.import(EVENT, [{ row: 1, data: invitee(n, overrides) }]);
  return { token: result.rsvpUrl!.split('/rsvp/')[1], id: result.id };
};
const stored = (id: string) => store.invitations.get(id)!;

const json = (token: string, body: object) => handler(apiEvent({ method: 'POST', route: '/rsvp/{token}', path: { token }, body: JSON.stringify(body) }), context);

const page = (token: string, query?: Record<string, string>) =>
  handler(apiEvent({ method: 'GET', route: '/rsvp/{token}', path: { token }, query, headers: { accept: 'text/html' } }), context);

/** Loads the page like a browser, then posts the form with its CSRF field and cookie (following a 303). */
const submit = async (token: string, fields: Array<[string, string]>, lang = 'es') => {
  const loaded = await page(token, { lang });
  const csrf = /name="csrf" value="([^"]*)"/.exec(loaded.body ?? '')?.[1] ?? '';
  const cookie = (loaded.cookies ?? [])[0]?.split(';')[0] ?? '';
  const res = await handler(
    apiEvent({
      method: 'POST',
      route: '/rsvp/{token}',
      path: { token },
      body: new URLSearchParams([['csrf', csrf], ['lang', lang], ['companions-present', '1'], ...fields]).toString(),
      contentType: FORM,
      headers: { accept: 'text/html', origin: `https://${HOST}`, 'sec-fetch-site': 'same-origin', cookie },
    }),
    context,
  );
  if (res.statusCode !== 303) return res;
  const location = new URL(String(res.headers!.location), `https://${HOST}/rsvp/${token}`);
  return page(token, Object.fromEntries(location.searchParams));
};

/** The fields of companion row `n` as the page names them. */
const row = (n: number, c: { id?: string; name?: string; role?: string; language?: string; nationality?: string; idDocumentNumber?: string }): Array<[string, string]> => [
  [`companion.${n}.id`, c.id ?? ''],
  [`companion.${n}.name`, c.name ?? ''],
  [`companion.${n}.role`, c.role ?? ''],
  [`companion.${n}.language`, c.language ?? 'es'],
  [`companion.${n}.nationality`, c.nationality ?? ''],
  [`companion.${n}.idDocumentNumber`, c.idDocumentNumber ?? ''],
];
/** The text of a field's error, as a reader sees it (entities decoded). */
const errorOf = (res: HttpResult, id: string) =>
  new RegExp(`id="${id}-error">([^<]*)<`)
    .exec(res.body ?? '')?.[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('POST /rsvp/{token} (JSON) with companions', () => {
  it('names the companions and answers with their holder ids', async () => {
    const { token, id } = await importInvitee(1, { guests: 2 });

    const res = await json(token, { responses: [{ sessionId: 'welcome-cocktail', attending: true }], companions: [{ name: 'Ana Ruiz', role: 'adviser', language: 'es' }] });

    expect(res.statusCode).toBe(200);
    expect(bodyOf(res).invitation).toMatchObject({ guests: 1, companions: [{ id: 'c1', name: 'Ana Ruiz', role: 'adviser', language: 'es', hasAccreditation: false }] });
    expect(stored(id).companions).toHaveLength(1);
  });

  it.each([
    [
      'too many companions',
      { guests: 1 },
      [
        { name: 'A Uno', role: 'adviser', language: 'es' },
        { name: 'B Dos', role: 'other', language: 'en' },
      ],
      [],
      'companions',
    ],
    ['an empty name', { guests: 1 }, [{ name: '', role: 'adviser', language: 'es' }], [], 'companions.0.name'],
    ['a bad role', { guests: 1 }, [{ name: 'A Uno', role: 'chauffeur', language: 'es' }], [], 'companions.0.role'],
    ['missing accreditation', { guests: 1 }, [{ name: 'A Uno', role: 'security-detail', language: 'es' }], [PRESIDENT], 'companions.0.accreditation'],
  ])('refuses %s with 400 naming the field, changing nothing', async (_case, overrides, companions, sessions, field) => {
    const { token, id } = await importInvitee(1, overrides);
    const before = structuredClone(stored(id));
    const responses = (sessions.length ? sessions : ['welcome-cocktail']).map((sessionId) => ({ sessionId, attending: true }));

    const res = await json(token, { responses, companions, ...(sessions.length ? { accreditation: { nationality: 'MX', idDocumentNumber: 'G1234567' } } : {}) });

    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).details.map((d: { field: string }) => d.field)).toContain(field);
    expect(stored(id)).toEqual(before);
    expect(store.accreditations.size).toBe(0);
  });
});

describe('the RSVP page’s companion rows (no JavaScript needed)', () => {
  it('shows a row per place the invitation admits, with roles and languages from the lists, in the page’s language', async () => {
    const { token } = await importInvitee(1, { guests: 2 });

    for (const language of ['es', 'en', 'fr'] as Language[]) {
      const body = (await page(token, { lang: language })).body!;
      const t = inviteeText(language);
      expect(body).toContain(`<legend>${t('companions.heading')}</legend>`);
      expect(body.match(/<fieldset class="companion"/g)).toHaveLength(2);
      for (const n of [1, 2]) expect(body).toContain(`name="companion.${n}.name"`);
      for (const role of COMPANION_ROLES) expect(body).toContain(`<option value="${role}">${t(`companionRole.${role}`)}</option>`);
      expect(body).toContain('<option value="fr" lang="fr">Français</option>');
      // Without JavaScript every row is there; the buttons are the script's to show.
      expect(body).toMatch(/<button type="button" class="secondary" id="companion-add" hidden>/);
    }
    expect((await page((await importInvitee(2, { guests: 0 })).token)).body).not.toContain('companion.1.name');
  });

  it('records companions typed in rows, repeats them on the result page with a badge link each, and removes one whose row is emptied', async () => {
    const { token, id } = await importInvitee(1, { guests: 2, language: 'es' });

    const result = await submit(token, [['session.welcome-cocktail', 'yes'], ...row(1, { name: 'Ana Ruiz', role: 'adviser', language: 'es' }), ...row(2, {})]);

    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('Ana Ruiz — Asesoría');
    expect(result.body).toContain(`href="${token}/badge?holder=c1"`);
    expect(result.body).toContain('Descargar el gafete de Ana Ruiz');
    expect(stored(id)).toMatchObject({ guests: 1, companions: [{ id: 'c1', name: 'Ana Ruiz', role: 'adviser', language: 'es' }] });
    // The form shows her again, with her holder id.
    const form = (await page(token)).body!;
    expect(form).toContain('name="companion.1.id" value="c1"');
    expect(form).toContain('value="Ana Ruiz"');

    const emptied = await submit(token, [['session.welcome-cocktail', 'yes'], ...row(1, { id: 'c1' }), ...row(2, { name: 'Bo Chen', role: 'interpreter', language: 'en' })]);

    expect(emptied.statusCode).toBe(200);
    expect(stored(id).companions).toEqual([{ id: 'c2', name: 'Bo Chen', role: 'interpreter', language: 'en', hasAccreditation: false }]);
    expect(stored(id).revocations).toEqual([{ holder: 'c1', below: REVOKED_OUTRIGHT }]);
    expect(stored(id).guests).toBe(1);
  });

  it.each([
    ['es', row(1, { name: '', role: 'adviser' }), 'companion-1-name', 'fieldErrors.companionName'],
    ['fr', row(1, { name: 'Ana Ruiz', role: '' }), 'companion-1-role', 'fieldErrors.companionRole'],
    ['en', row(1, { name: 'Ana Ruiz', role: 'adviser', language: 'de' }), 'companion-1-language', 'fieldErrors.companionLanguage'],
  ] as const)('puts a refusal beside the row’s field in %s, keeping what was typed', async (language, fields, errorId, key) => {
    const { token, id } = await importInvitee(1, { guests: 1 });

    const res = await submit(token, [['session.welcome-cocktail', 'yes'], ...fields], language);

    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(`<html lang="${language}">`);
    expect(errorOf(res, errorId)).toBe(inviteeText(language)(key));
    expect(res.body).toContain(`href="#${errorId}"`);
    expect(res.body).toMatch(new RegExp(`id="${errorId}"[^>]*aria-invalid="true"`));
    if (fields[1][1]) expect(res.body).toContain(`value="${fields[1][1]}"`);
    expect(stored(id).companions).toBeUndefined();
    expect(stored(id).responses['welcome-cocktail']).toBeUndefined();
  });

  it('asks each companion for accreditation at the President’s session, in the page’s language, beside their row', async () => {
    const { token, id } = await importInvitee(1, { guests: 2 });

    const res = await submit(
      token,
      [
        [`session.${PRESIDENT}`, 'yes'],
        ['nationality', 'MX'],
        ['idDocumentNumber', 'G1234567'],
        ...row(1, { name: 'Ana Ruiz', role: 'adviser', nationality: 'MX', idDocumentNumber: 'G7654321' }),
        ...row(2, { name: 'Bo Chen', role: 'security-detail', language: 'en' }),
      ],
      'en',
    );

    expect(res.statusCode).toBe(400);
    const session = summit().sessions.find((s) => s.id === PRESIDENT)!.name.en;
    expect(errorOf(res, 'companion-2-accreditation')).toBe(inviteeText('en')('fieldErrors.accreditation', { session }));
    expect(errorOf(res, 'companion-1-accreditation')).toBeUndefined();
    expect(res.body).toContain('href="#companion-2-nationality"');
    // What was typed stays, the document number only in its own field.
    expect(res.body).toContain('value="G7654321"');
    expect(store.accreditations.size).toBe(0);
    expect(stored(id).companions).toBeUndefined();

    const ok = await submit(
      token,
      [
        [`session.${PRESIDENT}`, 'yes'],
        ['nationality', 'MX'],
        ['idDocumentNumber', 'G1234567'],
        ...row(1, { name: 'Ana Ruiz', role: 'adviser', nationality: 'MX', idDocumentNumber: 'G7654321' }),
        ...row(2, { name: 'Bo Chen', role: 'security-detail', language: 'en', nationality: 'US', idDocumentNumber: '123456789' }),
      ],
      'en',
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.body).not.toContain('G7654321');
    expect(ok.body).not.toContain('123456789');
    expect(store.accreditations.get(`${id}#c2`)).toEqual({ nationality: 'US', idDocumentNumber: '123456789' });
    // The form shows that theirs is on file, never the number.
    const form = (await page(token, { lang: 'en' })).body!;
    expect(form).toContain(inviteeText('en')('companions.accreditationOnFile'));
    expect(form).not.toContain('123456789');
  });

  it('refuses a tampered form with more rows than places, beside the delegation', async () => {
    const { token, id } = await importInvitee(1, { guests: 1 });

    const res = await submit(token, [['session.welcome-cocktail', 'yes'], ...row(1, { name: 'Ana Ruiz', role: 'adviser' }), ...row(2, { name: 'Bo Chen', role: 'adviser' })]);

    expect(res.statusCode).toBe(400);
    expect(errorOf(res, 'guests')).toBe(inviteeText('es')('fieldErrors.companions', { max: 1 }));
    expect(stored(id).companions).toBeUndefined();
  });

  it('tells an invitee with unnamed guests (an older answer) to name them', async () => {
    const { token } = await importInvitee(1, { guests: 2 });
    expect((await json(token, { responses: [{ sessionId: 'welcome-cocktail', attending: true }], guests: 2 })).statusCode).toBe(200);

    const body = (await page(token, { lang: 'en' })).body!;

    expect(body).toContain(`id="companions-unnamed">${inviteeText('en')('companions.unnamed', { count: 2 })}`);
  });
});

describe('badge links and clearance per companion', () => {
  it('links a companion’s badge by holder, refusing a holder that is not one and one with no badge', async () => {
    const { token, id } = await importInvitee(1, { guests: 1 });
    const badges = new MemoryBadges();
    await badges.put(`badges/${id}/c1.pdf`, new Uint8Array([37, 80, 68, 70]));
    await badges.markReady(EVENT, id, { fingerprint: 'f', key: `badges/${id}/c1.pdf`, version: 2, filename: 'Ana Ruiz.pdf' }, 'c1');
    const links = badgeLinkHandler.makeHandler({ store, ledger: badges, storage: badges, renders: { request: async () => {} } });
    const get = (query?: Record<string, string>) =>
      links(apiEvent({ method: 'GET', route: '/rsvp/{token}/badge', path: { token }, query, headers: { accept: 'application/json' } }), context);

    const res = await get({ holder: 'c1' });
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res).url).toContain(`badges/${id}/c1.pdf`);
    expect((await get({ holder: 'c2' })).statusCode).toBe(404);
    const bad = await get({ holder: '../c1' });
    expect(bad.statusCode).toBe(400);
    expect(bodyOf(bad).details).toEqual([expect.objectContaining({ field: 'holder' })]);
    // The invitee's own badge is not there yet.
    expect((await get()).statusCode).toBe(404);
  });

  it('records security’s clearance for one companion, audited, and refuses a companion without accreditation', async () => {
    const { token, id } = await importInvitee(1, { guests: 1 });
    await json(token, {
      responses: [{ sessionId: PRESIDENT, attending: true }],
      accreditation: { nationality: 'MX', idDocumentNumber: 'G1234567' },
      companions: [{ name: 'Ana Ruiz', role: 'security-detail', language: 'es', accreditation: { nationality: 'MX', idDocumentNumber: 'G7654321' } }],
    });
    const audit = new MemoryAuditTrail();
    const records = new MemoryAccreditationRecords(store, audit);
    const h = exportAccreditation.makeHandler({ store, records, audit }) as unknown as (e: unknown, c: unknown) => Promise<HttpResult>;
    const security = claimsWith([`event:${EVENT}:security`]);
    const put = (body: object) => {
      const event = apiEvent({
        method: 'POST',
        route: '/events/{eventId}/accreditation/{invitationId}/clearance',
        path: { eventId: EVENT, invitationId: id },
        claims: security,
        body,
      });
      const routeKey = 'PUT /events/{eventId}/accreditation/{invitationId}/clearance';
      return h({ ...event, routeKey, requestContext: { ...event.requestContext, routeKey, http: { ...event.requestContext.http, method: 'PUT' } } }, context);
    };

    expect((await put({ state: 'cleared', holder: 'c7' })).statusCode).toBe(404);
    expect((await put({ state: 'cleared', holder: 'x' })).statusCode).toBe(400);
    const ok = await put({ state: 'refused', note: 'Not on the list', holder: 'c1' });

    expect(ok.statusCode).toBe(200);
    expect(bodyOf(ok)).toMatchObject({ invitationId: id, holder: 'c1', clearance: { state: 'refused' } });
    expect(audit.entries.filter((e) => e.action === 'clearance.changed')).toEqual([
      // The record names the delegation member it was about, not the invitee.
      expect.objectContaining({
        target: id,
        subject: 'Ana Ruiz',
        before: { clearance: 'pending', note: '' },
        after: { clearance: 'refused', note: 'Not on the list', holder: 'c1' },
      }),
    ]);
    const list = await h(apiEvent({ method: 'GET', route: '/events/{eventId}/accreditation', path: { eventId: EVENT }, query: { format: 'json' }, claims: security }), context);
    expect(bodyOf(list).items.map((r: { holder: string; name: string; clearance: string }) => [r.holder, r.name, r.clearance])).toEqual([
      ['', 'Mayor 1', 'pending'],
      ['c1', 'Ana Ruiz', 'refused'],
    ]);
  });
});
