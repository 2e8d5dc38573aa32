import { describe, expect, it } from 'vitest';
import { emailText } from '#i18n/email/index.js';
import { EMAIL_KINDS, renderEmail, type EmailData, type EmailSession } from '#domain/email/index.js';
import { LANGUAGES, type Language } from '#domain/model.js';
import { summit as seedSummit } from '../fixtures/summit.js';

/** The shipped seed file: the tests render what the summit really is. */
const summit = seedSummit();

const cocktail: EmailSession = {
  id: 'welcome-cocktail',
  name: { es: 'Cóctel de bienvenida', en: 'Welcoming cocktail', fr: 'Cocktail de bienvenue' },
  start: '2019-06-06T19:30',
  end: '2019-06-06T21:30',
  status: 'confirmed',
};
const presidential: EmailSession = {
  id: 'presidential-session',
  name: { es: 'Sesión con el Presidente de México', en: 'Session with the President of Mexico', fr: 'Séance avec le président du Mexique' },
  start: '2019-06-07T13:00',
  end: '2019-06-07T15:00',
  status: 'waitlisted',
  waitlistPosition: 4,
};
const workingDay2: EmailSession = {
  id: 'working-sessions-2',
  name: { es: 'Sesiones de trabajo, día 2', en: 'Working sessions, day 2', fr: 'Séances de travail, jour 2' },
  start: '2019-06-08T09:00',
  end: '2019-06-08T13:00',
  status: 'declined',
};

const RSVP_URL = 'https://rsvp.example.org/r/tok123?lang=es&src=mail';
const BADGE_URL = 'https://rsvp.example.org/badge/inv-1';
const HOSTILE_NAME = `<script>alert("x")</script> O'Brien & Sons`;

function data(overrides: Partial<EmailData> = {}): EmailData {
  return {
    invitee: { name: HOSTILE_NAME, title: 'Mayor <b>' },
    event: summit,
    sessions: [cocktail, presidential, workingDay2],
    rsvpUrl: RSVP_URL,
    badgeUrl: BADGE_URL,
    deadline: '2019-05-31T23:59',
    ...overrides,
  };
}

/** Per-language fixtures that must show up, in the reader's words. */
const expectations: Record<Language, { cocktailTime: RegExp; deadline: RegExp; zone: string }> = {
  es: { cocktailTime: /jueves, 6 de junio de 2019, 7:30\s?–\s?9:30\sp\.\s?m\./, deadline: /viernes, 31 de mayo de 2019/, zone: 'hora de verano del Pacífico de México' },
  en: { cocktailTime: /Thursday, June 6, 2019, 7:30\s?–\s?9:30\sPM/, deadline: /Friday, May 31, 2019/, zone: 'Mexican Pacific Daylight Time' },
  fr: { cocktailTime: /jeudi 6 juin 2019, 19\sh\s30\s?–\s?21\sh\s30/, deadline: /vendredi 31 mai 2019/, zone: 'heure avancée du Pacifique mexicain' },
};

