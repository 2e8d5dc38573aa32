import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/index.js';

/**
 * The local cloud's machinery against a small hand-made assembly (test/e2e/fixtures/cloud): what
 * the gateway, the sandboxes, the pollers and the emulators do, independent of Cumbre's own stack.
 */
const fixture = path.resolve(import.meta.dirname, 'fixtures/cloud');
let dataDir: string;
let cloud: LocalCloud;
let ddb: DynamoDBClient;
let sqs: SQSClient;
const logs: string[] = [];

const start = () =>
  startLocalCloud({ cdkOut: fixture, stackName: 'Fixture', synth: false, ports: 'auto', dataDir, quiet: true, write: (t) => logs.push(t), sqsRetryDelaySeconds: 0 });

const resource = (logicalId: string) => {
  const r = cloud.resources.find((x) => x.logicalId === logicalId);
  if (!r) throw new Error(`no ${logicalId}`);
  return r;
};

const eventually = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
};

const getItem = async (pk: string, sk = 'A') => (await ddb.send(new GetItemCommand({ TableName: resource('Table7ABB1A1D').ref, Key: { pk: { S: pk }, sk: { S: sk } } }))).Item;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cumbre-fixture-'));
  cloud = await start();
  const config = { region: cloud.region, credentials: cloud.credentials };
  ddb = new DynamoDBClient({ ...config, endpoint: cloud.endpoints.dynamodb });
  sqs = new SQSClient({ ...config, endpoint: cloud.endpoints.sqs, useQueueUrlAsEndpoint: false });
});

