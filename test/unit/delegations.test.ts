import { PDFDocument } from 'pdf-lib';
import { beforeEach, describe, expect, it } from 'vitest';
import { accreditationRows } from '#domain/accreditation.js';
import { attendeesExport } from '#domain/attendees.js';
import { createCredentialSigner, seedFromSecret } from '#domain/badge/credential.js';
import { BadgeService, badgeInputsFor, companionBadgeInput, sheetInputs } from '#domain/badge/service.js';
import { REVOKED_OUTRIGHT, planDelegation, revoke } from '#domain/delegation.js';
import { ValidationError } from '#domain/errors.js';
import { InvitationService } from '#domain/invitations.js';
import { COMPANION_ROLES, type Invitation } from '#domain/model.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { loadBadgeFonts } from '#adapters/badge-fonts.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { MemoryAccreditationRecords, MemoryAuditTrail } from '../fixtures/memory-access.js';
import { MemoryBadges } from '../fixtures/memory-workflow.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';

/**
 * Delegations: named companions on an invitation. Each is a credential holder (`c1`, `c2`, … never
 * reused) with their own badge, their own accreditation record and clearance, and removing one
 * revokes their credential and takes their badge down.
 */
const EVENT = 'na-mayors-summit-2019';
const PRESIDENT = 'presidential-session';
const clock = fixedClock(BEFORE_DEADLINE);
let store: MemoryStore;
let rsvp: RsvpService;

const invite = async (n: number, overrides: Record<string, unknown> = {}) => {
  const service = new InvitationService({ store, clock, ids: sequentialIds(`inv${n}`), tokenSecret: 's', publicBaseUrl: 'https://x.example' });
  const [r] = await service.import(EVENT, [{ row: 1, data: invitee(n, overrides) }]);
  return { id: r.id, token: r.rsvpUrl!.split('/rsvp/')[1] };
};
const answer = (token: string, body: Record<string, unknown>) => rsvp.respond(token, parseRsvpRequest(body));
const yes = (...sessions: string[]) => sessions.map((sessionId) => ({ sessionId, attending: true }));
const stored = async (id: string) => (await store.getInvitation(EVENT, id))!;
const seatsIn = async (sessionId: string) => (await store.getEvent(EVENT))!.sessions.find((s) => s.id === sessionId)!.confirmedSeats;
/** The field names a refusal carries, whichever step (schema or service) refused. */
const refusedFields = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (err) {
    if (err instanceof ValidationError) return (err.details ?? []).map((d) => d.field);
    throw err;
  }
  throw new Error('expected a refusal');
};

const ana = { name: 'Ana Ruiz', role: 'adviser', language: 'es' } as const;
const bo = { name: 'Bo Chen', role: 'interpreter', language: 'en' } as const;
const passport = (n: string) => ({ nationality: 'MX', idDocumentNumber: `G${n}` });

beforeEach(async () => {
  store = new MemoryStore();
  await store.putEventDefinition(summit());
  rsvp = new RsvpService({ store, clock, ids: sequentialIds('r'), backoff: async () => {} });
});

