import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cloudInfo, startLocalCloud, type LocalCloud, type LocalCloudInfo } from '../../local/index.js';
import { sourceQueueOf } from '../../scripts/redrive.js';
import { EVENT_ID, eventually, mailTo, organizerApi } from './support.js';

/**
 * Deploy day's worst case on a cloud of its own: SES refuses the sending itself (a paused account;
 * an unverified sender answers alike) while invitations go out. No email may be lost or marked
 * rejected for it: each is held (the invitation says so), its message ends in the email DLQ, and
 * once the sending is fixed `npm run redrive` — the CLI itself, against the local SQS — brings them
 * back and each invitee gets their invitation exactly once. Waits are on state, never sleeps.
 *
 * Failed messages come back after 1 s here (AWS: the visibility timeout), so maxReceiveCount (3)
 * is spent in seconds.
 */
let cloud: LocalCloud;
let info: LocalCloudInfo;
let dataDir: string;
const root = path.resolve(import.meta.dirname, '../..');

beforeAll(async () => {
  const { templatePath, error } = inject('localCloud');
  if (!templatePath) throw new Error(`no synthesized template: ${error}`);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cumbre-ses-paused-'));
  cloud = await startLocalCloud({
    root,
    cdkOut: path.dirname(templatePath),
    synth: false,
    dataDir,
    ports: 'auto',
    quiet: !process.env.CUMBRE_E2E_LOG,
    ...(process.env.CUMBRE_E2E_LOG ? { write: (text: string) => void process.stdout.write(text) } : {}),
    sqsRetryDelaySeconds: 1,
  });
  info = cloudInfo(cloud);
}, 240_000);

afterAll(async () => {
  await cloud?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const queueUrl = (logicalId: RegExp) => info.resources.find((r) => r.type === 'AWS::SQS::Queue' && logicalId.test(r.logicalId))!.ref;
const depth = async (sqs: SQSClient, url: string) => {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
};

describe('SES refusing the sending on deploy day', () => {
  it('holds every invitation email, keeps it in the DLQ, and sends each once after the fix and a redrive', async () => {
    const api = organizerApi(info);
    const sqs = new SQSClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.sqs });
    const dlq = queueUrl(/EmailWorkerDlq/);
    const work = queueUrl(/EmailWorkerQueue/);
    // A quiet start: the bootstrap's own emails are out before the sending stops.
    await eventually(async () => ((await depth(sqs, work)) === 0 ? true : undefined), 'the email queue drained', 90_000);
    const before = await depth(sqs, dlq);

    cloud.faults.pauseSending(true);
    const prefix = `paused.${randomUUID().slice(0, 6)}`;
    const rows = [0, 1, 2].map((i) => ({ email: `${prefix}.${i}@cumbre.example`, name: `Paused ${i}`, country: 'CA', category: 'mayor-ca', language: 'fr' }));
    const imported = await api(`/events/${EVENT_ID}/invitations`, { method: 'POST', body: JSON.stringify(rows) });
    expect(imported.status).toBe(200);
    const { results } = (await imported.json()) as { results: Array<{ id: string; email: string }> };
    const delivery = async (id: string) => ((await (await api(`/events/${EVENT_ID}/invitations/${id}`)).json()) as { delivery?: { state: string; detail?: string } }).delivery;

    // Held, not rejected: the invitation says so, and the message is in the DLQ once its receives are spent.
    for (const { id } of results) {
      const held = await eventually(async () => ((await delivery(id))?.state === 'held' ? await delivery(id) : undefined), `invitation ${id} held`);
      expect(held?.detail).toContain('SendingPausedException');
    }
    await eventually(async () => ((await depth(sqs, dlq)) >= before + results.length ? true : undefined), 'the held emails in the email DLQ', 90_000);
    // Everything the pause caught is in the DLQ now, nothing still between retries.
    await eventually(async () => ((await depth(sqs, work)) === 0 ? true : undefined), 'the email queue drained into its DLQ', 90_000);
    for (const { email } of rows) expect(await mailTo(info, email)).toEqual([]);

    // Fixed: sending resumes; the DLQ's source is found by its redrive policy, and the CLI moves it all back.
    cloud.faults.pauseSending(false);
    expect(await sourceQueueOf(sqs, dlq)).toBe(work);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/redrive.ts', dlq], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    expect(stdout).toMatch(/^\d+ message\(s\) moved from /);
    expect(Number(/^(\d+)/.exec(stdout)![1])).toBeGreaterThanOrEqual(results.length);

    for (const { id } of results) await eventually(async () => ((await delivery(id))?.state === 'sent' ? true : undefined), `invitation ${id} sent`, 90_000);
    for (const { email } of rows) expect((await mailTo(info, email)).length, email).toBe(1);
    expect(await depth(sqs, dlq)).toBe(0);
  });
});
