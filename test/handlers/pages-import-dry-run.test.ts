import { beforeEach, describe, expect, it } from 'vitest';
import { InvitationService } from '#domain/invitations.js';
import { deriveKeys } from '#shared/app-keys.js';
import * as importInvitations from '../../functions/handlers/import-invitations.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { MemoryAuditTrail } from '../fixtures/memory-access.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, context, organizer } from './events.js';

const EVENT = 'na-mayors-summit-2019';
const HEADER = 'email,name,title,organization,country,category,language,sessions,guests';
let store: MemoryStore;
let handler: ReturnType<typeof importInvitations.makeHandler>;

beforeEach(async () => {
  store = new MemoryStore();
  await store.putEventDefinition(summit());
  handler = importInvitations.makeHandler({
    invitations: new InvitationService({
      store,
      clock: fixedClock(BEFORE_DEADLINE),
      ids: sequentialIds(),
      tokenSecret: deriveKeys('s').rsvpTokens,
      publicBaseUrl: 'https://rsvp.example.org',
    }),
    audit: new MemoryAuditTrail(),
  });
});

const post = (body: string | object, query?: Record<string, string>, contentType = 'application/json') =>
  handler(apiEvent({ method: 'POST', route: '/events/{eventId}/invitations', path: { eventId: EVENT }, body, contentType, query, claims: organizer }), context);

describe('POST /events/{eventId}/invitations?dryRun=true', () => {
  it('reports what would be created and updated, writing nothing and returning no links', async () => {
    await post(invitee(1));
    const before = JSON.stringify([...store.invitations.values()]);
    const outbox = store.outbox.length;

    const res = await post([invitee(1, { name: 'Mayor One' }), invitee(2), invitee(3)], { dryRun: 'true' });

    expect(res.statusCode).toBe(200);
    const body = bodyOf(res);
    expect(body).toMatchObject({ dryRun: true, created: 2, updated: 1, unchanged: 0 });
    expect(body.results.map((r: { row: number; status: string }) => `${r.row}:${r.status}`)).toEqual(['1:updated', '2:created', '3:created']);
    expect(res.body).not.toContain('rsvpUrl');
    expect(JSON.stringify([...store.invitations.values()])).toBe(before);
    expect(store.outbox.length).toBe(outbox);
  });

  it('previews a CSV error row by row and field, exactly as the real import would refuse it', async () => {
    const csv = [HEADER, 'ana@tijuana.gob.mx,Ana López,,Tijuana,MX,mayor-mx,es,,1', 'bob@example,Bob,,Austin,US,mayor-us,en,,0'].join('\n');

    const preview = await post(csv, { dryRun: 'true' }, 'text/csv');
    const real = await post(csv, undefined, 'text/csv');

    expect(preview.statusCode).toBe(400);
    expect(bodyOf(preview).details).toEqual([expect.objectContaining({ row: 3, field: 'email' })]);
    expect(bodyOf(real).details).toEqual(bodyOf(preview).details);
    expect(store.invitations.size).toBe(0);
  });

  it('imports for real without the flag, and with dryRun=false', async () => {
    const res = await post(invitee(1), { dryRun: 'false' });
    expect(bodyOf(res)).toMatchObject({ created: 1, results: [{ rsvpUrl: expect.stringContaining('/rsvp/') }] });
    expect(bodyOf(res).dryRun).toBeUndefined();
    expect(store.invitations.size).toBe(1);
  });

  it('refuses an unknown query parameter or a dryRun that is not true/false', async () => {
    const res = await post(invitee(1), { dryRun: 'yes', force: '1' });
    expect(res.statusCode).toBe(400);
    expect(
      bodyOf(res)
        .details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['dryRun', 'force']);
    expect(store.invitations.size).toBe(0);
  });
});