describe('naming companions', () => {
  it('gives each companion a holder id, counts them as guests and seats them with the invitee', async () => {
    const { token, id } = await invite(1, { guests: 2 });
    const before = await seatsIn('welcome-cocktail');

    const view = await answer(token, { responses: yes('welcome-cocktail'), companions: [ana, bo] });

    expect(view.invitation.guests).toBe(2);
    expect(view.invitation.companions).toEqual([
      { id: 'c1', ...ana, hasAccreditation: false },
      { id: 'c2', ...bo, hasAccreditation: false },
    ]);
    expect(view.sessions.find((s) => s.id === 'welcome-cocktail')).toMatchObject({ status: 'confirmed', seats: 3 });
    expect((await seatsIn('welcome-cocktail')) - before).toBe(3);
    expect(await stored(id)).toMatchObject({ guests: 2, holderSeq: 2, revocations: [] });
    // The badge worker hears of the new delegation.
    expect(store.outbox.filter((e) => e.type === 'invitation.updated').at(-1)).toMatchObject({ changed: expect.arrayContaining(['companions']) });
  });

  it('keeps the delegation when an answer does not send companions', async () => {
    const { token, id } = await invite(1, { guests: 2 });
    await answer(token, { responses: yes('welcome-cocktail'), companions: [ana] });

    await answer(token, { responses: yes('working-day-1'), dietary: 'vegetarian' });

    expect((await stored(id)).companions).toEqual([{ id: 'c1', ...ana, hasAccreditation: false }]);
    expect(await seatsIn('working-day-1')).toBe(2);
  });

  it('accepts every role and language from the lists', async () => {
    const { token } = await invite(1, { guests: 2 });
    for (const role of COMPANION_ROLES) {
      const view = await answer(token, { responses: yes('welcome-cocktail'), companions: [{ name: `Person ${role}`, role, language: 'fr' }] });
      expect(view.invitation.companions.map((c) => c.role)).toEqual([role]);
    }
  });

  it.each([
    ['an empty name', [{ ...ana, name: '' }], 'companions.0.name'],
    ['a name of spaces', [{ ...ana, name: '   ' }], 'companions.0.name'],
    ['markup in a name', [{ ...ana, name: 'Ana <b>' }], 'companions.0.name'],
    ['a role not on the list', [{ ...ana, role: 'bodyguard' }], 'companions.0.role'],
    ['a language not on the list', [bo, { ...ana, language: 'de' }], 'companions.1.language'],
    ['an id that is not a holder id', [{ ...ana, id: 'x1' }], 'companions.0.id'],
    ['an unknown field', [{ ...ana, email: 'a@b.c' }], 'companions.0'],
  ])('refuses %s naming the field, and stores nothing', async (_case, companions, field) => {
    const { token, id } = await invite(1, { guests: 2 });
    const before = await stored(id);

    expect(await refusedFields(() => answer(token, { responses: yes('welcome-cocktail'), companions }))).toContain(field);
    expect(await stored(id)).toEqual(before);
  });

  it('refuses more companions than the invitation admits', async () => {
    const { token, id } = await invite(1, { guests: 1 });

    expect(await refusedFields(() => answer(token, { responses: yes('welcome-cocktail'), companions: [ana, bo] }))).toEqual(['companions']);
    expect((await stored(id)).companions).toBeUndefined();
    expect(await seatsIn('welcome-cocktail')).toBe(0);
  });

  it('refuses a guest count that disagrees with the companions sent, and fewer guests than those named', async () => {
    const { token } = await invite(1, { guests: 2 });
    expect(await refusedFields(() => answer(token, { responses: yes('welcome-cocktail'), companions: [ana], guests: 2 }))).toEqual(['guests']);
    await answer(token, { responses: yes('welcome-cocktail'), companions: [ana, bo] });
    expect(await refusedFields(() => answer(token, { responses: yes('welcome-cocktail'), guests: 1 }))).toEqual(['guests']);
  });

  it('refuses an id that is not one of this invitation’s companions, or the same id twice', async () => {
    const { token } = await invite(1, { guests: 2 });
    await answer(token, { responses: yes('welcome-cocktail'), companions: [ana] });

    expect(await refusedFields(() => answer(token, { responses: yes('welcome-cocktail'), companions: [{ ...ana, id: 'c7' }] }))).toEqual(['companions.0.id']);
    expect(
      await refusedFields(() =>
        answer(token, {
          responses: yes('welcome-cocktail'),
          companions: [
            { ...ana, id: 'c1' },
            { ...bo, id: 'c1' },
          ],
        }),
      ),
    ).toEqual(['companions.1.id']);
  });
});

