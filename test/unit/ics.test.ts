import { describe, expect, it } from 'vitest';
import { buildIcs, type EmailSession, type IcsInput } from '#domain/email/index.js';
import { summit as seedSummit } from '../fixtures/summit.js';

/** The shipped seed file: the tests render what the summit really is. */
const summit = seedSummit();

const sessions: EmailSession[] = [
  {
    id: 'welcome-cocktail',
    name: { es: 'Cóctel de bienvenida', en: 'Welcoming cocktail', fr: 'Cocktail de bienvenue' },
    start: '2019-06-06T19:30',
    end: '2019-06-06T21:30',
    status: 'confirmed',
  },
  {
    id: 'working-sessions-1',
    name: {
      es: 'Sesiones de trabajo; cooperación fronteriza, movilidad y turismo, con \\ barras',
      en: 'Working sessions; border cooperation, mobility and tourism, with \\ slashes',
      fr: 'Séances de travail; coopération frontalière, mobilité et tourisme',
    },
    start: '2019-06-07T09:30',
    end: '2019-06-07T17:30',
    status: 'confirmed',
  },
  {
    id: 'presidential-session',
    name: { es: 'Sesión presidencial', en: 'Presidential session', fr: 'Séance présidentielle' },
    start: '2019-06-07T13:00',
    end: '2019-06-07T15:00',
    status: 'waitlisted',
    waitlistPosition: 2,
  },
  {
    id: 'working-sessions-2',
    name: { es: 'Sesiones de trabajo, día 2', en: 'Working sessions, day 2', fr: 'Séances de travail, jour 2' },
    start: '2019-06-08T09:00',
    end: '2019-06-08T13:00',
    status: 'declined',
  },
];

const input: IcsInput = {
  event: summit,
  sessions,
  invitee: { name: 'José Peña', language: 'es' },
  uidBase: 'inv-01HZX',
  stamp: new Date('2019-05-20T12:00:00Z'),
  url: 'https://rsvp.example.org/r/tok?a=1&b=2',
};

interface Component {
  name: string;
  props: { name: string; params: string; value: string }[];
  children: Component[];
}

/** A small RFC 5545 reader: CRLF only, unfolding, BEGIN/END nesting. Throws on anything malformed. */
function parseIcs(ics: string): Component {
  if (!ics.endsWith('\r\n')) throw new Error('must end with CRLF');
  if (/(?<!\r)\n|\r(?!\n)/.test(ics)) throw new Error('bare CR or LF');
  const physical = ics.slice(0, -2).split('\r\n');
  for (const line of physical) {
    if (Buffer.byteLength(line, 'utf8') > 75) throw new Error(`line over 75 octets: ${line}`);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) logical[logical.length - 1] += line.slice(1);
    else logical.push(line);
  }
  const root: Component = { name: '', props: [], children: [] };
  const stack: Component[] = [root];
  for (const line of logical) {
    const match = /^([A-Z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (!match) throw new Error(`not a content line: ${line}`);
    const [, name, params, value] = match as unknown as [string, string, string, string];
    const current = stack.at(-1)!;
    if (name === 'BEGIN') {
      const child: Component = { name: value, props: [], children: [] };
      current.children.push(child);
      stack.push(child);
    } else if (name === 'END') {
      if (current.name !== value) throw new Error(`END:${value} closes ${current.name}`);
      stack.pop();
    } else {
      current.props.push({ name, params, value });
    }
  }
  if (stack.length !== 1) throw new Error('unbalanced BEGIN/END');
  if (root.children.length !== 1 || root.children[0].name !== 'VCALENDAR') throw new Error('one VCALENDAR expected');
  return root.children[0];
}

const prop = (component: Component, name: string) => component.props.find((p) => p.name === name)?.value;
const unescapeText = (value: string) => value.replace(/\\([\\;,])/g, '$1').replace(/\\[nN]/g, '\n');

describe('buildIcs', () => {
  it('writes a well-formed PUBLISH calendar with one VEVENT per confirmed session', () => {
    // Act
    const calendar = parseIcs(buildIcs(input));
    // Assess
    expect(prop(calendar, 'VERSION')).toBe('2.0');
    expect(prop(calendar, 'PRODID')).toBeTruthy();
    expect(prop(calendar, 'METHOD')).toBe('PUBLISH');
    const events = calendar.children.filter((c) => c.name === 'VEVENT');
    expect(events).toHaveLength(2);
    expect(events.map((e) => unescapeText(prop(e, 'SUMMARY')!))).toEqual([sessions[0].name.es, sessions[1].name.es]);
  });

  it('puts the welcome cocktail (19:30 in Los Cabos, UTC-6 in June 2019) at 01:30 UTC on June 7', () => {
    const cocktail = parseIcs(buildIcs(input)).children.find((c) => prop(c, 'UID')?.includes('welcome-cocktail'))!;

    expect(prop(cocktail, 'DTSTART')).toBe('20190607T013000Z');
    expect(prop(cocktail, 'DTEND')).toBe('20190607T033000Z');
    expect(prop(cocktail, 'DTSTAMP')).toBe('20190520T120000Z');
  });

  it('escapes commas, semicolons and backslashes in text, and folds long lines', () => {
    const ics = buildIcs({ ...input, invitee: { name: 'Jane', language: 'en' } });
    const working = parseIcs(ics).children.find((c) => prop(c, 'UID')?.includes('working-sessions-1'))!;

    expect(prop(working, 'SUMMARY')).toBe('Working sessions\\; border cooperation\\, mobility and tourism\\, with \\\\ slashes');
    expect(unescapeText(prop(working, 'LOCATION')!)).toBe('Grand Velas Los Cabos, Los Cabos, Baja California Sur, Mexico');
    expect(unescapeText(prop(working, 'DESCRIPTION')!)).toBe('North American Mayors Summit\nhttps://rsvp.example.org/r/tok?a=1&b=2');
    expect(ics).toMatch(/\r\n /); // at least one folded line
  });

  it('keeps UIDs stable across rebuilds so an updated file replaces the entries', () => {
    const first = parseIcs(buildIcs(input)).children.map((e) => prop(e, 'UID'));
    const later = parseIcs(buildIcs({ ...input, stamp: new Date('2019-06-01T00:00:00Z'), sequence: 3 }));

    expect(first).toEqual(['inv-01HZX-welcome-cocktail@cumbre', 'inv-01HZX-working-sessions-1@cumbre']);
    expect(later.children.map((e) => prop(e, 'UID'))).toEqual(first);
    expect(later.children.map((e) => prop(e, 'SEQUENCE'))).toEqual(['3', '3']);
  });

  it('writes an empty calendar when nothing is confirmed', () => {
    const calendar = parseIcs(buildIcs({ ...input, sessions: sessions.filter((s) => s.status !== 'confirmed') }));

    expect(calendar.children).toHaveLength(0);
  });

  it('rejects a uidBase that would corrupt the UID line', () => {
    expect(() => buildIcs({ ...input, uidBase: 'a\r\nX-EVIL:1' })).toThrow(RangeError);
  });
});
