import { createPublicKey, verify } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCredentialSigner, seedFromSecret, verifyCredential, type CredentialClaims } from '#domain/badge/index.js';
import { CheckinService, type ArrivalsReport, type DoorPackage, type ScanStore, type StoredScan } from '#domain/checkin/service.js';
import { parseRevocationList, revocationSignedBytes } from '#domain/checkin/revocations.js';
import type { Invitation } from '#domain/model.js';
import { invitationIdFor } from '#domain/tokens.js';
import * as checkinHandler from '../../functions/handlers/checkin.js';
import * as exportAccreditation from '../../functions/handlers/export-accreditation.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { MemoryAccreditationRecords, MemoryAuditTrail } from '../fixtures/memory-access.js';
import { BEFORE_DEADLINE, fixedClock, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, claimsWith, context } from './events.js';

const EVENT = 'na-mayors-summit-2019';
const signer = createCredentialSigner(seedFromSecret('checkin-handler-tests'));
const forger = createCredentialSigner(seedFromSecret('not our key'));
const door = claimsWith([`event:${EVENT}:door`], 'door-north');
const organizerClaims = claimsWith([`event:${EVENT}:organizer`], 'organizer-1');
const viewer = claimsWith([`event:${EVENT}:viewer`], 'viewer-1');

class MemoryScans implements ScanStore {
  readonly items = new Map<string, StoredScan>();
  async put(eventId: string, scan: StoredScan) {
    const key = `${eventId}#${scan.id}`;
    if (this.items.has(key)) return 'already' as const;
    this.items.set(key, structuredClone(scan));
    return 'recorded' as const;
  }
  async list(eventId: string) {
    return [...this.items.entries()].filter(([k]) => k.startsWith(`${eventId}#`)).map(([, v]) => structuredClone(v));
  }
}