/** Whatever the kind or language, these hold. */
function assertSafe(html: string, text: string) {
  expect(html).not.toContain('<script');
  expect(html).not.toContain('<b>');
  expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; Sons');
  // The href keeps the query string, escaped as an attribute value.
  expect(html).toContain('href="https://rsvp.example.org/r/tok123?lang=es&amp;src=mail"');
  expect(html).not.toMatch(/<img|<link|<script|\ssrc=|url\(/i);
  // Plain text: the name as written, our own output free of markup.
  expect(text).toContain(HOSTILE_NAME);
  expect(text.replace(HOSTILE_NAME, '').replace('Mayor <b>', '')).not.toMatch(/<[a-z/!]/i);
  expect(text).toContain(RSVP_URL);
}

describe.each(LANGUAGES)('renderEmail in %s', (language) => {
  const t = emailText(language);
  const expected = expectations[language];

  it.each(EMAIL_KINDS)('renders %s as safe html and plain text in the right language', (kind) => {
    // Act
    const email = renderEmail(kind, data(), language);
    // Assess
    assertSafe(email.html, email.text);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.html).toContain(`<html lang="${{ es: 'es-MX', en: 'en-US', fr: 'fr-CA' }[language]}"`);
    expect(email.text).toContain(summit.name[language]);
    expect(email.text).toContain(t('signOff'));
  });

  it('invitation: subject names the event; the program, private link and deadline are there', () => {
    const email = renderEmail('invitation', data(), language);

    expect(email.subject).toBe(t('invitation.subject', { event: summit.name[language] }));
    for (const session of [cocktail, presidential, workingDay2]) {
      expect(email.html).toContain(session.name[language]);
      expect(email.text).toContain(session.name[language]);
    }
    expect(email.text).toMatch(expected.cocktailTime);
    expect(email.text).toMatch(expected.deadline);
    expect(email.text).toContain(expected.zone);
    expect(email.text).toContain(t('invitation.action'));
    expect(email.text).toContain('Grand Velas Los Cabos');
  });

  it('confirmation: lists confirmed sessions at venue time, waitlist places, badge link and the attached calendar', () => {
    const email = renderEmail('confirmation', data(), language);

    expect(email.subject).toBe(t('confirmation.subject', { outcome: 'confirmed', event: summit.name[language] }));
    expect(email.text).toContain(cocktail.name[language]);
    expect(email.text).toMatch(expected.cocktailTime);
    expect(email.text).toContain(t('waitlistPosition', { position: 4 }));
    // The declined session is named under its own heading, after the confirmed and waitlisted ones.
    expect(email.text.indexOf(workingDay2.name[language])).toBeGreaterThan(email.text.indexOf(t('outcome.declined')));
    expect(email.text.indexOf(t('outcome.declined'))).toBeGreaterThan(email.text.indexOf(t('outcome.waitlisted')));
    expect(email.text).toContain(t('calendarAttached'));
    expect(email.html).toContain(`href="${BADGE_URL}"`);
    expect(email.text).toContain(BADGE_URL);
  });

  it('confirmation without a badge link leaves the badge out', () => {
    const { badgeUrl: _omitted, ...withoutBadge } = data();
    const email = renderEmail('confirmation', withoutBadge, language);

    expect(email.text).not.toContain(t('badgeAction'));
    expect(email.html).not.toContain('/badge/');
  });

  it('an answer that only waitlists leads with the waiting list and gives the position', () => {
    const email = renderEmail('confirmation', data({ sessions: [presidential, workingDay2] }), language);

    expect(email.subject).toBe(t('confirmation.subject', { outcome: 'waitlisted', event: summit.name[language] }));
    expect(email.text).toContain(t('waitlistPosition', { position: 4 }));
    expect(email.text).toContain(t('waitlisted.willNotify'));
    expect(email.html).toContain(presidential.name[language]);
    expect(email.text).not.toContain(cocktail.name[language]);
    expect(email.text).not.toContain(t('calendarAttached'));
  });

  it('a mixed answer names every session under its outcome, in one email', () => {
    const pending: EmailSession = {
      ...workingDay2,
      id: 'working-day-1',
      name: { es: 'Día 1', en: 'Day 1', fr: 'Jour 1' },
      start: '2019-06-07T09:00',
      end: '2019-06-07T18:00',
      status: 'pending',
    };
    const email = renderEmail('confirmation', data({ sessions: [cocktail, presidential, workingDay2, pending] }), language);
    const outcomeOf = (name: string) => {
      const at = email.text.indexOf(`- ${name}\n`);
      expect(at, name).toBeGreaterThan(0);
      return (['confirmed', 'waitlisted', 'declined', 'pending'] as const)
        .filter((o) => email.text.lastIndexOf(t(`outcome.${o}`), at) >= 0)
        .sort((a, b) => email.text.lastIndexOf(t(`outcome.${b}`), at) - email.text.lastIndexOf(t(`outcome.${a}`), at))[0];
    };
    expect(outcomeOf(cocktail.name[language])).toBe('confirmed');
    expect(outcomeOf(presidential.name[language])).toBe('waitlisted');
    expect(outcomeOf(workingDay2.name[language])).toBe('declined');
    expect(outcomeOf(pending.name[language])).toBe('pending');
    // The President's session (13:00–15:00) lies inside day 1: both say so.
    expect(email.text).toContain(t('overlap', { session: pending.name[language] }));
    expect(email.text).toContain(t('overlap', { session: presidential.name[language] }));
  });

  it('says which sessions the calendar file removes', () => {
    const email = renderEmail('confirmation', data({ cancelled: [workingDay2.id] }), language);
    expect(email.text).toContain(t('calendarCancelled', { count: 1, sessions: workingDay2.name[language] }));
  });

  it('promoted: names the newly confirmed session and says the calendar is attached', () => {
    const promoted = { ...presidential, status: 'confirmed' as const };
    const { waitlistPosition: _gone, ...seat } = promoted;
    const email = renderEmail('promoted', data({ sessions: [cocktail, seat], sessionId: seat.id }), language);

    expect(email.subject).toBe(t('promoted.subject', { sessions: presidential.name[language] }));
    expect(email.text).toContain(t('promoted.intro', { session: presidential.name[language] }));
    expect(email.text).toContain(t('calendarAttached'));
  });

  it('declined: acknowledges and says until when the answer can change', () => {
    const email = renderEmail('declined', data(), language);

    expect(email.subject).toBe(t('declined.subject', { event: summit.name[language] }));
    expect(email.text).toContain(t('declined.intro'));
    expect(email.text).toMatch(expected.deadline);
    expect(email.text).not.toContain(t('calendarAttached'));
  });
});

