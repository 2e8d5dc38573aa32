import { beforeEach, describe, expect, it } from 'vitest';
import { CapacityService } from '#domain/capacity.js';
import { InvitationService } from '#domain/invitations.js';
import { RsvpService } from '#domain/rsvp.js';
import { deriveKeys } from '#shared/app-keys.js';
import * as getCapacity from '../../functions/handlers/get-capacity.js';
import * as importInvitations from '../../functions/handlers/import-invitations.js';
import * as invitationDetail from '../../functions/handlers/invitation-detail.js';
import * as rsvpHandler from '../../functions/handlers/rsvp.js';
import { MemoryAuditTrail } from '../fixtures/memory-access.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, claimsWith, bodyOf, context, organizer } from './events.js';

/** Issue 10, items 10–12: hostile path values, accreditation nobody needs, and names that hide things. */
const EVENT = 'na-mayors-summit-2019';
const HEADER = 'email,name,title,organization,country,category,language,sessions,guests';
let store: MemoryStore;
let handlers: {
  import: ReturnType<typeof importInvitations.makeHandler>;
  capacity: ReturnType<typeof getCapacity.makeHandler>;
  detail: ReturnType<typeof invitationDetail.makeHandler>;
  rsvp: ReturnType<typeof rsvpHandler.makeHandler>;
};

beforeEach(async () => {
  store = new MemoryStore();
  const clock = fixedClock(BEFORE_DEADLINE);
  await store.putEventDefinition(summit());
  const ids = sequentialIds();
  handlers = {
    import: importInvitations.makeHandler({
      invitations: new InvitationService({ store, clock, ids, tokenSecret: deriveKeys('s').rsvpTokens, publicBaseUrl: 'https://rsvp.example.org' }),
      audit: new MemoryAuditTrail(),
    }),
    capacity: getCapacity.makeHandler({ capacity: new CapacityService({ store, clock, ids }) }),
    detail: invitationDetail.makeHandler({
      store,
      resend: async () => {},
      history: { history: async () => [] },
      badges: { get: async () => undefined },
      audit: new MemoryAuditTrail(),
    }),
    rsvp: rsvpHandler.makeHandler({ rsvp: new RsvpService({ store, clock, ids, backoff: async () => {} }) }),
  };
});

const importBody = (body: string | object, contentType = 'application/json') =>
  handlers.import(apiEvent({ method: 'POST', route: '/events/{eventId}/invitations', path: { eventId: EVENT }, body, contentType, claims: organizer }), context);
const rsvpPost = (token: string, body: object) => handlers.rsvp(apiEvent({ method: 'POST', route: '/rsvp/{token}', path: { token }, body }), context);
const invite = async (data: object) => {
  const res = await importBody(data);
  expect(res.statusCode).toBe(200);
  const [row] = bodyOf(res).results as Array<{ id: string; rsvpUrl: string }>;
  return { id: row.id, token: row.rsvpUrl.split('/rsvp/')[1] };
};
const fieldsOf = (res: { body?: string }) => (bodyOf(res).details as Array<{ field: string }>).map((d) => d.field);

