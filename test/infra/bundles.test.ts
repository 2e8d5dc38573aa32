import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../local/index.js';
import { createLog } from '../../local/log.js';

/**
 * What each Lambda bundle carries, read from esbuild's metafile (`bundling.metafile` in AppFunction)
 * after a real synth with bundling. Structure, not timing: a module that should not be there fails
 * here on any machine. The functions come from the template; this table only says what each may be.
 *
 * `renders`: the function draws badges, so it must carry pdf-lib, fontkit, qrcode and the fonts;
 * every other function must carry none of them. `maxKB`: budget for `index.mjs`. The sizes in the
 * comments below predate the env-credentials alias, which took ~130 KB out of every SDK bundle; the
 * budgets were lowered again by 5–10 KB when the outbox, audit-query and import schemas left the
 * functions that never use them, and by ~60 KB each when classic zod gave way to zod/mini.
 */
const BUDGET: Record<string, { maxKB: number; renders?: true; provider?: true }> = {
  // Delegations (companion rows on the page, their schema and plan) took it just past 600; the
  // revoked and passed-on link pages and closed-early/cancelled-session texts to 620.
  rsvp: { maxKB: 440 },
  'import-invitations': { maxKB: 360 },
  'list-invitations': { maxKB: 305 },
  'get-capacity': { maxKB: 305 },
  'manage-event': { maxKB: 325 },
  'export-accreditation': { maxKB: 310 },
  'admin-export-attendees': { maxKB: 300 },
  'invitation-detail': { maxKB: 305 },
  // invitations (organizer edits): the RSVP service and the RSVP form's reader (with the invitee catalogues for its field errors)
  'invitation-admin': { maxKB: 415 },
  // The shell, its ICU catalogues and the dashboard script (intl-messageformat) it serves.
  // 294 KB with the events, messages, arrivals and invitation-edit views and their texts.
  // 243 KB with the audit trail's words (audit-words.ts, ~30 keys in three catalogues) and the
  // organizer route table the shell gates its controls from.
  'admin-page': { maxKB: 250 },
  // Cognito sign-in and TOTP enrolment (the sealed session between its two steps).
  'admin-session': { maxKB: 275 },
  'badge-link': { maxKB: 505 },
  'badge-sheet': { maxKB: 1915, renders: true },
  'badge-worker': { maxKB: 1935, renders: true },
  // MIME (nodemailer) and the SES client; no PDF code. It carries the SQS client too (18 KB): a
  // message whose email another worker holds is handed back (ChangeMessageVisibility). It also
  // renders reminders, group messages and capacity alerts (843 KB before the cuts above).
  'email-worker': { maxKB: 685 },
  // Fans out event edits (calendars, cancellations), finishes raised capacities and queues capacity
  // alerts to the email worker: no SES client, no MIME (619 KB when it sent the alerts itself).
  'capacity-worker': { maxKB: 360 },
  // 332 KB until the mailer's errors left delivery.ts, which brought nodemailer's module-level code and the templates.
  'ses-events': { maxKB: 280 },
  'stream-dispatcher': { maxKB: 315 },
  'outbox-sweeper': { maxKB: 295 },
  // Roles: people management (the Cognito client) and the audit trail.
  people: { maxKB: 355 },
  'audit-trail': { maxKB: 285 },
  // The pool's pre-token-generation trigger: the Cognito client and one command.
  'pre-token-generation': { maxKB: 220 },
  reconcile: { maxKB: 300 },
  // check-in: Ed25519 verification is node:crypto; no PDF code.
  checkin: { maxKB: 335 },
  'seed-event': { maxKB: 290 },
  // reminders: group messages and the schedule (SQS client, the renderer for previews); the unsubscribe page
  messages: { maxKB: 405 },
  'communications-scheduler': { maxKB: 395 },
  unsubscribe: { maxKB: 415 },
  // CDK's custom-resource provider framework: plain JS files, no bundle, no metafile.
  SeedProviderframeworkonEvent: { maxKB: 40, provider: true },
  // CDK's handler that empties a non-prod bucket on stack deletion: shipped by CDK, not bundled here.
  CustomS3AutoDeleteObjectsCustomResourceProviderHandler: { maxKB: 40, provider: true },
};

