import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCredentialSigner, seedFromSecret, verifyCredential } from '#domain/badge/index.js';
import { CheckinService, type ScanStore, type StoredScan } from '#domain/checkin/service.js';
import { InvitationService } from '#domain/invitations.js';
import { COMPANION_ROLES, LANGUAGES, type Language, type ResponseStatus } from '#domain/model.js';
import { RsvpService } from '#domain/rsvp.js';
import { dashboardText, type DashboardKey } from '#i18n/dashboard/index.js';
import { deriveKeys } from '#shared/app-keys.js';
import type { HttpResult } from '#shared/http.js';
import * as exportAttendees from '../../functions/handlers/admin-export-attendees.js';
import * as checkinHandler from '../../functions/handlers/checkin.js';
import * as exportAccreditation from '../../functions/handlers/export-accreditation.js';
import { MemoryAccreditationRecords, MemoryAuditTrail } from '../fixtures/memory-access.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, claimsWith, context } from './events.js';

/**
 * The organizer's CSV exports in the reader's language (`?lang=`): every header is the dashboard
 * catalogue's `export.<column>` (or the session's name), enumerated from the data format's own
 * header; no cell shows a code, an id or a UTC instant; a language Cumbre does not write is a 400
 * naming `lang`. Without `lang`, the data format programs read, unchanged.
 */
const EVENT = 'na-mayors-summit-2019';
const definition = summit();
const organizer = claimsWith([`event:${EVENT}:organizer`], 'organizer-1');
const security = claimsWith([`event:${EVENT}:security`], 'security-1');
const signer = createCredentialSigner(seedFromSecret('exports-language-tests'));
const SCANNED_AT = '2019-06-07T15:00:10.000Z';

class MemoryScans implements ScanStore {
  readonly items: StoredScan[] = [];
  async put(_eventId: string, scan: StoredScan) {
    this.items.push(structuredClone(scan));
    return 'recorded' as const;
  }
  async list() {
    return structuredClone(this.items);
  }
}

type Handler = (event: unknown, ctx: unknown) => Promise<HttpResult>;
let store: MemoryStore;
let exports: Record<'attendees' | 'checkin' | 'accreditation', { route: string; handler: Handler; claims: Record<string, string> }>;

beforeEach(async () => {
  store = new MemoryStore();
  const audit = new MemoryAuditTrail();
  store.auditTrail = audit;
  const clock = fixedClock(BEFORE_DEADLINE);
  const ids = sequentialIds();
  await store.putEventDefinition(definition);
  const invitations = new InvitationService({ store, clock, ids, tokenSecret: deriveKeys('s').rsvpTokens, publicBaseUrl: 'https://rsvp.example.org' });
  // One invitee of each country and language, with topics; the first brings an accredited companion.
  const imported = await invitations.import(
    EVENT,
    [1, 2, 3].map((n) => ({ row: n, data: invitee(n, { guests: 1 }) })),
  );
  const topics = definition.topics.slice(0, 2).map((t) => t.id);
  const rsvp = new RsvpService({ store, clock, ids, backoff: async () => {} });
  const token = (i: number) => imported[i].rsvpUrl!.split('/rsvp/')[1];
  const accreditation = { nationality: 'MX', idDocumentNumber: 'G 7654321' };
  await rsvp.respond(token(0), {
    responses: [
      { sessionId: 'working-day-1', attending: true },
      { sessionId: 'presidential-session', attending: true },
    ],
    topics,
    accreditation,
    companions: [{ name: 'Ana Ruiz', role: 'security-detail', language: 'es', accreditation }],
  });
  await rsvp.respond(token(1), { responses: [{ sessionId: 'working-day-1', attending: true }], topics });
  await rsvp.respond(token(2), { responses: [{ sessionId: 'presidential-session', attending: true }], accreditation: { nationality: 'CA', idDocumentNumber: 'AB123456' } });

  const records = new MemoryAccreditationRecords(store, audit);
  records.clearances.set(imported[0].id, { state: 'cleared', note: '', by: 'security@cumbre.example', at: '2019-05-20T18:30:00.000Z' });

  // One arrival at the door for the first invitee; the second is a no-show.
  const scans = new MemoryScans();
  const first = store.invitations.get(imported[0].id)!;
  await scans.put(EVENT, {
    id: '00000000-0000-4000-8000-000000000001',
    i: first.id,
    h: '',
    n: first.version,
    session: 'working-day-1',
    door: 'Norte',
    device: 'phone-1',
    at: SCANNED_AT,
    verdict: 'admit',
    uploadedBy: 'door-1',
    uploadedAt: SCANNED_AT,
  });
  const checkin = new CheckinService({
    store,
    scans,
    badges: { listBadges: async () => [] },
    signer,
    verify: (t) => verifyCredential(t, signer.publicKeyRaw),
    clock: fixedClock(new Date('2019-06-07T16:00:00Z')),
  });

  exports = {
    attendees: { route: '/events/{eventId}/attendees.csv', handler: exportAttendees.makeHandler({ store }) as unknown as Handler, claims: organizer },
    checkin: { route: '/events/{eventId}/checkin.csv', handler: checkinHandler.makeHandler({ store, checkin }) as unknown as Handler, claims: organizer },
    accreditation: { route: '/events/{eventId}/accreditation', handler: exportAccreditation.makeHandler({ store, records, audit }) as unknown as Handler, claims: security },
  };
});

