/**
 * `npm run bench`: each figure next to a reference measured in the same run, on the same machine,
 * and their ratio; written to bench/results.json and bench/results.md. Speed is measured here,
 * never asserted in tests: it depends on the machine and its load.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import QRCode from 'qrcode';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createCredentialSigner, seedFromSecret } from '../functions/domain/badge/credential.js';
import { credentialClaims, credentialQr, renderBadge } from '../functions/domain/badge/render.js';
import { checkinBench } from './checkin.js';
import { InvitationService } from '../functions/domain/invitations.js';
import { RsvpService, defaultBackoff, parseRsvpRequest } from '../functions/domain/rsvp.js';
import { eventDefinitionSchema, type EventDefinition } from '../functions/domain/model.js';
import { loadBadgeFonts } from '../functions/adapters/badge-fonts.js';
import { DynamoCumbreStore, documentClient } from '../functions/adapters/dynamo-store.js';
import { keys, TOKEN_INDEX } from '../functions/adapters/dynamo-keys.js';
import { openPageStart, sealPageStart } from '../functions/pages/page-start.js';
import { hashToken } from '../functions/domain/tokens.js';
import type { RsvpRequest } from '../functions/domain/rsvp.js';
import { startLocalCloud, synthesize, type LocalCloud } from '../local/index.js';
import { createLog } from '../local/log.js';
import { capacityKind, capacityUnits, meterDifference, type DynamoMeterReading } from '../local/emulators/dynamo-meter.js';
import { freePort } from '../local/ports.js';
import { createTestTable } from '../test/support/dynamo.js';
import { ENV_CREDENTIALS, ESM_REQUIRE_BANNER, SDK_CREDENTIAL_CHAIN } from '../lib/constructs/app-function.js';

const root = new URL('../', import.meta.url).pathname;
const lines: string[] = [];
const say = (line = '') => {
  lines.push(line);
  console.log(line);
};
const median = (xs: number[]) => percentile(xs, 50);
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const f1 = (n: number) => n.toFixed(1);
/** Milliseconds every core spent busy and in all, since boot: two readings give the machine's load between them. */
const cpuTimes = () =>
  cpus().reduce(
    (acc, c) => ({
      busy: acc.busy + c.times.user + c.times.nice + c.times.sys + c.times.irq,
      total: acc.total + c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle,
    }),
    { busy: 0, total: 0 },
  );

/**
 * CPU time (clock ticks) of this process and every process under it, by what it runs: DynamoDB
 * Local, each function (its sandboxes together), cognito-local, and this process, which also runs
 * the gateway, the event-source pollers, fauxqs and the SES emulator. Linux /proc; empty elsewhere.
 */
const processCpu = async (): Promise<Map<string, number>> => {
  const procs: Array<{ pid: number; ppid: number; ticks: number; label: string }> = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      const fn = /harness\.mjs \S*:function:([^ ]+)/.exec(cmd)?.[1];
      const label =
        Number(entry) === process.pid
          ? 'bench process (gateway, pollers, fauxqs, SES emulator)'
          : /DynamoDBLocal\.jar/.test(cmd)
            ? 'DynamoDB Local'
            : fn
              ? fn.replace(/^Cumbre-[a-z]+-/, '')
              : /cognito-local/.test(cmd)
                ? 'cognito-local'
                : 'other';
      procs.push({ pid: Number(entry), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), label });
    } catch {
      // gone meanwhile
    }
  }
  const parent = new Map(procs.map((p) => [p.pid, p.ppid]));
  const mine = (pid: number): boolean => {
    for (let p: number | undefined = pid; p; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  const byLabel = new Map<string, number>();
  for (const p of procs) if (mine(p.pid)) byLabel.set(p.label, (byLabel.get(p.label) ?? 0) + p.ticks);
  return byLabel;
};
/** Each label's share of the CPU used between two readings, largest first. */
const cpuShares = (before: Map<string, number>, after: Map<string, number>) => {
  const used = [...after].map(([label, t]) => [label, t - (before.get(label) ?? 0)] as const).filter(([, t]) => t > 0);
  const total = used.reduce((n, [, t]) => n + t, 0);
  return used.sort((a, b) => b[1] - a[1]).map(([label, t]) => ({ label, share: t / total }));
};

/** One row of the issue's table: a figure, its reference from this run, the ratio and the target. */
interface Row {
  figure: string;
  value: number;
  unit: string;
  reference?: { what: string; value: number };
  ratio?: number;
  target: string;
  met?: boolean;
  note?: string;
  /** What no design of this path can go under, measured in the same run (e.g. the one read a link needs, then the bare transaction). */
  floor?: { what: string; value: number };
}
const rows: Row[] = [];
export type BenchRow = Row;
const row = (r: Row) => {
  rows.push(r);
  const ref = r.reference ? ` vs ${r.reference.what} ${f1(r.reference.value)} ${r.unit} = ${r.ratio!.toFixed(2)}×` : '';
  const floor = r.floor ? `; floor (${r.floor.what}) ${f1(r.floor.value)} ${r.unit}` : '';
  console.log(`→ ${r.figure}: ${f1(r.value)} ${r.unit}${ref}${floor} (target ${r.target}${r.met === undefined ? '' : r.met ? ', met' : ', NOT met'})`);
};

const machine = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
  node: process.version,
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
};

const summit = eventDefinitionSchema.parse(JSON.parse(await readFile(join(root, 'seed/na-mayors-summit-2019.json'), 'utf8')));
const clock = { now: () => new Date('2019-05-01T12:00:00Z') };
const ids = { newId: () => randomUUID() };
const SESSION = 'working-day-1';
/** The summit under another id, the benchmarked session at the given capacity. */
const eventWith = (id: string, capacity: number): EventDefinition => ({ ...summit, id, sessions: summit.sessions.map((s) => (s.id === SESSION ? { ...s, capacity } : s)) });
const yes = parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: true }] });

/** What the sections measured: the cost model takes `badgeBytes` and `cloud`; all of it goes to results.json. */
const measured = {
  dynamo: { importRcu: 0, importWcu: 0, viewRcu: 0, answerRcu: 0, answerWcu: 0 },
  badgeBytes: 0,
  cloud: undefined as
    | undefined
    | {
        invitees: number;
        invocations: Record<string, number>;
        durationMs: Record<string, number>;
        emails: number;
        emailBytes: number;
        attachmentBytes: number;
        apiRequests: number;
        logBytes: number;
        /** Everything the functions asked of DynamoDB for these invitees, through the local cloud's meter. */
        dynamo: DynamoMeterReading;
      },
};