describe('renderEmail guards', () => {
  it('escapes hostile session and event names in html', () => {
    const hostile = { es: '<img src=x onerror=alert(1)>', en: '<img src=x onerror=alert(1)>', fr: '<img src=x onerror=alert(1)>' };
    const email = renderEmail('confirmation', data({ event: { ...summit, name: hostile }, sessions: [{ ...cocktail, name: hostile }] }), 'en');

    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps the subject on one line when a name carries a newline', () => {
    const name = { es: 'Cumbre\r\nBcc: x@evil.test', en: 'Summit\r\nBcc: x@evil.test', fr: 'Sommet\r\nBcc: x@evil.test' };
    const email = renderEmail('invitation', data({ event: { ...summit, name } }), 'en');

    expect(email.subject).toBe('Invitation: Summit Bcc: x@evil.test');
  });

  it('refuses links that are not http(s)', () => {
    expect(() => renderEmail('invitation', data({ rsvpUrl: 'javascript:alert(1)' }), 'en')).toThrow(TypeError);
    expect(() => renderEmail('confirmation', data({ badgeUrl: 'data:text/html,hi' }), 'en')).toThrow(TypeError);
  });

  it('refuses a sessionId that is not among the sessions', () => {
    expect(() => renderEmail('promoted', data({ sessionId: 'nope' }), 'es')).toThrow(RangeError);
  });

  it('without sessionId, promoted covers every confirmed session', () => {
    const email = renderEmail('promoted', data(), 'en');

    expect(email.subject).toBe('Seat confirmed: Welcoming cocktail');
  });

  it('shows venue time even when the process runs in another zone', () => {
    // The instant is 01:30 UTC on June 7; the email must still say June 6, 7:30 PM.
    const email = renderEmail('confirmation', data(), 'en');

    expect(email.text).toMatch(/Thursday, June 6, 2019, 7:30\s?–\s?9:30\sPM/);
  });
});
