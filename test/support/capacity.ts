import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { recount } from '#domain/capacity.js';
import { InvitationService } from '#domain/invitations.js';
import type { Clock } from '#domain/ports.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { invitee, summit } from '../fixtures/summit.js';
import { createTestTable } from './dynamo.js';

export const BURST_EVENT = 'na-mayors-summit-2019';

/** A fresh table with the summit, one session at `capacity` seats, and `parties` invitees (guests per `guestsOf`); their RSVP tokens. */
export async function burstTable(client: DynamoDBClient, opts: { sessionId: string; capacity: number; parties: number; guestsOf: (n: number) => number; clock: Clock }) {
  const table = await createTestTable(client);
  const live = new DynamoCumbreStore(documentClient(client), table);
  const definition = summit();
  definition.sessions = definition.sessions.map((s) => (s.id === opts.sessionId ? { ...s, capacity: opts.capacity } : s));
  await live.putEventDefinition(definition);
  const imported = await new InvitationService({ store: live, clock: opts.clock, ids: { newId: () => randomUUID() }, tokenSecret: 'burst', publicBaseUrl: 'http://x' }).import(
    BURST_EVENT,
    Array.from({ length: opts.parties }, (_, n) => ({ row: n + 2, data: invitee(n, { guests: opts.guestsOf(n) }) })),
  );
  return { live, tokens: imported.map((r) => r.rsvpUrl!.split('/rsvp/')[1]) };
}

/**
 * A session after more parties than seats answered yes: exactly full (a one-seat party waits, which
 * the commit allows only with no seat free), every party confirmed or waiting, counters = records,
 * and the waitlist one entry per waiting party, in ticket order, with its seats.
 */
export async function expectFullAndConsistent(live: DynamoCumbreStore, sessionId: string, capacity: number, parties: number) {
  const session = (await live.getEvent(BURST_EVENT))!.sessions.find((s) => s.id === sessionId)!;
  const invitations = await live.listInvitations(BURST_EVENT);
  const waiting = invitations.filter((i) => i.responses[sessionId]?.status === 'waitlisted');
  const confirmed = invitations.filter((i) => i.responses[sessionId]?.status === 'confirmed');
  expect(waiting.some((w) => w.responses[sessionId].seats === 1)).toBe(true);
  expect(session.confirmedSeats).toBe(capacity);
  expect(confirmed.reduce((n, i) => n + i.responses[sessionId].seats, 0)).toBe(capacity);
  expect(confirmed.length + waiting.length).toBe(parties);
  expect(recount(sessionId, invitations)).toEqual({
    confirmedSeats: session.confirmedSeats,
    confirmedParties: session.confirmedParties,
    waitlistedSeats: session.waitlistedSeats,
    waitlistedParties: session.waitlistedParties,
    declinedParties: session.declinedParties,
  });
  expect(session.confirmedParties).toBe(confirmed.length);
  expect(session.waitlistedParties).toBe(waiting.length);
  const entries = await live.listWaitlist(BURST_EVENT, sessionId);
  const byTicket = [...waiting].sort((a, b) => a.responses[sessionId].waitlistTicket! - b.responses[sessionId].waitlistTicket!);
  expect(entries.map((e) => [e.ticket, e.invitationId, e.seats])).toEqual(byTicket.map((w) => [w.responses[sessionId].waitlistTicket!, w.id, w.responses[sessionId].seats]));
  expect(new Set(entries.map((e) => e.ticket)).size).toBe(entries.length);
}
