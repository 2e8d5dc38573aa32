import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { InvitationService } from '#domain/invitations.js';
import type { SessionCounters } from '#domain/model.js';
import { DynamoEmailLedger } from '#adapters/dynamo-email-ledger.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { logger } from '#shared/observability.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';

/** Issue 9: failures that used to pass in silence now have a typed outcome (and a log line). */
const EVENT = 'na-mayors-summit-2019';
const doc = documentClient(dynamoClient());
const clock = fixedClock(BEFORE_DEADLINE);
let table: string;
let store: DynamoCumbreStore;
let ledger: DynamoEmailLedger;
let invitationId: string;

beforeAll(async () => {
  table = await createTestTable(dynamoClient());
  store = new DynamoCumbreStore(doc, table);
  ledger = new DynamoEmailLedger(doc, table);
  await store.putEventDefinition(summit());
  const [row] = await new InvitationService({ store, clock, ids: { newId: () => randomUUID() }, tokenSecret: 'h', publicBaseUrl: 'http://x' }).import(EVENT, [
    { row: 1, data: invitee(1) },
  ]);
  invitationId = row.id;
});

describe('recordDelivery', () => {
  it('records on an existing invitation, bumping its version', async () => {
    const before = (await store.getInvitation(EVENT, invitationId))!.version;
    expect(await ledger.recordDelivery(EVENT, invitationId, { state: 'bounced', detail: 'mailbox full', at: clock.now().toISOString() })).toBe('recorded');
    expect(await store.getInvitation(EVENT, invitationId)).toMatchObject({ delivery: { state: 'bounced' }, version: before + 1 });
  });

  it('says so, and logs it, when there is no invitation to record on (it used to drop the failed condition silently)', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const outcome = await ledger.recordDelivery(EVENT, 'inv_does_not_exist', { state: 'complaint', at: clock.now().toISOString() });
    expect(outcome).toBe('invitation_missing');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('no such invitation'), expect.objectContaining({ invitationId: 'inv_does_not_exist', state: 'complaint' }));
    expect(await store.getInvitation(EVENT, 'inv_does_not_exist')).toBeUndefined();
    expect(await ledger.recordDelivery(EVENT, 'inv_does_not_exist', { state: 'sent', at: clock.now().toISOString(), of: clock.now().toISOString() })).toBe('invitation_missing');
    warn.mockRestore();
  });

  it('keeps the state of the newest email, whatever order the workers and SES report in', async () => {
    const [row] = await new InvitationService({ store, clock, ids: { newId: () => randomUUID() }, tokenSecret: 'h', publicBaseUrl: 'http://x' }).import(EVENT, [
      { row: 1, data: invitee(2) },
    ]);
    const delivery = async () => (await store.getInvitation(EVENT, row.id))!.delivery;
    const imported = '2026-05-01T10:00:00.000Z';
    const answered = '2026-05-01T10:00:00.800Z';
    // The confirmation's worker finishes first; the invitation email's, started earlier, after it.
    expect(await ledger.recordDelivery(EVENT, row.id, { state: 'sent', detail: 'confirmation', at: '2026-05-01T10:00:02.000Z', of: answered })).toBe('recorded');
    const version = (await store.getInvitation(EVENT, row.id))!.version;
    expect(await ledger.recordDelivery(EVENT, row.id, { state: 'sent', detail: 'invitation', at: '2026-05-01T10:00:03.000Z', of: imported })).toBe('superseded');
    expect(await delivery()).toEqual({ state: 'sent', detail: 'confirmation', at: '2026-05-01T10:00:02.000Z', of: answered });
    expect((await store.getInvitation(EVENT, row.id))!.version).toBe(version); // nothing written, nothing for an answer to re-read
    // SES's report on the invitation email comes later still: the confirmation's state stands.
    expect(await ledger.recordDelivery(EVENT, row.id, { state: 'delivered', at: '2026-05-01T10:00:09.000Z', of: imported })).toBe('superseded');
    // Its own report (the same change) follows its sending.
    expect(await ledger.recordDelivery(EVENT, row.id, { state: 'bounced', detail: 'Permanent: General', at: '2026-05-01T10:00:10.000Z', of: answered })).toBe('recorded');
    expect(await delivery()).toMatchObject({ state: 'bounced', of: answered });
    // A later email's state replaces it; a report that does not say which email it is (sent before
    // emails carried it) is recorded as it comes, and the next that says is ordered again.
    const later = '2026-05-02T08:00:00.000Z';
    expect(await ledger.recordDelivery(EVENT, row.id, { state: 'sent', detail: 'reminder', at: later, of: later })).toBe('recorded');
    expect(await ledger.recordDelivery(EVENT, row.id, { state: 'complained', at: '2026-05-02T09:00:00.000Z' })).toBe('recorded');
    expect(await delivery()).toEqual({ state: 'complained', at: '2026-05-02T09:00:00.000Z' });
    expect(await ledger.recordDelivery(EVENT, row.id, { state: 'sent', detail: 'invitation', at: '2026-05-02T10:00:00.000Z', of: imported })).toBe('recorded');
  });
});

describe('repairCounters outcomes', () => {
  const counters = async (): Promise<SessionCounters> => {
    const s = (await store.getEvent(EVENT))!.sessions.find((x) => x.id === 'working-day-2')!;
    return {
      confirmedSeats: s.confirmedSeats,
      confirmedParties: s.confirmedParties,
      waitlistedSeats: s.waitlistedSeats,
      waitlistedParties: s.waitlistedParties,
      declinedParties: s.declinedParties,
    };
  };
  const audit = () => ({ id: randomUUID(), at: clock.now().toISOString() });

  it('repairs when the counters still hold what was read, and reports moved counters otherwise (DynamoDB Local)', async () => {
    const read = await counters();
    expect(await store.repairCounters(EVENT, 'working-day-2', { ...read, confirmedSeats: read.confirmedSeats + 9 }, read, audit())).toBe('counters_moved');
    expect(await store.repairCounters(EVENT, 'working-day-2', read, { ...read, declinedParties: read.declinedParties + 1 }, audit())).toBe('repaired');
    expect((await counters()).declinedParties).toBe(read.declinedParties + 1);
    await store.repairCounters(EVENT, 'working-day-2', await counters(), read, audit());
  });

  /** A document client whose transaction is cancelled with the given per-item reasons. */
  const cancelledWith = (...codes: string[]) => {
    const cancelling = documentClient(dynamoClient());
    cancelling.send = (async () => {
      throw new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
    }) as typeof cancelling.send;
    return new DynamoCumbreStore(cancelling, 'table');
  };
  const zero: SessionCounters = { confirmedSeats: 0, confirmedParties: 0, waitlistedSeats: 0, waitlistedParties: 0, declinedParties: 0 };

  it.each([
    [['ConditionalCheckFailed', 'None'], 'counters_moved'],
    [['TransactionConflict', 'None'], 'write_conflict'],
    [['None', 'TransactionConflict'], 'write_conflict'],
  ])('turns cancellation reasons %j into %s', async (codes, outcome) => {
    expect(await cancelledWith(...codes).repairCounters(EVENT, 's', zero, zero, audit())).toBe(outcome);
  });

  it.each([[['None', 'ValidationError']], [['None', 'ConditionalCheckFailed']], [['ProvisionedThroughputExceeded', 'None']]])(
    'throws for reasons %j instead of calling them "counters moved"',
    async (codes) => {
      await expect(cancelledWith(...codes).repairCounters(EVENT, 's', zero, zero, audit())).rejects.toBeInstanceOf(TransactionCanceledException);
    },
  );
});
