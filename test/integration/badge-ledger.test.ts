import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoBadgeLedger } from '#adapters/dynamo-badge-ledger.js';
import { documentClient } from '#adapters/dynamo-store.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';

const EVENT = 'na-mayors-summit-2019';
const LEASE = 60_000;
const t0 = new Date('2019-05-01T12:00:00Z');
let ledger: DynamoBadgeLedger;

beforeAll(async () => {
  ledger = new DynamoBadgeLedger(documentClient(dynamoClient()), await createTestTable(dynamoClient()));
});

describe('badge ledger on DynamoDB Local', () => {
  it('lets exactly one of many concurrent workers render a fingerprint', async () => {
    const claims = await Promise.all(Array.from({ length: 10 }, () => ledger.claim(EVENT, 'inv_a', 'fp-1', t0, LEASE)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('never renders a ready fingerprint again, and renders a new one', async () => {
    await ledger.markReady(EVENT, 'inv_a', { fingerprint: 'fp-1', key: 'badges/x/inv_a/fp-1.pdf', version: 2 });
    expect(await ledger.get(EVENT, 'inv_a')).toEqual({ fingerprint: 'fp-1', key: 'badges/x/inv_a/fp-1.pdf', version: 2, status: 'READY' });
    expect(await ledger.claim(EVENT, 'inv_a', 'fp-1', new Date(t0.getTime() + 10 * LEASE), LEASE)).toBe(false);
    expect(await ledger.claim(EVENT, 'inv_a', 'fp-2', t0, LEASE)).toBe(true);
  });

  it('marks a render ready only over one from no later revision: a slow worker never puts an older badge back', async () => {
    // Two changes, two reads, two renders at once; the newer one (revision 7) finishes first.
    expect(await ledger.claim(EVENT, 'inv_r', 'fp-old', t0, LEASE)).toBe(true);
    expect(await ledger.claim(EVENT, 'inv_r', 'fp-new', t0, LEASE)).toBe(true);
    expect(await ledger.markReady(EVENT, 'inv_r', { fingerprint: 'fp-new', key: 'k-new', version: 4, revision: 7 })).toBe(true);
    expect(await ledger.markReady(EVENT, 'inv_r', { fingerprint: 'fp-old', key: 'k-old', version: 3, revision: 6 })).toBe(false);
    expect(await ledger.get(EVENT, 'inv_r')).toMatchObject({ fingerprint: 'fp-new', key: 'k-new', version: 4 });
    // The same revision again (a file restored) and any later one are taken.
    expect(await ledger.markReady(EVENT, 'inv_r', { fingerprint: 'fp-new', key: 'k-new', version: 4, revision: 7 })).toBe(true);
    expect(await ledger.claim(EVENT, 'inv_r', 'fp-next', t0, LEASE)).toBe(true);
    expect(await ledger.markReady(EVENT, 'inv_r', { fingerprint: 'fp-next', key: 'k-next', version: 5, revision: 8 })).toBe(true);
    expect(await ledger.get(EVENT, 'inv_r')).toMatchObject({ fingerprint: 'fp-next', version: 5 });
  });

  it('gives an abandoned render to the next worker once its lease ran out', async () => {
    expect(await ledger.claim(EVENT, 'inv_b', 'fp-1', t0, LEASE)).toBe(true);
    expect(await ledger.claim(EVENT, 'inv_b', 'fp-1', new Date(t0.getTime() + LEASE - 1), LEASE)).toBe(false);
    expect(await ledger.claim(EVENT, 'inv_b', 'fp-1', new Date(t0.getTime() + LEASE + 1), LEASE)).toBe(true);
    expect(await ledger.get(EVENT, 'inv_b')).toBeUndefined();
  });

  it('renders a ready badge whose file was lost once more: one worker at a time, and only while it is still current', async () => {
    // Prepare: fp-1 ready.
    expect(await ledger.claim(EVENT, 'inv_c', 'fp-1', t0, LEASE)).toBe(true);
    await ledger.markReady(EVENT, 'inv_c', { fingerprint: 'fp-1', key: 'badges/x/inv_c/fp-1.pdf', version: 1 });
    // Act: many workers hear that its file is gone.
    const later = new Date(t0.getTime() + 1000);
    const claims = await Promise.all(Array.from({ length: 10 }, () => ledger.claimLost(EVENT, 'inv_c', 'fp-1', later, LEASE)));
    // Assess: one renders; no other while its lease holds; the link keeps the ready record meanwhile.
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await ledger.claimLost(EVENT, 'inv_c', 'fp-1', new Date(later.getTime() + LEASE - 1), LEASE)).toBe(false);
    expect((await ledger.get(EVENT, 'inv_c'))?.fingerprint).toBe('fp-1');
    // A renderer that died: the next one takes it after the lease.
    expect(await ledger.claimLost(EVENT, 'inv_c', 'fp-1', new Date(later.getTime() + LEASE + 1), LEASE)).toBe(true);
    await ledger.markReady(EVENT, 'inv_c', { fingerprint: 'fp-1', key: 'badges/x/inv_c/fp-1.pdf', version: 1 });
    // Not for a fingerprint that is no longer current, nor for a badge never made.
    expect(await ledger.claimLost(EVENT, 'inv_c', 'fp-0', later, LEASE)).toBe(false);
    expect(await ledger.claimLost(EVENT, 'inv_none', 'fp-1', later, LEASE)).toBe(false);
  });
});
