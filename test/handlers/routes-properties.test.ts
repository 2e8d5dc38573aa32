import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as z from '../../functions/domain/zod.js';
import { CapacityService } from '#domain/capacity.js';
import { EventService } from '#domain/events.js';
import { SignInRefusedError } from '#domain/sign-in.js';
import { IMPORT_FIELDS, InvitationService, listQuerySchema } from '#domain/invitations.js';
import { resendInvitation } from '#domain/invitations/resend.js';
import { TOPICS } from '#domain/summit-seed.js';
import { RsvpService, rsvpRequestSchema } from '#domain/rsvp.js';
import { createCredentialSigner, seedFromSecret, verifyCredential } from '#domain/badge/index.js';
import { CheckinService, scanSchema, type StoredScan } from '#domain/checkin/service.js';
import { editInvitationSchema, InvitationAdminService, replaceInviteeSchema, revokeInvitationSchema } from '#domain/invitation-admin.js';
import { invitationIdFor } from '#domain/tokens.js';
import { deriveKeys } from '#shared/app-keys.js';
import type { HttpEvent, HttpResult } from '#shared/http.js';
import { buildApp } from '../../lib/app.js';
import { FakeDirectory, MemoryAccreditationRecords, MemoryAuditTrail, MemoryPeopleChanges } from '../fixtures/memory-access.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { CommunicationsService } from '#domain/communications/service.js';
import { MemoryCommunicationQueue, MemoryCommunicationsStore } from '../fixtures/memory-communications.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, context, organizer } from './events.js';

/**
 * Issue 10: every route of the synthesized template, at handler level, with inputs drawn from its
 * input schema (valid values, wrong types, hostile text): never a 5xx, never a crash, and a 4xx
 * leaves the store exactly as it was. Routes come from the template (route → integration →
 * function → `POWERTOOLS_SERVICE_NAME`), so a new route without a harness here fails the test.
 */
const EVENT = 'na-mayors-summit-2019';
const SEEDED_EMAIL = 'mayor1@city1.example';
const RUNS = Number(process.env.CUMBRE_PROPERTY_RUNS ?? 40);

type Handler = (event: HttpEvent, ctx: typeof context) => Promise<HttpResult>;
interface World {
  store: MemoryStore;
  token: string;
}

// ---------------------------------------------------------------------------------------------
// The routes, from the template.
// ---------------------------------------------------------------------------------------------
type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const templateRoutes = () => {
  const cdkContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<string, unknown>;
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
  const resources = Template.fromStack(buildApp(app)).toJSON().Resources as Resources;
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
    .map((route) => {
      // Target: integrations/<Ref>; the integration's URI is the function's Arn.
      const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
      const fnId = resources[integrationId].Properties.IntegrationUri['Fn::GetAtt'][0] as string;
      const service = resources[fnId].Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME as string;
      const [method, path] = (route.Properties.RouteKey as string).split(' ') as [string, string];
      return { method, path, handler: service.replace(/^cumbre-/, ''), authorized: route.Properties.AuthorizationType === 'JWT' };
    });
};

// ---------------------------------------------------------------------------------------------
// Inputs: values each schema accepts, and values it must refuse.
// ---------------------------------------------------------------------------------------------
const HOSTILE = [
  '',
  ' ',
  '%',
  '%25',
  'a%2525ZZ',
  '%E0%A4%A',
  '\uD800',
  '\uDFFF x',
  '\u202Egpj.exe',
  'Ana\r\nLópez',
  '\u0085',
  '\u2028',
  '\u200B',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '=HYPERLINK("x")',
  '../../etc/passwd',
  'null',
  '{}',
  '__proto__',
  'constructor',
  'x'.repeat(5000),
];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 20 }));
const anyValue = fc.oneof(hostileString, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(true, false, null, -1, 0, 1, 2, 3, 1.5, Number.MAX_VALUE));