describe('removing and renaming', () => {
  it('revokes a removed companion outright, frees their seat and never gives their id again', async () => {
    const { token, id } = await invite(1, { guests: 2 });
    await answer(token, { responses: yes('welcome-cocktail'), companions: [ana, bo] });
    const seats = await seatsIn('welcome-cocktail');

    await answer(token, { responses: yes('welcome-cocktail'), companions: [{ ...bo, id: 'c2' }] });

    const after = await stored(id);
    expect(after.companions!.map((c) => c.id)).toEqual(['c2']);
    expect(after.guests).toBe(1);
    expect(after.revocations).toEqual([{ holder: 'c1', below: REVOKED_OUTRIGHT }]);
    expect(await seatsIn('welcome-cocktail')).toBe(seats - 1);
    expect(store.outbox.filter((e) => e.type === 'seat.freed').at(-1)).toMatchObject({ sessionId: 'welcome-cocktail', seats: 1 });

    // The same person named again is a new holder: the revoked credential stays revoked.
    const again = await answer(token, { responses: yes('welcome-cocktail'), companions: [{ ...bo, id: 'c2' }, ana] });
    expect(again.invitation.companions.map((c) => c.id)).toEqual(['c2', 'c3']);
    expect((await stored(id)).revocations).toEqual([{ holder: 'c1', below: REVOKED_OUTRIGHT }]);
  });

  it('revokes a renamed companion’s earlier badges, keeping the holder', async () => {
    const { token, id } = await invite(1, { guests: 1 });
    await answer(token, { responses: yes('welcome-cocktail'), companions: [ana] });
    const version = (await stored(id)).version;

    await answer(token, { responses: yes('welcome-cocktail'), companions: [{ ...ana, id: 'c1', name: 'Ana María Ruiz' }] });

    const after = await stored(id);
    expect(after.companions).toEqual([{ id: 'c1', ...ana, name: 'Ana María Ruiz', hasAccreditation: false }]);
    expect(after.version).toBe(version + 1);
    expect(after.revocations).toEqual([{ holder: 'c1', below: version + 1 }]);
    // A change of role or badge language reprints the badge but revokes nothing.
    await answer(token, { responses: yes('welcome-cocktail'), companions: [{ ...ana, id: 'c1', name: 'Ana María Ruiz', role: 'other', language: 'fr' }] });
    expect((await stored(id)).revocations).toEqual([{ holder: 'c1', below: version + 1 }]);
  });

  it('keeps one revocation per holder, with the highest bound', () => {
    let list = revoke([], 'c1', 4);
    list = revoke(list, 'c1', 3);
    expect(list).toEqual([{ holder: 'c1', below: 4 }]);
    list = revoke(list, 'c1', REVOKED_OUTRIGHT);
    list = revoke(list, 'c2', 9);
    expect(list).toEqual([
      { holder: 'c1', below: REVOKED_OUTRIGHT },
      { holder: 'c2', below: 9 },
    ]);
  });

  it('keeps the revocations an invitation already carries (another writer’s entries)', () => {
    const inv = { companions: [{ id: 'c1', ...ana, hasAccreditation: false }], holderSeq: 1, revocations: [{ holder: '*', below: 3 }], guestsAllowed: 2 } as unknown as Invitation;
    const plan = planDelegation(inv, [], false, 5);
    expect(plan.revocations).toEqual([
      { holder: '*', below: 3 },
      { holder: 'c1', below: REVOKED_OUTRIGHT },
    ]);
    expect(plan.removed).toEqual(['c1']);
  });
});