const invitation = (n: number, sessions: string[], overrides: Partial<Invitation> = {}): Invitation => {
  const now = BEFORE_DEADLINE.toISOString();
  return {
    id: invitationIdFor(EVENT, `mayor${n}@city.example`),
    eventId: EVENT,
    email: `mayor${n}@city.example`,
    name: `Mayor ${n}`,
    organization: `City ${n}`,
    country: 'MX',
    category: 'mayor-mx',
    language: 'es',
    sessions: summit().sessions.map((s) => s.id),
    guestsAllowed: 1,
    guests: 0,
    tokenHash: `hash-${n}`,
    tokenNonce: `nonce-${n}`,
    responses: Object.fromEntries(sessions.map((s) => [s, { status: 'confirmed' as const, seats: 1, updatedAt: now }])),
    status: 'confirmed',
    topics: [],
    hasAccreditation: false,
    version: 3,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
};

let store: MemoryStore;
let scans: MemoryScans;
let badges: Array<{ invitationId: string; holder: string; version: number }>;
let handler: ReturnType<typeof checkinHandler.makeHandler>;
const a = invitation(1, ['working-day-1', 'presidential-session']);
const b = invitation(2, ['working-day-1']);

beforeEach(async () => {
  store = new MemoryStore();
  scans = new MemoryScans();
  badges = [];
  await store.putEventDefinition(summit());
  await store.createInvitations([a, b].map((inv) => ({ invitation: inv, events: [] })));
  handler = checkinHandler.makeHandler({
    store,
    checkin: new CheckinService({
      store,
      scans,
      badges: { listBadges: async () => badges },
      signer,
      verify: (token) => verifyCredential(token, signer.publicKeyRaw),
      clock: fixedClock(new Date('2019-06-07T15:00:00Z')),
    }),
  });
});

const claimsOf = (inv: Invitation, s: string[], overrides: Partial<CredentialClaims> = {}): CredentialClaims => ({
  v: 2,
  e: EVENT,
  i: inv.id,
  h: '',
  s,
  n: inv.version,
  iat: 1_559_800_000,
  ...overrides,
});
let n = 0;
const scanId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const scanOf = (token: string, overrides: Record<string, unknown> = {}) => ({
  id: scanId(),
  token,
  session: 'working-day-1',
  door: 'Norte',
  device: 'phone-north-1',
  at: '2019-06-07T15:01:00.000Z',
  verdict: 'admit',
  ...overrides,
});

const call = (method: 'GET' | 'POST', route: string, claims: Record<string, string>, body?: object | string) =>
  handler(apiEvent({ method, route, path: { eventId: EVENT }, claims, ...(body === undefined ? {} : { body }) }), context);
const upload = (scanList: object[], claims = door) => call('POST', '/events/{eventId}/checkin/scans', claims, { scans: scanList });
const arrivals = async () => bodyOf(await call('GET', '/events/{eventId}/checkin/arrivals', organizerClaims)) as ArrivalsReport;

describe('GET /events/{eventId}/checkin (the door package)', () => {
  it('gives door staff the people, the public key and a revocation list signed with the badge key', async () => {
    badges = [{ invitationId: a.id, holder: '', version: 3 }];
    const res = await call('GET', '/events/{eventId}/checkin', door);
    expect(res.statusCode).toBe(200);
    const pkg = bodyOf(res) as DoorPackage;

    expect(pkg.people.map((p) => [p.i, p.h, p.name, p.sessions])).toEqual([
      [a.id, '', 'Mayor 1', ['working-day-1', 'presidential-session']],
      [b.id, '', 'Mayor 2', ['working-day-1']],
    ]);
    expect(Buffer.from(pkg.publicKey, 'base64url')).toEqual(Buffer.from(signer.publicKeyRaw));
    const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pkg.publicKey, 'base64url')]), format: 'der', type: 'spki' });
    expect(verify(null, revocationSignedBytes(pkg.revocations.text), key, Buffer.from(pkg.revocations.signature, 'base64url'))).toBe(true);
    expect(parseRevocationList(pkg.revocations.text, EVENT).entries).toEqual([{ i: a.id, h: '', below: 3 }]);
    expect(pkg.event.sessions.find((s) => s.id === 'presidential-session')?.requiresAccreditation).toBe(true);
  });

  it('lists a revoked invitation’s holders as revoked (the invitations work’s entry and its status) and no longer as people', async () => {
    const revoked = invitation(3, ['working-day-1'], { status: 'revoked', revocations: [{ holder: '*', below: Number.MAX_SAFE_INTEGER }] });
    await store.createInvitations([{ invitation: revoked, events: [] }]);

    const pkg = bodyOf(await call('GET', '/events/{eventId}/checkin', door)) as DoorPackage;

    expect(parseRevocationList(pkg.revocations.text, EVENT).entries).toEqual([{ i: revoked.id, h: '*', below: Number.MAX_SAFE_INTEGER }]);
    expect(pkg.people.map((p) => p.i)).not.toContain(revoked.id);
  });

  it('is refused to a viewer (403) and to an anonymous caller (401)', async () => {
    expect((await call('GET', '/events/{eventId}/checkin', viewer)).statusCode).toBe(403);
    expect((await handler(apiEvent({ method: 'GET', route: '/events/{eventId}/checkin', path: { eventId: EVENT } }), context)).statusCode).toBe(401);
  });
});