const sessionIds = summit().sessions.map((s) => s.id);
const VALID: Record<string, fc.Arbitrary<unknown>> = {
  email: fc.constantFrom(SEEDED_EMAIL, 'new.person@city.example', 'MAYOR1@CITY1.example'),
  name: fc.constantFrom('Ana López', 'José Núñez', 'می\u200Cخواهم', 'Jose\u0301'),
  title: fc.constantFrom('Mayor', 'Presidenta Municipal'),
  organization: fc.constantFrom('Tijuana', 'Québec'),
  country: fc.constantFrom('MX', 'us', 'CA'),
  category: fc.constantFrom('mayor-mx', 'academic'),
  language: fc.constantFrom('es', 'en', 'fr'),
  sessions: fc.subarray(sessionIds),
  guests: fc.integer({ min: 0, max: 2 }),
  responses: fc.array(fc.record({ sessionId: fc.constantFrom(...sessionIds), attending: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  dietary: fc.constantFrom('Vegetarian', 'No nuts\nNo gluten'),
  accessibility: fc.constantFrom('Ramp'),
  badgeName: fc.constantFrom('Ana'),
  topics: fc.subarray([...TOPICS]),
  accreditation: fc.record({ nationality: fc.constantFrom('MX', 'CA'), idDocumentNumber: fc.constantFrom('AB123456') }),
  status: fc.constantFrom('pending', 'confirmed'),
  q: fc.constantFrom('ana', 'nunez'),
  sort: fc.constantFrom('name', 'updatedAt'),
  limit: fc.constantFrom('1', '50', '500'),
  dryRun: fc.constantFrom('true', 'false'),
  paper: fc.constantFrom('A4', 'Letter'),
  lang: fc.constantFrom('es', 'en', 'fr'),
  username: fc.constantFrom('organizer'),
  password: fc.constantFrom('A-long-password-1'),
};

/** An object over a schema's own keys (plus a stranger), each value valid, wrong or hostile. */
const objectOver = (keys: readonly string[]) =>
  fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.constantFrom('unknown', '__proto__')), fc.oneof(...keys.map((k) => VALID[k] ?? anyValue), anyValue), {
    maxKeys: keys.length + 1,
  });
const shapeKeys = (schema: z.ZodMiniObject) => Object.keys(schema.shape);

const IMPORT_KEYS = [...IMPORT_FIELDS];
const importRow = fc.oneof(
  fc.record(Object.fromEntries(IMPORT_KEYS.map((k) => [k, fc.oneof(VALID[k], anyValue)])), { requiredKeys: [] }),
  objectOver(IMPORT_KEYS),
  fc.constant(invitee(1)),
);
const csvCell = (v: unknown) => (Array.isArray(v) ? v.join(';') : typeof v === 'string' ? `"${v.replace(/"/g, '""')}"` : v === undefined ? '' : JSON.stringify(v));
const csvOf = fc.tuple(fc.subarray(IMPORT_KEYS, { minLength: 1 }), fc.boolean(), fc.array(importRow, { minLength: 0, maxLength: 4 })).map(([header, repeat, rows]) => {
  const columns = repeat ? [...header, header[0]] : header;
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell((r as Record<string, unknown>)[c])).join(','))].join('\n');
});

interface Input {
  path: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  contentType?: string;
  accept?: string;
}

