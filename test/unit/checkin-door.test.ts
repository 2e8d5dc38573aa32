import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCredentialSigner, seedFromSecret, verifyCredential, type CredentialClaims } from '#domain/badge/index.js';
import { decide, firstScansOf, holderKey, mergeArrivals, type DoorPerson, type DoorState, type HolderScan } from '#domain/checkin/door.js';
import {
  REVOKED_OUTRIGHT,
  buildRevocationList,
  isRevoked,
  parseRevocationList,
  revocationListText,
  revocationSignedBytes,
  type RevocableInvitation,
} from '#domain/checkin/revocations.js';

const EVENT = 'na-mayors-summit-2019';
const signer = createCredentialSigner(seedFromSecret('door-tests'));
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const nodeVerify = (signature: Uint8Array, message: Uint8Array, raw = signer.publicKeyRaw) =>
  verify(null, message, createPublicKey({ key: Buffer.concat([SPKI, raw]), format: 'der', type: 'spki' }), signature);

describe('the signed revocation list', () => {
  const invitations: RevocableInvitation[] = [
    { id: 'inv_b', status: 'confirmed', revocations: [{ holder: 'c1', below: REVOKED_OUTRIGHT }] },
    { id: 'inv_a', status: 'revoked' },
    {
      id: 'inv_c',
      status: 'confirmed',
      revocations: [
        { holder: '', below: 4 },
        { holder: '', below: 2 },
      ],
    },
    { id: 'inv_d', status: 'confirmed' },
  ];
  const badges = [
    { invitationId: 'inv_c', holder: '', version: 7 },
    { invitationId: 'inv_d', holder: '', version: 3 },
  ];
  const list = buildRevocationList(EVENT, invitations, badges, new Date('2019-06-06T15:00:00Z'));

  it('comes from the invitations’ entries, revoked invitations and superseded badges, the strongest entry per holder', () => {
    expect(list.entries).toEqual([
      { i: 'inv_a', h: '*', below: REVOKED_OUTRIGHT },
      { i: 'inv_b', h: 'c1', below: REVOKED_OUTRIGHT },
      // 7 (the current badge) beats the contract's 4 and 2.
      { i: 'inv_c', h: '', below: 7 },
      { i: 'inv_d', h: '', below: 3 },
    ]);
  });

  it('voids exactly the credentials below each entry, for that holder (or every holder for *)', () => {
    expect(isRevoked(list.entries, { i: 'inv_c', h: '', n: 6 })).toBe(true);
    expect(isRevoked(list.entries, { i: 'inv_c', h: '', n: 7 })).toBe(false);
    expect(isRevoked(list.entries, { i: 'inv_c', h: 'c1', n: 1 })).toBe(false);
    expect(isRevoked(list.entries, { i: 'inv_b', h: 'c1', n: 99 })).toBe(true);
    expect(isRevoked(list.entries, { i: 'inv_b', h: '', n: 99 })).toBe(false);
    expect(isRevoked(list.entries, { i: 'inv_a', h: 'c3', n: 1_000 })).toBe(true);
    expect(isRevoked(list.entries, { i: 'inv_z', h: '', n: 0 })).toBe(false);
  });

  it('is signed with the badge key over its exact text; a changed entry, another key or a badge signature do not verify', () => {
    const text = revocationListText(list);
    const signature = signer.signDetached(revocationSignedBytes(text));
    const tampered = text.replace('"below":7', '"below":1');
    const other = createCredentialSigner(seedFromSecret('someone else'));

    expect(nodeVerify(signature, revocationSignedBytes(text))).toBe(true);
    expect(tampered).not.toBe(text);
    expect(nodeVerify(signature, revocationSignedBytes(tampered))).toBe(false);
    expect(nodeVerify(other.signDetached(revocationSignedBytes(text)), revocationSignedBytes(text))).toBe(false);
    // The same key signs badges, but under another prefix: a list's signature is no badge's and the other way round.
    expect(nodeVerify(signature, new TextEncoder().encode(text))).toBe(false);
    expect(parseRevocationList(text, EVENT)).toEqual(list);
    expect(() => parseRevocationList(text, 'another-event')).toThrow();
  });

  it('gives one text for one state, whatever order the sources come in', () => {
    const again = buildRevocationList(EVENT, [...invitations].reverse(), [...badges].reverse(), new Date('2019-06-06T15:00:00Z'));
    expect(revocationListText(again)).toBe(revocationListText(list));
  });
});

