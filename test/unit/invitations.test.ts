import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.js';
import { InvitationService, filterInvitations, listQuerySchema, parseInvitationCsv } from '#domain/invitations.js';
import { hashToken } from '#domain/tokens.js';
import { COLUMN_NAMES } from '#domain/invitations/spreadsheet.js';
import { LANGUAGES } from '#domain/languages.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';

const EVENT = 'na-mayors-summit-2019';
let store: MemoryStore;
let service: InvitationService;

beforeEach(async () => {
  store = new MemoryStore();
  await store.putEventDefinition(summit());
  service = new InvitationService({ store, clock: fixedClock(BEFORE_DEADLINE), ids: sequentialIds(), tokenSecret: 'test-secret', publicBaseUrl: 'https://rsvp.example/' });
});

const rows = (...data: unknown[]) => data.map((d, i) => ({ row: i + 1, data: d }));
const issuesOf = async (p: Promise<unknown>) => {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).details!;
};

describe('importing invitations', () => {
  it('creates invitations with an unguessable link shown once, storing only its hash', async () => {
    const [result] = await service.import(EVENT, rows(invitee(1)));
    expect(result).toMatchObject({ row: 1, status: 'created', email: 'mayor1@city1.example' });
    const token = result.rsvpUrl!.replace('https://rsvp.example/rsvp/', '');
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const stored = store.invitations.get(result.id)!;
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.sessions).toEqual(summit().sessions.map((s) => s.id));
    expect(store.outbox).toEqual([expect.objectContaining({ type: 'invitation.created', invitationId: result.id, reason: 'created' })]);
  });

  it('gives every invitation a different token', async () => {
    const results = await service.import(EVENT, rows(...Array.from({ length: 50 }, (_, i) => invitee(i))));
    expect(new Set(results.map((r) => r.rsvpUrl)).size).toBe(50);
  });

  it('updates on re-import of the same email (case-blind) and says so, without a new link', async () => {
    const [first] = await service.import(EVENT, rows(invitee(1)));
    const [again] = await service.import(EVENT, rows(invitee(1, { email: 'MAYOR1@city1.example', organization: 'Tijuana' })));
    expect(again).toMatchObject({ id: first.id, status: 'updated' });
    expect(again.rsvpUrl).toBeUndefined();
    expect(store.invitations.size).toBe(1);
    expect(store.invitations.get(first.id)!.organization).toBe('Tijuana');
    const [same] = await service.import(EVENT, rows(invitee(1, { organization: 'Tijuana' })));
    expect(same.status).toBe('unchanged');
  });

  it('rejects the whole batch naming row and field, writing nothing', async () => {
    const details = await issuesOf(
      service.import(EVENT, rows(invitee(1), invitee(2, { email: 'not-an-email' }), invitee(3, { sessions: ['gala-dinner'] }), invitee(4, { guests: 3 }))),
    );
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, field: 'email' }),
        expect.objectContaining({ row: 3, field: 'sessions', message: expect.stringContaining('gala-dinner') }),
        expect.objectContaining({ row: 4, field: 'guests' }),
      ]),
    );
    expect(store.invitations.size).toBe(0);
    expect(store.outbox).toHaveLength(0);
  });

  it('refuses HTML or script in names, unknown fields and bad codes', async () => {
    const details = await issuesOf(
      service.import(
        EVENT,
        rows(invitee(1, { name: '<script>alert(1)</script>' }), invitee(2, { country: 'XX' }), invitee(3, { category: 'king' }), invitee(4, { nickname: 'x' })),
      ),
    );
    expect(details.map((d) => `${d.row}:${d.field}`)).toEqual(expect.arrayContaining(['1:name', '2:country', '3:category', '4:nickname']));
  });

  it('refuses a row that lists a session twice, naming row and field, writing nothing (issue 10 item 9)', async () => {
    const csv = parseInvitationCsv('email,name,country,category,language,sessions\na@x.mx,Ana,MX,mayor-mx,es,working-day-1;working-day-1\n');
    const details = await issuesOf(service.import(EVENT, csv));
    expect(details).toEqual([expect.objectContaining({ row: 2, field: 'sessions', message: expect.stringContaining('working-day-1 more than once') })]);
    const json = await issuesOf(service.import(EVENT, rows(invitee(1, { sessions: ['welcome-cocktail', 'working-day-2', 'welcome-cocktail'] }))));
    expect(json).toEqual([expect.objectContaining({ row: 1, field: 'sessions', message: expect.stringContaining('welcome-cocktail') })]);
    expect(store.invitations.size).toBe(0);
    expect(store.outbox).toHaveLength(0);
  });

  it('shows the links again to the same file sent again (a retry), never to another file naming the same invitee', async () => {
    const file = rows(invitee(1), invitee(2));
    const first = await service.import(EVENT, file);
    const again = await service.import(EVENT, file);
    expect(again.map((r) => [r.status, r.rsvpUrl])).toEqual(first.map((r) => ['created', r.rsvpUrl]));
    expect(store.outbox.filter((e) => e.type === 'invitation.created')).toHaveLength(2);
    const other = await service.import(EVENT, rows(invitee(1)));
    expect(other).toEqual([expect.objectContaining({ status: 'unchanged' })]);
    expect(other[0].rsvpUrl).toBeUndefined();
    const preview = await service.import(EVENT, file, { dryRun: true });
    expect(preview.map((r) => r.rsvpUrl)).toEqual([undefined, undefined]);
  });

  it('flags duplicates within one import', async () => {
    const details = await issuesOf(service.import(EVENT, rows(invitee(1), invitee(1))));
    expect(details).toEqual([expect.objectContaining({ row: 2, field: 'email', message: 'duplicate of row 1' })]);
  });
});

