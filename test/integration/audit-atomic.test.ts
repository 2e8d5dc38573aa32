import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventScope, type AuditEntry } from '#domain/access/audit.js';
import { InvitationService, type AuditFor } from '#domain/invitations.js';
import { resendInvitation } from '#domain/invitations/resend.js';
import { InvitationAdminService } from '#domain/invitation-admin.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { PersonChangeInProgressError, type PendingPersonChange } from '#domain/access/people.js';
import { keys } from '#adapters/dynamo-keys.js';
import { DynamoPeopleChanges } from '#adapters/dynamo-people-changes.js';
import { DynamoAuditTrail } from '#adapters/dynamo-audit-trail.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';

/**
 * Issue 11: an organizer's import or resend and its audit record are one DynamoDB transaction
 * across the main table and the Audit table, so a fault leaves both or neither. The fault here is
 * one DynamoDB itself raises for the audit item alone (an item over 400 KB), in one transaction of
 * an import that spans several.
 */
const EVENT = 'na-mayors-summit-2019';
const doc = documentClient(dynamoClient());
const clock = fixedClock(BEFORE_DEADLINE);
const ids = { newId: () => randomUUID() };
let store: DynamoCumbreStore;
let trail: DynamoAuditTrail;
let table: string;
let auditTable: string;

/** Audit records as an organizer's request builds them; `poison` makes the record of one row's transaction too large to write. */
const auditAs =
  (email: string, poison?: string): AuditFor =>
  (draft) => {
    const rows = (draft.detail?.rows as Array<{ email: string }> | undefined) ?? [];
    const entry: AuditEntry = {
      id: randomUUID(),
      at: new Date().toISOString(),
      scope: eventScope(EVENT),
      actor: { sub: `sub-${email}`, email },
      route: 'POST /events/{eventId}/invitations',
      ...draft,
    };
    return poison && rows.some((r) => r.email === poison) ? { ...entry, detail: { ...entry.detail, padding: 'x'.repeat(410 * 1024) } } : entry;
  };

const service = () => new InvitationService({ store, clock, ids, tokenSecret: 'audit', publicBaseUrl: 'https://x.example' });
const rowsOf = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ row: i + 1, data: invitee(1000 + from + i, { sessions: ['working-day-1'] }) }));
const stored = async () => (await store.listInvitations(EVENT)).filter((i) => i.email.startsWith('mayor1'));
const auditedRows = async () =>
  (await trail.list(eventScope(EVENT))).flatMap((e) => ((e.detail?.rows as Array<{ id: string; status: string }> | undefined) ?? []).map((r) => ({ ...r, record: e })));
const outboxOf = async (invitationId: string) =>
  (await doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.outbox(invitationId, '', '').pk } }))).Items ??
  [];