// ---------------------------------------------------------------------------------------------
// Badges

async function badges() {
  say('\n## Badges (pdf-lib, DejaVu subset, vector QR, one core)\n');
  const signer = createCredentialSigner(seedFromSecret('bench'));
  const deps = { fonts: loadBadgeFonts(), signer };
  const input = (i: number) => ({
    eventId: summit.id,
    invitationId: `inv_${String(i).padStart(24, '0')}`,
    version: 1,
    displayName: `Josefina Núñez-Łódź ${i}`,
    title: 'Presidenta Municipal',
    organization: 'Tijuana, Baja California',
    country: 'MX',
    category: 'mayor-mx' as const,
    categoryLabel: summit.categories[0].name.es,
    categoryColor: summit.categories[0].color,
    eventName: summit.name.es,
    eventDates: '6–8 de junio de 2019',
    sessions: summit.sessions.map((x) => ({ id: x.id, label: x.name.es })),
    language: 'es' as const,
  });
  for (let i = 0; i < 5; i++) await renderBadge(input(i), deps);
  const n = 200;
  let bytes = 0;
  const t = performance.now();
  for (let i = 0; i < n; i++) bytes += (await renderBadge(input(i), deps)).length;
  const perSecond = n / ((performance.now() - t) / 1000);
  measured.badgeBytes = bytes / n;
  say(`- ${n} badges one at a time: ${perSecond.toFixed(0)} badges/s, ${(bytes / n / 1024).toFixed(1)} KB per badge`);
  row({ figure: 'Badges per second, one core', value: perSecond, unit: 'badges/s', target: '≥ 80/s', met: perSecond >= 80 });
  row({ figure: 'Badge size', value: bytes / n / 1024, unit: 'KB', target: '≤ 20 KB', met: bytes / n / 1024 <= 20 });
  // A companion's credential with every session of the summit: the largest a badge carries.
  const token = signer.sign({ ...credentialClaims({ ...input(0), invitationId: 'inv_0123456789abcdef01234567', holder: 'c2' }, new Date()) });
  const qr = credentialQr(token);
  // The same text in byte mode, as the previous encoding was stored: what alphanumeric mode saves.
  const asBytes = QRCode.create([{ data: new TextEncoder().encode(token), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const module = (150 / (qr.modules.size + 8)) * (25.4 / 72);
  say(
    `- badge credential: ${token.length} characters (Base45, alphanumeric mode) → QR version ${qr.version}, ${qr.modules.size} modules per side (error correction M; ${module.toFixed(2)} mm modules on the badge); in byte mode it would be version ${asBytes.version}, ${asBytes.modules.size} modules`,
  );
  row({
    figure: 'Badge QR, modules per side',
    value: qr.modules.size,
    unit: 'modules',
    note: `version ${qr.version}, a ${token.length}-character credential; byte mode: version ${asBytes.version}`,
    reference: { what: 'the same text in byte mode', value: asBytes.modules.size },
    ratio: qr.modules.size / asBytes.modules.size,
    target: 'report (the previous CUM1 JSON credential: version 13, 69 modules)',
  });
}

// ---------------------------------------------------------------------------------------------
// DynamoDB: answers against bare transactions of the same shape

/**
 * The local cloud's meter (local/emulators/dynamo-meter.ts) inside this process: adds
 * ReturnConsumedCapacity to every data request and sums what DynamoDB Local reports.
 */
const meterCapacity = (client: DynamoDBClient) => {
  const meter = { rcu: 0, wcu: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const kind = capacityKind((context.commandName ?? '').replace(/Command$/, ''));
      if (!kind) return next(args);
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity ??= 'TOTAL';
      const out = await next(args);
      meter[kind === 'read' ? 'rcu' : 'wcu'] += capacityUnits((out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
      return out;
    },
    { step: 'initialize', name: 'benchCapacityMeter' },
  );
  return meter;
};

/**
 * The floor of an answer: one TransactWriteItems with the answer's shape — the seat counter's
 * conditional ADD, an invitation-sized put and an outbox put — and no reads. Retries a lost race
 * with the service's own backoff.
 */
const bareAnswer = (doc: DynamoDBDocumentClient, table: string, counter: { pk: string; sk: string }, invitationItem: Record<string, unknown>, capacity: number) => async () => {
  for (let attempt = 1; ; attempt++) {
    const id = randomUUID();
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: counter,
                UpdateExpression: 'ADD confirmedSeats :one, confirmedParties :one',
                ConditionExpression: 'confirmedSeats <= :max',
                ExpressionAttributeValues: { ':one': 1, ':max': capacity - 1 },
              },
            },
            {
              Put: {
                TableName: table,
                Item: { ...invitationItem, pk: 'BARE', sk: `INV#${id}` },
                ConditionExpression: 'attribute_not_exists(pk) OR version = :v',
                ExpressionAttributeValues: { ':v': 0 },
              },
            },
            {
              Put: {
                TableName: table,
                Item: {
                  pk: `OUTBOX#${id}`,
                  sk: `${new Date().toISOString()}#${id}`,
                  type: 'outbox',
                  events: [{ id, type: 'rsvp.confirmed', invitationId: id, sessionId: SESSION, seats: 1 }],
                },
              },
            },
          ],
        }),
      );
      return;
    } catch (err) {
      const name = (err as Error).name;
      if ((name !== 'TransactionCanceledException' && name !== 'TransactionConflictException') || attempt >= 25) throw err;
      await defaultBackoff(attempt);
    }
  }
};

/** A bare seat counter at zero, for the bare transactions to take seats on. */
const freshCounter = async (doc: DynamoDBDocumentClient, table: string, key: { pk: string; sk: string }) => {
  await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table, Item: { ...key, confirmedSeats: 0, confirmedParties: 0 } } }] }));
  return key;
};

/**
 * The one read an answer on a link this instance has not seen must make before it can plan: the
 * token index's copy of the invitation, as `peekInvitationByTokenHash` asks for it. With the bare
 * transaction after it, the floor of any design that finds the invitation by its link.
 */
const bareRead = async (doc: DynamoDBDocumentClient, table: string, tokenHash: string) => {
  const res = await doc.send(
    new QueryCommand({ TableName: table, IndexName: TOKEN_INDEX, KeyConditionExpression: 'tokenHash = :h', ExpressionAttributeValues: { ':h': tokenHash }, Limit: 1 }),
  );
  if (res.Items?.length !== 1) throw new Error('the bare read found no invitation');
};