const download = (kind: keyof typeof exports, query?: Record<string, string>) => {
  const { route, handler, claims } = exports[kind];
  return handler(apiEvent({ method: 'GET', route, path: { eventId: EVENT }, query, claims }), context);
};
const table = (res: HttpResult): string[][] => parse(res.body ?? '', { bom: true, relax_column_count: false });

/** Every code and id a data-format export may hold: none may reach a reader of a language. */
const CODES = new Set<string>([
  ...definition.sessions.map((s) => s.id),
  ...definition.categories.map((c) => c.id),
  ...definition.topics.map((t) => t.id),
  ...(['pending', 'confirmed', 'waitlisted', 'declined'] satisfies ResponseStatus[]),
  'revoked',
  ...COMPANION_ROLES,
  ...LANGUAGES,
  'MX',
  'US',
  'CA',
  'arrived',
  'no-show',
  'yes',
  'no',
  'cleared',
  'refused',
]);
const venueClock = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: definition.timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

describe.each(['attendees', 'checkin', 'accreditation'] as const)('the %s export', (kind) => {
  it.each([...LANGUAGES])('reads in %s: catalogue headers, names for codes, the venue’s clock', async (language: Language) => {
    const data = await download(kind);
    const readable = await download(kind, { lang: language });
    expect(data.statusCode).toBe(200);
    expect(readable.statusCode).toBe(200);
    expect(readable.headers).toMatchObject({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${EVENT}-${kind}.csv"` });
    // A byte order mark for the spreadsheet that opens it; the data format has none.
    expect(readable.body!.startsWith('\uFEFF')).toBe(true);
    expect(data.body!.startsWith('\uFEFF')).toBe(false);

    const [columns, ...dataRows] = table(data);
    const [header, ...rows] = table(readable);
    const t = dashboardText(language);
    expect(header).toEqual(columns.map((c) => definition.sessions.find((s) => s.id === c)?.name[language] ?? t(`export.${c}` as DashboardKey)));
    expect(rows).toHaveLength(dataRows.length);
    expect(rows.length).toBeGreaterThan(0);
    // The data format does carry codes: the check below would catch them.
    expect(dataRows.flat().filter((v) => CODES.has(v)).length).toBeGreaterThan(0);
    for (const row of rows)
      for (const value of row) {
        expect(CODES.has(value), `${kind} (${language}) shows the code "${value}"`).toBe(false);
        expect(value, `${kind} (${language}) shows an instant`).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
        for (const id of store.invitations.keys()) expect(value).not.toContain(id);
      }
    // Every data cell that was a code is now a word: the same cell, read.
    const countries = new Intl.DisplayNames([{ es: 'es-MX', en: 'en-US', fr: 'fr-CA' }[language]], { type: 'region' });
    if (kind === 'attendees') expect(rows.map((r) => r[header.indexOf(t('export.country'))])).toContain(countries.of('CA'));
    if (kind === 'accreditation') {
      const cleared = rows.find((r) => r[header.indexOf(t('export.clearance'))] === t('clearance.cleared'));
      expect(cleared?.[header.indexOf(t('export.clearedAt'))]).toBe(venueClock('2019-05-20T18:30:00.000Z'));
      expect(rows.map((r) => r[header.indexOf(t('export.role'))])).toContain(t('companionRole.security-detail'));
    }
    if (kind === 'checkin') {
      const arrived = rows.filter((r) => r[header.indexOf(t('export.status'))] === t('export.arrived'));
      expect(arrived.map((r) => [r[header.indexOf(t('export.session'))], r[header.indexOf(t('export.firstScanAt'))]])).toEqual([
        [definition.sessions.find((s) => s.id === 'working-day-1')!.name[language], venueClock(SCANNED_AT)],
      ]);
    }
  });

  it.each(['de', 'ES', 'es-MX', 'x'])('refuses lang=%s with a 400 naming lang', async (lang) => {
    const res = await download(kind, { lang });
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).details).toEqual([expect.objectContaining({ field: 'lang' })]);
  });
});

describe('the venue’s clock in exports', () => {
  it('is the summit’s time zone, not UTC (Los Cabos is UTC−6 in June 2019)', () => {
    expect(venueClock(SCANNED_AT)).toBe('2019-06-07 09:00');
  });
});
