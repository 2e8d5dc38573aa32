import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { matchesAny, sqsFilterView, type FilterPattern } from '../filter-pattern.js';
import type { Log } from '../log.js';
import type { LocalFunction } from '../runtime/functions.js';
import { sleep } from './sleep.js';

export interface SqsMapping {
  id: string;
  fn: LocalFunction;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  filters: FilterPattern[];
  region: string;
  /**
   * Failed messages become visible again after the queue's visibility timeout, as in AWS. Set this
   * to retry sooner (tests that watch a message reach its DLQ); undefined keeps the AWS behaviour.
   */
  retryDelaySeconds?: number;
  /**
   * Batches in flight at once. Lambda's SQS poller starts with five concurrent batches (and
   * scales up from there); a mapping's `ScalingConfig.MaximumConcurrency` caps it.
   */
  concurrency?: number;
  /**
   * When an in-flight message becomes visible again (epoch ms), from the emulator. With it, the
   * retry delay leaves alone a message whose visibility the function changed itself (a worker
   * handing a message back for a while), as the queue's visibility timeout would on AWS.
   */
  visibilityDeadline?: (receiptHandle: string) => number | undefined;
}

/** The record Lambda's SQS poller hands to the function for one message. */
export const toSqsRecord = (m: Message, queueArn: string, region: string) => ({
  messageId: m.MessageId!,
  receiptHandle: m.ReceiptHandle!,
  body: m.Body ?? '',
  attributes: { ...(m.Attributes ?? {}) } as Record<string, string>,
  messageAttributes: Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).map(([name, a]) => [
      name,
      {
        ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
        ...(a.BinaryValue !== undefined ? { binaryValue: Buffer.from(a.BinaryValue).toString('base64') } : {}),
        stringListValues: a.StringListValues ?? [],
        binaryListValues: (a.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
        dataType: a.DataType!,
      },
    ]),
  ),
  md5OfBody:
    m.MD5OfBody ??
    createHash('md5')
      .update(m.Body ?? '')
      .digest('hex'),
  ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: region,
});

/**
 * Lambda's SQS event source: long-polls the queue, batches up to `BatchSize` within the batching
 * window, drops (deletes) messages the filters reject, deletes what succeeded and leaves failures
 * for the queue's redrive policy to move to the DLQ after maxReceiveCount receives.
 */
export class SqsPoller {
  private abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly mapping: SqsMapping,
    private readonly sqs: SQSClient,
    private readonly log: Log,
  ) {}

  start(): void {
    const loops = Array.from({ length: Math.max(1, this.mapping.concurrency ?? 1) }, () =>
      this.run().catch((err: unknown) => {
        if (!this.abort.signal.aborted) this.log.error(`esm:${this.mapping.fn.def.label}`, `SQS poller stopped: ${(err as Error).message}`);
      }),
    );
    this.loop = Promise.all(loops).then(() => undefined);
  }

  private async receive(max: number, wait: number): Promise<Message[]> {
    const r = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.mapping.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return r.Messages ?? [];
  }

  private async run(): Promise<void> {
    const m = this.mapping;
    const source = `esm:${m.fn.def.label}`;
    while (!this.abort.signal.aborted) {
      let batch: Message[];
      try {
        batch = await this.receive(m.batchSize, 20);
        const windowEnds = Date.now() + m.maximumBatchingWindowSeconds * 1000;
        while (batch.length > 0 && batch.length < m.batchSize && Date.now() < windowEnds && !this.abort.signal.aborted) {
          const more = await this.receive(m.batchSize - batch.length, 0);
          if (more.length) batch.push(...more);
          else await sleep(Math.min(200, windowEnds - Date.now()), this.abort.signal);
        }
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.log.warn(source, `receive failed: ${(err as Error).message}`);
        await sleep(1000, this.abort.signal);
        continue;
      }
      if (batch.length === 0 || this.abort.signal.aborted) continue;

      const records = batch.map((msg) => toSqsRecord(msg, m.queueArn, m.region));
      const kept = records.filter((r) => matchesAny(m.filters, sqsFilterView(r)));
      const dropped = records.filter((r) => !kept.includes(r));
      if (dropped.length) {
        this.log.debug(source, `${dropped.length} message(s) did not match the filters: deleted`);
        await this.delete(dropped.map((r) => r.receiptHandle));
      }
      if (kept.length === 0) continue;

      const deadlines = new Map(kept.map((r) => [r.receiptHandle, m.visibilityDeadline?.(r.receiptHandle)]));
      const outcome = await m.fn.invoke({ Records: kept });
      let failed = new Set<string>();
      if (!outcome.ok) {
        failed = new Set(kept.map((r) => r.messageId));
      } else if (m.reportBatchItemFailures) {
        const reported = (outcome.result as { batchItemFailures?: Array<{ itemIdentifier?: unknown }> } | null)?.batchItemFailures ?? [];
        const ids = new Set(kept.map((r) => r.messageId));
        // Lambda fails the whole batch when the response names a message it did not send.
        const valid = Array.isArray(reported) && reported.every((f) => typeof f?.itemIdentifier === 'string' && ids.has(f.itemIdentifier));
        failed = valid ? new Set(reported.map((f) => f.itemIdentifier as string)) : ids;
        if (!valid) this.log.warn(source, 'batchItemFailures names unknown message ids: the whole batch is retried');
      }
      const succeeded = kept.filter((r) => !failed.has(r.messageId));
      if (succeeded.length) await this.delete(succeeded.map((r) => r.receiptHandle));
      if (failed.size) {
        const receiveCounts = kept.filter((r) => failed.has(r.messageId)).map((r) => r.attributes.ApproximateReceiveCount);
        this.log.warn(source, `${failed.size} of ${kept.length} message(s) failed (receive count ${receiveCounts.join(', ')}); they return after the visibility timeout`);
        if (m.retryDelaySeconds !== undefined) {
          const handedBack = (r: { receiptHandle: string }) => {
            const before = deadlines.get(r.receiptHandle);
            return before !== undefined && m.visibilityDeadline?.(r.receiptHandle) !== before;
          };
          const retried = kept.filter((r) => failed.has(r.messageId) && !handedBack(r));
          const entries = retried.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle, VisibilityTimeout: m.retryDelaySeconds }));
          if (retried.length < failed.size) this.log.debug(source, `${failed.size - retried.length} message(s) handed back by the function keep the visibility it set`);
          for (let i = 0; i < entries.length; i += 10) {
            await this.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: m.queueUrl, Entries: entries.slice(i, i + 10) })).catch(() => undefined);
          }
        }
      }
    }
  }

  private async delete(handles: string[]): Promise<void> {
    for (let i = 0; i < handles.length; i += 10) {
      const entries = handles.slice(i, i + 10).map((h, j) => ({ Id: String(j), ReceiptHandle: h }));
      await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.mapping.queueUrl, Entries: entries }));
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
}
