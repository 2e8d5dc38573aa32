import { Duration } from 'aws-cdk-lib';
import { DeadLetterAlarm } from './dead-letter-alarm.js';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantQueueConsume } from './access.js';
import { AppFunction, type AppFunctionProps } from './app-function.js';

export interface QueueWorkerProps {
  function: AppFunctionProps;
  encryptionKey: IKey;
  /** Deliveries before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** Where the DLQ alarm goes. */
  alarmTopic: ITopic;
  batchSize?: number;
  /** At most this many concurrent invocations (2–1000), e.g. to stay within SES's send rate. */
  maxConcurrency?: number;
}

/**
 * A queue, its dead-letter queue with an alarm on depth > 0, and a Lambda consumer reporting
 * partial batch failures, so only the failed messages come back.
 */
export class QueueWorker extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly fn: AppFunction;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    const timeout = props.function.timeout ?? Duration.seconds(60);
    this.deadLetterQueue = new Queue(this, 'Dlq', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      // Six times the function timeout, as Lambda's SQS guidance recommends.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
    this.fn = new AppFunction(scope, `${id}Function`, { ...props.function, timeout });
    // Its own queue, so a message can be handed back for a while (ChangeMessageVisibility, granted below).
    this.fn.addEnvironment('QUEUE_URL', this.queue.queueUrl);
    // The mapping and its grants spelled out (SqsEventSource would grant the key without kms:ViaService).
    // No batching window: a summit's few thousand messages gain nothing from waiting to fill a batch.
    new EventSourceMapping(this, 'Trigger', {
      target: this.fn,
      eventSourceArn: this.queue.queueArn,
      batchSize: props.batchSize ?? 10,
      reportBatchItemFailures: true,
      ...(props.maxConcurrency ? { maxConcurrency: props.maxConcurrency } : {}),
    });
    grantQueueConsume(this.fn, this.queue, props.encryptionKey);
    new DeadLetterAlarm(this, 'DlqNotEmpty', {
      queue: this.deadLetterQueue,
      topic: props.alarmTopic,
      description: `Messages in ${id}'s dead-letter queue: they failed ${props.maxReceiveCount} times and need a look`,
    });
  }
}
