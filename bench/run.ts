/**
 * `npm run bench`: measured figures for the README, written to bench/results.md.
 * Speed and memory are measured here, never asserted in tests: they depend on the machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCredentialSigner, seedFromSecret } from '../functions/domain/badge/credential.js';
import { renderBadge } from '../functions/domain/badge/render.js';
import { renderPrintSheet } from '../functions/domain/badge/print-sheet.js';
import { InvitationService, parseInvitationCsv } from '../functions/domain/invitations.js';
import { RsvpService, parseRsvpRequest } from '../functions/domain/rsvp.js';
import { loadBadgeFonts } from '../functions/adapters/badge-fonts.js';
import { DynamoCumbreStore, documentClient } from '../functions/adapters/dynamo-store.js';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../local/emulators/index.js';
import { createLog } from '../local/log.js';
import { freePort } from '../local/ports.js';
import { eventDefinitionSchema } from '../functions/domain/model.js';

const root = new URL('../', import.meta.url).pathname;
const rows: string[] = [];
const note = (line: string) => {
  rows.push(line);
  console.log(line);
};
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

const summit = eventDefinitionSchema.parse(JSON.parse(await readFile(join(root, 'seed/na-mayors-summit-2019.json'), 'utf8')));
const clock = { now: () => new Date('2019-05-01T12:00:00Z') };
const ids = { newId: () => randomUUID() };

/** Module load and cold-start work of one bundle in a fresh Node process, secret served by a local stub. */
const timeInit = (file: string, env: Record<string, string>) =>
  new Promise<number>((resolve, reject) => {
    const probe = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', probe], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim().split('\n').at(-1))) : reject(new Error(`${file}: ${err.slice(-500)}`))));
  });

async function bundles() {
  note('\n## Lambda bundles (cdk synth: esbuild, ESM, minified, SDK bundled)\n');
  execFileSync('npx', ['cdk', 'synth', '--quiet'], { cwd: root, stdio: 'ignore' });
  const template = JSON.parse(await readFile(join(root, 'cdk.out/Cumbre-dev.template.json'), 'utf8'));
  const secrets = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:x', Name: 'x', SecretString: 'bench-secret' })));
  });
  await new Promise<void>((r) => secrets.listen(0, '127.0.0.1', r));
  const secretsUrl = `http://127.0.0.1:${(secrets.address() as { port: number }).port}`;
  note('Init = loading the bundle and its cold-start work (config, clients, fetching the app secret from a local stub, fonts), median of 7 fresh Node processes; Lambda adds its own runtime start.\n');
  note('| function | bundle | init (median) |');
  note('| --- | ---: | ---: |');
  try {
    for (const r of Object.values<any>(template.Resources)) {
      if (r.Type !== 'AWS::Lambda::Function' || !r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME) continue;
      const dir = join(root, 'cdk.out', r.Metadata['aws:asset:path']);
      const size = (await stat(join(dir, 'index.mjs'))).size;
      const fnEnv = Object.fromEntries(Object.entries<unknown>(r.Properties.Environment.Variables).map(([k, v]) => [k, typeof v === 'string' ? v : k.endsWith('_URL') ? 'https://example.org/q' : k === 'SECRET_ARN' ? 'arn:aws:secretsmanager:us-east-1:1:secret:x' : 'bench-value']));
      const env = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl, NODE_NO_WARNINGS: '1', ...fnEnv, TABLE_NAME: 'bench-table', NODE_OPTIONS: '' };
      const times: number[] = [];
      for (let i = 0; i < 7; i++) times.push(await timeInit(join(dir, 'index.mjs'), env));
      note(`| ${r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME.replace('cumbre-', '')} | ${(size / 1024).toFixed(0)} KB | ${ms(percentile(times, 50))} |`);
    }
  } finally {
    secrets.close();
  }
}

