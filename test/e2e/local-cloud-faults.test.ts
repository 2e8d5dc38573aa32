import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/index.js';

/**
 * Issue 10 items 1–4 on the local cloud's own machinery (the hand-made assembly in
 * test/e2e/fixtures/cloud): hostile requests, durable S3 objects, a stop mid-burst that leaves
 * the data dir as a crash would, and emulators that die. Each test names the fault it injects.
 */
const fixture = path.resolve(import.meta.dirname, 'fixtures/cloud');
let dataDir: string;
let cloud: LocalCloud;
let logs: string[] = [];

const start = () =>
  startLocalCloud({ cdkOut: fixture, stackName: 'Fixture', synth: false, ports: 'auto', dataDir, quiet: true, write: (t) => logs.push(t), sqsRetryDelaySeconds: 0 });

const clients = () => {
  const config = { region: cloud.region, credentials: cloud.credentials };
  return {
    ddb: new DynamoDBClient({ ...config, endpoint: cloud.endpoints.dynamodb }),
    s3: new S3Client({ ...config, endpoint: cloud.endpoints.s3, forcePathStyle: true }),
    ses: new SESv2Client({ ...config, endpoint: cloud.endpoints.sesv2 }),
  };
};
const ref = (logicalId: string) => cloud.resources.find((r) => r.logicalId === logicalId)!.ref;
const TABLE = 'Table7ABB1A1D';

const eventually = async <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

const seen = async (pk: string) => {
  const r = await clients().ddb.send(new QueryCommand({ TableName: ref(TABLE), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `SEEN#${pk}` } } }));
  return r.Items?.length ? r.Items : undefined;
};
const putItem = (pk: string) => clients().ddb.send(new PutItemCommand({ TableName: ref(TABLE), Item: { pk: { S: pk }, sk: { S: 'A' } } }));
const apiAnswers = async () => (await fetch(`${cloud.apiUrl}/bare`)).status === 200;

/** Writes raw bytes to the gateway and closes the socket, as a client that dies mid-request does. */
const sendRaw = (port: number, text: string) =>
  new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(text, () => setTimeout(() => (socket.destroy(), resolve()), 100));
    });
    socket.on('error', reject);
  });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cumbre-faults-'));
  cloud = await start();
});