/** DynamoDB Local in memory, waiting as long as a loaded machine needs to start a JVM (the launcher waits 30 s). */
const dynamoDbLocal = async () => {
  const dir = join(root, 'node_modules/amplify-dynamodb-simulator/emulator');
  const port = await freePort();
  const child = spawn('java', [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', join(dir, 'DynamoDBLocal.jar'), '-sharedDb', '-inMemory', '-port', String(port)], {
    cwd: dir,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 300_000; ;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}`);
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error('DynamoDB Local did not start in 5 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    stop: async () => {
      child.kill();
      await new Promise((r) => child.once('exit', r));
    },
  };
};

/** On a loaded machine the JVM may take longer than the launcher's 30 s to listen: try three times. */
const patiently = async <T>(start: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= 3 || !/did not start/.test((err as Error).message)) throw err;
      console.log(`(${(err as Error).message}; trying again)`);
    }
  }
};

const PAGE_START_KEY = 'bench-page-start-key';

/**
 * Invitees' pages as one instance serves them (untimed: people read before they answer), each with
 * the sealed invitation its form carries (`functions/pages/page-start.ts`).
 */
const servePages = async (pages: RsvpService, tokens: string[]) => {
  const sealed: string[] = [];
  for (const token of tokens) sealed.push(sealPageStart(PAGE_START_KEY, hashToken(token), (await pages.viewWithStart(token)).shown, clock.now()));
  return sealed;
};

/**
 * What the form's post asks of the service, on an instance that did not serve the page: open the
 * sealed start, the view the form is read against, the answer (`functions/pages/rsvp-flow.ts`).
 */
const postFromPage = async (posts: RsvpService, token: string, sealed: string, request: RsvpRequest) => {
  const shown = openPageStart(PAGE_START_KEY, hashToken(token), sealed, clock.now());
  if (!shown) throw new Error('the sealed start did not open');
  await posts.viewShown(shown);
  return posts.respondFromPage(token, request, shown);
};

const BURST_ROUNDS = 3;
type BurstPath = 'json' | 'pages';
interface BurstRound {
  bare: Awaited<ReturnType<typeof burst>>;
  /** JSON path only: 500 at once of the one read a link needs, then the bare transaction. */
  floor?: Awaited<ReturnType<typeof burst>>;
  answers: Awaited<ReturnType<typeof burst>>;
  ratio: number;
  confirmed: number;
  waitlisted: number;
}

/**
 * One round: 500 bare transactions at once on a fresh counter, then 500 answers at once on a fresh
 * event whose session has `capacity` seats, either through the JSON API on links the instance has not
 * seen, or posted from pages another instance served before the burst.
 */
async function burstRound(
  ctx: { doc: DynamoDBDocumentClient; table: string; store: DynamoCumbreStore; invite: (eventId: string, n: number) => Promise<string[]>; bareItem: Record<string, unknown> },
  capacity: number,
  path: BurstPath,
  round: number,
): Promise<BurstRound> {
  const { doc, table, store } = ctx;
  const counter = await freshCounter(doc, table, { pk: 'BARE', sk: `COUNTER#${capacity}#${path}#${round}` });
  const ev = eventWith(`bench-${capacity}-${path}-${round}`, capacity);
  await store.putEventDefinition(ev);
  const tokens = await ctx.invite(ev.id, 500);
  const sealed = path === 'pages' ? await servePages(new RsvpService({ store, clock, ids }), tokens) : [];
  const bare = await burst(500, bareAnswer(doc, table, counter, ctx.bareItem, 1_000_000));
  let floor: BurstRound['floor'];
  if (path === 'json') {
    const floorCounter = await freshCounter(doc, table, { pk: 'BARE', sk: `${counter.sk}#floor` });
    const commit = bareAnswer(doc, table, floorCounter, ctx.bareItem, 1_000_000);
    floor = await burst(500, async (i) => {
      await bareRead(doc, table, hashToken(tokens[i]));
      await commit();
    });
  }
  const service = new RsvpService({ store, clock, ids });
  const answers = await burst(500, (i) => (path === 'pages' ? postFromPage(service, tokens[i], sealed[i], yes) : service.respond(tokens[i], yes)));
  const s = (await store.getEvent(ev.id))!.sessions.find((x) => x.id === SESSION)!;
  return { bare, ...(floor ? { floor } : {}), answers, ratio: answers.totalMs / bare.totalMs, confirmed: s.confirmedSeats, waitlisted: s.waitlistedParties };
}

const burst = async (n: number, one: (i: number) => Promise<unknown>) => {
  const latencies: number[] = [];
  const t = performance.now();
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const s = performance.now();
      await one(i);
      latencies.push(performance.now() - s);
    }),
  );
  return { totalMs: performance.now() - t, p50: median(latencies), p95: percentile(latencies, 95) };
};