const person = (i: string, h: string, sessions: string[], accredited = true, extra: Partial<DoorPerson> = {}): DoorPerson => ({
  i,
  h,
  name: `${i}/${h}`,
  category: 'mayor-mx',
  sessions,
  accredited,
  ...extra,
});
const claims = (i: string, h: string, s: string[], n = 1, e = EVENT): CredentialClaims => ({ v: 2, e, i, h, s, n, iat: 1_559_800_000 });
const state = (overrides: Partial<DoorState> = {}): DoorState => ({
  eventId: EVENT,
  sessions: [
    { id: 'working-day-1', requiresAccreditation: false },
    { id: 'presidential-session', requiresAccreditation: true },
  ],
  people: new Map(
    [
      person('inv_1', '', ['working-day-1', 'presidential-session']),
      person('inv_1', 'c1', ['working-day-1', 'presidential-session'], false, { delegation: 'inv_1/' }),
      person('inv_2', '', []),
      person('inv_3', '', ['presidential-session']),
    ].map((p) => [holderKey(p.i, p.h), p]),
  ),
  revocations: [{ i: 'inv_1', h: '', below: 2 }],
  clearances: new Map([
    [holderKey('inv_1', ''), 'cleared'],
    [holderKey('inv_3', ''), 'refused'],
  ]),
  firstScans: new Map(),
  ...overrides,
});

describe('the door’s decision', () => {
  it('admits a valid, current badge for a session it prints, naming the person', () => {
    const v = decide(claims('inv_1', '', ['working-day-1'], 2), 'working-day-1', state());
    expect(v).toMatchObject({ kind: 'admit', person: { name: 'inv_1/' } });
  });

  it.each([
    ['another event’s badge', claims('inv_1', '', ['working-day-1'], 2, 'other-summit'), 'working-day-1', 'other_event'],
    ['a superseded badge (revocation list)', claims('inv_1', '', ['working-day-1'], 1), 'working-day-1', 'revoked'],
    ['a session the badge does not print', claims('inv_1', '', ['welcome-cocktail'], 2), 'working-day-1', 'not_for_session'],
    ['a badge printed before its holder declined', claims('inv_2', '', ['working-day-1']), 'working-day-1', 'not_confirmed'],
    ['an accredited session without accreditation (a companion)', claims('inv_1', 'c1', ['presidential-session']), 'presidential-session', 'no_accreditation'],
    ['an accredited session security refused', claims('inv_3', '', ['presidential-session']), 'presidential-session', 'clearance_refused'],
    ['an accredited session with someone this device does not know', claims('inv_9', '', ['presidential-session']), 'presidential-session', 'not_on_list'],
    ['a door with no session chosen', claims('inv_1', '', ['working-day-1'], 2), '', 'unknown_session'],
  ])('refuses %s, with the reason', (_, c, session, reason) => {
    expect(decide(c, session, state())).toMatchObject({ kind: 'refuse', reason });
  });

  it('keeps the guarded door shut while clearance is pending or unknown on this device', () => {
    const pending = state({ clearances: new Map() });
    const unknown = state({ clearances: undefined });
    expect(decide(claims('inv_1', '', ['presidential-session'], 2), 'presidential-session', pending)).toMatchObject({ kind: 'refuse', reason: 'not_cleared' });
    expect(decide(claims('inv_1', '', ['presidential-session'], 2), 'presidential-session', unknown)).toMatchObject({ kind: 'refuse', reason: 'not_cleared' });
    expect(decide(claims('inv_1', '', ['presidential-session'], 2), 'presidential-session', state())).toMatchObject({ kind: 'admit' });
  });

  it('admits a valid badge of someone not yet on the device’s list at an ordinary door, without a name', () => {
    expect(decide(claims('inv_9', '', ['working-day-1']), 'working-day-1', state())).toEqual({ kind: 'admit', person: undefined, claims: claims('inv_9', '', ['working-day-1']) });
  });

  it('shows the first scan of a holder already in this session, and only for this session', () => {
    const first = new Map([['working-day-1|inv_1/', { at: '2019-06-07T15:01:00.000Z', door: 'Norte' }]]);
    expect(decide(claims('inv_1', '', ['working-day-1', 'presidential-session'], 2), 'working-day-1', state({ firstScans: first }))).toMatchObject({
      kind: 'duplicate',
      first: { at: '2019-06-07T15:01:00.000Z', door: 'Norte' },
    });
    expect(decide(claims('inv_1', '', ['working-day-1', 'presidential-session'], 2), 'presidential-session', state({ firstScans: first }))).toMatchObject({ kind: 'admit' });
  });
});

