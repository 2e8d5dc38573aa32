import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsPoller } from '../../local/event-sources/sqs.js';
import { createLog } from '../../local/log.js';
import { freePort } from '../../local/ports.js';
import type { LocalFunction } from '../../local/runtime/functions.js';

/**
 * Lambda's SQS poller keeps several batches in flight (five at first, capped by the mapping's
 * MaximumConcurrency). One poller running batches one after another hid, locally, the queueing a
 * serial worker would cause, and made the local cloud slower than the stack it stands for.
 */
describe('SQS poller concurrency', () => {
  let server: { stop(): Promise<void> };
  let sqs: SQSClient;
  beforeAll(async () => {
    const { startFauxqs } = await import('fauxqs');
    const port = await freePort();
    server = await startFauxqs({ port, logger: false, defaultRegion: 'us-east-1' });
    sqs = new SQSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  });
  afterAll(async () => server?.stop());

  const run = async (name: string, concurrency: number | undefined, messages: number) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    for (let i = 0; i < messages; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: Math.min(10, messages - i) }, (_, j) => ({ Id: String(j), MessageBody: `m${i + j}` })) }),
      );
    }
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    const fn = {
      def: { label: name, arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}` },
      invoke: async (event: { Records: Array<{ body: string }> }) => {
        most = Math.max(most, ++inFlight);
        await sleep(150);
        seen.push(...event.Records.map((r) => r.body));
        inFlight--;
        return { ok: true, requestId: 'r', durationMs: 150, result: {} };
      },
    } as unknown as LocalFunction;
    const poller = new SqsPoller(
      {
        id: name,
        fn,
        queueUrl: QueueUrl!,
        queueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
        batchSize: 1,
        maximumBatchingWindowSeconds: 0,
        reportBatchItemFailures: false,
        filters: [],
        region: 'us-east-1',
        concurrency,
      },
      sqs,
      createLog({ level: 'error', quiet: true }),
    );
    poller.start();
    for (const deadline = Date.now() + 20_000; seen.length < messages && Date.now() < deadline;) await sleep(50);
    await poller.stop();
    const left = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return { most, seen, left: Number(left.Attributes!.ApproximateNumberOfMessages) + Number(left.Attributes!.ApproximateNumberOfMessagesNotVisible) };
  };

  it('keeps as many batches in flight as its concurrency, each message handled once and deleted', async () => {
    const three = await run('three', 3, 12);
    expect(three.most).toBe(3);
    expect([...three.seen].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`).sort());
    expect(three.left).toBe(0);
  });

  it('runs one batch at a time without a concurrency', async () => {
    const one = await run('one', undefined, 4);
    expect(one.most).toBe(1);
    expect(one.seen).toHaveLength(4);
  });
});
