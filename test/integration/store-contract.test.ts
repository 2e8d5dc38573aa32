import { describe, expect, it } from 'vitest';
import { SeatConflictError } from '#domain/errors.js';
import { InvitationService } from '#domain/invitations.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { describeCumbreStoreContract } from '../fixtures/store-contract.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';

let table: Promise<string> | undefined;
// Accreditation data lives in a table of its own, as in the stack.
let accreditation: Promise<string> | undefined;
const client = dynamoClient();

describeCumbreStoreContract(
  'DynamoDB Local',
  async () => new DynamoCumbreStore(documentClient(client), await (table ??= createTestTable(client)), await (accreditation ??= createTestTable(client))),
);

describe('DynamoDB adapter: a lost seat condition', () => {
  it('returns the counters it lost to, and none when the invitation changed as well (the retry must read)', async () => {
    const store = new DynamoCumbreStore(documentClient(client), await (table ??= createTestTable(client)), await (accreditation ??= createTestTable(client)));
    const def = summit();
    def.id = `seat-race-${Date.now().toString(36)}`;
    def.sessions = def.sessions.map((s) => (s.id === 'welcome-cocktail' ? { ...s, capacity: 1 } : s));
    await store.putEventDefinition(def);
    const clock = fixedClock(BEFORE_DEADLINE);
    const invitations = new InvitationService({ store, clock, ids: sequentialIds('race'), tokenSecret: 'race', publicBaseUrl: 'https://x.example' });
    const [a, b] = await invitations.import(
      def.id,
      [1, 2].map((k) => ({ row: k, data: invitee(k) })),
    );
    const yes = parseRsvpRequest({ responses: [{ sessionId: 'welcome-cocktail', attending: true }] });
    await new RsvpService({ store, clock, ids: sequentialIds('r') }).respond(a.rsvpUrl!.split('/rsvp/')[1], yes);
    const current = (await store.getInvitation(def.id, b.id))!;
    const commit = (expectedVersion: number) =>
      store.commitInvitation({
        invitation: { ...current, version: expectedVersion + 1 },
        expectedVersion,
        sessionChanges: [{ sessionId: 'welcome-cocktail', capacity: 1, mustFit: 1, delta: { confirmedSeats: 1, confirmedParties: 1 } }],
        events: [],
      });
    const lost = await commit(current.version).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(SeatConflictError);
    expect((lost as SeatConflictError).found).toEqual({
      'welcome-cocktail': { capacity: 1, confirmedSeats: 1, confirmedParties: 1, waitlistedSeats: 0, waitlistedParties: 0, declinedParties: 0 },
    });
    const both = await commit(current.version + 7).catch((e: unknown) => e);
    expect(both).toBeInstanceOf(SeatConflictError);
    expect((both as SeatConflictError).found).toBeUndefined();
  });
});
