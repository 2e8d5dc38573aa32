import { matchesAny, type FilterPattern } from '../filter-pattern.js';
import type { Log } from '../log.js';
import type { LocalFunction } from '../runtime/functions.js';
import { sleep } from './sleep.js';

/**
 * The DynamoDB Streams API of DynamoDB Local, spoken directly (X-Amz-Target
 * DynamoDBStreams_20120810.*) because @aws-sdk/client-dynamodb-streams is not a dependency.
 * DynamoDB Local reads the access key from the Authorization header but does not check signatures.
 */
export class StreamsApi {
  constructor(
    private readonly endpoint: string,
    private readonly region: string,
  ) {}

  async call<T>(operation: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const res = await fetch(this.endpoint, {
      method: 'POST',
      signal,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
        authorization: `AWS4-HMAC-SHA256 Credential=local/20200101/${this.region}/dynamodb/aws4_request, SignedHeaders=host, Signature=local`,
      },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as T & { __type?: string; message?: string; Message?: string };
    if (!res.ok) {
      const type = String(json.__type ?? 'Error')
        .split('#')
        .pop()!;
      throw Object.assign(new Error(`${operation}: ${type}: ${json.message ?? json.Message ?? res.status}`), { name: type });
    }
    return json;
  }
}

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: { SequenceNumber: string; ApproximateCreationDateTime?: number; Keys?: unknown; NewImage?: unknown; OldImage?: unknown };
  [k: string]: unknown;
}

interface Shard {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
}

export interface StreamMapping {
  id: string;
  fn: LocalFunction;
  streamArn: string;
  batchSize: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  maximumRecordAgeSeconds: number;
  filters: FilterPattern[];
  region: string;
  /** Called with a failed batch's description when retries are exhausted (OnFailure destination). */
  onFailure?: (info: Record<string, unknown>) => Promise<void>;
}

export interface Checkpoints {
  get(mappingId: string, shardId: string): string | undefined;
  set(mappingId: string, shardId: string, sequenceNumber: string): void;
  /** Shards finished to their end. */
  done(mappingId: string, shardId: string): boolean;
  finish(mappingId: string, shardId: string): void;
  /** The saved progress was lost: start every shard at its oldest record, whatever the mapping's StartingPosition. */
  readonly fromTrimHorizon?: boolean;
}

/**
 * Lambda's DynamoDB Streams event source: shards in parent-before-child order, records in order
 * within a shard, the mapping's filters, retries (MaximumRetryAttempts; -1 retries until the record
 * is too old), BisectBatchOnFunctionError and ReportBatchItemFailures. Progress is checkpointed so a
 * restart resumes where it stopped instead of replaying the stream or skipping what happened meanwhile.
 */
export class StreamPoller {
  private abort = new AbortController();
  private loop?: Promise<void>;
  private readonly source: string;

  constructor(
    private readonly mapping: StreamMapping,
    private readonly api: StreamsApi,
    private readonly checkpoints: Checkpoints,
    private readonly log: Log,
    private readonly pollMs = 250,
  ) {
    this.source = `esm:${mapping.fn.def.label}`;
  }

  start(): void {
    this.loop = this.run().catch((err: unknown) => {
      if (!this.abort.signal.aborted) this.log.error(this.source, `stream poller stopped: ${(err as Error).message}`);
    });
  }