describe('accreditation for a session that requires it', () => {
  it('asks each companion for nationality and ID document, naming the companion’s field', async () => {
    const { token, id } = await invite(1, { guests: 2 });

    const fields = await refusedFields(() =>
      answer(token, { responses: yes(PRESIDENT), accreditation: passport('1111'), companions: [{ ...ana, accreditation: passport('2222') }, bo] }),
    );

    expect(fields).toEqual(['companions.1.accreditation']);
    expect(store.accreditations.size).toBe(0);
    expect((await stored(id)).companions).toBeUndefined();
  });

  it('stores each companion’s accreditation in the protected records, never on the invitation', async () => {
    const { token, id } = await invite(1, { guests: 2 });

    await answer(token, {
      responses: yes(PRESIDENT),
      accreditation: passport('1111'),
      companions: [
        { ...ana, accreditation: passport('2222') },
        { ...bo, accreditation: { nationality: 'ca', idDocumentNumber: 'AB 123456' } },
      ],
    });

    const inv = await stored(id);
    expect(JSON.stringify(inv)).not.toMatch(/G2222|AB 123456/);
    expect(inv.companions!.map((c) => c.hasAccreditation)).toEqual([true, true]);
    expect(Object.fromEntries(store.accreditations)).toEqual({
      [id]: passport('1111'),
      [`${id}#c1`]: passport('2222'),
      [`${id}#c2`]: { nationality: 'CA', idDocumentNumber: 'AB 123456' },
    });
  });

  it('asks a companion added or renamed later for theirs, and drops a renamed companion’s record', async () => {
    const { token, id } = await invite(1, { guests: 2 });
    await answer(token, { responses: yes(PRESIDENT), accreditation: passport('1111'), companions: [{ ...ana, accreditation: passport('2222') }] });

    expect(await refusedFields(() => answer(token, { responses: yes('welcome-cocktail'), companions: [{ ...ana, id: 'c1' }, bo] }))).toEqual(['companions.1.accreditation']);
    expect(await refusedFields(() => answer(token, { responses: yes('welcome-cocktail'), companions: [{ ...ana, id: 'c1', name: 'Someone Else' }] }))).toEqual([
      'companions.0.accreditation',
    ]);

    await answer(token, { responses: yes('welcome-cocktail'), companions: [{ ...ana, id: 'c1', name: 'Someone Else', accreditation: passport('3333') }] });
    expect(store.accreditations.get(`${id}#c1`)).toEqual(passport('3333'));
    // An existing companion with their record on file needs nothing more.
    await answer(token, { responses: yes(PRESIDENT), companions: [{ ...ana, id: 'c1', name: 'Someone Else', role: 'other' }] });
    expect(store.accreditations.get(`${id}#c1`)).toEqual(passport('3333'));
  });

  it('deletes every companion’s record when the session is declined, and a removed companion’s at once', async () => {
    const { token, id } = await invite(1, { guests: 2 });
    await answer(token, {
      responses: yes(PRESIDENT),
      accreditation: passport('1111'),
      companions: [
        { ...ana, accreditation: passport('2222') },
        { ...bo, accreditation: passport('3333') },
      ],
    });

    await answer(token, { responses: yes(PRESIDENT), companions: [{ ...bo, id: 'c2' }] });
    expect([...store.accreditations.keys()].sort()).toEqual([id, `${id}#c2`].sort());

    await answer(token, { responses: [{ sessionId: PRESIDENT, attending: false }] });
    expect(store.accreditations.size).toBe(0);
    expect((await stored(id)).companions).toEqual([{ id: 'c2', ...bo, hasAccreditation: false }]);
  });

  it('refuses a companion’s accreditation for an answer that holds no such session', async () => {
    const { token } = await invite(1, { guests: 1 });
    expect(await refusedFields(() => answer(token, { responses: yes('welcome-cocktail'), companions: [{ ...ana, accreditation: passport('2222') }] }))).toEqual([
      'companions.0.accreditation',
    ]);
  });

  it('refuses unnamed guests at the session: every person there is named and accredited', async () => {
    const { token } = await invite(1, { guests: 1 });
    expect(await refusedFields(() => answer(token, { responses: yes(PRESIDENT), accreditation: passport('1111'), guests: 1 }))).toEqual(['companions']);
    // Unnamed guests elsewhere are still taken (older API clients), and hold seats.
    const view = await answer(token, { responses: yes('welcome-cocktail'), guests: 1 });
    expect(view.invitation).toMatchObject({ guests: 1, companions: [] });
  });

  it('lists each companion as their own row for security, with their own clearance', async () => {
    const { token, id } = await invite(1, { guests: 2, name: 'Mayor Uno' });
    await answer(token, {
      responses: yes(PRESIDENT),
      accreditation: passport('1111'),
      companions: [
        { ...bo, accreditation: passport('3333') },
        { ...ana, accreditation: passport('2222') },
      ],
    });
    const audit = new MemoryAuditTrail();
    const records = new MemoryAccreditationRecords(store, audit);
    const entry = {
      id: 'a1',
      at: '2019-05-01T12:00:00.000Z',
      scope: `event:${EVENT}`,
      actor: { sub: 's', email: 'sec@x.example' },
      action: 'clearance.changed' as const,
      route: 'PUT',
      target: id,
    };
    await records.setClearance(EVENT, id, undefined, { state: 'refused', note: 'document expired', by: 'sec@x.example', at: entry.at }, entry, 'c2');

    const rows = await accreditationRows(store, records, EVENT);

    expect(rows.map((r) => [r.holder, r.name, r.role, r.delegationOf, r.nationality, r.idDocumentNumber, r.clearance, r.guests])).toEqual([
      ['', 'Mayor Uno', '', '', 'MX', 'G1111', 'pending', 2],
      ['c1', 'Bo Chen', 'interpreter', 'Mayor Uno', 'MX', 'G3333', 'pending', 0],
      ['c2', 'Ana Ruiz', 'adviser', 'Mayor Uno', 'MX', 'G2222', 'refused', 0],
    ]);
    expect(rows.every((r) => r.session === PRESIDENT && r.invitationId === id)).toBe(true);
    expect(rows.filter((r) => r.holder).every((r) => r.email === '')).toBe(true);
  });
});

