import { describe, expect, it } from 'vitest';
import { invitationCommitItems } from '#adapters/dynamo-store/invitation-commit.js';
import { StoreTable, type TransactItem } from '#adapters/dynamo-store/table.js';
import { InvitationService } from '#domain/invitations.js';
import { outboxRecords, type CumbreEvent } from '#domain/outbox.js';
import type { InvitationCommit } from '#domain/ports.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';

const EVENT = 'na-mayors-summit-2019';
const at = '2019-05-01T12:00:00.000Z';
const ev = (id: string, invitationId: string): CumbreEvent => ({ id, occurredAt: at, eventId: EVENT, invitationId, type: 'seat.freed', sessionId: 's', seats: 1 });

describe('outbox records: one per commit and invitation', () => {
  it('groups a commit’s events by invitation, in first-seen order, each record in commit order', () => {
    const events = [ev('1', 'a'), ev('2', 'b'), ev('3', 'a'), ev('4', 'c'), ev('5', 'b')];
    expect(outboxRecords(events).map((r) => r.map((e) => e.id))).toEqual([['1', '3'], ['2', '5'], ['4']]);
    expect(outboxRecords([])).toEqual([]);
  });

  it("an answer's transaction writes one outbox item; a decline that promotes writes one for the decliner and one per promoted invitee, holding every event of the commit", async () => {
    const store = new MemoryStore();
    const clock = fixedClock(BEFORE_DEADLINE);
    const def = summit();
    def.sessions = def.sessions.map((s) => (s.id === 'welcome-cocktail' ? { ...s, capacity: 1 } : s));
    await store.putEventDefinition(def);
    const commits: InvitationCommit[] = [];
    const commit = store.commitInvitation.bind(store);
    store.commitInvitation = async (c) => (commits.push(structuredClone(c)), commit(c));
    const rsvp = new RsvpService({ store, clock, ids: sequentialIds(), backoff: async () => {} });
    const invitations = new InvitationService({ store, clock, ids: sequentialIds('inv'), tokenSecret: 's', publicBaseUrl: 'https://x.example' });
    const [a, b] = (
      await invitations.import(
        EVENT,
        [1, 2].map((n) => ({ row: n, data: invitee(n) })),
      )
    ).map((r) => r.rsvpUrl!.split('/rsvp/')[1]);
    const cocktail = (attending: boolean) => parseRsvpRequest({ responses: [{ sessionId: 'welcome-cocktail', attending }] });

    await rsvp.respond(a, cocktail(true));
    await rsvp.respond(b, cocktail(true)); // no seat left: waitlisted
    await rsvp.respond(a, cocktail(false)); // frees the seat; b is promoted in the same commit
    expect(commits.map((c) => c.promotions?.length ?? 0)).toEqual([0, 0, 1]);

    const table = new StoreTable({} as never, 'cumbre');
    const outboxPuts = (items: TransactItem[]) => items.flatMap((i) => (i.Put?.Item?.type === 'outbox' ? [i.Put.Item as { pk: string; events: CumbreEvent[] }] : []));
    for (const c of commits) {
      const all = [...c.events, ...(c.promotions ?? []).flatMap((p) => p.events)];
      const puts = outboxPuts(invitationCommitItems(table, c));
      // One item per invitation the commit's events name, and nothing lost, reordered or repeated.
      expect(puts.map((p) => p.pk)).toEqual([...new Set(all.map((e) => `OUTBOX#${e.invitationId}`))]);
      expect(puts.flatMap((p) => p.events)).toEqual([...new Set(all.map((e) => e.invitationId))].flatMap((id) => all.filter((e) => e.invitationId === id)));
    }
    const [confirm, waitlist, decline] = commits.map((c) => outboxPuts(invitationCommitItems(table, c)));
    expect(confirm.map((p) => p.events.map((e) => e.type))).toEqual([['rsvp.confirmed', 'rsvp.answered']]);
    expect(waitlist.map((p) => p.events.map((e) => e.type))).toEqual([['rsvp.waitlisted', 'rsvp.answered']]);
    expect(decline.map((p) => p.events.map((e) => e.type))).toEqual([['rsvp.declined', 'seat.freed', 'rsvp.answered'], ['rsvp.confirmed']]);
  });
});