const pathValue = (name: string) => {
  const good: Record<string, string[]> = {
    eventId: [EVENT, 'nope-2020'],
    invitationId: ['SEEDED', 'inv_000000000000000000000000'],
    token: ['TOKEN', 'x'.repeat(43)],
    asset: ['admin-app.js', 'admin.css', 'x.js', 'app.js', 'sw.js', 'manifest.webmanifest'],
  };
  return fc.oneof(
    fc.constantFrom(...(good[name] ?? ['x'])),
    hostileString.filter((s) => s.length > 0),
  );
};
// check-in: the harness's badge key, and scans that pass the schema with a credential it signed (or a forged one).
const doorSigner = createCredentialSigner(seedFromSecret('property-door'));
const doorForger = createCredentialSigner(seedFromSecret('property-forger'));
const validScan = fc.record({
  id: fc.uuid({ version: 4 }),
  token: fc
    .constantFrom(doorSigner, doorForger)
    .map((signer) => signer.sign({ v: 2, e: EVENT, i: invitationIdFor(EVENT, SEEDED_EMAIL), h: '', s: ['working-day-1'], n: 1, iat: 1_559_800_000 })),
  session: fc.constantFrom('working-day-1', 'after-party'),
  door: fc.constantFrom('Norte', 'Sur'),
  device: fc.constantFrom('phone-north-1'),
  at: fc.constantFrom('2019-06-07T15:01:00.000Z'),
  verdict: fc.constantFrom('admit', 'duplicate', 'refuse'),
});
/** Scans stored by each world's check-in harness, part of the snapshot: a refused upload must store none. */
const scanStores = new WeakMap<MemoryStore, Map<string, StoredScan>>();

const bodyFor = (method: string, handler: string): fc.Arbitrary<Pick<Input, 'body' | 'contentType'>> => {
  if (method !== 'POST' && method !== 'PATCH') return fc.constant({});
  const json = (a: fc.Arbitrary<unknown>) => a.map((v) => ({ body: JSON.stringify(v), contentType: 'application/json' }));
  const junk = fc.record({
    body: fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('{"a":', '[]', '42', 'null', '')),
    contentType: fc.constantFrom('application/json', 'text/csv', 'application/x-www-form-urlencoded', 'text/plain', ''),
  });
  const byHandler: Record<string, fc.Arbitrary<Pick<Input, 'body' | 'contentType'>>> = {
    'import-invitations': fc.oneof(
      json(fc.oneof(importRow, fc.array(importRow, { maxLength: 4 }))),
      csvOf.map((body) => ({ body, contentType: 'text/csv' })),
    ),
    rsvp: fc.oneof(
      json(objectOver(shapeKeys(rsvpRequestSchema))),
      json(
        fc.record(
          {
            responses: VALID.responses,
            guests: fc.oneof(VALID.guests, anyValue),
            topics: fc.oneof(VALID.topics, fc.array(fc.constantFrom(...TOPICS), { maxLength: 8 })),
            accreditation: fc.oneof(VALID.accreditation, anyValue),
            badgeName: fc.oneof(VALID.badgeName, hostileString),
          },
          { requiredKeys: ['responses'] },
        ),
      ),
      fc
        .array(
          fc.tuple(
            fc.constantFrom(...sessionIds.map((s) => `session.${s}`), 'guests', 'dietary', 'topics', 'nationality', '_csrf'),
            fc.oneof(fc.constantFrom('yes', 'no', '1'), hostileString),
          ),
          { maxLength: 6 },
        )
        .map((pairs) => ({ body: new URLSearchParams(pairs).toString(), contentType: 'application/x-www-form-urlencoded' })),
    ),
    'admin-session': json(
      fc.oneof(objectOver(['username', 'password', 'challenge', 'session', 'code', 'newPassword']), fc.record({ username: VALID.username, password: VALID.password })),
    ),
    'invitation-detail': fc.constant({}),
    // check-in: scans over the schema's keys, some carrying a real credential of the seeded invitation
    checkin: json(fc.record({ scans: fc.array(fc.oneof(objectOver(shapeKeys(scanSchema)), validScan), { maxLength: 3 }) })),
    // invitations (organizer edits): edits, a deputy, a revocation (on the seeded version or another), and an answer as JSON or the RSVP form's fields
    'invitation-admin': fc.oneof(
      json(objectOver([...new Set([...shapeKeys(editInvitationSchema), ...shapeKeys(replaceInviteeSchema), ...shapeKeys(revokeInvitationSchema)])])),
      json(
        fc.record(
          {
            version: fc.oneof(fc.constant(1), anyValue),
            name: fc.oneof(fc.constant('Deputy Mayor'), hostileString),
            email: fc.oneof(fc.constant('deputy@city.example'), hostileString),
            sessions: fc.oneof(fc.subarray(sessionIds, { minLength: 1 }), anyValue),
            guestsAllowed: fc.oneof(fc.constantFrom(0, 1, 2), anyValue),
            reason: fc.oneof(fc.constant('Duplicate'), hostileString),
          },
          { requiredKeys: ['version'] },
        ),
      ),
      json(objectOver(shapeKeys(rsvpRequestSchema))),
      json(fc.record({ responses: VALID.responses, guests: fc.oneof(VALID.guests, anyValue) }, { requiredKeys: ['responses'] })),
      fc
        .array(
          fc.tuple(
            fc.constantFrom(...sessionIds.map((x) => `session.${x}`), 'guests', 'dietary', 'topics', 'nationality'),
            fc.oneof(fc.constantFrom('yes', 'no', '1'), hostileString),
          ),
          {
            maxLength: 6,
          },
        )
        .map((pairs) => ({ body: new URLSearchParams(pairs).toString(), contentType: 'application/x-www-form-urlencoded' })),
    ),
    // reminders
    messages: json(
      fc.record(
        {
          content: fc.oneof(
            fc.constant({ es: { subject: 'Aviso', body: 'Texto https://x.example/a' } }),
            fc.dictionary(fc.constantFrom('es', 'en', 'fr', 'de'), fc.record({ subject: hostileString, body: hostileString }), { maxKeys: 3 }),
          ),
          filter: fc.oneof(fc.constant({}), objectOver(['sessionId', 'status', 'category', 'country', 'language'])),
          requestId: fc.oneof(fc.uuid(), hostileString),
        },
        { requiredKeys: [] },
      ),
    ),
  };
  return fc.oneof(byHandler[handler] ?? fc.constant({}), junk);
};
const queryFor = (handler: string): fc.Arbitrary<Record<string, string> | undefined> => {
  const keys: Record<string, string[]> = {
    'list-invitations': shapeKeys(listQuerySchema),
    'import-invitations': ['dryRun'],
    'badge-sheet': ['paper', 'lang'],
    rsvp: ['lang'],
    'admin-page': ['lang', 'event'],
  };
  const own = keys[handler] ?? [];
  return fc.option(
    fc.dictionary(
      fc.oneof(...(own.length ? [fc.constantFrom(...own)] : []), fc.constantFrom('x', 'lang')),
      fc.oneof(...own.map((k) => (VALID[k] ?? hostileString) as fc.Arbitrary<string>), hostileString.map(String)),
      { maxKeys: 3 },
    ),
    { nil: undefined },
  );
};

