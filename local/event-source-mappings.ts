import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Services } from './emulators/start-all.js';
import { loadCheckpoints } from './event-sources/checkpoints.js';
import { StreamPoller, StreamsApi, type Checkpoints } from './event-sources/dynamodb-streams.js';
import { SqsPoller } from './event-sources/sqs.js';
import { parsePattern, type FilterPattern } from './filter-pattern.js';
import type { Lifecycle } from './lifecycle.js';
import { UnsupportedTemplateError, type LocalCloudOptions, type Settings } from './options.js';
import type { Provisioned } from './provision/index.js';
import type { LocalFunction } from './runtime/functions.js';
import { text } from './template.js';

export interface Poller {
  start(): void;
  stop(): Promise<void>;
}

interface Deps {
  s: Settings;
  svc: Services;
  p: Provisioned;
  life: Lifecycle;
  options: LocalCloudOptions;
}

interface Mapping {
  id: string;
  props: Record<string, unknown>;
  fn: LocalFunction;
  filters: FilterPattern[];
  reportBatchItemFailures: boolean;
}

const arnIndex = (p: Provisioned, type: string, attribute: string) => new Map(p.ofType(type).map((id) => [String(p.physical.get(id)!.attributes[attribute]), id]));

/** When fauxqs makes an in-flight message of a queue visible again. */
const inFlightDeadline = (d: Deps, queueUrl: string) => {
  const name = queueUrl.split('/').at(-1)!;
  return (receiptHandle: string) => d.svc.fauxqs.server.inspectQueue(name)?.messages.inflight.find((m) => m.receiptHandle === receiptHandle)?.visibilityDeadline;
};

/** Lambda's SQS poller starts with five batches in flight; a mapping's MaximumConcurrency caps it. */
const SQS_INITIAL_BATCHES = 5;

const sqsPoller = (d: Deps, m: Mapping, queueId: string): Poller =>
  new SqsPoller(
    {
      id: m.id,
      fn: m.fn,
      queueUrl: d.p.physical.get(queueId)!.ref,
      visibilityDeadline: inFlightDeadline(d, d.p.physical.get(queueId)!.ref),
      queueArn: String(m.props.EventSourceArn),
      batchSize: Number(m.props.BatchSize ?? 10),
      maximumBatchingWindowSeconds: Number(m.props.MaximumBatchingWindowInSeconds ?? 0),
      reportBatchItemFailures: m.reportBatchItemFailures,
      filters: m.filters,
      region: d.s.region,
      retryDelaySeconds: d.options.sqsRetryDelaySeconds,
      concurrency: Math.min(SQS_INITIAL_BATCHES, Number((m.props.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ?? SQS_INITIAL_BATCHES)),
    },
    d.svc.clients.sqs,
    d.s.log,
  );

const streamPoller = (d: Deps, m: Mapping, api: StreamsApi, checkpoints: Checkpoints, queues: Map<string, string>): Poller => {
  const p = m.props;
  const position = text(p.StartingPosition, 'LATEST');
  if (position !== 'LATEST' && position !== 'TRIM_HORIZON') throw new UnsupportedTemplateError(`event source mapping ${m.id}: StartingPosition ${position} is not emulated`);
  const onFailureArn = (p.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination;
  const onFailureQueue = onFailureArn ? queues.get(onFailureArn) : undefined;
  if (onFailureArn && !onFailureQueue) throw new UnsupportedTemplateError(`event source mapping ${m.id}: on-failure destination ${onFailureArn} is not a queue of this stack`);
  const onFailureUrl = onFailureQueue ? d.p.physical.get(onFailureQueue)!.ref : undefined;
  return new StreamPoller(
    {
      id: m.id,
      fn: m.fn,
      streamArn: String(p.EventSourceArn),
      batchSize: Number(p.BatchSize ?? 100),
      startingPosition: position,
      maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
      bisectBatchOnFunctionError: p.BisectBatchOnFunctionError === true,
      reportBatchItemFailures: m.reportBatchItemFailures,
      maximumRecordAgeSeconds: Number(p.MaximumRecordAgeInSeconds ?? -1),
      filters: m.filters,
      region: d.s.region,
      onFailure: onFailureUrl
        ? async (info) => {
            await d.svc.clients.sqs.send(new SendMessageCommand({ QueueUrl: onFailureUrl, MessageBody: JSON.stringify(info) }));
          }
        : undefined,
    },
    api,
    checkpoints,
    d.s.log,
  );
};

const mappingOf = (d: Deps, id: string): Mapping | undefined => {
  const props = d.p.props(id);
  if (props.Enabled === false) return undefined;
  for (const unsupported of ['TumblingWindowInSeconds', 'SelfManagedEventSource', 'Queues', 'Topics']) {
    if (props[unsupported] !== undefined) throw new UnsupportedTemplateError(`event source mapping ${id}: ${unsupported} is not emulated`);
  }
  const fn = d.p.functions.target(String(props.FunctionName), `event source mapping ${id}`);
  const filters = ((props.FilterCriteria as { Filters?: Array<{ Pattern: string }> } | undefined)?.Filters ?? []).map((f, i) =>
    parsePattern(f.Pattern, `Resources.${id}.Properties.FilterCriteria.Filters[${i}].Pattern`),
  );
  const reportBatchItemFailures = ((props.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures');
  return { id, props, fn, filters, reportBatchItemFailures };
};

/** Starts a poller for every enabled `AWS::Lambda::EventSourceMapping`: SQS queues and table streams. */
export const startEventSourceMappings = async (d: Deps): Promise<Poller[]> => {
  const checkpoints = await loadCheckpoints(d.s.dataDir, d.s.log, d.life);
  const api = new StreamsApi(d.svc.ddb.url, d.s.region);
  const queues = arnIndex(d.p, 'AWS::SQS::Queue', 'Arn');
  const streams = arnIndex(d.p, 'AWS::DynamoDB::Table', 'StreamArn');
  const pollers: Poller[] = [];
  for (const id of d.p.ofType('AWS::Lambda::EventSourceMapping')) {
    const m = mappingOf(d, id);
    if (!m) continue;
    const sourceArn = String(m.props.EventSourceArn);
    const queue = queues.get(sourceArn);
    if (queue) pollers.push(sqsPoller(d, m, queue));
    else if (streams.has(sourceArn)) pollers.push(streamPoller(d, m, api, checkpoints, queues));
    else throw new UnsupportedTemplateError(`event source mapping ${id}: source ${sourceArn} is neither a queue nor a table stream of this stack`);
  }
  for (const poller of pollers) {
    poller.start();
    // A crash does not wait for the batch in flight: its function is killed with everything else.
    d.life.register(
      'poller',
      () => poller.stop(),
      async () => void poller.stop(),
    );
  }
  return pollers;
};