describe('CSV', () => {
  it('numbers rows as a spreadsheet does and splits sessions on ;', () => {
    const parsed = parseInvitationCsv(
      'email,name,country,category,language,sessions,guests\na@x.mx,Ana,MX,mayor-mx,es,welcome-cocktail;working-day-1,1\n\nb@x.ca,"Béatrice, Q.",CA,mayor-ca,fr,,\n',
    );
    expect(parsed).toEqual([
      { row: 2, data: { email: 'a@x.mx', name: 'Ana', country: 'MX', category: 'mayor-mx', language: 'es', sessions: ['welcome-cocktail', 'working-day-1'], guests: 1 } },
      { row: 4, data: { email: 'b@x.ca', name: 'Béatrice, Q.', country: 'CA', category: 'mayor-ca', language: 'fr' } },
    ]);
  });

  // The file as organizers write it: headings and names in their language, read into the codes.
  for (const language of LANGUAGES) {
    it(`reads a ${language} spreadsheet: its headings, and countries, languages, categories and sessions by name`, async () => {
      const event = summit();
      const fields = ['email', 'name', 'country', 'category', 'language', 'sessions', 'guests'] as const;
      const countries = ['MX', 'US', 'CA', 'DE', 'GB', 'CI', 'KR'];
      const region = new Intl.DisplayNames([language], { type: 'region' });
      const languageNames = new Intl.DisplayNames([language], { type: 'language' });
      const quoted = (v: string) => `"${v.replace(/"/g, '""')}"`;
      const lines = event.categories.map((c, i) =>
        [
          `person${i}@city.example`,
          `Persona ${i}`,
          region.of(countries[i % countries.length])!,
          c.name[language],
          languageNames.of(LANGUAGES[i % 3])!,
          event.sessions.map((x) => x.name[language]).join('; '),
          String(i % 3),
        ]
          .map(quoted)
          .join(','),
      );
      const csv = [fields.map((f) => COLUMN_NAMES[f][language]).join(','), ...lines].join('\n');
      const results = await service.import(EVENT, parseInvitationCsv(csv));
      expect(results.map((r) => r.status)).toEqual(event.categories.map(() => 'created'));
      const stored = results.map((r) => store.invitations.get(r.id)!);
      expect(stored.map((i) => [i.country, i.category, i.language, i.sessions, i.guestsAllowed])).toEqual(
        event.categories.map((c, i) => [countries[i % countries.length], c.id, LANGUAGES[i % 3], event.sessions.map((x) => x.id), i % 3]),
      );
    });
  }

  it('reads headings whatever their case, accents or spacing; a heading twice in two languages is refused', () => {
    expect(parseInvitationCsv('E-Mail,Nombre,PAIS,Categoria,Idioma,Sesiones\na@x.mx,Ana,México,Alcalde,es,\n')).toEqual([
      { row: 2, data: { email: 'a@x.mx', name: 'Ana', country: 'México', category: 'Alcalde', language: 'es' } },
    ]);
    expect(() => parseInvitationCsv('email,correo,name\na@x.mx,a@x.mx,Ana\n')).toThrow(/column email appears more than once/);
  });

  it('reads a language code in any case', async () => {
    const [result] = await service.import(EVENT, parseInvitationCsv('email,name,country,category,language\na@x.mx,Ana,mx,mayor-mx,ES\n'));
    expect(store.invitations.get(result.id)).toMatchObject({ country: 'MX', language: 'es' });
  });

  it('refuses a name that names nothing, naming its column, and writes nothing', async () => {
    const details = await issuesOf(
      service.import(
        EVENT,
        parseInvitationCsv('correo,nombre,país,categoría,idioma,sesiones\na@x.mx,Ana,Atlántida,Alcalde de Marte,klingon,\nb@x.mx,Bea,México,Academia,español,Cena de gala\n'),
      ),
    );
    expect(details.map((d) => [d.row, d.field])).toEqual(
      expect.arrayContaining([
        [2, 'country'],
        [2, 'language'],
        [3, 'sessions'],
      ]),
    );
    expect(details.map((d) => d.field)).not.toContain('email');
    expect(store.invitations.size).toBe(0);
  });

  it('reports unknown columns and unreadable files', () => {
    expect(() => parseInvitationCsv('email,name,shoe_size\na@x.mx,Ana,42\n')).toThrow(/unknown column shoe_size/);
    expect(() => parseInvitationCsv('email,name\n"a@x.mx,Ana\n')).toThrow(ValidationError);
    expect(() => parseInvitationCsv('email,name\n')).toThrow(/no rows/);
  });
});

describe('listing', () => {
  it('filters, searches accent-blind and pages with a cursor', async () => {
    await service.import(EVENT, rows(invitee(1, { name: 'José Núñez', organization: 'Tijuana' }), invitee(2), invitee(3), invitee(4)));
    const all = await store.listInvitations(EVENT);
    expect(filterInvitations(all, listQuerySchema.parse({ q: 'nunez' })).items.map((i) => i.name)).toEqual(['José Núñez']);
    expect(filterInvitations(all, listQuerySchema.parse({ country: 'us' })).items.every((i) => i.country === 'US')).toBe(true);
    const page1 = filterInvitations(all, listQuerySchema.parse({ limit: 3 }));
    expect(page1.items).toHaveLength(3);
    const page2 = filterInvitations(all, listQuerySchema.parse({ limit: 3, cursor: page1.nextCursor }));
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeUndefined();
    expect(JSON.stringify(page1)).not.toMatch(/tokenHash|tokenNonce/);
    expect(() => filterInvitations(all, listQuerySchema.parse({ cursor: 'garbage' }))).toThrow(ValidationError);
  });
});