const scan = (id: string, at: string, door: string, device: string, verdict: HolderScan['verdict'] = 'admit', who: Partial<HolderScan> = {}): HolderScan => ({
  id,
  session: 'working-day-1',
  i: 'inv_1',
  h: '',
  door,
  device,
  at,
  verdict,
  ...who,
});

describe('merging offline queues into arrivals', () => {
  const north = scan('00000000-0000-4000-8000-000000000001', '2019-06-07T15:01:00.000Z', 'Norte', 'phone-north');
  const south = scan('00000000-0000-4000-8000-000000000002', '2019-06-07T15:00:30.000Z', 'Sur', 'phone-south');

  it('records a badge admitted at two doors offline once, earliest first, both scans kept, flagged as a conflict', () => {
    const arrivals = mergeArrivals([north, south]);
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]).toMatchObject({ session: 'working-day-1', i: 'inv_1', h: '', first: { door: 'Sur' }, conflict: true });
    expect(arrivals[0].scans.map((s) => s.door)).toEqual(['Sur', 'Norte']);
  });

  it('is the same whatever the order and however often a queue is uploaded again', () => {
    const once = mergeArrivals([north, south]);
    expect(mergeArrivals([south, north, north, south, north])).toEqual(once);
  });

  it('does not call a re-scan shown as a duplicate a conflict, nor count refusals as arrivals', () => {
    const again = scan('00000000-0000-4000-8000-000000000003', '2019-06-07T15:05:00.000Z', 'Sur', 'phone-south', 'duplicate');
    const otherDoorDuplicate = scan('00000000-0000-4000-8000-000000000004', '2019-06-07T15:06:00.000Z', 'Norte', 'phone-north', 'duplicate');
    const refused = scan('00000000-0000-4000-8000-000000000005', '2019-06-07T14:00:00.000Z', 'Norte', 'phone-north', 'refuse', { i: 'inv_2' });
    const arrivals = mergeArrivals([south, again, otherDoorDuplicate, refused]);
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]).toMatchObject({ conflict: false, first: { id: south.id } });
    expect(arrivals[0].scans).toHaveLength(3);
  });

  it('keeps sessions and holders apart, and gives a device the first scan of each for duplicates', () => {
    const companion = scan('00000000-0000-4000-8000-000000000006', '2019-06-07T15:02:00.000Z', 'Sur', 'phone-south', 'admit', { h: 'c1' });
    const later = scan('00000000-0000-4000-8000-000000000007', '2019-06-07T19:00:00.000Z', 'Sur', 'phone-south', 'admit', { session: 'presidential-session' });
    const arrivals = mergeArrivals([north, companion, later]);
    expect(arrivals.map((a) => `${a.session}|${a.i}/${a.h}`)).toEqual(['working-day-1|inv_1/', 'working-day-1|inv_1/c1', 'presidential-session|inv_1/']);
    expect(firstScansOf(arrivals).get('working-day-1|inv_1/c1')).toEqual({ at: companion.at, door: 'Sur' });
  });
});

describe('a badge credential at the door', () => {
  it('names its holder, so a companion’s badge is decided as the companion', () => {
    const token = signer.sign(claims('inv_1', 'c1', ['working-day-1']));
    const c = verifyCredential(token, signer.publicKeyRaw);
    expect(decide(c, 'working-day-1', state())).toMatchObject({ kind: 'admit', person: { h: 'c1', delegation: 'inv_1/' } });
  });
});