describe('POST /events/{eventId}/checkin/scans', () => {
  it('records each scan once: a retried upload changes nothing and says so', async () => {
    const batch = [scanOf(signer.sign(claimsOf(a, ['working-day-1']))), scanOf(signer.sign(claimsOf(b, ['working-day-1'])), { at: '2019-06-07T15:02:00.000Z' })];

    const first = await upload(batch);
    const again = await upload(batch);

    expect(first.statusCode).toBe(200);
    expect(bodyOf(first)).toEqual({ recorded: batch.map((s) => s.id), already: [] });
    expect(bodyOf(again)).toEqual({ recorded: [], already: batch.map((s) => s.id) });
    expect(scans.items.size).toBe(2);
    // Who a scan names comes from the verified credential, with the uploader recorded.
    expect([...scans.items.values()].map((s) => [s.i, s.h, s.uploadedBy])).toEqual([
      [a.id, '', 'door-north@cumbre.example'],
      [b.id, '', 'door-north@cumbre.example'],
    ]);
    const report = await arrivals();
    const day1 = report.sessions.find((s) => s.id === 'working-day-1')!;
    expect(day1.arrivals.map((x) => [x.name, x.door, x.conflict])).toEqual([
      ['Mayor 1', 'Norte', false],
      ['Mayor 2', 'Norte', false],
    ]);
    expect(report.sessions.find((s) => s.id === 'presidential-session')!.noShows.map((p) => p.name)).toEqual(['Mayor 1']);
  });

  it('keeps a badge admitted at two doors offline as one arrival with both scans, shown as a conflict, in the CSV too', async () => {
    const token = signer.sign(claimsOf(a, ['working-day-1']));
    await upload([scanOf(token, { door: 'Sur', device: 'phone-south-1', at: '2019-06-07T15:00:10.000Z' })]);
    await upload([scanOf(token, { door: 'Norte', device: 'phone-north-1', at: '2019-06-07T15:00:40.000Z' })]);

    const day1 = (await arrivals()).sessions.find((s) => s.id === 'working-day-1')!;
    expect(day1.arrivals).toHaveLength(1);
    expect(day1.arrivals[0]).toMatchObject({ door: 'Sur', conflict: true, scans: [{ door: 'Sur' }, { door: 'Norte' }] });
    expect(day1.conflicts).toBe(1);

    const csv = await call('GET', '/events/{eventId}/checkin.csv', organizerClaims);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers?.['content-disposition']).toContain(`${EVENT}-checkin.csv`);
    const rows = (csv.body ?? '').trim().split('\r\n');
    expect(rows[0]).toBe('session,status,name,delegation,category,organization,firstScanAt,door,scans,conflict,doors');
    expect(rows.filter((r) => r.startsWith('working-day-1,arrived'))).toEqual([`working-day-1,arrived,Mayor 1,,mayor-mx,City 1,2019-06-07T15:00:10.000Z,Sur,2,yes,Sur / Norte`]);
    expect(rows.filter((r) => r.startsWith('working-day-1,no-show'))).toEqual(['working-day-1,no-show,Mayor 2,,mayor-mx,City 2,,,0,no,']);
  });

  const truncated = () => {
    const token = signer.sign(claimsOf(a, ['working-day-1']));
    return token.slice(0, token.length - 6);
  };
  it.each([
    ['a forged credential (another key)', () => [scanOf(forger.sign(claimsOf(a, ['working-day-1'])))], 'bad_signature'],
    // Cut at a character boundary of Base45 the bytes no longer split into claims and signature: the signature fails first.
    ['a truncated credential', () => [scanOf(truncated())], 'bad_signature'],
    ['a credential cut mid-character', () => [scanOf(truncated().slice(0, -1))], 'malformed'],
    ['another event’s credential', () => [scanOf(signer.sign(claimsOf(a, ['working-day-1'], { e: 'other-summit' })))], 'other_event'],
    ['a session the event does not have', () => [scanOf(signer.sign(claimsOf(a, ['working-day-1'])), { session: 'after-party' })], 'unknown_session'],
    ['a good scan beside a forged one', () => [scanOf(signer.sign(claimsOf(b, ['working-day-1']))), scanOf(forger.sign(claimsOf(a, ['working-day-1'])))], 'bad_signature'],
  ])('refuses %s with 403 and records nothing', async (_, scansOf, reason) => {
    const res = await upload(scansOf());
    expect(res.statusCode).toBe(403);
    expect(bodyOf(res)).toMatchObject({ error: 'scan_refused', details: [expect.objectContaining({ message: reason })] });
    expect(scans.items.size).toBe(0);
  });

  it.each([
    ['no scans', { scans: [] }],
    ['a scan id that is not a UUID', { scans: [scanOf('x'.repeat(20), { id: 'scan-1' })] }],
    ['an unknown field', { scans: [scanOf('x'.repeat(20), { admitted: true })] }],
    ['a verdict the door does not give', { scans: [scanOf('x'.repeat(20), { verdict: 'maybe' })] }],
    ['a time without a zone', { scans: [scanOf('x'.repeat(20), { at: '2019-06-07 15:00' })] }],
    ['not JSON', '{"scans": ['],
  ])('refuses a tampered body (%s) with 400 and records nothing', async (_, body) => {
    const res = await call('POST', '/events/{eventId}/checkin/scans', door, body);
    expect(res.statusCode).toBe(400);
    expect(scans.items.size).toBe(0);
  });

  it('refuses a viewer’s upload (403) and a door’s CSV (403); writes nothing', async () => {
    expect((await upload([scanOf(signer.sign(claimsOf(a, ['working-day-1'])))], viewer)).statusCode).toBe(403);
    expect((await call('GET', '/events/{eventId}/checkin.csv', door)).statusCode).toBe(403);
    expect(scans.items.size).toBe(0);
  });
});