afterAll(async () => {
  await cloud?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('gateway', () => {
  it('hands the function a real payload format 2.0 event and maps its result', async () => {
    // Act
    const res = await fetch(`${cloud.apiUrl}/echo/caf%C3%A9?a=1&a=2&b=x`, { headers: { cookie: 'c=1; d=2', 'X-Custom': 'Yes' } });
    const body = (await res.json()) as { event: Record<string, any>; env: Record<string, string>; remaining: number; secretLength: number; arn: string };
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('x-echo')).toBe('yes');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
    const e = body.event;
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'GET /echo/{id}',
      rawPath: '/echo/caf%C3%A9',
      rawQueryString: 'a=1&a=2&b=x',
      cookies: ['c=1', 'd=2'],
      queryStringParameters: { a: '1,2', b: 'x' },
      pathParameters: { id: 'café' },
      isBase64Encoded: false,
      requestContext: { stage: '$default', routeKey: 'GET /echo/{id}', http: { method: 'GET', path: '/echo/caf%C3%A9', sourceIp: '127.0.0.1' } },
    });
    expect(e.headers['x-custom']).toBe('Yes');
    expect(e.headers.cookie).toBeUndefined();
    expect(e.body).toBeUndefined();
    expect(e.requestContext.authorizer).toBeUndefined();
    // The template's environment, resolved to local resources, plus Lambda's own variables.
    expect(body.env).toMatchObject({
      TABLE_NAME: 'Fixture-Table',
      PUBLIC_BASE_URL: cloud.apiUrl,
      TZ: ':UTC',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'Fixture-EchoFn',
      HOME_LEAK: null,
    });
    expect(body.env.QUEUE_URL).toMatch(/\/000000000000\/Fixture-WorkQueue$/);
    expect(body.remaining).toBeGreaterThan(0);
    expect(body.remaining).toBeLessThanOrEqual(2000);
    expect(body.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:Fixture-EchoFn');
    expect(body.secretLength).toBe(48);
  });

  it('prefers a literal route over a parameter, and serves greedy paths', async () => {
    const fixed = (await (await fetch(`${cloud.apiUrl}/echo/fixed`)).json()) as { event: { routeKey: string } };
    expect(fixed.event.routeKey).toBe('GET /echo/fixed');
    const files = (await (await fetch(`${cloud.apiUrl}/files/a/b/c.pdf`)).json()) as { event: { pathParameters: unknown } };
    expect(files.event.pathParameters).toEqual({ proxy: 'a/b/c.pdf' });
  });

  it('base64-encodes form bodies and passes JSON bodies as text', async () => {
    const form = (await (await fetch(`${cloud.apiUrl}/echo/1`, { method: 'POST', body: new URLSearchParams({ a: 'b' }) })).json()) as {
      event: { body: string; isBase64Encoded: boolean };
    };
    expect(form.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(form.event.body, 'base64').toString()).toBe('a=b');
    const json = (await (await fetch(`${cloud.apiUrl}/echo/1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' })).json()) as {
      event: { body: string; isBase64Encoded: boolean };
    };
    expect(json.event).toMatchObject({ body: '{"x":1}', isBase64Encoded: false });
  });

  it("answers with API Gateway's own errors: 404, 413, 500 for a throw or a timeout", async () => {
    const missing = await fetch(`${cloud.apiUrl}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Not Found' });
    const wrongMethod = await fetch(`${cloud.apiUrl}/private`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);
    const big = await fetch(`${cloud.apiUrl}/echo/1`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(10 * 1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ message: 'Request Entity Too Large' });
    const crash = await fetch(`${cloud.apiUrl}/crash`);
    expect(crash.status).toBe(500);
    expect(await crash.json()).toEqual({ message: 'Internal Server Error' });
    const slow = await fetch(`${cloud.apiUrl}/slow`); // Timeout: 2 s, sleeps 5 s
    expect(slow.status).toBe(500);
    // The sandbox that timed out was replaced: the next call works.
    expect((await fetch(`${cloud.apiUrl}/bare`)).status).toBe(200);
  });

  it("throttles a route to its stage RouteSettings with API Gateway's 429", async () => {
    // GET /text: 1 request/s, burst 2.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${cloud.apiUrl}/text`)).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
    await new Promise((r) => setTimeout(r, 2100));
  });

  it('maps bare, string and binary results', async () => {
    const bare = await fetch(`${cloud.apiUrl}/bare`);
    expect(bare.headers.get('content-type')).toBe('application/json');
    expect(await bare.json()).toEqual({ hello: 'world' });
    expect(await (await fetch(`${cloud.apiUrl}/text`)).text()).toBe('plain string');
    const binary = Buffer.from(await (await fetch(`${cloud.apiUrl}/binary`)).arrayBuffer());
    expect([...binary]).toEqual([0, 1, 2, 255]);
  });

  it('checks JWTs against the local user pool and passes the claims as API Gateway does', async () => {
    const none = await fetch(`${cloud.apiUrl}/private`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Unauthorized' });
    const token = cloud.session.organizer.token;
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
    expect((await fetch(`${cloud.apiUrl}/private`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    expect((await fetch(`${cloud.apiUrl}/private`, { headers: { authorization: 'Bearer garbage' } })).status).toBe(401);
    const ok = await fetch(`${cloud.apiUrl}/private`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const { event } = (await ok.json()) as { event: { requestContext: { authorizer: { jwt: { claims: Record<string, string> } } } } };
    const claims = event.requestContext.authorizer.jwt.claims;
    expect(claims.email).toBe(cloud.session.organizer.username);
    expect(typeof claims.exp).toBe('string');
    expect(claims.iss).toBe(cloud.cognito.issuer);
  });
});

describe('event sources', () => {
  it('delivers SQS messages in batches, deletes successes and moves a message that keeps failing to the DLQ', async () => {
    // Prepare
    const queue = resource('WorkQueue1B2C3D4E');
    const dlq = resource('WorkDlq3C4D5E6F');
    // Act: the function sends through the `sqs.<region>.localhost` queue URL from its environment.
    expect((await fetch(`${cloud.apiUrl}/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"ok-1"}' })).status).toBe(202);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.ref, MessageBody: JSON.stringify({ id: 'bad-1', fail: true }) }));
    // Assess
    const worked = await eventually(() => getItem('WORKED#ok-1'));
    expect(worked).toMatchObject({ receiveCount: { S: '1' }, source: { S: 'aws:sqs' } });
    await eventually(async () => {
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.ref, AttributeNames: ['ApproximateNumberOfMessages'] }));
      return Number(attrs.Attributes?.ApproximateNumberOfMessages) === 1 ? true : undefined;
    });
    expect(await getItem('WORKED#bad-1')).toBeUndefined();
  });

  it('delivers what is published to an SNS topic to its subscribed queue', async () => {
    const topicArn = resource('FeedbackTopic1A2B3C4D').ref;
    const res = await fetch(cloud.endpoints.sqs, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=local',
      },
      body: new URLSearchParams({ Action: 'Publish', TopicArn: topicArn, Message: JSON.stringify({ id: 'sns-1' }) }),
    });
    expect(res.status).toBe(200);
    expect(await eventually(() => getItem('WORKED#sns-1'))).toMatchObject({ source: { S: 'aws:sqs' } });
  });

  it('delivers stream records that pass the filter, in order, and gives up on a poison record after its retries', async () => {
    const table = resource('Table7ABB1A1D').ref;
    for (const pk of ['ITEM#1', 'OTHER#1', 'ITEM#2', 'ITEM#POISON', 'ITEM#3']) {
      await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: 'A' } } }));
    }
    const seenOf = async (pk: string) => {
      const r = await ddb.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `SEEN#${pk}` } } }));
      return r.Items?.map((i) => i.sk.S!) ?? [];
    };
    await eventually(async () => ((await seenOf('ITEM#3')).length ? true : undefined));
    const seen = await Promise.all(['ITEM#1', 'ITEM#2', 'ITEM#3', 'OTHER#1', 'ITEM#POISON'].map(seenOf));
    const [one, two, three, other, poison] = seen;
    expect(other).toEqual([]); // filtered out by prefix
    expect(poison).toEqual([]);
    expect(one.length).toBeGreaterThanOrEqual(1);
    // Order within the shard: 1 before 2 before 3 (bisect may redeliver the ones before the poison).
    expect(Number(one.at(-1))).toBeLessThan(Number(two.at(-1)));
    expect(Number(two.at(-1))).toBeLessThan(Number(three.at(-1)));
    expect(logs.join('')).toMatch(/discarding 1 record\(s\)/);
  });
});

describe('resources and restarts', () => {
  it('creates the table with its GSI, stream and TTL, and runs the custom resource through its provider', async () => {
    const { DescribeTableCommand, DescribeTimeToLiveCommand } = await import('@aws-sdk/client-dynamodb');
    const table = (await ddb.send(new DescribeTableCommand({ TableName: resource('Table7ABB1A1D').ref }))).Table!;
    expect(table.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['gsi1']);
    expect(table.StreamSpecification).toMatchObject({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: table.TableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect(await getItem('SEED', 'Create')).toMatchObject({ message: { S: 'hello from Fixture' } });
    expect(resource('Seed1A2B3C4D')).toMatchObject({ ref: 'seed-1', attributes: { Greeting: 'hola' } });
    const session = JSON.parse(await readFile(path.join(dataDir, 'session.json'), 'utf8')) as { apiUrl: string; organizer: { token: string } };
    expect(session.apiUrl).toBe(cloud.apiUrl);
    expect(session.organizer.token).toBe(cloud.session.organizer.token);
  });

  it('keeps data, secrets, objects and the organizer across a restart, without re-running the custom resource', async () => {
    // Prepare
    expect((await fetch(`${cloud.apiUrl}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"pk":"KEEP#1"}' })).status).toBe(201);
    const before = { password: cloud.session.organizer.password, secret: ((await (await fetch(`${cloud.apiUrl}/echo/1`)).json()) as { secretLength: number }).secretLength };
    const bucket = resource('BadgesBucketA1B2C3D4').ref;
    // Act
    await cloud.stop();
    cloud = await start();
    ddb = new DynamoDBClient({ region: cloud.region, credentials: cloud.credentials, endpoint: cloud.endpoints.dynamodb });
    // Assess
    expect(await getItem('KEEP#1')).toBeDefined();
    expect(await getItem('SEED', 'Update')).toBeUndefined();
    expect(cloud.session.organizer.password).toBe(before.password);
    expect(cloud.invocations('SeedFn')).toBe(0);
    const s3 = new S3Client({ region: cloud.region, credentials: cloud.credentials, endpoint: cloud.endpoints.s3, forcePathStyle: true });
    const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'items/KEEP#1.txt' }));
    expect(await obj.Body!.transformToString()).toBe('KEEP#1');
    const private_ = await fetch(`${cloud.apiUrl}/private`, { headers: { authorization: `Bearer ${cloud.session.organizer.token}` } });
    expect(private_.status).toBe(200);
    expect(before.secret).toBe(48);
  });
});
