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

    expect(email.subject).toBe(t('confirmation.subject', { event: summit.name[language] }));
    expect(email.text).toContain(cocktail.name[language]);
    expect(email.text).toMatch(expected.cocktailTime);
    expect(email.text).toContain(t('waitlistPosition', { position: 4 }));
    expect(email.text).not.toContain(workingDay2.name[language]);
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

  it('waitlisted: names the session in the subject and gives the position', () => {
    const email = renderEmail('waitlisted', data({ sessionId: presidential.id }), language);

    expect(email.subject).toContain(presidential.name[language]);
    expect(email.text).toContain(t('waitlisted.position', { position: 4 }));
    expect(email.html).toContain(presidential.name[language]);
    expect(email.text).not.toContain(cocktail.name[language]);
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
    const email = renderEmail(
      'confirmation',
      data({ event: { ...summit, name: hostile }, sessions: [{ ...cocktail, name: hostile }] }),
      'en',
    );

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
    expect(() => renderEmail('waitlisted', data({ sessionId: 'nope' }), 'es')).toThrow(RangeError);
  });

  it('without sessionId, waitlisted covers every waitlisted session', () => {
    const email = renderEmail('waitlisted', data(), 'en');

    expect(email.subject).toBe('Waiting list: Session with the President of Mexico');
  });

  it('shows venue time even when the process runs in another zone', () => {
    // The instant is 01:30 UTC on June 7; the email must still say June 6, 7:30 PM.
    const email = renderEmail('confirmation', data(), 'en');

    expect(email.text).toMatch(/Thursday, June 6, 2019, 7:30\s?–\s?9:30\sPM/);
  });
});
