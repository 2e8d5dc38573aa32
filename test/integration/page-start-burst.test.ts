import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { hashToken } from '#domain/tokens.js';
import type { DynamoCumbreStore } from '#adapters/dynamo-store.js';
import { openPageStart, sealPageStart } from '#pages/page-start.js';
import { dynamoClient } from '../support/dynamo.js';
import { burstTable, expectFullAndConsistent } from '../support/capacity.js';
import { countingInvitationReads, totalReads } from '../support/read-counts.js';
import { BEFORE_DEADLINE } from '../fixtures/summit.js';

/**
 * Answers posted from their pages, as invitees send them during a rush: the pages served earlier by
 * one instance, the posts spread over four others that never saw those links, each planned on the
 * invitation its form carries (no read of it). A fifth of the invitees post twice at once from the
 * same page (two tabs, a double tap), so one of each pair plans on a copy the other just outdated.
 * The guarantees are those of any answer: exactly full, counters = records, the waitlist in ticket
 * order, and one party per invitee however many times they posted.
 */
const SESSION = 'working-day-1';
const CAPACITY = 100;
const PARTIES = 400;
const INSTANCES = 4;
const KEY = 'page-start-burst';
const guestsOf = (n: number) => (n * 7) % 3;
const twice = (n: number) => n % 5 === 0;

describe('answers posted from their pages to instances that did not serve them, on DynamoDB Local', () => {
  const client = dynamoClient();
  // A moving clock, as instances' clocks are: waitlist tickets are the moment a place was asked for,
  // and four instances on one frozen instant would collide on them (a collision is retried, on reads).
  const start = performance.now();
  const clock = { now: () => new Date(BEFORE_DEADLINE.getTime() + (performance.now() - start)) };
  const ids = { newId: () => randomUUID() };
  let live: DynamoCumbreStore;
  let tokens: string[] = [];
  const sealed: string[] = [];

  beforeAll(async () => {
    ({ live, tokens } = await burstTable(client, { sessionId: SESSION, capacity: CAPACITY, parties: PARTIES, guestsOf, clock }));
    const pages = new RsvpService({ store: live, clock, ids });
    for (const token of tokens) sealed.push(sealPageStart(KEY, hashToken(token), (await pages.viewWithStart(token)).shown, clock.now()));
  }, 600_000);

  it('fills the session exactly, counters equal records, the waitlist in ticket order, one party per invitee', async () => {
    // Each instance counts the reads of invitations it makes: only a post whose copy was outdated reads.
    const reads = { peek: 0, token: 0, invitation: 0 };
    const instances = Array.from({ length: INSTANCES }, () => new RsvpService({ store: countingInvitationReads(live, reads).store, clock, ids }));
    const post = (n: number, instance: number) => {
      const shown = openPageStart(KEY, hashToken(tokens[n]), sealed[n], clock.now());
      if (!shown) throw new Error(`the start of ${n} did not open`);
      const request = parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: true }], guests: guestsOf(n) });
      return instances[instance % INSTANCES].respondFromPage(tokens[n], request, shown);
    };
    const posts = tokens.flatMap((_, n) => [post(n, n), ...(twice(n) ? [post(n, n + 1)] : [])]);
    const settled = await Promise.allSettled(posts);
    expect(settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason))).toEqual([]);
    const changed = settled.map((s) => (s as PromiseFulfilledResult<{ changed: boolean }>).value.changed);
    // Each invitee's status moved once: the second post of a pair found it already moved.
    expect(changed.filter(Boolean)).toHaveLength(PARTIES);
    // Only the outdated copies read: at most one post of each pair (its retry reads invitation and event).
    const pairs = tokens.filter((_, n) => twice(n)).length;
    expect(totalReads(reads)).toBeLessThanOrEqual(pairs);

    await expectFullAndConsistent(live, SESSION, CAPACITY, PARTIES);
  }, 600_000);
});