/** Modules only a badge renderer may carry (by package path), and font files by extension. */
const PDF_MODULES = [/node_modules\/pdf-lib\//, /node_modules\/@pdf-lib\/fontkit\//, /node_modules\/qrcode\//, /node_modules\/dejavu-fonts-ttf\//, /\.(ttf|otf|woff2?)$/];
const FORBIDDEN_NAMES = ['pdf-lib', '@pdf-lib/fontkit', 'qrcode', 'fonts'] as const;
const forbiddenIn = (inputs: string[]) =>
  FORBIDDEN_NAMES.filter((_, i) => (i < 3 ? inputs.some((p) => PDF_MODULES[i].test(p)) : inputs.some((p) => PDF_MODULES[3].test(p) || PDF_MODULES[4].test(p))));

interface Bundle {
  name: string;
  dir: string;
  files: string[];
  size: number;
  /** Inputs of index.mjs from the metafile, or undefined when the asset is not an esbuild bundle. */
  inputs?: Record<string, { bytesInOutput: number }>;
}

const root = path.resolve(import.meta.dirname, '../..');
let work: string;
let bundles: Bundle[];

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'cumbre-bundles-'));
  const cdkOut = path.join(work, 'cdk.out');
  await synthesize({ root, cdkOut, log: createLog({ level: 'error' }) });
  const template = JSON.parse(readFileSync(path.join(cdkOut, 'Cumbre-dev.template.json'), 'utf8'));
  bundles = Object.entries<any>(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([logicalId, r]) => {
      const dir = path.join(cdkOut, r.Metadata['aws:asset:path']);
      const files = walk(dir);
      const service: string | undefined = r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME;
      const name = service ? service.replace(/^cumbre-/, '') : logicalId.replace(/[0-9A-F]{8}$/, '');
      const metaFile = path.join(dir, 'index.meta.json');
      let inputs: Bundle['inputs'];
      if (existsSync(metaFile)) {
        const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
        const out = Object.entries(meta.outputs).find(([file]) => file.endsWith('/index.mjs'));
        if (!out) throw new Error(`${name}: the metafile names no index.mjs`);
        inputs = out[1].inputs;
      }
      const size = existsSync(path.join(dir, 'index.mjs')) ? statSync(path.join(dir, 'index.mjs')).size : files.reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
      return { name, dir, files, size, inputs };
    });
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('Lambda bundles', () => {
  it('have one budget row per function of the template, and no row for a function that is gone', () => {
    expect(bundles.length).toBeGreaterThan(0);
    expect(bundles.map((b) => b.name).sort()).toEqual(Object.keys(BUDGET).sort());
  });

  it('carry an esbuild metafile beside every index.mjs (AppFunction bundles)', () => {
    const bundled = bundles.filter((b) => b.files.includes('index.mjs'));
    expect(bundled.length).toBe(Object.values(BUDGET).filter((b) => !b.provider).length);
    for (const b of bundled) expect(b.inputs, b.name).toBeDefined();
  });

  it('carry pdf-lib, fontkit, qrcode and fonts only in functions that render badges', () => {
    const found = Object.fromEntries(
      bundles.map((b) => {
        const modules = b.inputs ? Object.keys(b.inputs) : b.files;
        // Fonts copied beside the bundle count as carried too.
        const fonts = b.files.some((f) => /\.(ttf|otf|woff2?)$/.test(f));
        const names = new Set<string>(forbiddenIn(modules));
        if (fonts) names.add('fonts');
        return [b.name, [...names].sort()];
      }),
    );
    const expected = Object.fromEntries(bundles.map((b) => [b.name, BUDGET[b.name]?.renders ? [...FORBIDDEN_NAMES].sort() : []]));
    expect(found).toEqual(expected);
  });

  it('carry zod/mini only: never classic zod, and of its locales only English (functions/domain/zod.ts)', () => {
    // Classic zod's schemas carry every chainable method and pull the whole library in: ~90 KB and
    // 10–20 ms of a cold start in each function that validates anything.
    const zodIn = (b: Bundle) => (b.inputs ? Object.keys(b.inputs).filter((p) => /node_modules\/zod\//.test(p)) : []);
    const classic = bundles.filter((b) => zodIn(b).some((p) => /node_modules\/zod\/v4\/classic\//.test(p))).map((b) => b.name);
    expect(classic).toEqual([]);
    const locales = [...new Set(bundles.flatMap((b) => zodIn(b).filter((p) => /\/locales\/[^/]+\.js$/.test(p) && !/\/locales\/index\.js$/.test(p))))].map((p) => path.basename(p));
    expect(locales).toEqual(['en.js']);
    // The functions that validate input carry it (a sample the template cannot drop silently).
    for (const name of ['rsvp', 'import-invitations', 'email-worker', 'checkin'])
      expect(
        zodIn(bundles.find((b) => b.name === name)!).some((p) => /node_modules\/zod\/v4\/mini\//.test(p)),
        name,
      ).toBe(true);
  });

  it("never carry the SDK's default credential chain (the bundles read the environment's credentials)", () => {
    // An import that bypasses the alias in AppFunction (lib/constructs/app-function.ts) would bring
    // back ~95 KB that every cold start parses: SSO, INI, IMDS providers and the clients behind them.
    const chain = /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients|token-providers)\//;
    const carrying = bundles.filter((b) => b.inputs && Object.keys(b.inputs).some((p) => chain.test(p))).map((b) => b.name);
    expect(carrying).toEqual([]);
  });

  it('carry the SES client and the MIME builder in the email worker only: it is the one function that sends', () => {
    // The capacity worker sent its alerts itself and carried both (~30 ms of its cold start); a
    // shared wiring module that imports the mailer would bring them back into any bundle.
    const sending = [/node_modules\/@aws-sdk\/client-sesv2\//, /node_modules\/nodemailer\//, /^functions\/domain\/email\/mime\.ts$/];
    for (const module of sending) {
      const carrying = bundles.filter((b) => b.inputs && Object.keys(b.inputs).some((p) => module.test(p))).map((b) => b.name);
      expect(carrying, String(module)).toEqual(['email-worker']);
    }
  });

  it('build the outbox, audit-query and invitation-import schemas only where they are used', () => {
    // Each of these modules builds zod schemas at import (10–25 ms of a cold start for the outbox's
    // eleven); a function that never parses what they describe must not carry them.
    const onlyIn: Array<[RegExp, string[]]> = [
      // Events are parsed by the stream dispatcher (stream records) and the queue workers (envelopes).
      [/^functions\/domain\/outbox-schemas\.ts$/, ['badge-worker', 'capacity-worker', 'email-worker', 'stream-dispatcher']],
      [/^functions\/domain\/access\/audit-query\.ts$/, ['audit-trail', 'people']],
      // The import (and csv-parse).
      [/^functions\/domain\/invitations\.ts$/, ['import-invitations']],
    ];
    for (const [module, allowed] of onlyIn) {
      const carrying = bundles.filter((b) => b.inputs && Object.keys(b.inputs).some((p) => module.test(p))).map((b) => b.name);
      expect(carrying.sort(), String(module)).toEqual(allowed);
    }
  });

  it('map their own code only: every functions/ module they carry, and nothing from node_modules', () => {
    for (const b of bundles.filter((x) => x.inputs)) {
      const map = JSON.parse(readFileSync(path.join(b.dir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      expect(
        map.sources.filter((s) => s.includes('node_modules/')),
        b.name,
      ).toEqual([]);
      // Sources are relative to the asset's directory; the metafile's inputs to the project root.
      const sources = map.sources.map((s) => s.replace(/^.*?(functions\/)/, '$1'));
      // Every module of ours that put code in the bundle is mapped (type-only and re-export modules put none).
      const own = Object.entries(b.inputs!)
        .filter(([p, v]) => p.startsWith('functions/') && v.bytesInOutput > 200)
        .map(([p]) => p);
      expect(
        own.filter((p) => !sources.includes(p)),
        b.name,
      ).toEqual([]);
    }
  });

  it('name the TypeScript line in a stack trace with the runtime flag they are deployed with', () => {
    // A cold start without its table fails in loadConfig: the trace must point into functions/shared/config.ts.
    const b = bundles.find((x) => x.name === 'get-capacity')!;
    const run = spawnSync(process.execPath, ['--enable-source-maps', path.join(b.dir, 'index.mjs')], {
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' },
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/Invalid function configuration: TABLE_NAME/);
    expect(run.stderr).toMatch(/functions\/shared\/config\.ts:\d+:\d+/);
  });

  it('stay within their size budgets', () => {
    const over = bundles.filter((b) => b.size > BUDGET[b.name].maxKB * 1024).map((b) => `${b.name}: ${(b.size / 1024).toFixed(0)} KB > ${BUDGET[b.name].maxKB} KB`);
    expect(over).toEqual([]);
  });
});