async function dynamo() {
  const dataDir = await mkdtemp(join(tmpdir(), 'cumbre-bench-'));
  const ddb = await dynamoDbLocal();
  try {
    const client = new DynamoDBClient({ endpoint: ddb.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 10 });
    const meter = meterCapacity(client);
    const doc = documentClient(client);
    // The stack's table shape (its indexes too), as the integration tests create it.
    const table = await createTestTable(client);
    const store = new DynamoCumbreStore(doc, table);
    const importer = new InvitationService({ store, clock, ids, tokenSecret: 'bench', publicBaseUrl: 'https://x.example' });
    const invite = async (eventId: string, n: number) => {
      const results = await importer.import(
        eventId,
        Array.from({ length: n }, (_, i) => ({
          row: i + 2,
          data: {
            email: `guest${i}@city${i % 300}.example`,
            name: `Guest ${i}`,
            organization: `City ${i % 300}`,
            country: ['MX', 'US', 'CA'][i % 3],
            category: ['mayor-mx', 'mayor-us', 'mayor-ca'][i % 3],
            language: ['es', 'en', 'fr'][i % 3],
            sessions: [SESSION],
          },
        })),
      );
      return results.map((r) => r.rsvpUrl!.split('/rsvp/')[1]);
    };

    // Concurrency 1: answers interleaved with bare transactions, so both see the same load.
    say('\n## Answers at concurrency 1 (DynamoDB Local, one process)\n');
    const c1 = eventWith('bench-c1', 100_000);
    await store.putEventDefinition(c1);
    const n1 = 150;
    const before = { ...meter };
    const tokens = await invite(c1.id, 3 * n1 + 10);
    measured.dynamo.importRcu = (meter.rcu - before.rcu) / tokens.length;
    measured.dynamo.importWcu = (meter.wcu - before.wcu) / tokens.length;
    const sample = (await store.getInvitation(c1.id, (await store.listInvitations(c1.id))[0].id))!;
    const bareCounter = await freshCounter(doc, table, { pk: 'BARE', sk: 'COUNTER' });
    const bare = bareAnswer(doc, table, bareCounter, { ...keys.invitation(c1.id, 'x'), type: 'invitation', ...sample }, 1_000_000);
    const rsvp = new RsvpService({ store, clock, ids });
    // Posts from pages another instance served: this one never sees those pages' tokens before their posts.
    const pages = new RsvpService({ store, clock, ids });
    const posts = new RsvpService({ store, clock, ids });
    const warm = tokens.slice(3 * n1);
    const warmPages = await servePages(pages, warm);
    for (const [i, t] of warm.entries()) {
      await rsvp.respond(t, yes); // warm-up: JIT, sockets, event read
      await postFromPage(posts, t, warmPages[i], parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: false }] }));
    }
    const fromPage = tokens.slice(2 * n1, 3 * n1);
    const fromPageSealed = await servePages(pages, fromPage);
    const tBare: number[] = [];
    const tFloor: number[] = [];
    const tAnswer: number[] = [];
    const tAfterView: number[] = [];
    const tFromPage: number[] = [];
    let fromPageRcu = 0;
    let viewRcu = 0;
    let answerRcu = 0;
    let answerWcu = 0;
    for (let i = 0; i < n1; i++) {
      let s = performance.now();
      await bare();
      tBare.push(performance.now() - s);
      s = performance.now();
      await bareRead(doc, table, hashToken(warm[i % warm.length]));
      await bare();
      tFloor.push(performance.now() - s);
      const m0 = { ...meter };
      s = performance.now();
      await rsvp.respond(tokens[i], yes);
      tAnswer.push(performance.now() - s);
      answerRcu += meter.rcu - m0.rcu;
      answerWcu += meter.wcu - m0.wcu;
      const m1 = { ...meter };
      await rsvp.view(tokens[n1 + i]);
      viewRcu += meter.rcu - m1.rcu;
      s = performance.now();
      await rsvp.respond(tokens[n1 + i], yes);
      tAfterView.push(performance.now() - s);
      const m2 = { ...meter };
      s = performance.now();
      await postFromPage(posts, fromPage[i], fromPageSealed[i], yes);
      tFromPage.push(performance.now() - s);
      fromPageRcu += meter.rcu - m2.rcu;
    }
    measured.dynamo.viewRcu = viewRcu / n1;
    measured.dynamo.answerRcu = answerRcu / n1;
    measured.dynamo.answerWcu = answerWcu / n1;
    const bareMedian = median(tBare);
    const floorMedian = median(tFloor);
    say(
      `- ${n1} each, interleaved: bare transaction median ${f1(bareMedian)} ms; bare token-index read then bare transaction ${f1(floorMedian)} ms (${(floorMedian / bareMedian).toFixed(2)}×); answer median ${f1(median(tAnswer))} ms (p95 ${f1(percentile(tAnswer, 95))}); answer after its page view ${f1(median(tAfterView))} ms; answer posted from its page to an instance that did not serve it ${f1(median(tFromPage))} ms (p95 ${f1(percentile(tFromPage, 95))}, ${f1(fromPageRcu / n1)} RCU each)`,
    );
    say(
      `- DynamoDB Local reports per invitee: import ${f1(measured.dynamo.importWcu)} WCU / ${f1(measured.dynamo.importRcu)} RCU, page view ${f1(measured.dynamo.viewRcu)} RCU, answer ${f1(measured.dynamo.answerWcu)} WCU / ${f1(measured.dynamo.answerRcu)} RCU`,
    );
    const c1Row = (figure: string, samples: number[], note?: string, floor?: Row['floor']) =>
      row({
        figure,
        value: median(samples),
        unit: 'ms',
        reference: { what: 'bare TransactWriteItems', value: bareMedian },
        ratio: median(samples) / bareMedian,
        target: '≤ 1.5×',
        met: median(samples) / bareMedian <= 1.5,
        ...(note ? { note } : {}),
        ...(floor ? { floor } : {}),
      });
    c1Row(
      'RSVP answer, concurrency 1, median (token first seen)',
      tAnswer,
      `its floor, the one read a link needs then the bare transaction: ${f1(floorMedian)} ms, ${(floorMedian / bareMedian).toFixed(2)}× the bare one; the answer is ${(median(tAnswer) / floorMedian).toFixed(2)}× its floor`,
      { what: 'bare token-index read, then bare TransactWriteItems', value: floorMedian },
    );
    c1Row(
      'RSVP answer posted from its page, to an instance that did not serve the page, concurrency 1, median',
      tFromPage,
      'the form carries the invitation its page showed, sealed; the commit checks its version',
    );
    c1Row('RSVP answer after its page view (warm function), concurrency 1, median', tAfterView);

    // Bursts: 500 at once on one session, against 500 bare transactions at once on one counter, each
    // pair in BURST_ROUNDS rounds (both paths interleaved); the round with the median ratio is reported.
    say(`\n## 500 answers at once (DynamoDB Local, one process, the SDK's 50 sockets; ${BURST_ROUNDS} rounds each, the median round shown)\n`);
    const bareItem = { ...keys.invitation(c1.id, 'x'), type: 'invitation', ...sample };
    for (const capacity of [500, 250]) {
      const rounds: Record<BurstPath, BurstRound[]> = { json: [], pages: [] };
      for (let round = 1; round <= BURST_ROUNDS; round++)
        for (const path of ['json', 'pages'] as const) rounds[path].push(await burstRound({ doc, table, store, invite, bareItem }, capacity, path, round));
      const limit = capacity === 500 ? 1.5 : 2;
      for (const path of ['json', 'pages'] as const) {
        const sorted = [...rounds[path]].sort((a, b) => a.ratio - b.ratio);
        const m = sorted[sorted.length >> 1];
        const how = path === 'json' ? 'JSON API, links not seen before' : 'posted from their pages';
        const floor = m.floor
          ? `; its floor, the one read a link needs then the bare transaction, 500 at once: ${f1(m.floor.totalMs / 1000)} s (${(m.floor.totalMs / m.bare.totalMs).toFixed(2)}× the bare burst; the answers are ${(m.answers.totalMs / m.floor.totalMs).toFixed(2)}× their floor)`
          : '';
        say(
          `- ${capacity} seats, ${how}: bare burst ${f1(m.bare.totalMs / 1000)} s (p50 ${f1(m.bare.p50)} ms)${floor}; answers ${f1(m.answers.totalMs / 1000)} s (p50 ${f1(m.answers.p50)} ms, p95 ${f1(m.answers.p95)} ms); ${m.confirmed}/${capacity} seats confirmed, ${m.waitlisted} waitlisted; ratios of the ${BURST_ROUNDS} rounds ${sorted.map((r) => `${r.ratio.toFixed(2)}×`).join(', ')}`,
        );
        row({
          figure: `500 answers at once for ${capacity} seats${capacity === 250 ? ' (250 waitlisted)' : ''}, all committed (${how})`,
          value: m.answers.totalMs,
          unit: 'ms',
          reference: { what: 'bare burst of 500 on one counter, same backoff, same round', value: m.bare.totalMs },
          ratio: m.ratio,
          target: `≤ ${limit}×`,
          met: m.ratio <= limit,
          note: `median of ${BURST_ROUNDS} rounds (${sorted.map((r) => `${r.ratio.toFixed(2)}×`).join(', ')}); p50 ${f1(m.answers.p50)} ms vs ${f1(m.bare.p50)} ms; ${m.confirmed}/${capacity} confirmed, ${m.waitlisted} waitlisted${floor}`,
          ...(m.floor ? { floor: { what: 'the same round: 500 at once of a bare token-index read, then the bare transaction', value: m.floor.totalMs } } : {}),
        });
      }
    }
  } finally {
    await ddb.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Module init of every bundle against an empty module

/** Import time of a module in a fresh Node process, and the process's wall time. */
const timeInit = (file: string, env: Record<string, string>) =>
  new Promise<{ importMs: number; wallMs: number }>((resolve, reject) => {
    const probe = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', probe], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) =>
      code === 0 ? resolve({ importMs: Number(out.trim().split('\n').at(-1)), wallMs: performance.now() - started }) : reject(new Error(`${file}: ${err.slice(-500)}`)),
    );
  });