// ---------------------------------------------------------------------------------------------
// A harness per handler: the real handler with in-memory ports.
// ---------------------------------------------------------------------------------------------
const clock = fixedClock(BEFORE_DEADLINE);
const harnesses: Record<string, (world: World) => Promise<Handler>> = {
  'import-invitations': async ({ store }) =>
    (await import('../../functions/handlers/import-invitations.js')).makeHandler({
      invitations: new InvitationService({ store, clock, ids: sequentialIds(), tokenSecret: deriveKeys('p').rsvpTokens, publicBaseUrl: 'https://rsvp.example.org' }),
      audit: new MemoryAuditTrail(),
    }),
  'list-invitations': async ({ store }) => (await import('../../functions/handlers/list-invitations.js')).makeHandler({ store }),
  'manage-event': async ({ store }) =>
    (await import('../../functions/handlers/manage-event.js')).makeHandler({
      events: new EventService({ store, clock, ids: sequentialIds('ev'), backoff: async () => {} }),
      listEventIds: () => store.listEventIds(),
      audit: new MemoryAuditTrail(),
    }),
  'get-capacity': async ({ store }) =>
    (await import('../../functions/handlers/get-capacity.js')).makeHandler({ capacity: new CapacityService({ store, clock, ids: sequentialIds() }) }),
  'export-accreditation': async ({ store }) => {
    const audit = new MemoryAuditTrail();
    return (await import('../../functions/handlers/export-accreditation.js')).makeHandler({ store, audit, records: new MemoryAccreditationRecords(store, audit) });
  },
  'audit-trail': async () => (await import('../../functions/handlers/audit-trail.js')).makeHandler({ audit: new MemoryAuditTrail() }),
  people: async ({ store }) => {
    const audit = new MemoryAuditTrail();
    return (await import('../../functions/handlers/people.js')).makeHandler({ directory: new FakeDirectory(), store, audit, changes: new MemoryPeopleChanges(audit) });
  },
  'admin-export-attendees': async ({ store }) => (await import('../../functions/handlers/admin-export-attendees.js')).makeHandler({ store }),
  'invitation-detail': async ({ store }) =>
    (await import('../../functions/handlers/invitation-detail.js')).makeHandler({
      store,
      resend: (eventId, invitationId) => resendInvitation({ store, clock, ids: sequentialIds('resend') }, eventId, invitationId),
      history: { history: async () => [] },
      badges: { get: async () => undefined },
      audit: new MemoryAuditTrail(),
    }),
  'invitation-admin': async ({ store }) =>
    (await import('../../functions/handlers/invitation-admin.js')).makeHandler({
      admin: new InvitationAdminService({ store, clock, ids: sequentialIds('adm'), tokenSecret: 'seed', publicBaseUrl: 'https://x.example', backoff: async () => {} }),
      rsvp: new RsvpService({ store, clock, ids: sequentialIds('rsvp'), backoff: async () => {} }),
    }),
  'badge-link': async ({ store }) =>
    (await import('../../functions/handlers/badge-link.js')).makeHandler({
      store,
      ledger: {
        get: async (_e: string, id: string) =>
          id === invitationIdFor(EVENT, SEEDED_EMAIL) ? { fingerprint: 'f', key: `badges/${id}.pdf`, status: 'READY', version: 1 } : undefined,
      } as never,
      storage: { linkFor: async (key: string) => `https://badges.example/${encodeURIComponent(key)}`, exists: async () => true },
      renders: { request: async () => {} },
    }),
  'badge-sheet': async () =>
    (await import('../../functions/handlers/badge-sheet.js')).makeHandler({ badges: { printSheet: async () => ({ count: 1, url: 'https://badges.example/sheet.pdf' }) } as never }),
  rsvp: async ({ store }) =>
    (await import('../../functions/handlers/rsvp.js')).makeHandler({
      rsvp: new RsvpService({ store, clock, ids: sequentialIds('rsvp'), backoff: async () => {} }),
      csrfKey: 'csrf-key',
      clock,
    }),
  'admin-page': async () =>
    (await import('../../functions/handlers/admin-page.js')).makeHandler({ script: () => '/* app */', checkin: { app: () => '/* door */', sw: () => '/* sw */' } }),
  checkin: async ({ store }) => {
    const items = new Map<string, StoredScan>();
    scanStores.set(store, items);
    return (await import('../../functions/handlers/checkin.js')).makeHandler({
      store,
      checkin: new CheckinService({
        store,
        scans: {
          put: async (eventId, scan) => (items.has(`${eventId}#${scan.id}`) ? 'already' : (items.set(`${eventId}#${scan.id}`, scan), 'recorded')),
          list: async (eventId) => [...items.entries()].filter(([k]) => k.startsWith(`${eventId}#`)).map(([, v]) => v),
        },
        badges: { listBadges: async () => [] },
        signer: doorSigner,
        verify: (token) => verifyCredential(token, doorSigner.publicKeyRaw),
        clock,
      }),
    });
  },
  // reminders
  messages: async ({ store }) =>
    (await import('../../functions/handlers/messages.js')).makeHandler({
      communications: new CommunicationsService({
        store: new MemoryCommunicationsStore(store),
        queue: new MemoryCommunicationQueue(),
        clock,
        publicBaseUrl: 'https://rsvp.example.org',
      }),
      audit: new MemoryAuditTrail(),
    }),
  unsubscribe: async ({ store }) =>
    (await import('../../functions/handlers/unsubscribe.js')).makeHandler({
      communications: new CommunicationsService({
        store: new MemoryCommunicationsStore(store),
        queue: new MemoryCommunicationQueue(),
        clock,
        publicBaseUrl: 'https://rsvp.example.org',
      }),
      unsubscribeKey: 'unsubscribe-key',
    }),
  'admin-session': async () =>
    (await import('../../functions/handlers/admin-session.js')).makeHandler({
      auth: {
        signIn: async (username: string, password: string) => {
          if (username === 'organizer' && password === 'A-long-password-1') return { idToken: 'id', expiresIn: 3600 };
          throw new SignInRefusedError();
        },
        answer: async () => {
          throw new SignInRefusedError();
        },
      },
    }),
};