  private async shards(): Promise<Shard[]> {
    const all: Shard[] = [];
    let start: string | undefined;
    do {
      const r = await this.api.call<{ StreamDescription: { Shards: Shard[]; LastEvaluatedShardId?: string } }>(
        'DescribeStream',
        { StreamArn: this.mapping.streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) },
        this.abort.signal,
      );
      all.push(...r.StreamDescription.Shards);
      start = r.StreamDescription.LastEvaluatedShardId;
    } while (start);
    return all;
  }

  private async iterator(shard: Shard, fresh: boolean): Promise<string | undefined> {
    const m = this.mapping;
    const after = this.checkpoints.get(m.id, shard.ShardId);
    const body = after
      ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
      : { ShardIteratorType: fresh && m.startingPosition === 'LATEST' && !this.checkpoints.fromTrimHorizon ? 'LATEST' : 'TRIM_HORIZON' };
    const r = await this.api.call<{ ShardIterator?: string }>('GetShardIterator', { StreamArn: m.streamArn, ShardId: shard.ShardId, ...body }, this.abort.signal);
    return r.ShardIterator;
  }

  private async run(): Promise<void> {
    const m = this.mapping;
    const iterators = new Map<string, string | undefined>();
    let firstDiscovery = true;
    let lastDescribe = 0;
    let shards: Shard[] = [];
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        if (Date.now() - lastDescribe > 2000) {
          shards = await this.shards();
          lastDescribe = Date.now();
          for (const shard of shards) {
            if (iterators.has(shard.ShardId) || this.checkpoints.done(m.id, shard.ShardId)) continue;
            // LATEST applies to the shards open when the mapping is first created; later shards start at their beginning.
            iterators.set(shard.ShardId, await this.iterator(shard, firstDiscovery && !shard.SequenceNumberRange.EndingSequenceNumber));
          }
          firstDiscovery = false;
        }
        let worked = false;
        for (const shard of shards) {
          if (!iterators.has(shard.ShardId)) continue;
          const parentOpen = shard.ParentShardId !== undefined && iterators.has(shard.ParentShardId);
          if (parentOpen) continue;
          worked = (await this.pollShard(shard, iterators)) || worked;
          if (this.abort.signal.aborted) return;
        }
        if (failures > 0) this.log.info(this.source, `stream reads work again after ${failures} failure(s)`);
        failures = 0;
        if (!worked) await sleep(this.pollMs, this.abort.signal);
      } catch (err) {
        if (this.abort.signal.aborted) return;
        if ((err as Error).name === 'ExpiredIteratorException' || (err as Error).name === 'TrimmedDataAccessException') {
          iterators.clear();
          lastDescribe = 0;
          continue;
        }
        // DynamoDB Local may have died and come back: iterators are re-made from the checkpoints.
        failures++;
        if (failures === 1 || failures % 30 === 0)
          this.log.warn(this.source, `stream read failed${failures > 1 ? ` (${failures} times in a row)` : ''}: ${(err as Error).message}`);
        iterators.clear();
        lastDescribe = 0;
        await sleep(1000, this.abort.signal);
        continue;
      }
    }
  }

  /** Reads one page from a shard and delivers it. True when records arrived. */
  private async pollShard(shard: Shard, iterators: Map<string, string | undefined>): Promise<boolean> {
    const m = this.mapping;
    const it = iterators.get(shard.ShardId);
    if (!it) {
      iterators.delete(shard.ShardId);
      this.checkpoints.finish(m.id, shard.ShardId);
      return false;
    }
    const r = await this.api.call<{ Records: StreamRecord[]; NextShardIterator?: string }>(
      'GetRecords',
      { ShardIterator: it, Limit: Math.min(1000, m.batchSize) },
      this.abort.signal,
    );
    const records = r.Records.map((rec) => ({ ...rec, awsRegion: m.region, eventSourceARN: m.streamArn }));
    if (records.length) await this.deliver(shard.ShardId, records);
    if (this.abort.signal.aborted) return false;
    iterators.set(shard.ShardId, r.NextShardIterator);
    if (!r.NextShardIterator) {
      iterators.delete(shard.ShardId);
      this.checkpoints.finish(m.id, shard.ShardId);
    }
    return records.length > 0;
  }

  private async deliver(shardId: string, records: StreamRecord[]): Promise<void> {
    const m = this.mapping;
    const kept = records.filter((r) => matchesAny(m.filters, r));
    if (kept.length < records.length) this.log.debug(this.source, `${records.length - kept.length} record(s) did not match the filters`);
    const pending: StreamRecord[][] = kept.length ? [kept] : [];
    let attempts = 0;
    while (pending.length && !this.abort.signal.aborted) {
      const batch = pending[0];
      const outcome = await m.fn.invoke({ Records: batch });
      let failedFrom = -1;
      if (!outcome.ok) failedFrom = 0;
      else if (m.reportBatchItemFailures) {
        const reported = (outcome.result as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null)?.batchItemFailures ?? [];
        const positions = reported.map((f) => batch.findIndex((r) => r.dynamodb.SequenceNumber === f.itemIdentifier));
        // Lambda retries from the lowest failed sequence number; an unknown one fails the whole batch.
        failedFrom = positions.length === 0 ? -1 : positions.includes(-1) ? 0 : Math.min(...positions);
      }
      if (failedFrom === -1) {
        pending.shift();
        attempts = 0;
        this.checkpoints.set(m.id, shardId, batch.at(-1)!.dynamodb.SequenceNumber);
        continue;
      }
      if (failedFrom > 0) {
        this.checkpoints.set(m.id, shardId, batch[failedFrom - 1].dynamodb.SequenceNumber);
        pending[0] = batch.slice(failedFrom);
      }
      const current = pending[0];
      const oldest = current[0].dynamodb.ApproximateCreationDateTime;
      const tooOld = m.maximumRecordAgeSeconds !== -1 && oldest !== undefined && Date.now() / 1000 - oldest > m.maximumRecordAgeSeconds;
      if (m.bisectBatchOnFunctionError && current.length > 1 && !tooOld) {
        const half = Math.ceil(current.length / 2);
        pending.splice(0, 1, current.slice(0, half), current.slice(half));
        this.log.warn(this.source, `batch of ${current.length} failed: bisecting`);
        continue;
      }
      attempts++;
      if (tooOld || (m.maximumRetryAttempts !== -1 && attempts > m.maximumRetryAttempts)) {
        this.log.error(this.source, `discarding ${current.length} record(s) from ${current[0].dynamodb.SequenceNumber} after ${attempts} failed attempt(s)`);
        await m.onFailure?.({
          requestContext: {
            requestId: outcome.requestId,
            functionArn: m.fn.def.arn,
            condition: tooOld ? 'RecordAgeExceeded' : 'RetryAttemptsExhausted',
            approximateInvokeCount: attempts,
          },
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: outcome.ok ? undefined : 'Unhandled' },
          version: '1.0',
          timestamp: new Date().toISOString(),
          DDBStreamBatchInfo: {
            shardId,
            startSequenceNumber: current[0].dynamodb.SequenceNumber,
            endSequenceNumber: current.at(-1)!.dynamodb.SequenceNumber,
            batchSize: current.length,
            streamArn: m.streamArn,
          },
        });
        this.checkpoints.set(m.id, shardId, current.at(-1)!.dynamodb.SequenceNumber);
        pending.shift();
        attempts = 0;
        continue;
      }
      const backoff = Math.min(30_000, 500 * 2 ** (attempts - 1));
      this.log.warn(this.source, `batch failed (attempt ${attempts}${m.maximumRetryAttempts === -1 ? '' : ` of ${m.maximumRetryAttempts + 1}`}), retrying in ${backoff} ms`);
      await sleep(backoff, this.abort.signal);
    }
    // Filtered-out records still move the checkpoint.
    if (!this.abort.signal.aborted && records.length) {
      const last = records.at(-1)!.dynamodb.SequenceNumber;
      const current = this.checkpoints.get(m.id, shardId);
      if (!current || BigInt(current) < BigInt(last)) this.checkpoints.set(m.id, shardId, last);
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
}
