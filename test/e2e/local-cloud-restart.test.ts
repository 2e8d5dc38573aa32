import { ScanCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/index.js';
import { EVENT_ID, eventually, mailTo } from './support.js';

/**
 * Issue 12 item 12 on the Cumbre stack: a second local cloud of its own (free ports, a temporary
 * data dir, the assembly global setup synthesized), restarted. After the restart the mail page
 * still shows the mail sent before it, and session.json lists every invitation's link — not only
 * the demo ones — each one opening that invitation.
 */
const { templatePath, error } = inject('localCloud');
let dataDir: string;
let cloud: LocalCloud;

const start = () => startLocalCloud({ cdkOut: path.dirname(templatePath!), synth: false, ports: 'auto', dataDir, quiet: true, seedDemo: false, sqsRetryDelaySeconds: 0 });

beforeAll(async () => {
  expect(templatePath, error).toBeDefined();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cumbre-restart-'));
  cloud = await start();
});

afterAll(async () => {
  await cloud?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a restart of the Cumbre local cloud', () => {
  it('keeps the sent mail and lists every invitation’s RSVP link in session.json', async () => {
    // Prepare: two invitations imported through the API, their invitation emails sent.
    const invitees = ['restart.one@cumbre.example', 'restart.two@cumbre.example'];
    const res = await fetch(`${cloud.apiUrl}/events/${EVENT_ID}/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cloud.session.organizer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(invitees.map((email, i) => ({ email, name: `Restart ${i}`, country: 'MX', category: 'academic', language: 'es' }))),
    });
    expect(res.status).toBe(200);
    const imported = ((await res.json()) as { results: Array<{ email: string; rsvpUrl: string }> }).results;
    for (const email of invitees) await eventually(async () => ((await mailTo(cloud, email)).length ? true : undefined), `the invitation email to ${email}`, 90_000);
    expect(cloud.session.invitations).toEqual([]);

    // Act
    await cloud.stop();
    cloud = await start();

    // Assess: the mail is still on the mail page, once each.
    for (const email of invitees) expect(await mailTo(cloud, email)).toHaveLength(1);
    // Every invitation in the table (the source of truth) has its link, the same the import gave.
    const ddb = new DynamoDBClient({ region: cloud.region, credentials: cloud.credentials, endpoint: cloud.endpoints.dynamodb });
    const table = cloud.resources.find((r) => r.type === 'AWS::DynamoDB::Table')!.ref;
    const stored = await ddb.send(
      new ScanCommand({ TableName: table, FilterExpression: '#t = :i', ExpressionAttributeNames: { '#t': 'type' }, ExpressionAttributeValues: { ':i': { S: 'invitation' } } }),
    );
    const session = JSON.parse(await readFile(path.join(dataDir, 'session.json'), 'utf8')) as LocalCloud['session'];
    expect(session.invitations.map((i) => i.email).sort()).toEqual((stored.Items ?? []).map((i) => i.email.S!).sort());
    const port = (url: string) => url.replace(/^http:\/\/localhost:\d+/, cloud.apiUrl);
    for (const { email, rsvpUrl } of imported) {
      const link = session.invitations.find((i) => i.email === email)!;
      expect(link.rsvpUrl).toBe(port(rsvpUrl));
      expect(link.eventId).toBe(EVENT_ID);
      const page = await fetch(link.rsvpUrl);
      expect(page.status).toBe(200);
    }
  });
});