/** A fresh store with the summit and one invitation, so valid tokens and ids reach real code paths. */
const newWorld = async (): Promise<World> => {
  const store = new MemoryStore();
  await store.putEventDefinition(summit());
  const [row] = await new InvitationService({ store, clock, ids: sequentialIds('seed'), tokenSecret: 'seed', publicBaseUrl: 'https://x.example' }).import(EVENT, [
    { row: 1, data: invitee(1, { guests: 2 }) },
  ]);
  return { store, token: row.rsvpUrl!.split('/rsvp/')[1] };
};
const snapshot = (store: MemoryStore) =>
  JSON.stringify({
    events: [...store.events.entries()].map(([id, e]) => [id, e.definition, [...e.sessions.entries()]]),
    invitations: [...store.invitations.entries()],
    accreditations: [...store.accreditations.entries()],
    outbox: store.outbox,
    waitlists: [...store.waitlists.entries()].map(([k, v]) => [k, [...v.entries()]]),
    audits: store.audits,
    scans: [...(scanStores.get(store)?.entries() ?? [])],
  });

let routes: ReturnType<typeof templateRoutes>;
beforeAll(() => {
  routes = templateRoutes();
}, 600_000);

describe('every route of the template under generated input', () => {
  it('has a harness for each route’s function (a new route must be added here)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.map((r) => r.handler).filter((h) => !harnesses[h])).toEqual([]);
  });

  it('never answers 5xx, never throws, and changes nothing on a 4xx', { timeout: 600_000 }, async () => {
    for (const route of routes) {
      const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const input: fc.Arbitrary<Input> = fc
        .record({
          path: fc.record(Object.fromEntries(params.map((p) => [p, pathValue(p)]))),
          query: queryFor(route.handler),
          body: bodyFor(route.method, route.handler),
          accept: fc.constantFrom('application/json', 'text/html', '*/*'),
        })
        .map(({ body, ...rest }) => ({ ...rest, ...body }));
      await fc.assert(
        fc.asyncProperty(input, async (generated) => {
          const world = await newWorld();
          const handler = await harnesses[route.handler](world);
          const path = Object.fromEntries(
            Object.entries(generated.path).map(([k, v]) => [k, v === 'TOKEN' ? world.token : v === 'SEEDED' ? invitationIdFor(EVENT, SEEDED_EMAIL) : v]),
          );
          const before = snapshot(world.store);
          const event = apiEvent({
            method: route.method as 'GET' | 'POST',
            route: route.path,
            path,
            query: generated.query,
            body: generated.body,
            contentType: generated.contentType ?? 'application/json',
            headers: { accept: generated.accept ?? '*/*' },
            ...(route.authorized ? { claims: organizer } : {}),
          });
          if (generated.contentType === '') delete event.headers['content-type'];
          const res = await handler(event, context);
          const status = res.statusCode ?? 0;
          const where = `${route.method} ${route.path} with ${JSON.stringify(generated).slice(0, 400)}`;
          expect(status, `${where} → ${res.body?.slice(0, 300)}`).toBeLessThan(500);
          expect(status, where).toBeGreaterThanOrEqual(200);
          if (status >= 400) expect(snapshot(world.store), `${where} changed the store on ${status}`).toBe(before);
        }),
        { numRuns: RUNS },
      );
    }
  });
});