describe('who is coming', () => {
  it('gives each companion a row of their own in the attendees export, after their invitee', async () => {
    const { token } = await invite(1, { guests: 2, name: 'Mayor Uno', organization: 'Ciudad Uno' });
    await answer(token, { responses: yes('welcome-cocktail'), companions: [ana, bo], dietary: 'vegan' });

    const lines = (await attendeesExport(store, EVENT)).trim().split('\r\n');

    expect(lines[0].split(',').slice(0, 3)).toEqual(['name', 'role', 'delegationOf']);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3))).toEqual([
      ['Mayor Uno', '', ''],
      ['Ana Ruiz', 'adviser', 'Mayor Uno'],
      ['Bo Chen', 'interpreter', 'Mayor Uno'],
    ]);
    expect(lines[2]).toContain('Ciudad Uno');
    expect(lines[2]).not.toContain('vegan');
  });
});

describe('companions’ badges', () => {
  let badges: MemoryBadges;
  let service: BadgeService;

  beforeEach(() => {
    badges = new MemoryBadges();
    service = new BadgeService({
      reader: store,
      ledger: badges,
      storage: badges,
      clock,
      leaseMs: 60_000,
      render: { fonts: loadBadgeFonts(), signer: createCredentialSigner(seedFromSecret('unit')) },
    });
  });

  it('prints a companion’s badge in their language: their name, the delegation, their role, the invitee’s band and sessions', async () => {
    const { token, id } = await invite(2, { guests: 1, name: 'Mayor Dos', category: 'mayor-us', language: 'en' });
    await answer(token, { responses: yes('welcome-cocktail', 'working-day-1'), companions: [{ ...ana, language: 'fr', role: 'press-officer' }] });
    const inv = await stored(id);
    const event = (await store.getEvent(EVENT))!;

    const input = companionBadgeInput(inv, inv.companions![0], event);

    expect(input).toMatchObject({
      holder: 'c1',
      displayName: 'Ana Ruiz',
      delegationOf: 'Mayor Dos',
      role: 'Presse',
      category: 'mayor-us',
      language: 'fr',
      eventName: summit().name.fr,
      sessions: [
        { id: 'welcome-cocktail', label: 'Cocktail de bienvenue' },
        { id: 'working-day-1', label: 'Séances de travail, jour 1' },
      ],
    });
    expect(input.title).toBeUndefined();
    expect(badgeInputsFor(inv, event).map((b) => b.holder ?? '')).toEqual(['', 'c1']);
  });

  it('renders one badge per holder and takes a removed companion’s down for good', async () => {
    const { token, id } = await invite(1, { guests: 2 });
    await answer(token, { responses: yes('welcome-cocktail'), companions: [ana, bo] });

    expect(await service.refreshAll(EVENT, id)).toEqual({ '': 'rendered', c1: 'rendered', c2: 'rendered' });
    expect(await service.refreshAll(EVENT, id)).toEqual({ '': 'unchanged', c1: 'unchanged', c2: 'unchanged' });
    const anaLink = await service.link(EVENT, id, 300, 'c1');
    // Named after the companion and the event in the companion's language.
    expect(decodeURIComponent(anaLink!.split('&name=')[1])).toBe(`Ana Ruiz – ${summit().name.es}.pdf`);
    const anaKey = (await badges.get(EVENT, id, 'c1'))!.key;
    expect(anaKey).toMatch(new RegExp(`^badges/${EVENT}/${id}/c1/`));
    expect((await PDFDocument.load(badges.objects.get(anaKey)!)).getTitle()).toBe('Ana Ruiz');

    await answer(token, { responses: yes('welcome-cocktail'), companions: [{ ...bo, id: 'c2' }] });
    expect(await service.refreshAll(EVENT, id)).toEqual({ c1: 'removed', '': 'unchanged', c2: 'unchanged' });

    expect(badges.objects.has(anaKey)).toBe(false);
    expect(await service.link(EVENT, id, 300, 'c1')).toBeUndefined();
    expect(await service.link(EVENT, id, 300, 'c2')).toBeDefined();
    // A worker that read the invitation before the removal cannot bring the badge back.
    expect(await badges.claim(EVENT, id, 'late-fingerprint', clock.now(), 60_000, 'c1')).toBe(false);
    expect(await badges.markReady(EVENT, id, { fingerprint: 'late', key: 'late.pdf', version: 9 }, 'c1')).toBe(false);
  }, 30_000);

  it('renames reprint the companion’s badge; the print sheet keeps each delegation together', async () => {
    const a = await invite(1, { guests: 2, name: 'Zoe Mayor' });
    const b = await invite(2, { guests: 0, name: 'Adam Mayor' });
    await answer(a.token, { responses: yes('welcome-cocktail'), companions: [ana, bo] });
    await answer(b.token, { responses: yes('welcome-cocktail') });
    await service.refreshAll(EVENT, a.id);
    await answer(a.token, {
      responses: yes('welcome-cocktail'),
      companions: [
        { ...ana, id: 'c1', name: 'Ana María Ruiz' },
        { ...bo, id: 'c2' },
      ],
    });
    expect(await service.refreshAll(EVENT, a.id)).toEqual({ '': 'unchanged', c1: 'rendered', c2: 'unchanged' });

    const sheet = await service.printSheet(EVENT, 'A4');

    expect(sheet?.count).toBe(4);
    const key = decodeURIComponent(new URL(sheet!.url).pathname.slice(1));
    expect((await PDFDocument.load(badges.objects.get(key)!)).getPageCount()).toBe(1);
    const order = sheetInputs(await store.listInvitations(EVENT), (await store.getEvent(EVENT))!).map((i) => i.displayName);
    expect(order).toEqual(['Adam Mayor', 'Zoe Mayor', 'Ana María Ruiz', 'Bo Chen']);
  }, 30_000);
});