async function dynamo() {
  const dataDir = await mkdtemp(join(tmpdir(), 'cumbre-bench-'));
  const ddb = await startDynamoDbLocal({ port: await freePort(), dataDir, inMemory: true, log: createLog({ level: 'error' }) });
  try {
    const client = new DynamoDBClient({ endpoint: ddb.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 10 });
    const table = `bench-${randomUUID().slice(0, 8)}`;
    await client.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }));
    const store = new DynamoCumbreStore(documentClient(client), table);
    await store.putEventDefinition(summit);

    note('\n## Import (DynamoDB Local, one process)\n');
    const csv = ['email,name,organization,country,category,language,guests', ...Array.from({ length: 10_000 }, (_, i) => `guest${i}@city${i % 300}.example,Guest ${i},City ${i % 300},${['MX', 'US', 'CA'][i % 3]},${['mayor-mx', 'mayor-us', 'mayor-ca'][i % 3]},${['es', 'en', 'fr'][i % 3]},${i % 3}`)].join('\n');
    let t = performance.now();
    const imported = await new InvitationService({ store, clock, ids, tokenSecret: 'bench', publicBaseUrl: 'https://x.example' }).import(summit.id, parseInvitationCsv(csv));
    const importMs = performance.now() - t;
    note(`- 10,000-row CSV (${(csv.length / 1024).toFixed(0)} KB): ${(importMs / 1000).toFixed(1)} s, ${(10_000 / (importMs / 1000)).toFixed(0)} rows/s; bench process peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);

    note('\n## Answers (DynamoDB Local, 250 seats, 500 invitees answering at once)\n');
    const rsvp = new RsvpService({ store, clock, ids });
    const latencies: number[] = [];
    t = performance.now();
    await Promise.all(
      imported.slice(0, 500).map(async (r) => {
        const start = performance.now();
        await rsvp.respond(r.rsvpUrl!.split('/rsvp/')[1]!, parseRsvpRequest({ responses: [{ sessionId: 'working-day-1', attending: true }] }));
        latencies.push(performance.now() - start);
      }),
    );
    const total = performance.now() - t;
    note(`- 500 concurrent answers in ${(total / 1000).toFixed(1)} s: ${(500 / (total / 1000)).toFixed(0)} answers/s; latency p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(Math.max(...latencies))}`);
    const s = (await store.getEvent(summit.id))!.sessions.find((x) => x.id === 'working-day-1')!;
    note(`- result: ${s.confirmedSeats}/${s.capacity} seats confirmed, ${s.waitlistedParties} parties waitlisted`);
  } finally {
    await ddb.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function badges() {
  note('\n## Badges (pdf-lib, DejaVu subset, vector QR)\n');
  const deps = { fonts: loadBadgeFonts(), signer: createCredentialSigner(seedFromSecret('bench')) };
  const input = (i: number) => ({ eventId: summit.id, invitationId: `inv_${i}`, version: 1, displayName: `Josefina Núñez-Łódź ${i}`, title: 'Presidenta Municipal', organization: 'Tijuana, Baja California', country: 'MX', category: 'mayor-mx' as const, eventName: summit.name.es, eventDates: '6–8 de junio de 2019', sessions: summit.sessions.map((x) => ({ id: x.id, label: x.name.es })), language: 'es' as const });
  await renderBadge(input(0), deps);
  const t = performance.now();
  let bytes = 0;
  for (let i = 0; i < 100; i++) bytes += (await renderBadge(input(i), deps)).length;
  const elapsed = performance.now() - t;
  note(`- badges one at a time: ${(100 / (elapsed / 1000)).toFixed(0)} badges/s, ${(bytes / 100 / 1024).toFixed(1)} KB per badge`);
  const t2 = performance.now();
  const sheet = await renderPrintSheet(Array.from({ length: 250 }, (_, i) => input(i)), 'A4', deps);
  note(`- print sheet of 250 badges (A4, 4 per page): ${((performance.now() - t2) / 1000).toFixed(1)} s, ${mb(sheet.length)}`);
}

note(`# Cumbre benchmarks\n\nMeasured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Figures vary with the machine's load; compare runs on one machine.`);
await badges();
await dynamo();
await bundles();
await writeFile(join(root, 'bench/results.md'), rows.join('\n') + '\n');
console.log('\nwritten to bench/results.md');
