import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccreditationRecords } from '#adapters/dynamo-accreditation.js';
import { DynamoBadgeLedger } from '#adapters/dynamo-badge-ledger.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { ClearanceChangedError, accreditationRows } from '#domain/accreditation.js';
import { InvitationService } from '#domain/invitations.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';

/**
 * Delegations on DynamoDB Local: companions' badge records beside the invitee's (and a removed
 * companion's taken down for good), and their accreditation records with clearance per holder.
 */
const EVENT = 'na-mayors-summit-2019';
const LEASE = 60_000;
const t0 = new Date('2019-05-01T12:00:00Z');
const client = dynamoClient();
const doc = documentClient(client);
let table: string;
let accreditationTable: string;
let auditTable: string;

beforeAll(async () => {
  [table, accreditationTable, auditTable] = await Promise.all([createTestTable(client), createTestTable(client), createTestTable(client)]);
});

describe('companions’ badges in the ledger', () => {
  it('keeps one record per holder, and a removed companion’s is neither served nor rendered again', async () => {
    const ledger = new DynamoBadgeLedger(doc, table);
    expect(await ledger.claim(EVENT, 'inv_d', 'fp-own', t0, LEASE)).toBe(true);
    expect(await ledger.claim(EVENT, 'inv_d', 'fp-own', t0, LEASE, 'c1')).toBe(true);
    expect(await ledger.markReady(EVENT, 'inv_d', { fingerprint: 'fp-own', key: 'badges/e/inv_d/fp-own/a.pdf', version: 3 })).toBe(true);
    expect(await ledger.markReady(EVENT, 'inv_d', { fingerprint: 'fp-own', key: 'badges/e/inv_d/c1/fp-own/b.pdf', version: 3, filename: 'Ana Ruiz.pdf' }, 'c1')).toBe(true);
    expect(await ledger.get(EVENT, 'inv_d', 'c1')).toEqual({ fingerprint: 'fp-own', key: 'badges/e/inv_d/c1/fp-own/b.pdf', version: 3, status: 'READY', filename: 'Ana Ruiz.pdf' });

    await ledger.remove(EVENT, 'inv_d', 'c1', t0);
    await ledger.remove(EVENT, 'inv_d', 'c1', new Date(t0.getTime() + 1000)); // a redelivered message changes nothing

    expect(await ledger.get(EVENT, 'inv_d', 'c1')).toBeUndefined();
    expect(await ledger.get(EVENT, 'inv_d')).toMatchObject({ key: 'badges/e/inv_d/fp-own/a.pdf', status: 'READY' });
    // A worker that read the invitation before the removal: its claim and its ready mark both fail.
    expect(await ledger.claim(EVENT, 'inv_d', 'fp-late', new Date(t0.getTime() + 10 * LEASE), LEASE, 'c1')).toBe(false);
    expect(await ledger.markReady(EVENT, 'inv_d', { fingerprint: 'fp-late', key: 'late.pdf', version: 4 }, 'c1')).toBe(false);
    expect(await ledger.get(EVENT, 'inv_d', 'c1')).toBeUndefined();
    const item = (await doc.send(new GetCommand({ TableName: table, Key: { pk: `EVENT#${EVENT}`, sk: 'BADGE#inv_d#c1' } }))).Item;
    expect(item).toMatchObject({ renderState: 'REMOVED', removedAt: t0.toISOString(), holder: 'c1', invitationId: 'inv_d', badgeVersion: 3 });
  });

  it('refuses to remove the invitee’s own badge through the companion path', async () => {
    await expect(new DynamoBadgeLedger(doc, table).remove(EVENT, 'inv_d', '', t0)).rejects.toThrow(/companion/);
  });
});

describe('companions’ accreditation and clearance', () => {
  it('lists a row per person with their own record and clearance, conditioned per holder', async () => {
    const clock = fixedClock(BEFORE_DEADLINE);
    const store = new DynamoCumbreStore(doc, table, accreditationTable);
    const def = { ...summit(), id: `delegations-${Date.now().toString(36)}` };
    await store.putEventDefinition(def);
    const [row] = await new InvitationService({ store, clock, ids: sequentialIds('d'), tokenSecret: 's', publicBaseUrl: 'https://x.example' }).import(def.id, [
      { row: 1, data: invitee(1, { guests: 2, name: 'Mayor Uno' }) },
    ]);
    const rsvp = new RsvpService({ store, clock, ids: sequentialIds('r'), backoff: async () => {} });
    await rsvp.respond(
      row.rsvpUrl!.split('/rsvp/')[1],
      parseRsvpRequest({
        responses: [{ sessionId: 'presidential-session', attending: true }],
        accreditation: { nationality: 'US', idDocumentNumber: 'P1234567' },
        companions: [
          { name: 'Ana Ruiz', role: 'security-detail', language: 'es', accreditation: { nationality: 'MX', idDocumentNumber: 'G7654321' } },
          { name: 'Bo Chen', role: 'press-officer', language: 'en', accreditation: { nationality: 'CA', idDocumentNumber: 'AB123456' } },
        ],
      }),
    );
    const records = new DynamoAccreditationRecords(doc, accreditationTable, auditTable);
    const audit = (id: string) => ({
      id,
      at: t0.toISOString(),
      scope: `event:${def.id}`,
      actor: { sub: 's', email: 'sec@x.example' },
      action: 'clearance.changed' as const,
      route: 'PUT',
      target: row.id,
    });
    const cleared = { state: 'cleared' as const, note: '', by: 'sec@x.example', at: t0.toISOString() };

    await records.setClearance(def.id, row.id, undefined, cleared, audit('a1'), 'c2');
    await expect(records.setClearance(def.id, row.id, undefined, { ...cleared, state: 'refused', note: 'x' }, audit('a2'), 'c2')).rejects.toBeInstanceOf(ClearanceChangedError);
    await expect(records.setClearance(def.id, row.id, undefined, cleared, audit('a3'), 'c9')).rejects.toBeInstanceOf(ClearanceChangedError);

    expect(await records.get(def.id, row.id, 'c1')).toEqual({ invitationId: row.id, holder: 'c1', accreditation: { nationality: 'MX', idDocumentNumber: 'G7654321' } });
    const rows = await accreditationRows(store, records, def.id);
    expect(rows.map((r) => [r.holder, r.name, r.role, r.delegationOf, r.nationality, r.clearance])).toEqual([
      ['', 'Mayor Uno', '', '', 'US', 'pending'],
      ['c1', 'Ana Ruiz', 'security-detail', 'Mayor Uno', 'MX', 'pending'],
      ['c2', 'Bo Chen', 'press-officer', 'Mayor Uno', 'CA', 'cleared'],
    ]);
  });
});