describe('GET /events/{eventId}/accreditation/clearances', () => {
  it('gives the door each holder’s clearance state and nothing of the document, audited', async () => {
    const audit = new MemoryAuditTrail();
    const records = new MemoryAccreditationRecords(store, audit);
    await store.commitInvitation({
      invitation: { ...a, version: a.version + 1, hasAccreditation: true },
      expectedVersion: a.version,
      sessionChanges: [],
      accreditation: { nationality: 'MX', idDocumentNumber: 'G12345678' },
      events: [],
    });
    records.clearances.set(a.id, { state: 'cleared', note: '', by: 'sec@cumbre.example', at: '2019-06-01T10:00:00Z' });
    const h = exportAccreditation.makeHandler({ store, records, audit });

    const res = await h(apiEvent({ method: 'GET', route: '/events/{eventId}/accreditation/clearances', path: { eventId: EVENT }, claims: door }), context);

    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toEqual({ items: [{ i: a.id, h: '', clearance: 'cleared' }] });
    expect(res.body).not.toContain('G12345678');
    expect((await audit.list(`event:${EVENT}`)).map((e) => e.action)).toEqual(['clearances.read']);
    // The door still cannot read the list itself.
    expect((await h(apiEvent({ method: 'GET', route: '/events/{eventId}/accreditation', path: { eventId: EVENT }, claims: door }), context)).statusCode).toBe(403);
  });
});

describe('GET /checkin and its files', () => {
  it('serves the door page with a camera allowed to itself only, its worker scoped to /checkin and an installable manifest', async () => {
    const { makeHandler } = await import('../../functions/handlers/admin-page.js');
    const page = makeHandler({ script: () => '/* admin */', checkin: { app: () => '/* door */', sw: () => '/* worker */' } });
    const get = (route: string, path: Record<string, string> = {}) => page(apiEvent({ method: 'GET', route, path, query: { lang: 'fr', event: EVENT } }), context);

    const shell = await get('/checkin');
    const worker = await get('/checkin/{asset}', { asset: 'sw.js' });
    const manifest = await get('/checkin/{asset}', { asset: 'manifest.webmanifest' });
    const admin = await get('/admin');

    expect(shell.statusCode).toBe(200);
    expect(shell.body).toContain('<script src="/checkin/app.js"></script>');
    expect(shell.body).toContain('<link rel="manifest" href="/checkin/manifest.webmanifest">');
    expect(shell.body).toContain('Contrôle d’accès');
    expect(shell.headers?.['permissions-policy']).toContain('camera=(self)');
    expect(shell.headers?.['content-security-policy']).toContain("worker-src 'self'");
    expect(shell.headers?.['content-security-policy']).not.toContain('unsafe');
    expect(worker.body).toBe('/* worker */');
    expect(worker.headers?.['service-worker-allowed']).toBe('/checkin');
    expect(JSON.parse(manifest.body ?? '{}')).toMatchObject({ start_url: '/checkin', scope: '/checkin', display: 'standalone' });
    // The dashboard keeps its own policy: no camera, no worker.
    expect(admin.headers?.['permissions-policy']).toContain('camera=()');
    expect(admin.headers?.['content-security-policy']).not.toContain('worker-src');
    expect((await get('/checkin/{asset}', { asset: 'admin-app.js' })).statusCode).toBe(404);
  });
});
