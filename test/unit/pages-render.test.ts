import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '#domain/email/templates.js';
import { LANGUAGES, type Language } from '#domain/model.js';
import type { RsvpView } from '#domain/rsvp.js';
import { buildAdminScript } from '../fixtures/admin-script.js';
import { pickEventId, renderAdminPage } from '#pages/admin-page.js';
import { renderNotFoundPage, renderServerErrorPage } from '#pages/error-pages.js';
import { html, raw } from '#pages/html.js';
import { negotiateLanguage, pickLanguage } from '#pages/layout.js';
import { dashboardCatalogues } from '#i18n/dashboard/index.js';
import { inviteeText } from '#i18n/invitee/index.js';
import { formErrorsFor, readRsvpForm, valuesFromView } from '#pages/rsvp-form.js';
import { RSVP_SCRIPT, renderResultPage, renderRsvpPage } from '#pages/rsvp-page.js';
import { CSS } from '#pages/styles.js';

const TOKEN = 'A'.repeat(32);
const summit = JSON.parse(readFileSync(new URL('../../seed/na-mayors-summit-2019.json', import.meta.url), 'utf8'));

const view = (overrides: Partial<RsvpView> = {}): RsvpView => ({
  invitation: {
    id: 'inv_1',
    name: 'Ana "<script>alert(1)</script>" López',
    language: 'es',
    guestsAllowed: 2,
    guests: 1,
    companions: [],
    dietary: 'Sin gluten & sin lactosa',
    topics: ['trade'],
    hasAccreditation: false,
    status: 'waitlisted',
  },
  event: { id: summit.id, name: summit.name, venue: summit.venue, timezone: summit.timezone, languages: ['es', 'en', 'fr'] },
  deadline: summit.rsvpDeadline,
  open: true,
  sessions: summit.sessions.map((s: { id: string; name: RsvpView['event']['name']; start: string; end: string; requiresAccreditation?: boolean }, i: number) => ({
    id: s.id,
    name: s.name,
    start: s.start,
    end: s.end,
    requiresAccreditation: Boolean(s.requiresAccreditation),
    status: (['confirmed', 'waitlisted', 'pending', 'declined'] as const)[i],
    seats: 2,
    ...(i === 1 ? { waitlistPosition: 4 } : {}),
  })),
  ...overrides,
});

/**
 * An axe-style pass over server-rendered HTML, for what a static check can see: the document
 * language, one main landmark and one h1, a label for every control, a legend for every fieldset,
 * unique ids, and aria-describedby pointing at elements that exist. The browser tests run axe-core.
 */