beforeAll(async () => {
  const client = dynamoClient();
  table = await createTestTable(client);
  auditTable = `cumbre-audit-${randomUUID().slice(0, 8)}`;
  await client.send(
    new CreateTableCommand({
      TableName: auditTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  store = new DynamoCumbreStore(doc, table, undefined, auditTable);
  trail = new DynamoAuditTrail(doc, auditTable);
  await store.putEventDefinition(summit());
});

describe('an import and its audit, both or neither', () => {
  it('fails the one transaction whose audit record cannot be written, and no other row is left unrecorded', async () => {
    // Prepare: 60 rows (three transactions of up to 25); the record of row 40's transaction cannot be written.
    const rows = rowsOf(60);
    const poisoned = (rows[39].data as { email: string }).email;

    // Act
    await expect(service().import(EVENT, rows, { audit: auditAs('ana@cumbre.example', poisoned) })).rejects.toThrow();

    // Assess: every stored invitation has exactly one record naming it, every recorded row is stored,
    // and the poisoned row's transaction left neither.
    const invitations = await stored();
    const audited = await auditedRows();
    expect(audited.map((r) => r.id).sort()).toEqual(invitations.map((i) => i.id).sort());
    expect(new Set(audited.map((r) => r.id)).size).toBe(audited.length);
    expect(invitations.some((i) => i.email === poisoned)).toBe(false);
    expect(invitations.length).toBeLessThan(60);
    for (const r of audited) expect(r.record.actor.email).toBe('ana@cumbre.example');

    // The same file again, without the fault, converges: the rest created, each with its record once.
    await service().import(EVENT, rows, { audit: auditAs('ana@cumbre.example') });
    const after = await stored();
    expect(after).toHaveLength(60);
    const recorded = await auditedRows();
    expect(recorded.map((r) => r.id).sort()).toEqual(after.map((i) => i.id).sort());
  });

  it('records an update with the before and after of each changed field, in the update’s transaction', async () => {
    const [row] = rowsOf(1, 100);
    const [created] = await service().import(EVENT, [row], { audit: auditAs('ana@cumbre.example') });
    const renamed = { ...row, data: { ...(row.data as object), name: 'Mayor Renamed' } };

    await expect(service().import(EVENT, [renamed], { audit: auditAs('bo@cumbre.example', (row.data as { email: string }).email) })).rejects.toThrow();
    expect((await store.getInvitation(EVENT, created.id))!.name).toBe((row.data as { name: string }).name);

    await service().import(EVENT, [renamed], { audit: auditAs('bo@cumbre.example') });
    const records = (await trail.list(eventScope(EVENT))).filter((e) => e.target === created.id);
    expect(records.map((e) => [e.actor.email, e.before, e.after])).toEqual([
      ['bo@cumbre.example', { name: (row.data as { name: string }).name }, { name: 'Mayor Renamed' }],
      ['ana@cumbre.example', undefined, undefined],
    ]);
  });
});

describe('a resend and its audit, both or neither', () => {
  it('sends nothing and records nothing when its record cannot be written; both when it can', async () => {
    const [row] = rowsOf(1, 200);
    const [created] = await service().import(EVENT, [row]);
    const before = (await store.getInvitation(EVENT, created.id))!;
    const outboxBefore = (await outboxOf(created.id)).length;
    const resendAudit =
      (poison: boolean): AuditFor =>
      (draft) =>
        auditAs('cy@cumbre.example', poison ? 'x' : undefined)({ ...draft, detail: { rows: [{ email: 'x' }] } });

    await expect(resendInvitation({ store, clock, ids }, EVENT, created.id, resendAudit(true))).rejects.toThrow();
    expect((await store.getInvitation(EVENT, created.id))!.version).toBe(before.version);
    expect(await outboxOf(created.id)).toHaveLength(outboxBefore);
    expect((await trail.list(eventScope(EVENT))).filter((e) => e.target === created.id)).toEqual([]);

    await resendInvitation({ store, clock, ids }, EVENT, created.id, resendAudit(false));
    expect((await store.getInvitation(EVENT, created.id))!.version).toBe(before.version + 1);
    expect(await outboxOf(created.id)).toHaveLength(outboxBefore + 1);
    expect((await trail.list(eventScope(EVENT))).filter((e) => e.target === created.id).map((e) => [e.action, e.actor.email, e.subject])).toEqual([
      ['invitation.resent', 'cy@cumbre.example', row.data.name],
    ]);
  });
});

describe('resends at once (a double click, two organizers)', () => {
  it('send one email and record one resend; every other is refused, as too soon or as a concurrent change', async () => {
    const [row] = rowsOf(1, 500);
    const [created] = await service().import(EVENT, [row]);
    const outboxBefore = (await outboxOf(created.id)).length;
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => resendInvitation({ store, clock, ids }, EVENT, created.id, auditAs(`org${i}@cumbre.example`))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as Error).name).toMatch(/^(ResendTooSoonError|ConcurrentUpdateError)$/);
    expect(await outboxOf(created.id)).toHaveLength(outboxBefore + 1);
    expect((await trail.list(eventScope(EVENT))).filter((e) => e.target === created.id && e.action === 'invitation.resent')).toHaveLength(1);
    await expect(resendInvitation({ store, clock, ids }, EVENT, created.id)).rejects.toMatchObject({ code: 'resend_too_soon', retryAfterSeconds: 60 });
  });
});

describe('an organizer’s edit or revocation and its audit, both or neither', () => {
  it('leaves the invitation as it was when the record cannot be written; writes both, with before and after, when it can', async () => {
    const [row] = rowsOf(1, 300);
    const [created] = await service().import(EVENT, [row]);
    const before = (await store.getInvitation(EVENT, created.id))!;
    const admin = new InvitationAdminService({ store, clock, ids, tokenSecret: 'audit', publicBaseUrl: 'https://x.example' });
    const poisoned: AuditFor = (draft) => auditAs('dee@cumbre.example', 'x')({ ...draft, detail: { ...draft.detail, rows: [{ email: 'x' }] } });
    const recordsOf = async () => (await trail.list(eventScope(EVENT))).filter((e) => e.target === created.id);

    await expect(admin.edit(EVENT, created.id, { version: before.version, name: 'Mayor Edited' }, poisoned)).rejects.toThrow();
    expect(await store.getInvitation(EVENT, created.id)).toEqual(before);
    expect(await recordsOf()).toEqual([]);

    await admin.edit(EVENT, created.id, { version: before.version, name: 'Mayor Edited' }, auditAs('dee@cumbre.example'));
    expect((await store.getInvitation(EVENT, created.id))!.name).toBe('Mayor Edited');
    expect((await recordsOf()).map((e) => [e.action, e.actor.email, e.before, e.after])).toEqual([
      ['invitation.edited', 'dee@cumbre.example', { name: before.name }, { name: 'Mayor Edited' }],
    ]);

    const edited = (await store.getInvitation(EVENT, created.id))!;
    await expect(admin.revoke(EVENT, created.id, { version: edited.version, reason: 'Sent twice' }, { sub: 's', email: 'dee@cumbre.example' }, poisoned)).rejects.toThrow();
    expect((await store.getInvitation(EVENT, created.id))!.revoked).toBeUndefined();
    await admin.revoke(EVENT, created.id, { version: edited.version, reason: 'Sent twice' }, { sub: 's', email: 'dee@cumbre.example' }, auditAs('dee@cumbre.example'));
    expect((await recordsOf()).map((e) => [e.action, e.after?.status, e.detail?.reason])).toEqual([
      ['invitation.revoked', 'revoked', 'Sent twice'],
      ['invitation.edited', undefined, undefined],
    ]);
  });
});

describe('an answer entered on an invitee’s behalf and its audit, both or neither', () => {
  it('records nothing and answers nothing when the record cannot be written; both when it can', async () => {
    const [row] = rowsOf(1, 400);
    const [created] = await service().import(EVENT, [row]);
    const before = (await store.getInvitation(EVENT, created.id))!;
    const rsvp = new RsvpService({ store, clock, ids });
    const organizer = { sub: 's', email: 'eve@cumbre.example' };
    const request = parseRsvpRequest({ responses: [{ sessionId: 'working-day-1', attending: true }] });
    const poisoned: AuditFor = (draft) => auditAs('eve@cumbre.example', 'x')({ ...draft, detail: { ...draft.detail, rows: [{ email: 'x' }] } });
    const recordsOf = async () => (await trail.list(eventScope(EVENT))).filter((e) => e.target === created.id);

    await expect(rsvp.respondFor(EVENT, created.id, request, organizer, poisoned)).rejects.toThrow();
    expect(await store.getInvitation(EVENT, created.id)).toEqual(before);
    expect(await recordsOf()).toEqual([]);

    await rsvp.respondFor(EVENT, created.id, request, organizer, auditAs('eve@cumbre.example'));
    expect((await store.getInvitation(EVENT, created.id))!.responses['working-day-1']?.status).toBe('confirmed');
    expect((await recordsOf()).map((e) => [e.action, e.actor.email, e.detail?.responses])).toEqual([
      ['invitation.answered', 'eve@cumbre.example', [{ sessionId: 'working-day-1', attending: true }]],
    ]);
  });
});

describe('a change to people and its audit, both or neither (the pending change is the outbox)', () => {
  const change = (username: string, id = randomUUID()): PendingPersonChange => ({
    key: `user:${username}`,
    id,
    at: new Date().toISOString(),
    kind: 'roles',
    email: `${username}@venue.example`,
    username,
    add: [`event:${EVENT}:viewer`],
    remove: [],
  });
  const entry = (id: string, target: string): AuditEntry => ({
    id,
    at: '2026-01-01T00:00:00.000Z',
    scope: 'people',
    actor: { sub: 's', email: 'boss@cumbre.example' },
    action: 'person.roles.changed',
    route: 'PUT /people/{username}',
    target,
  });

  it('writes the pending change and its records together, refuses a second change to the person, and clears only its own', async () => {
    const log = new DynamoPeopleChanges(doc, table, auditTable);
    const first = change('ana');
    await log.begin(first, [entry(first.id, 'ana'), { ...entry(first.id, 'ana'), scope: eventScope(EVENT) }]);
    expect(await log.get('user:ana')).toEqual(first);
    expect((await trail.list('people')).filter((e) => e.target === 'ana')).toHaveLength(1);

    await expect(log.begin(change('ana'), [entry(randomUUID(), 'ana')])).rejects.toBeInstanceOf(PersonChangeInProgressError);
    await log.finish({ ...first, id: 'someone-else' });
    expect(await log.get('user:ana')).toEqual(first);
    await log.finish(first);
    expect(await log.list()).toEqual([]);
  });

  it('writes neither when a record cannot be written', async () => {
    const log = new DynamoPeopleChanges(doc, table, auditTable);
    const taken = randomUUID();
    await trail.record(entry(taken, 'taken'));
    await expect(log.begin(change('bo'), [entry(randomUUID(), 'bo'), entry(taken, 'taken')])).rejects.toThrow();
    expect(await log.get('user:bo')).toBeUndefined();
    expect((await trail.list('people')).filter((e) => e.target === 'bo')).toEqual([]);
  });
});