describe('item 10: path parameters arrive decoded from API Gateway and are not decoded again', () => {
  it.each(['%', '%25', 'a%2525ZZ', '%E0%A4%A'])('answers GET /events/%s/capacity with 404, not a URIError 500', async (eventId) => {
    // An admin may read every event, so the id itself is what is judged (an organizer of the summit gets 403 first).
    const res = await handlers.capacity(apiEvent({ method: 'GET', route: '/events/{eventId}/capacity', path: { eventId }, claims: claimsWith(['admin']) }), context);
    expect(res.statusCode).toBe(404);
    // The id is reported exactly as it came: `a%2525ZZ` stays `a%2525ZZ`, it does not become `a%25ZZ` or `a%ZZ`.
    expect(bodyOf(res)).toMatchObject({ error: 'event_not_found', message: `Event ${eventId} does not exist` });
  });

  it.each([
    ['a lone surrogate', 'na-\uD800'],
    ['a control character', 'na\u0000summit'],
    ['a bidi override', 'na\u202Esummit'],
    ['an overlong value', 'x'.repeat(257)],
  ])('refuses a path value with %s as a 400 naming the parameter', async (_, invitationId) => {
    const res = await handlers.detail(
      apiEvent({ method: 'GET', route: '/events/{eventId}/invitations/{invitationId}', path: { eventId: EVENT, invitationId }, claims: organizer }),
      context,
    );
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['invitationId']);
  });

  it('gives an RSVP token with a percent sign the same 404 as any unknown token', async () => {
    const res = await handlers.rsvp(apiEvent({ method: 'GET', route: '/rsvp/{token}', path: { token: '%E0%A4%A' } }), context);
    expect(res.statusCode).toBe(404);
    expect(bodyOf(res).error).toBe('invitation_not_found');
  });
});

describe('item 11: accreditation only while a session needs it', () => {
  const accreditation = { nationality: 'CA', idDocumentNumber: 'AB123456' };

  it('refuses accreditation given with answers to sessions that do not need it, naming the field, storing nothing', async () => {
    const { token, id } = await invite(invitee(1));
    const before = structuredClone(store.invitations.get(id));
    const res = await rsvpPost(token, { responses: [{ sessionId: 'welcome-cocktail', attending: true }], accreditation });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['accreditation']);
    expect(store.accreditations.size).toBe(0);
    expect(store.invitations.get(id)).toEqual(before);
  });

  it('refuses accreditation sent with a "no" to the session with the President', async () => {
    const { token } = await invite(invitee(1));
    const res = await rsvpPost(token, { responses: [{ sessionId: 'presidential-session', attending: false }], accreditation });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['accreditation']);
  });

  it('deletes the accreditation when the invitee declines the session with the President', async () => {
    const { token, id } = await invite(invitee(1));
    expect(
      (
        await rsvpPost(token, {
          responses: [
            { sessionId: 'presidential-session', attending: true },
            { sessionId: 'welcome-cocktail', attending: true },
          ],
          accreditation,
        })
      ).statusCode,
    ).toBe(200);
    expect(store.accreditations.get(id)).toEqual(accreditation);

    const res = await rsvpPost(token, { responses: [{ sessionId: 'presidential-session', attending: false }] });

    expect(res.statusCode).toBe(200);
    expect(bodyOf(res).invitation.hasAccreditation).toBe(false);
    expect(store.accreditations.has(id)).toBe(false);
    expect(store.invitations.get(id)!.hasAccreditation).toBe(false);
    // Answering yes again asks for the documents again.
    const again = await rsvpPost(token, { responses: [{ sessionId: 'presidential-session', attending: true }] });
    expect(again.statusCode).toBe(400);
    expect(fieldsOf(again)).toEqual(['accreditation']);
  });

  it('keeps the accreditation while the President’s session is still held and another session is declined', async () => {
    const { token, id } = await invite(invitee(1));
    await rsvpPost(token, { responses: [{ sessionId: 'presidential-session', attending: true }], accreditation });
    expect((await rsvpPost(token, { responses: [{ sessionId: 'welcome-cocktail', attending: false }] })).statusCode).toBe(200);
    expect(store.accreditations.get(id)).toEqual(accreditation);
  });
});