/**
 * The floors of a function's init (bench/init-floor/): the SDK's DynamoDB document client,
 * Powertools' logger and middy, and the same with the app secret's fetch, bundled as AppFunction
 * bundles (lib/constructs/app-function.ts: ESM, minified, node22, the credentials alias, the
 * require banner, source maps of their own sources only).
 */
const buildInitFloors = async (dir: string) => {
  const { build } = await import('esbuild');
  /** One floor bundled into `<dir>/<name>/index.mjs`; returns that file. */
  const floor = async (name: 'sdk' | 'sdk-secret') => {
    const outfile = join(dir, name, 'index.mjs');
    await build({
      entryPoints: [join(root, `bench/init-floor/${name}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      alias: { [SDK_CREDENTIAL_CHAIN]: ENV_CREDENTIALS },
      banner: { js: ESM_REQUIRE_BANNER },
      logLevel: 'error',
    });
    const trimmed = spawnSync(process.execPath, [join(root, 'lib/constructs/trim-source-map.mjs'), `${outfile}.map`]);
    if (trimmed.status !== 0) throw new Error(`trimming the ${name} floor's source map failed: ${trimmed.stderr.toString()}`);
    return outfile;
  };
  return { sdk: await floor('sdk'), sdkSecret: await floor('sdk-secret') };
};

async function bundles(cdkOut: string) {
  const N = 9;
  say(`\n## Module init per function (median of ${N} fresh Node processes each, interleaved with an empty module)\n`);
  say(
    "Init = importing index.mjs with the function's environment as deployed (source maps on): config, clients, fetching the app secret from a local stub, fonts. Lambda adds its own runtime start.\n",
  );
  const template = JSON.parse(await readFile(join(cdkOut, 'Cumbre-dev.template.json'), 'utf8'));
  const secrets = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:x', Name: 'x', SecretString: 'bench-secret' })),
    );
  });
  await new Promise<void>((r) => secrets.listen(0, '127.0.0.1', r));
  const secretsUrl = `http://127.0.0.1:${(secrets.address() as { port: number }).port}`;
  const emptyDir = await mkdtemp(join(tmpdir(), 'cumbre-empty-'));
  const empty = join(emptyDir, 'index.mjs');
  await writeFile(empty, 'export const handler = async () => ({});\n');
  const floors = await buildInitFloors(emptyDir);
  const baseEnv = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl,
    NODE_NO_WARNINGS: '1',
    NODE_OPTIONS: '',
  };
  say(
    "The floor is what every function starts with before Cumbre's code, bundled the same way and run with the function's environment (same rounds): the DynamoDB document client, Powertools' logger and middy, and for a function that holds the app secret its fetch (bench/init-floor/).\n",
  );
  say('| function | bundle | PDF code | init (median) | process wall | empty module wall (same rounds) | floor init (same rounds) | init over its floor | init target |');
  say('| --- | ---: | :---: | ---: | ---: | ---: | ---: | ---: | --- |');
  try {
    for (const r of Object.values<any>(template.Resources)) {
      if (r.Type !== 'AWS::Lambda::Function' || !r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME) continue;
      const name = r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME.replace('cumbre-', '');
      const dir = join(cdkOut, r.Metadata['aws:asset:path']);
      const size = (await stat(join(dir, 'index.mjs'))).size;
      const meta = JSON.parse(await readFile(join(dir, 'index.meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
      const pdf = Object.keys(meta.inputs).some((p) => /node_modules\/(pdf-lib|@pdf-lib|qrcode)\//.test(p));
      const fnEnv = Object.fromEntries(
        Object.entries<unknown>(r.Properties.Environment.Variables).map(([k, v]) => [
          k,
          typeof v === 'string'
            ? v
            : k.endsWith('_URL')
              ? 'https://example.org/q'
              : k === 'SECRET_ARN'
                ? 'arn:aws:secretsmanager:us-east-1:1:secret:x'
                : k.endsWith('EMAIL')
                  ? 'ops@example.org'
                  : 'bench-value',
        ]),
      );
      // The function's own NODE_OPTIONS (--enable-source-maps, as deployed): reading the map is part of its init.
      const env = { ...baseEnv, ...fnEnv, TABLE_NAME: 'bench-table' };
      const secretHeld = 'SECRET_ARN' in fnEnv;
      // The floor is a floor only for a function that starts with what it holds: the DynamoDB client.
      const floorFile = Object.keys(meta.inputs).some((p) => p.includes('node_modules/@aws-sdk/client-dynamodb/')) ? (secretHeld ? floors.sdkSecret : floors.sdk) : undefined;
      const fn: Array<{ importMs: number; wallMs: number }> = [];
      const ref: Array<{ importMs: number; wallMs: number }> = [];
      const base: Array<{ importMs: number; wallMs: number }> = [];
      for (let i = 0; i < N; i++) {
        ref.push(await timeInit(empty, baseEnv));
        if (floorFile) base.push(await timeInit(floorFile, env));
        fn.push(await timeInit(join(dir, 'index.mjs'), env));
      }
      const init = median(fn.map((x) => x.importMs));
      const wall = median(fn.map((x) => x.wallMs));
      const emptyWall = median(ref.map((x) => x.wallMs));
      const floorInit = floorFile ? median(base.map((x) => x.importMs)) : undefined;
      const floorWhat = secretHeld ? 'SDK, logger, middy and the secret' : 'SDK, logger, middy';
      const floorCells = floorInit === undefined ? '– (no DynamoDB client) | –' : `${f1(floorInit)} ms (${floorWhat}) | ${(init / floorInit).toFixed(2)}×`;
      const target = pdf ? 'renders badges: report' : '≤ 90 ms';
      say(
        `| ${name} | ${(size / 1024).toFixed(0)} KB | ${pdf ? 'yes' : 'no'} | ${f1(init)} ms | ${f1(wall)} ms | ${f1(emptyWall)} ms (import ${f1(median(ref.map((x) => x.importMs)))} ms) | ${floorCells} | ${target} |`,
      );
      row({
        figure: `Module init: ${name} (${(size / 1024).toFixed(0)} KB${pdf ? ', PDF code' : ''})`,
        value: init,
        unit: 'ms',
        reference: { what: 'empty module, process wall', value: emptyWall },
        ratio: wall / emptyWall,
        target: pdf ? 'report' : '≤ 90 ms, no PDF code',
        ...(pdf ? {} : { met: init <= 90 }),
        note: `process wall ${f1(wall)} ms; ratio is process wall against the empty module's${floorInit === undefined ? '' : `; its floor (${floorWhat}) ${f1(floorInit)} ms, the init is ${(init / floorInit).toFixed(2)}× it`}`,
        ...(floorInit === undefined ? {} : { floor: { what: `init of ${floorWhat}, bundled alike`, value: floorInit } }),
      });
    }
  } finally {
    secrets.close();
    await rm(emptyDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// RSVP → confirmation email on the local cloud

async function endToEnd(cdkOut: string, work: string) {
  const N = 40;
  say(`\n## RSVP → confirmation email (local cloud: every function in its own process, emulators; ${N} invitees)\n`);
  const logLines: string[] = [];
  let attempt = 0;
  const cloud: LocalCloud = await patiently(() =>
    startLocalCloud({
      root,
      cdkOut,
      synth: false,
      dataDir: join(work, `data-${++attempt}`),
      ports: 'auto',
      seedDemo: false,
      quiet: false,
      write: (t) => logLines.push(t),
      sqsRetryDelaySeconds: 0,
      meterDynamo: true,
    }),
  );
  try {
    const info = cloud;
    const fnNames = info.resources.filter((r) => r.type === 'AWS::Lambda::Function').map((r) => r.logicalId.replace(/[0-9A-F]{8}$/, ''));
    const invocations = () => Object.fromEntries(fnNames.map((n) => [n, cloud.invocations(n)]));
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${info.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${info.session.organizer.token}`, 'content-type': 'application/json', ...init.headers } });
    const store = async () =>
      (
        (await (await fetch(`${info.mailUrl}/store`)).json()) as {
          emails: Array<{ destination: { to: string[] }; subject: string; body: { html?: string; text?: string }; attachments?: Array<{ content: string }> }>;
        }
      ).emails;
    const eventId = info.session.events[0].id;
    const report = (await (await api(`/events/${eventId}/capacity`)).json()) as { sessions: Array<{ sessionId: string; free: number }> };
    const session = [...report.sessions].sort((a, b) => b.free - a.free)[0];
    const logStart = logLines.length;
    const meterBefore = cloud.dynamoMeter!();
    const before = invocations();
    const busyBefore = Object.fromEntries(fnNames.map((n) => [n, cloud.busyMs(n)]));
    let apiRequests = 0;
    const run = randomUUID().slice(0, 6);
    // The first WARM invitees answer one by one before the measured ones: every worker then has a
    // warm instance, as in the steady state of an RSVP day (cold starts are the init rows' figure).
    const WARM = 5;
    const emails = Array.from({ length: WARM + N }, (_, i) => `bench.${run}.${i}@cumbre.example`);
    const imported = await api(`/events/${eventId}/invitations`, {
      method: 'POST',
      body: JSON.stringify(emails.map((email, i) => ({ email, name: `Bench ${i}`, country: 'US', category: 'local-official', language: 'en', sessions: [session.sessionId] }))),
    });
    apiRequests++;
    if (imported.status !== 200) throw new Error(`import answered ${imported.status}`);
    const links = ((await imported.json()) as { results: Array<{ rsvpUrl: string }> }).results.map((r) => r.rsvpUrl);
    const mailFor = (all: Awaited<ReturnType<typeof store>>, address: string) => all.filter((e) => e.destination.to.some((to) => to.includes(address)));
    // Each email is seen the moment the SES emulator stores it (no polling of the store, whose
    // every read would cost the machine the bench measures).
    const received = new Map<string, number[]>(emails.map((a) => [a, []]));
    let wake = () => {};
    const unsubscribe = cloud.faults.onMailStored((email) => {
      const now = performance.now();
      for (const to of email.destination.to) received.get(/<([^>]+)>/.exec(to)?.[1] ?? to)?.push(now);
      wake();
    });
    const until = async (what: string, done: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`${what} did not all arrive`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 1000);
        });
      }
    };
    await until('invitation emails', () => emails.every((a) => received.get(a)!.length >= 1), 120_000);
    const sent: number[] = [];
    const answer = async (link: string, i: number) => {
      await fetch(link, { headers: { accept: 'application/json' } }); // the page view
      sent[i] = performance.now();
      const res = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ responses: [{ sessionId: session.sessionId, attending: true }] }),
      });
      apiRequests += 2;
      if (res.status !== 200) throw new Error(`answer ${i} got ${res.status}`);
    };
    // One at a time, each waiting for its confirmation: the pipeline's own latency, no queue.
    for (let i = 0; i < WARM; i++) {
      await answer(links[i], i);
      await until('a warm-up confirmation', () => received.get(emails[i])!.length >= 2, 60_000);
    }
    const alone = emails.slice(0, WARM).map((a, i) => received.get(a)![1] - sent[i]);
    const cpu0 = cpuTimes();
    const processes0 = await processCpu();
    const answered = Promise.all(
      links.slice(WARM).map(async (link, j) => {
        await new Promise((r) => setTimeout(r, j * 150));
        await answer(link, WARM + j);
      }),
    );
    await until('confirmations', () => emails.every((a) => received.get(a)!.length >= 2), 180_000);
    unsubscribe();
    await answered;
    const cpu1 = cpuTimes();
    const shares = cpuShares(processes0, await processCpu());
    const busy = (cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total);
    const latencies = emails.slice(WARM).map((a, j) => received.get(a)![1] - sent[WARM + j]);
    const all = await store();
    // Let the badge worker and the rest settle: invocation counts unchanged for 3 s.
    let last = JSON.stringify(invocations());
    for (let quiet = 0; quiet < 3;) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = JSON.stringify(invocations());
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
    const after = invocations();
    const dynamo = meterDifference(cloud.dynamoMeter!(), meterBefore);
    const durationMs = Object.fromEntries(fnNames.map((n) => [n, cloud.busyMs(n) - busyBefore[n]]));
    // What the functions wrote at the stack's own log level (the gateway's and pollers' lines are the local cloud's, not CloudWatch's).
    let logBytes = 0;
    for (const line of logLines.slice(logStart)) {
      const fn = fnNames.find((n) => line.startsWith(`${n.slice(0, 18).padEnd(18)} │ `));
      if (fn && !/│ cold start/.test(line)) logBytes += Buffer.byteLength(line.replace(/^.{18} │ /, ''));
    }
    const mine = emails.flatMap((a) => mailFor(all, a));
    const emailBytes = mine.reduce((n, e) => n + Buffer.byteLength(e.body.html ?? '') + Buffer.byteLength(e.body.text ?? ''), 0);
    const attachmentBytes = mine.reduce((n, e) => n + (e.attachments ?? []).reduce((m, a) => m + Math.floor((a.content.length * 3) / 4), 0), 0);
    measured.cloud = {
      invitees: WARM + N,
      invocations: Object.fromEntries(fnNames.map((n) => [n, after[n] - before[n]])),
      durationMs,
      emails: mine.length,
      emailBytes,
      attachmentBytes,
      apiRequests,
      logBytes,
      dynamo,
    };
    say(
      `- ${WARM} answers one at a time, each after the previous one's confirmation (every worker warm, nothing queued): confirmation in the mail store median ${f1(median(alone))} ms, max ${f1(Math.max(...alone))} ms`,
    );
    say(
      `- ${N} invitees of session ${session.sessionId}, answers 150 ms apart after their page view, after those: confirmation in the mail store p50 ${f1(median(latencies))} ms, p95 ${f1(percentile(latencies, 95))} ms, max ${f1(Math.max(...latencies))} ms; the machine's ${cpus().length} cores were ${(busy * 100).toFixed(0)} % busy meanwhile`,
    );
    say(
      `- ${mine.length} emails to them (${(emailBytes / mine.length / 1024).toFixed(1)} KB of body each, ${(attachmentBytes / 1024).toFixed(1)} KB of attachments in all); invocations: ${Object.entries(
        measured.cloud.invocations,
      )
        .filter(([, v]) => v)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} (the ${WARM + N} invitees, warm-up included)`,
    );
    say(
      `- where the CPU went while those ${N} answers were in flight (this process and every process under it): ${shares
        .filter((s) => s.share >= 0.01)
        .map((s) => `${s.label} ${(s.share * 100).toFixed(0)} %`)
        .join(', ')}`,
    );
    const perInvitee = (n: number) => (n / (WARM + N)).toFixed(1);
    const dynamoRequests = Object.values(dynamo.requests).reduce((a, b) => a + b, 0);
    say(
      `- DynamoDB, everything the functions asked for these ${WARM + N} invitees (import to badge, through the local cloud's meter): ${perInvitee(dynamoRequests)} requests per invitee (${Object.entries(
        dynamo.requests,
      )
        .sort((a, b) => b[1] - a[1])
        .map(([op, n]) => `${op} ${n / (WARM + N) >= 0.05 ? perInvitee(n) : `${n} in all`}`)
        .join(', ')}), ${perInvitee(dynamo.writeUnits)} WCU and ${perInvitee(dynamo.readUnits)} RCU per invitee as DynamoDB Local reports them`,
    );
    row({
      figure: `RSVP → confirmation email in the mail store, p95 (local cloud, ${N} answers)`,
      value: percentile(latencies, 95),
      unit: 'ms',
      target: '≤ 1500 ms',
      met: percentile(latencies, 95) <= 1500,
      note: `p50 ${f1(median(latencies))} ms; the machine's cores ${(busy * 100).toFixed(0)} % busy meanwhile, ${shares[0] ? `${(shares[0].share * 100).toFixed(0)} % of it ${shares[0].label}` : 'by process not known'}`,
    });
    row({
      figure: 'RSVP → confirmation email in the mail store, one answer at a time (local cloud, nothing queued), median',
      value: median(alone),
      unit: 'ms',
      target: 'report',
      note: `${WARM} answers, max ${f1(Math.max(...alone))} ms`,
    });
  } finally {
    await cloud.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Cost per 1,000 invitees

/**
 * AWS list prices, us-east-1, on-demand, beyond free tiers, as published on the AWS pricing pages
 * (last checked 2025-06; re-check before quoting). One table, so a change is one edit.
 */
export const PRICES = {
  checked: '2025-06',
  region: 'us-east-1',
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1e6,
  dynamoPerWriteUnit: 0.625 / 1e6,
  dynamoPerReadUnit: 0.125 / 1e6,
  httpApiPerRequest: 1.0 / 1e6,
  sqsPerRequest: 0.4 / 1e6,
  sesPerEmail: 0.1 / 1000,
  sesPerAttachmentGb: 0.12,
  s3PerPut: 0.005 / 1000,
  s3PerGet: 0.0004 / 1000,
  s3PerGbMonth: 0.023,
  logsPerGbIngested: 0.5,
  xrayPerTrace: 5.0 / 1e6,
} as const;

function cost() {
  say('\n## Cost per 1,000 invitees (AWS list prices, ' + `${PRICES.region}, checked ${PRICES.checked})\n`);
  const c = measured.cloud;
  if (!c) {
    say('- not computed: the local-cloud run did not complete');
    return;
  }
  const per = 1000 / c.invitees;
  const memoryGb = 0.5;
  const lambdaRequests = Object.values(c.invocations).reduce((a, b) => a + b, 0);
  const gbSeconds = (Object.values(c.durationMs).reduce((a, b) => a + b, 0) / 1000) * memoryGb;
  // Every function's DynamoDB traffic for these invitees, through the local cloud's meter: import,
  // emails, page view, answer, badge, capacity checks and the outbox's dispatch records, index upkeep
  // and transactions' doubled units included.
  const wcu = c.dynamo.writeUnits / c.invitees;
  const rcu = c.dynamo.readUnits / c.invitees;
  const workerInvocations = Object.entries(c.invocations)
    .filter(([k]) => /Worker/.test(k))
    .reduce((a, [, v]) => a + v, 0);
  const sqsRequests = workerInvocations * 3; // send, receive, delete per message; batching only lowers it
  const lines: Array<[string, string, number]> = [
    ['Lambda requests', `${(lambdaRequests / c.invitees).toFixed(1)} invocations per invitee (measured)`, lambdaRequests * per * PRICES.lambdaPerRequest],
    ['Lambda duration', `${(gbSeconds / c.invitees).toFixed(3)} GB-s per invitee at 512 MB arm64 (measured locally)`, gbSeconds * per * PRICES.lambdaArmPerGbSecond],
    [
      'DynamoDB writes',
      `${wcu.toFixed(1)} WRU per invitee (measured: every function's writes, import to badge, index upkeep included; a failed condition's units go unreported)`,
      wcu * 1000 * PRICES.dynamoPerWriteUnit,
    ],
    ['DynamoDB reads', `${rcu.toFixed(1)} RRU per invitee (measured: every function's reads, import to badge)`, rcu * 1000 * PRICES.dynamoPerReadUnit],
    ['API Gateway (HTTP API)', `${(c.apiRequests / c.invitees).toFixed(2)} requests per invitee (measured)`, c.apiRequests * per * PRICES.httpApiPerRequest],
    ['SQS', `${(sqsRequests / c.invitees).toFixed(1)} requests per invitee (3 per worker invocation)`, sqsRequests * per * PRICES.sqsPerRequest],
    [
      'SES',
      `${(c.emails / c.invitees).toFixed(1)} emails per invitee, ${(c.attachmentBytes / c.invitees / 1024).toFixed(1)} KB attachments (measured)`,
      c.emails * per * PRICES.sesPerEmail + ((c.attachmentBytes * per) / 2 ** 30) * PRICES.sesPerAttachmentGb,
    ],
    [
      'S3',
      `1 badge PUT + 1 GET per invitee, ${(measured.badgeBytes / 1024).toFixed(1)} KB stored a month`,
      1000 * (PRICES.s3PerPut + PRICES.s3PerGet) + ((measured.badgeBytes * 1000) / 2 ** 30) * PRICES.s3PerGbMonth,
    ],
    [
      'CloudWatch Logs',
      `${(c.logBytes / c.invitees / 1024).toFixed(1)} KB of function logs per invitee (measured at the stack's log level) + 0.3 KB platform lines per invocation`,
      (((c.logBytes + lambdaRequests * 300) * per) / 2 ** 30) * PRICES.logsPerGbIngested,
    ],
    ['X-Ray', `one trace per API request and per worker invocation`, (c.apiRequests + workerInvocations) * per * PRICES.xrayPerTrace],
  ];
  const total = lines.reduce((a, [, , usd]) => a + usd, 0);
  const floor = 2 * 1000 * PRICES.sesPerEmail; // invitation + confirmation: the emails each invitee must receive
  say('| item | quantity | USD per 1,000 invitees |');
  say('| --- | --- | ---: |');
  for (const [item, quantity, usd] of lines) say(`| ${item} | ${quantity} | ${usd.toFixed(4)} |`);
  say(`| **total** | | **${total.toFixed(4)}** |`);
  say(`| floor: SES price of the 2 emails each invitee must receive (invitation, confirmation) | | ${floor.toFixed(4)} |`);
  say('\nFixed monthly costs (KMS key, secret, alarms, idle SQS polling) do not grow with invitees and are left out.');
  row({
    figure: 'Cost per 1,000 invitees',
    value: total,
    unit: 'USD',
    reference: { what: 'SES floor (2 emails per invitee)', value: floor },
    ratio: total / floor,
    target: '≤ 1.5×',
    met: total / floor <= 1.5,
  });
}

// ---------------------------------------------------------------------------------------------

say('# Cumbre benchmarks\n');
say(
  `Measured by \`npm run bench\` on ${machine.date.slice(0, 16).replace('T', ' ')} UTC: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, load average at start ${machine.loadAverageAtStart.join(' / ')} (1/5/15 min). Every ratio compares two figures taken in this run on this machine; absolute figures move with its load. DynamoDB Local is far slower than DynamoDB: compare runs, do not forecast.`,
);
/** `BENCH_ONLY=e2e,init,checkin` runs some sections (while working on them); the results files are written only by a full run. */
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (section: string) => !only || only.includes(section);
const work = await mkdtemp(join(tmpdir(), 'cumbre-bench-cloud-'));
const cdkOut = join(work, 'cdk.out');
try {
  // Only the bundle and local-cloud sections read the synthesized app.
  if (wanted('init') || wanted('e2e')) await synthesize({ root, cdkOut, log: createLog({ level: 'error' }) });
  if (wanted('badges')) await badges();
  if (wanted('checkin')) await checkinBench(say, row);
  if (wanted('dynamo')) await dynamo();
  if (wanted('init')) await bundles(cdkOut);
  if (wanted('e2e')) {
    try {
      await endToEnd(cdkOut, work);
    } catch (err) {
      say(`\n- the local-cloud run failed: ${(err as Error).message}`);
    }
  }
  cost();
} finally {
  await rm(work, { recursive: true, force: true });
}

const table = [
  '\n## Summary: each figure next to its reference from this run\n',
  '| Figure | Reference in the same run | Now | Ratio | Target | Met |',
  '| --- | --- | ---: | ---: | --- | :---: |',
  ...rows.map(
    (r) =>
      `| ${r.figure} | ${r.reference ? `${r.reference.what}: ${f1(r.reference.value)} ${r.unit}` : '–'} | ${f1(r.value)} ${r.unit}${r.note ? ` (${r.note})` : ''} | ${r.ratio === undefined ? '–' : `${r.ratio.toFixed(2)}×`} | ${r.target} | ${r.met === undefined ? '–' : r.met ? 'yes' : '**no**'} |`,
  ),
];
for (const l of table) say(l);
say(
  `\nLoad average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}.`,
);
if (!only) {
  await writeFile(join(root, 'bench/results.md'), lines.join('\n') + '\n');
  await writeFile(join(root, 'bench/results.json'), JSON.stringify({ machine, loadAverageAtEnd: loadavg(), rows, measured }, null, 2) + '\n');
  console.log('\nwritten to bench/results.md and bench/results.json');
}
process.exit(0);
