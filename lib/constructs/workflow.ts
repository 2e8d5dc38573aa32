import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { DeadLetterAlarm } from './dead-letter-alarm.js';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CumbreSettings } from '../settings.js';
import { AppFunction } from './app-function.js';
import { QueueWorker } from './queue-worker.js';

export interface WorkflowProps {
  settings: CumbreSettings;
  table: Table;
  dataKey: Key;
  appSecret: ISecret;
  publicBaseUrl: string;
}

/** Badge fonts travel next to each bundle that renders badges. */
export const BADGE_FONTS = [
  { from: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf', to: 'fonts/DejaVuSans.ttf' },
  { from: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf', to: 'fonts/DejaVuSans-Bold.ttf' },
];

/**
 * The event-driven half of Cumbre: the table's stream feeds a dispatcher that routes each outbox
 * record to the email, badge and capacity queues; SES feedback and an hourly reconciliation close
 * the loop. Every queue has a DLQ whose depth alarms the ops topic.
 */
export class Workflow extends Construct {
  readonly badgeBucket: Bucket;
  readonly opsTopic: Topic;
  readonly queues: Record<'email' | 'badge' | 'capacity' | 'sesEvents', QueueWorker>;
  readonly badgeEnvironment: Record<string, string>;
  private dataKey!: Key;

  /**
   * Object-level S3 rights under one prefix, spelled out instead of grantReadWrite's wildcards
   * (no List, no Delete, no Abort), plus the key use SSE-KMS needs.
   */
  grantBadgeObjects(fn: AppFunction, actions: string[], prefix: string, why: string) {
    fn.addToRolePolicy(new PolicyStatement({ actions, resources: [this.badgeBucket.arnForObjects(prefix)] }));
    this.dataKey.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
    const bucketId = Stack.of(this).resolve(Stack.of(this).getLogicalId(this.badgeBucket.node.defaultChild as CfnBucket));
    Validations.of(fn).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}]`, reason: `Object keys under ${prefix} are per invitee or per sheet; the function ${why}.` });
  }

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { settings, table, dataKey, appSecret } = props;
    const stack = Stack.of(this);
    const logLevel = settings.logLevel;
    const common = { TABLE_NAME: table.tableName };
    this.dataKey = dataKey;

    this.opsTopic = new Topic(this, 'OpsAlarms', { masterKey: dataKey, enforceSSL: true, displayName: 'Cumbre operations alarms' });
    dataKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

    this.badgeBucket = new Bucket(this, 'Badges', {
      encryption: BucketEncryption.KMS,
      encryptionKey: dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      lifecycleRules: [{ prefix: 'sheets/', expiration: Duration.days(7) }],
      removalPolicy: settings.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    Validations.of(this.badgeBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Badges are generated objects reached only through 5-minute presigned links issued by functions that log every issue; server access logs would add a second bucket for no new information.',
    });
    this.badgeEnvironment = { BADGE_BUCKET: this.badgeBucket.bucketName };

    const configurationSet = new ConfigurationSet(this, 'Email', {});
    const sesTopic = new Topic(this, 'EmailFeedback', { masterKey: dataKey, enforceSSL: true });
    dataKey.grant(new ServicePrincipal('ses.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    dataKey.grant(new ServicePrincipal('sns.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    configurationSet.addEventDestination('ToSns', {
      destination: EventDestination.snsTopic(sesTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.DELIVERY, EmailSendingEvent.REJECT],
    });

    const emailEnv = {
      SENDER_EMAIL: settings.senderEmail,
      SENDER_NAME: 'Cumbre',
      SES_CONFIGURATION_SET: configurationSet.configurationSetName,
      EMAIL_LEASE_SECONDS: '360',
    };
    const allowSending = (grantee: IGrantable) =>
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.senderEmail }),
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.senderEmail.split('@')[1]! }),
            stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName }),
          ],
        }),
      );

    const worker = (name: string, handler: string, environment: Record<string, string>, extra: { memorySize?: number; assets?: typeof BADGE_FONTS } = {}) =>
      new QueueWorker(this, name, {
        encryptionKey: dataKey,
        maxReceiveCount: settings.maxReceiveCount,
        alarmTopic: this.opsTopic,
        function: { handler, logLevel, environment: { ...common, ...environment }, timeout: Duration.seconds(60), ...extra },
      });

    this.queues = {
      email: worker('EmailWorker', 'email-worker', { ...emailEnv, SECRET_ARN: appSecret.secretArn, PUBLIC_BASE_URL: props.publicBaseUrl }),
      badge: worker('BadgeWorker', 'badge-worker', { ...this.badgeEnvironment, SECRET_ARN: appSecret.secretArn }, { memorySize: 1024, assets: BADGE_FONTS }),
      capacity: worker('CapacityWorker', 'capacity-worker', { ...emailEnv, ORGANIZER_ALERT_EMAIL: settings.organizerAlertEmail || settings.senderEmail, ORGANIZER_LANGUAGE: 'es' }),
      sesEvents: worker('SesEventsWorker', 'ses-events', {}),
    };
    sesTopic.addSubscription(new SqsSubscription(this.queues.sesEvents.queue));

    const { email, badge, capacity, sesEvents } = this.queues;
    table.grantReadWriteData(email.fn);
    appSecret.grantRead(email.fn);
    allowSending(email.fn);
    table.grantReadWriteData(badge.fn);
    appSecret.grantRead(badge.fn);
    this.grantBadgeObjects(badge.fn, ['s3:PutObject'], 'badges/*', 'writes rendered badges');
    table.grantReadWriteData(capacity.fn);
    allowSending(capacity.fn);
    table.grantReadWriteData(sesEvents.fn);

    // The stream dispatcher: only new outbox records pass the filter.
    const dispatcherDlq = new Queue(this, 'DispatcherDlq', { encryption: QueueEncryption.KMS, encryptionMasterKey: dataKey, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(dispatcherDlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the on-failure destination (DLQ) of the stream event source mapping.' });
    const dispatcher = new AppFunction(this, 'StreamDispatcher', {
      handler: 'stream-dispatcher',
      logLevel,
      timeout: Duration.seconds(60),
      environment: { ...common, EMAIL_QUEUE_URL: email.queue.queueUrl, BADGE_QUEUE_URL: badge.queue.queueUrl, CAPACITY_QUEUE_URL: capacity.queue.queueUrl },
    });
    dispatcher.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        // No batching window: an answer's outbox record is dispatched as soon as the stream has it.
        bisectBatchOnError: true,
        retryAttempts: 5,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(dispatcherDlq),
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT'), dynamodb: { NewImage: { type: { S: FilterRule.isEqual('outbox') } } } })],
      }),
    );
    table.grantWriteData(dispatcher);
    for (const q of [email, badge, capacity]) q.queue.grantSendMessages(dispatcher);
    new DeadLetterAlarm(this, 'DispatcherDlqNotEmpty', { queue: dispatcherDlq, topic: this.opsTopic, description: 'Outbox records the dispatcher could not route after retries' });

    const reconcile = new AppFunction(this, 'Reconcile', { handler: 'reconcile', logLevel, environment: common, timeout: Duration.minutes(5) });
    table.grantReadWriteData(reconcile);
    new Rule(this, 'HourlyReconciliation', { schedule: Schedule.rate(Duration.hours(1)), targets: [new LambdaFunction(reconcile)] });
  }
}