afterAll(async () => {
  await cloud?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('hostile requests never take the gateway down (issue 10.1)', () => {
  it('survives a body shorter than its Content-Length followed by a closed socket', async () => {
    // Act
    const port = Number(new URL(cloud.apiUrl).port);
    await sendRaw(port, 'POST /echo/1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"short":');
    // Assess
    expect(await apiAnswers()).toBe(true);
    expect(logs.join('')).toMatch(/client closed the connection mid-request/);
  });

  it('answers 401 to a token whose header and claims are JSON null', async () => {
    const res = await fetch(`${cloud.apiUrl}/private`, { headers: { authorization: 'Bearer bnVsbA.bnVsbA.eA' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
    for (const token of ['MQ.MQ.eA', 'W10.W10.eA', 'e30.e30.eA', '..', 'a.b.c']) {
      expect((await fetch(`${cloud.apiUrl}/private`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    }
    expect(await apiAnswers()).toBe(true);
  });

  it('answers 400 to a malformed percent escape in the path, and decodes path parameters exactly once', async () => {
    const malformed = await fetch(`${cloud.apiUrl}/echo/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ message: 'Bad Request' });
    expect((await fetch(`${cloud.apiUrl}/echo/%`)).status).toBe(400);
    const once = (await (await fetch(`${cloud.apiUrl}/echo/a%2525ZZ`)).json()) as { event: { pathParameters: Record<string, string>; rawPath: string } };
    expect(once.event.pathParameters).toEqual({ id: 'a%25ZZ' });
    expect(once.event.rawPath).toBe('/echo/a%2525ZZ');
    expect(await apiAnswers()).toBe(true);
  });
});

describe('a function instance that dies (issue 10.3, the EPIPE)', () => {
  it('fails the invocation in flight, cold-starts the next, and a clean stop meanwhile does not crash', async () => {
    // Prepare: a slow invocation holds an instance.
    expect(await apiAnswers()).toBe(true);
    const slow = fetch(`${cloud.apiUrl}/slow`);
    await eventually(async () => (cloud.invocations('EchoFn') > 0 ? true : undefined), 'the slow invocation');
    await new Promise((r) => setTimeout(r, 300));
    // Act
    const killed = cloud.faults.killFunction('EchoFn');
    // Assess
    expect(killed).toBeGreaterThan(0);
    expect((await slow).status).toBe(500);
    expect(await apiAnswers()).toBe(true);
  });
});

describe('DynamoDB Local dies (issue 10.4)', () => {
  it('says so, restarts it with the same data, and the API and the stream work again', async () => {
    // Prepare
    await putItem('BEFORE#1');
    logs = [];
    // Act
    cloud.faults.killEmulator('dynamodb');
    await cloud.faults.emulatorRunning('dynamodb');
    // Assess: said in plain words, restarted once, data kept.
    expect(logs.join('')).toMatch(/DynamoDB Local \(pid \d+\) died unexpectedly \(killed by SIGKILL\)/);
    expect(logs.join('')).toMatch(/DynamoDB Local is running again/);
    expect(cloud.faults.emulatorRestarts('dynamodb')).toBe(1);
    const before = await clients().ddb.send(new GetItemCommand({ TableName: ref(TABLE), Key: { pk: { S: 'BEFORE#1' }, sk: { S: 'A' } } }));
    expect(before.Item).toBeDefined();
    // Functions reach it again, and the stream mapping resumes from its checkpoint.
    const res = await eventually(async () => {
      const r = await fetch(`${cloud.apiUrl}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"pk":"AFTER#1"}' });
      return r.status === 201 ? r : undefined;
    }, 'a write through the API after the restart');
    expect(res.status).toBe(201);
    await putItem('ITEM#AFTER-RESTART');
    expect(await eventually(() => seen('ITEM#AFTER-RESTART'), 'the stream record written after the restart')).toBeDefined();
  });
});

describe('the mail page keeps its mail (issue 12.12)', () => {
  it('has every email sent before a restart, read back from the data dir', async () => {
    await clients().ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'sender@cumbre.example',
        Destination: { ToAddresses: ['kept@cumbre.example'] },
        Content: { Simple: { Subject: { Data: 'Kept across restarts' }, Body: { Text: { Data: 'hola' } } } },
      }),
    );
    const subjects = async () => ((await (await fetch(`${cloud.mailUrl}/store`)).json()) as { emails: Array<{ subject: string }> }).emails.map((e) => e.subject);
    expect(await subjects()).toContain('Kept across restarts');
    await cloud.stop();
    cloud = await start();
    expect((await subjects()).filter((s) => s === 'Kept across restarts')).toHaveLength(1);
  });
});

describe('a stop mid-burst, as SIGKILL leaves it (issues 10.2 and 10.3)', () => {
  it('keeps every S3 object put before the crash, and recovers from an emptied checkpoint file by naming it', async () => {
    // Prepare: writes through the API (each puts an item and an S3 object before answering 201).
    const write = (pk: string) =>
      fetch(`${cloud.apiUrl}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pk }) }).then(
        (r) => (r.status === 201 ? pk : undefined),
        () => undefined,
      );
    const settled: string[] = [];
    for (let i = 0; i < 4; i++) settled.push(await eventually(() => write(`BURST#${i}`), `BURST#${i} stored`));
    await Promise.all(Array.from({ length: 10 }, (_, i) => putItem(`ITEM#BURST-${i}`)));
    // Act: a burst still in flight when the cloud dies as SIGKILL would kill it.
    const inFlight = Array.from({ length: 8 }, (_, i) => write(`BURST#${i + 4}`));
    await new Promise((r) => setTimeout(r, 200));
    await cloud.faults.stopUncleanly();
    const stored = [...settled, ...(await Promise.all(inFlight)).filter((pk): pk is string => pk !== undefined)];
    expect((await readdir(dataDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // A state file damaged as the old non-atomic writer left it.
    await writeFile(path.join(dataDir, 'stream-checkpoints.json'), '');
    logs = [];
    cloud = await start();
    // Assess: the bad file is named and set aside; every object a 201 promised is there.
    expect(logs.join('')).toMatch(/stream-checkpoints\.json is not valid JSON .*kept as stream-checkpoints\.json\.bad-.*TRIM_HORIZON/);
    const s3 = clients().s3;
    for (const pk of stored) {
      const obj = await s3.send(new GetObjectCommand({ Bucket: ref('BadgesBucketA1B2C3D4'), Key: `items/${pk}.txt` }));
      expect(await obj.Body!.transformToString()).toBe(pk);
    }
    // Records from before the crash are delivered from the oldest the stream holds.
    for (let i = 0; i < 10; i++) expect(await eventually(() => seen(`ITEM#BURST-${i}`), `ITEM#BURST-${i} seen`)).toBeDefined();
    const state = JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8')) as { customResources: object };
    expect(Object.keys(state.customResources)).toEqual(['Seed1A2B3C4D']);
  });
});