const a11yViolations = (page: string, lang: Language): string[] => {
  const problems: string[] = [];
  if (!page.startsWith('<!doctype html>')) problems.push('doctype');
  if (!new RegExp(`<html lang="${lang}">`).test(page)) problems.push('html lang');
  if ((page.match(/<main\b/g) ?? []).length !== 1) problems.push('one <main>');
  if ((page.match(/<h1\b/g) ?? []).length !== 1) problems.push('one <h1>');
  if (!/<title>[^<]+<\/title>/.test(page)) problems.push('title');
  if (!/<meta name="viewport" content="width=device-width, initial-scale=1">/.test(page)) problems.push('viewport');
  const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length) problems.push(`duplicate ids: ${[...new Set(dupes)].join(', ')}`);
  const labelled = new Set([...page.matchAll(/<label[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]));
  for (const control of page.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    const attrs = control[2];
    if (/type="(hidden|submit|button)"/.test(attrs)) continue;
    const id = /\sid="([^"]+)"/.exec(attrs)?.[1];
    if (!id || !labelled.has(id)) problems.push(`unlabelled ${control[1]} ${id ?? attrs.slice(0, 40)}`);
  }
  for (const fieldset of page.matchAll(/<fieldset\b[^>]*>\s*(<[a-z]+)/g)) if (fieldset[1] !== '<legend') problems.push('fieldset without a leading legend');
  for (const radio of page.matchAll(/<input type="radio"[^>]*name="([^"]+)"/g)) {
    const before = page.slice(0, radio.index);
    if (before.lastIndexOf('<fieldset') < before.lastIndexOf('</fieldset>')) problems.push(`radio ${radio[1]} outside a fieldset`);
  }
  for (const ref of page.matchAll(/aria-(?:describedby|labelledby)="([^"]+)"/g))
    for (const id of ref[1].split(' ')) if (!ids.includes(id)) problems.push(`aria reference to missing #${id}`);
  for (const link of page.matchAll(/<a\b[^>]*>([\s\S]*?)<\/a>/g)) if (!link[1].replace(/<[^>]+>/g, '').trim()) problems.push('empty link');
  for (const button of page.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)) if (!button[1].trim()) problems.push('empty button');
  if (/\sstyle="/.test(page)) problems.push('inline style attribute (blocked by the CSP)');
  if (/<(script|link|img)[^>]+(src|href)="(https?:)?\/\//.test(page)) problems.push('third-party request');
  return problems;
};

const scriptsOf = (page: string) => [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const stylesOf = (page: string) => [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('html tagged template', () => {
  it('escapes every interpolated value and nests safe fragments unescaped', () => {
    const name = '<img src=x onerror="alert(1)">';
    const out = html`<p title="${name}">${name} ${html`<b>${'&'}</b>`} ${[1, '<', raw('<i>ok</i>')]} ${false}${null}${undefined}</p>`;
    expect(out.value).toBe('<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <b>&amp;</b> 1&lt;<i>ok</i> </p>');
  });
});

describe.each(LANGUAGES)('pages in %s', (lang) => {
  const t = inviteeText(lang);
  const d = dashboardCatalogues[lang];

  it('renders the RSVP form accessibly, with the sessions, their local times and statuses', () => {
    const page = renderRsvpPage({ view: view(), token: TOKEN, language: lang, values: valuesFromView(view()), csrf: '1.x' });
    expect(a11yViolations(page.html, lang)).toEqual([]);
    expect(page.html).toContain(`<h1>${escapeHtml(summit.name[lang])}</h1>`);
    for (const s of summit.sessions) expect(page.html).toContain(`<legend>${escapeHtml(s.name[lang])}</legend>`);
    expect(page.html).toContain(t('status.confirmed'));
    expect(page.html).toContain(t('waitlistPosition', { position: 4 }));
    expect(page.html).toContain(t('rsvp.submit'));
    expect(page.html).toMatch(lang === 'en' ? /Thursday, June 6, 2019, 7:30\s–\s10:00\sPM/ : lang === 'es' ? /jueves, 6 de junio de 2019/ : /jeudi 6 juin 2019/);
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.html).toContain('Ana &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; López');
  });

  it('renders field errors beside their fields, linked by aria-describedby, still accessible', () => {
    const v = view();
    const submitted = readRsvpForm(
      new URLSearchParams('session.presidential-session=yes&nationality=ZZ&idDocumentNumber=%23&badgeName=%3Cb%3E&guests=9&topics-present=1&topics=golf'),
      v,
    );
    const errors = formErrorsFor(
      [
        { field: 'responses.0.sessionId', message: 'x' },
        { field: 'guests', message: 'x' },
        { field: 'badgeName', message: 'x' },
        { field: 'topics.0', message: 'x' },
        { field: 'accreditation.nationality', message: 'x' },
        { field: 'accreditation.idDocumentNumber', message: 'x' },
      ],
      submitted,
      v,
      lang,
    );
    const page = renderRsvpPage({ view: v, token: TOKEN, language: lang, values: submitted.values, errors, csrf: '1.x' });
    expect(a11yViolations(page.html, lang)).toEqual([]);
    expect(page.html).toContain(`id="guests-error">${t('fieldErrors.guests', { max: 2 })}`);
    expect(page.html).toMatch(/id="badgeName"[^>]*value="&lt;b&gt;"[^>]*aria-describedby="badgeName-hint badgeName-error" aria-invalid="true"/);
    expect(page.html).toMatch(/id="session-presidential-session" class="choice invalid" aria-describedby="[^"]*session-presidential-session-error"/);
    expect(page.html).toContain('role="alert"');
  });

  it('renders the read-only page after the deadline', () => {
    const page = renderRsvpPage({ view: view({ open: false }), token: TOKEN, language: lang, values: valuesFromView(view()) });
    expect(a11yViolations(page.html, lang)).toEqual([]);
    expect(page.html).not.toContain('<form');
    expect(page.html).toContain(t('rsvp.closed', { deadline: '' }).slice(0, 12));
    expect(page.html).toContain(`href="${TOKEN}/badge"`);
    expect(scriptsOf(page.html)).toEqual([]);
    expect(page.csp).toContain("script-src 'none'");
  });

  it('renders the result page: confirmed, waitlisted with position, the email notice and the badge link', () => {
    const page = renderResultPage({ view: view(), token: TOKEN, language: lang, changed: true });
    expect(a11yViolations(page.html, lang)).toEqual([]);
    expect(page.html).toContain(t('result.confirmed'));
    expect(page.html).toContain(t('result.waitlisted'));
    expect(page.html).toContain(t('waitlistPosition', { position: 4 }));
    expect(page.html).toContain(t('result.emailOnItsWay'));
    expect(page.html).toContain(`href="${TOKEN}/badge"`);
    expect(page.html).toContain(`href="${TOKEN}?lang=${lang}"`);
  });

  it('leaves the badge link out until a seat is confirmed', () => {
    const v = view();
    v.sessions = v.sessions.map((s) => ({ ...s, status: s.status === 'confirmed' ? 'declined' : s.status }));
    expect(renderResultPage({ view: v, token: TOKEN, language: lang, changed: false }).html).not.toContain('/badge"');
  });

  it('renders the 404 and 500 pages', () => {
    for (const page of [renderNotFoundPage(lang), renderServerErrorPage(lang)]) expect(a11yViolations(page.html, lang)).toEqual([]);
    expect(renderNotFoundPage(lang).html).toContain(escapeHtml(t('notFound.heading')));
  });

  it('renders the admin shell with no inline script or style, and its texts as inert JSON', () => {
    const page = renderAdminPage(lang, 'na-mayors-summit-2019');
    expect(a11yViolations(page.html, lang)).toEqual([]);
    expect(scriptsOf(page.html)).toEqual([]);
    expect(page.html).toContain('<script src="/admin/app.js"></script>');
    expect(page.html).toContain('<link rel="stylesheet" href="/admin/app.css">');
    const island = /<script type="application\/json" id="admin-messages">([\s\S]*?)<\/script>/.exec(page.html)![1];
    expect(JSON.parse(island)).toEqual(d);
    expect(JSON.parse(island)).toMatchObject({ signIn: d.signIn, 'status.confirmed': d['status.confirmed'] });
    expect(page.csp).toBe(
      "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
  });

  it('never lets the sign-in form send the password in a URL when the script does not run', () => {
    const page = renderAdminPage(lang, 'na-mayors-summit-2019');
    expect(page.html).toContain('<form id="signin-form" method="post" action="/admin/session" novalidate>');
    expect(page.html).toContain('<button type="submit" id="signin-submit" disabled>');
    expect(page.html).toContain(`<noscript><p class="error-message">${d.needsScript}</p></noscript>`);
  });
});

describe('content security policy of invitee pages', () => {
  it('allows exactly the page’s inline style and script by hash', () => {
    const page = renderRsvpPage({ view: view(), token: TOKEN, language: 'en', values: valuesFromView(view()), csrf: '1.x' });
    expect(stylesOf(page.html)).toEqual([CSS]);
    expect(scriptsOf(page.html)).toEqual([RSVP_SCRIPT]);
    expect(page.csp).toContain(`style-src ${sha(CSS)};`);
    expect(page.csp).toContain(`script-src ${sha(RSVP_SCRIPT)};`);
    expect(page.csp).not.toMatch(/unsafe|https?:/);
  });
});

describe('reading the form', () => {
  it('sends only answered sessions, accreditation only with a "yes" to the session needing it', () => {
    const v = view();
    const yes = readRsvpForm(
      new URLSearchParams(
        'session.welcome-cocktail=yes&session.working-day-1=maybe&session.presidential-session=yes&nationality=mx&idDocumentNumber=G123&guests=1&dietary=x&topics-present=1',
      ),
      v,
    );
    expect(yes.request).toEqual({
      responses: [
        { sessionId: 'welcome-cocktail', attending: true },
        { sessionId: 'presidential-session', attending: true },
      ],
      guests: 1,
      dietary: 'x',
      topics: [],
      accreditation: { nationality: 'mx', idDocumentNumber: 'G123' },
    });
    const no = readRsvpForm(new URLSearchParams('session.presidential-session=no&nationality=MX&idDocumentNumber=G123'), v);
    expect(no.request).toEqual({ responses: [{ sessionId: 'presidential-session', attending: false }] });
    expect(no.values.nationality).toBe('MX');
  });

  it('passes a tampered guests value through for the schema to refuse', () => {
    expect(readRsvpForm(new URLSearchParams('guests=two'), view()).request.guests).toBe('two');
  });

  it('maps response indexes back to their sessions', () => {
    const v = view();
    const submitted = readRsvpForm(new URLSearchParams('session.working-day-1=yes&session.working-day-2=no'), v);
    expect(
      formErrorsFor(
        [
          { field: 'responses.1.sessionId', message: 'x' },
          { field: 'mystery', message: 'x' },
        ],
        submitted,
        v,
        'en',
      ),
    ).toEqual({
      'session.working-day-2': inviteeText('en')('fieldErrors.session'),
      form: inviteeText('en')('errors.validation_failed'),
    });
  });
});

describe('language choice', () => {
  it('takes ?lang= when it is a summit language', () => {
    expect(pickLanguage({ lang: 'fr' }, 'es')).toBe('fr');
    expect(pickLanguage({ lang: 'pt' }, 'es')).toBe('es');
    expect(pickLanguage(undefined, 'en')).toBe('en');
  });
  it('negotiates Accept-Language among es, en and fr, else Spanish', () => {
    expect(negotiateLanguage('fr-CA,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(negotiateLanguage('de-DE,en-US;q=0.7,es;q=0.8')).toBe('es');
    expect(negotiateLanguage('en;q=0,de')).toBe('es');
    expect(negotiateLanguage(undefined)).toBe('es');
  });
});

describe('admin assets', () => {
  it('ships a dashboard script that parses, never writes innerHTML, and talks only to this origin', () => {
    const source = buildAdminScript();
    expect(() => new Script(source)).not.toThrow();
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(source).not.toMatch(/fetch\(['"]https?:/);
  });
  it('takes the event from ?event= only when it looks like an event id', () => {
    expect(pickEventId('cumbre-2020')).toBe('cumbre-2020');
    expect(pickEventId('"><script>')).toBe('na-mayors-summit-2019');
    expect(pickEventId(undefined)).toBe('na-mayors-summit-2019');
  });
});

describe('the axe-style check itself', () => {
  it('catches a missing label, lang, landmark, legend and a dangling aria reference', () => {
    const bad =
      '<!doctype html><html><head><title>x</title></head><body><h1>a</h1><h1>b</h1><fieldset><p>x</p><input type="radio" id="r" name="r"></fieldset><input type="text" id="t" aria-describedby="nope"><a href="/"></a></body></html>';
    expect(a11yViolations(bad, 'en')).toEqual(
      expect.arrayContaining([
        'html lang',
        'one <main>',
        'one <h1>',
        'unlabelled input r',
        'unlabelled input t',
        'fieldset without a leading legend',
        'aria reference to missing #nope',
        'empty link',
      ]),
    );
  });
});

describe('sentences ending in a time', () => {
  it('end with one period after "p.m."', () => {
    const page = renderResultPage({ view: view(), token: TOKEN, language: 'es', changed: true });
    expect(page.html).toMatch(/11:59\u00a0p\.m\.<\/p>/);
    expect(page.html).not.toMatch(/p\.\s?m\.\./);
  });
});