describe('item 12: names and lists that hide or repeat things', () => {
  it.each([
    ['CR/LF', 'Ana\r\nLópez'],
    ['a tab', 'Ana\tLópez'],
    ['U+0085 (next line)', 'Ana\u0085López'],
    ['U+2028 (line separator)', 'Ana\u2028López'],
    ['U+2029 (paragraph separator)', 'Ana\u2029López'],
    ['a right-to-left override', 'Invoice \u202Egpj.exe'],
    ['a first-strong isolate', 'Ana \u2068López\u2069'],
    ['a zero-width space', 'Ana\u200BLópez'],
    ['a byte-order mark inside it', 'Ana\uFEFFLópez'],
    ['a zero-width joiner at the edge of a word', 'Ana\u200D López'],
    ['a lone surrogate', 'Ana \uD83D López'],
  ])('refuses a name with %s, naming row and field', async (_, name) => {
    const res = await importBody(invitee(1, { name }));
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).details).toEqual([expect.objectContaining({ row: 1, field: 'name' })]);
    expect(store.invitations.size).toBe(0);
  });

  it('stores names in NFC and keeps joiners that scripts need between letters', async () => {
    const decomposed = 'Jose\u0301 Nun\u0303ez';
    const persian = 'می\u200Cخواهم';
    const a = await invite(invitee(1, { name: decomposed }));
    const b = await invite(invitee(2, { name: persian }));
    expect(store.invitations.get(a.id)!.name).toBe('Jos\u00E9 Nu\u00F1ez');
    expect(store.invitations.get(b.id)!.name).toBe(persian);
  });

  it('refuses the same hidden characters in the badge name, and keeps line breaks in notes as LF', async () => {
    const { token, id } = await invite(invitee(1));
    const bad = await rsvpPost(token, { responses: [{ sessionId: 'welcome-cocktail', attending: true }], badgeName: 'Ana\u202E' });
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad)).toEqual(['badgeName']);
    const ok = await rsvpPost(token, { responses: [{ sessionId: 'welcome-cocktail', attending: true }], dietary: 'Vegetarian\r\nNo nuts' });
    expect(ok.statusCode).toBe(200);
    expect(store.invitations.get(id)!.dietary).toBe('Vegetarian\nNo nuts');
    const hidden = await rsvpPost(token, { responses: [{ sessionId: 'welcome-cocktail', attending: true }], accessibility: 'Ramp\u2028please' });
    expect(hidden.statusCode).toBe(400);
    expect(fieldsOf(hidden)).toEqual(['accessibility']);
  });

  it('refuses a topic given twice instead of counting it twice', async () => {
    const { token, id } = await invite(invitee(1));
    const res = await rsvpPost(token, { responses: [{ sessionId: 'welcome-cocktail', attending: true }], topics: Array(7).fill('trade') });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['topics']);
    expect(store.invitations.get(id)!.topics).toEqual([]);
  });

  it.each([true, '1', 1.5, null])('refuses guests: %j in JSON rather than coercing it', async (guests) => {
    const res = await importBody(invitee(1, { guests }));
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).details).toEqual([expect.objectContaining({ row: 1, field: 'guests' })]);
    expect(store.invitations.size).toBe(0);
  });

  it('still reads guests from a CSV cell, and refuses a cell that is not a whole number', async () => {
    const ok = await importBody([HEADER, 'ana@tijuana.gob.mx,Ana López,,Tijuana,MX,mayor-mx,es,,2'].join('\n'), 'text/csv');
    expect(ok.statusCode).toBe(200);
    expect([...store.invitations.values()][0].guestsAllowed).toBe(2);
    const bad = await importBody([HEADER, 'bob@austin.gov,Bob,,Austin,US,mayor-us,en,,true'].join('\n'), 'text/csv');
    expect(bad.statusCode).toBe(400);
    expect(bodyOf(bad).details).toEqual([expect.objectContaining({ row: 2, field: 'guests' })]);
  });

  it('refuses a CSV whose header names a column twice', async () => {
    const res = await importBody(['email,name,name,country,category,language', 'ana@tijuana.gob.mx,Ana,Eve,MX,mayor-mx,es'].join('\n'), 'text/csv');
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).details).toEqual([{ field: 'csv', row: 1, message: 'column name appears more than once' }]);
    expect(store.invitations.size).toBe(0);
  });
});
