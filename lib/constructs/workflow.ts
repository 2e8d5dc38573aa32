import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { DeadLetterAlarm } from './dead-letter-alarm.js';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { EventSourceMapping, FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CumbreSettings } from '../settings.js';
import { grantKeyVia, grantQueueSend, grantSecretRead, grantTableAccess } from './access.js';
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
  /** The functions that read outbox records (the stream dispatcher, the sweeper): every other function deploys after them. */
  readonly outboxReaders: AppFunction[];
  readonly queues: Record<'email' | 'badge' | 'capacity' | 'sesEvents', QueueWorker>;
  readonly badgeEnvironment: Record<string, string>;
  /** The sender's domain identity (Easy DKIM), when the stack creates it. */
  readonly senderIdentity?: EmailIdentity;
  /** The alarm on emails SES rejected for a reason other than the recipient. */
  readonly rejectedEmailsAlarm: Alarm;
  /** The SES configuration set every email goes through (its reputation metrics alarm ops). */
  readonly configurationSetName: string;
  private dataKey!: Key;

  /**
   * Object-level S3 rights under one prefix, spelled out instead of grantReadWrite's wildcards
   * (no List, no Delete, no Abort), plus the key use SSE-KMS needs.
   */
  grantBadgeObjects(fn: AppFunction, actions: string[], prefix: string, why: string, options: { list?: boolean } = {}) {
    fn.addToRolePolicy(new PolicyStatement({ actions, resources: [this.badgeBucket.arnForObjects(prefix)] }));
    // Listing under the prefix: how S3BadgeStorage.exists tells a missing object (S3 answers 403 to a HeadObject without it).
    if (options.list)
      fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.badgeBucket.bucketArn], conditions: { StringLike: { 's3:prefix': [prefix] } } }));
    grantKeyVia(fn, this.dataKey, 's3', actions.includes('s3:PutObject') ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt']);
    const bucketId: unknown = Stack.of(this).resolve(Stack.of(this).getLogicalId(this.badgeBucket.node.defaultChild as CfnBucket));
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${String(bucketId)}.Arn>/${prefix}]`,
      reason: `Object keys under ${prefix} are per invitee or per sheet; the function ${why}.`,
    });
  }

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { settings, table, dataKey, appSecret } = props;
    const stack = Stack.of(this);
    const logLevel = settings.logLevel;
    const common = { TABLE_NAME: table.tableName };
    this.dataKey = dataKey;
    /** One namespace per stack, so a dev and a prod stack in one account do not mix their metrics. */
    const metricsNamespace = `Cumbre/${stack.stackName}`;

    const { account, region, partition } = stack;
    const alarmArns = `arn:${partition}:cloudwatch:${region}:${account}:alarm:*`;
    this.opsTopic = new Topic(this, 'OpsAlarms', { masterKey: dataKey, enforceSSL: true, displayName: 'Cumbre operations alarms' });
    // enforceSSL gives the topic a policy, and a topic policy replaces SNS's default one: CloudWatch
    // may publish only when it is said here (for this account's alarms).
    this.opsTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.opsTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': alarmArns } },
      }),
    );
    if (settings.opsEmail) this.opsTopic.addSubscription(new EmailSubscription(settings.opsEmail));
    // Services that write to the encrypted topics and queues, only on this account's behalf.
    const allowService = (service: string, conditions: Record<string, Record<string, string>> = {}) =>
      dataKey.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal(service)],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': account }, ...conditions },
        }),
      );
    allowService('cloudwatch.amazonaws.com', { ArnLike: { 'aws:SourceArn': alarmArns } });

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
      // A dev stack's bucket goes with it; production keeps its badges.
      autoDeleteObjects: settings.stage !== 'prod',
    });
    Validations.of(this.badgeBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Badges are generated objects reached only through 5-minute presigned links issued by functions that log every issue; server access logs would add a second bucket for no new information.',
    });
    this.badgeEnvironment = { BADGE_BUCKET: this.badgeBucket.bucketName };

    // Reputation metrics (bounce and complaint rates) feed the ops alarms (lib/constructs/communications.ts);
    // SES itself also suppresses addresses that bounced or complained (the account-level list).
    const configurationSet = new ConfigurationSet(this, 'Email', { reputationMetrics: true, suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS });
    this.configurationSetName = configurationSet.configurationSetName;
    const senderDomain = settings.senderEmail.split('@')[1];
    if (settings.createSenderIdentity) {
      // Easy DKIM: the three CNAME records are stack outputs; SES verifies the domain once they resolve.
      this.senderIdentity = new EmailIdentity(this, 'SenderDomain', { identity: Identity.domain(senderDomain), configurationSet });
    }
    const sesTopic = new Topic(this, 'EmailFeedback', { masterKey: dataKey, enforceSSL: true });
    allowService('ses.amazonaws.com');
    allowService('sns.amazonaws.com');
    configurationSet.addEventDestination('ToSns', {
      destination: EventDestination.snsTopic(sesTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.DELIVERY, EmailSendingEvent.REJECT],
    });

    // A worker may hold an email for its whole run, so the lease is at least the function timeout;
    // a message whose worker died comes back after the queue's visibility timeout (6 × the function
    // timeout), by when the lease must have run out, or that delivery finds it held and fails too.
    // Two timeouts leave a margin of three: timeout + lease < visibility (pinned by the infra tests).
    const workerTimeout = Duration.seconds(60);
    const emailEnv = {
      SENDER_EMAIL: settings.senderEmail,
      SENDER_NAME: 'Cumbre',
      SES_CONFIGURATION_SET: configurationSet.configurationSetName,
      EMAIL_LEASE_SECONDS: String(workerTimeout.toSeconds() * 2),
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
    };
    // SES v2 SendEmail (raw content included) is authorized as ses:SendEmail; SendRawEmail is the v1 API nobody calls.
    const allowSending = (grantee: IGrantable) =>
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.senderEmail }),
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: senderDomain }),
            stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName }),
          ],
        }),
      );

    const worker = (
      name: string,
      handler: string,
      environment: Record<string, string>,
      extra: { memorySize?: number; assets?: typeof BADGE_FONTS; maxConcurrency?: number } = {},
    ) => {
      const { maxConcurrency, ...fn } = extra;
      return new QueueWorker(this, name, {
        encryptionKey: dataKey,
        maxReceiveCount: settings.maxReceiveCount,
        alarmTopic: this.opsTopic,
        maxConcurrency,
        function: { handler, logLevel, environment: { ...common, ...environment }, timeout: workerTimeout, ...fn },
      });
    };

    // Each invocation sends one message at a time (~10/s); the cap keeps a 10,000-row import from
    // outrunning SES's account send rate (1/s in the sandbox, 14/s on a fresh production account);
    // SDK adaptive retries and SQS redelivery absorb the rest.
    const emailWorker = worker(
      'EmailWorker',
      'email-worker',
      {
        ...emailEnv,
        SECRET_ARN: appSecret.secretArn,
        PUBLIC_BASE_URL: props.publicBaseUrl,
        ORGANIZER_ALERT_EMAIL: settings.organizerAlertEmail || settings.senderEmail,
        ORGANIZER_LANGUAGE: settings.organizerLanguage,
      },
      { maxConcurrency: settings.emailMaxConcurrency },
    );
    this.queues = {
      email: emailWorker,
      // Badges are off the invitee's path: the confirmation links to the badge, and a link to one
      // not yet rendered says so and asks for it. One warm instance renders ~80 a second, so two
      // cover any summit; each further instance is a 1 GB cold start (fonts, pdf-lib) billed for nothing.
      badge: worker('BadgeWorker', 'badge-worker', { ...this.badgeEnvironment, SECRET_ARN: appSecret.secretArn }, { memorySize: 1024, assets: BADGE_FONTS, maxConcurrency: 2 }),
      // Capacity alerts are queued to the email worker, the one function that sends: no SES for this one.
      capacity: worker('CapacityWorker', 'capacity-worker', { EMAIL_QUEUE_URL: emailWorker.queue.queueUrl }),
      sesEvents: worker('SesEventsWorker', 'ses-events', {}),
    };
    // Subscribed by hand: SqsSubscription would also give sns.amazonaws.com the key with no condition
    // (and its topic-ARN condition makes a cycle, the topic being encrypted with the same key).
    const feedbackQueue = this.queues.sesEvents.queue;
    const queuePolicy = feedbackQueue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('sns.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [feedbackQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': sesTopic.topicArn } },
      }),
    );
    const subscription = new Subscription(this, 'EmailFeedbackToQueue', { topic: sesTopic, protocol: SubscriptionProtocol.SQS, endpoint: feedbackQueue.queueArn });
    if (queuePolicy.policyDependable) subscription.node.addDependency(queuePolicy.policyDependable);

    const { email, badge, capacity, sesEvents } = this.queues;
    for (const q of [email, badge, capacity, sesEvents]) grantTableAccess(q.fn, q.fn.handlerName, table, dataKey);
    grantSecretRead(email.fn, appSecret, dataKey);
    allowSending(email.fn);
    grantSecretRead(badge.fn, appSecret, dataKey);
    // Delete: a removed companion's badge is taken down (it carries their credential). List: a badge a link found missing.
    this.grantBadgeObjects(
      badge.fn,
      ['s3:PutObject', 's3:DeleteObject'],
      'badges/*',
      'writes rendered badges, deletes removed companions’ badges and lists a badge a link found missing',
      { list: true },
    );
    grantQueueSend(capacity.fn, email.queue, dataKey);

    this.rejectedEmailsAlarm = new Alarm(this, 'EmailsRejectedBySes', {
      alarmDescription: 'SES refused emails for a reason other than the recipient (sender identity, account paused, a request SES refuses): no email is going out',
      metric: new Metric({ namespace: metricsNamespace, metricName: 'EmailsRejected', dimensionsMap: { About: 'sending' }, statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.rejectedEmailsAlarm.addAlarmAction(new SnsAction(this.opsTopic));

    // The stream dispatcher: only new outbox records pass the filter.
    const dispatcherDlq = new Queue(this, 'DispatcherDlq', { encryption: QueueEncryption.KMS, encryptionMasterKey: dataKey, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(dispatcherDlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the on-failure destination (DLQ) of the stream event source mapping.' });
    const dispatcher = new AppFunction(this, 'StreamDispatcher', {
      handler: 'stream-dispatcher',
      logLevel,
      timeout: Duration.seconds(60),
      environment: { ...common, EMAIL_QUEUE_URL: email.queue.queueUrl, BADGE_QUEUE_URL: badge.queue.queueUrl, CAPACITY_QUEUE_URL: capacity.queue.queueUrl },
    });
    // The mapping and its grants spelled out (DynamoEventSource/SqsDlq would grant the key without kms:ViaService).
    new EventSourceMapping(this, 'DispatcherStream', {
      target: dispatcher,
      eventSourceArn: table.tableStreamArn!,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 25,
      // No batching window: an answer's outbox record is dispatched as soon as the stream has it.
      bisectBatchOnError: true,
      retryAttempts: 5,
      reportBatchItemFailures: true,
      onFailure: { bind: () => ({ destination: dispatcherDlq.queueArn }) },
      // FilterRule's helpers are typed `any` in aws-cdk-lib; the shape is checked by the infra tests.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
      filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT'), dynamodb: { NewImage: { type: { S: FilterRule.isEqual('outbox') } } } })],
    });
    dispatcher.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [table.tableStreamArn!] }),
    );
    dispatcher.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }));
    Validations.of(dispatcher).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams accepts no resource other than * (and X-Ray as for every function).',
    });
    grantKeyVia(dispatcher, dataKey, 'dynamodb', ['kms:Decrypt']);
    grantTableAccess(dispatcher, dispatcher.handlerName, table, dataKey);
    for (const q of [email.queue, badge.queue, capacity.queue, dispatcherDlq]) grantQueueSend(dispatcher, q, dataKey);
    new DeadLetterAlarm(this, 'DispatcherDlqNotEmpty', { queue: dispatcherDlq, topic: this.opsTopic, description: 'Outbox records the dispatcher could not route after retries' });

    // At least once, whatever happens to the stream: every minute, records still unmarked a minute
    // after they were written (a stop mid-burst, the stream's DLQ, a table blip) go to their queues.
    const sweeper = new AppFunction(this, 'OutboxSweeper', {
      handler: 'outbox-sweeper',
      logLevel,
      timeout: Duration.seconds(50),
      environment: { ...common, EMAIL_QUEUE_URL: email.queue.queueUrl, BADGE_QUEUE_URL: badge.queue.queueUrl, CAPACITY_QUEUE_URL: capacity.queue.queueUrl },
    });
    grantTableAccess(sweeper, sweeper.handlerName, table, dataKey);
    for (const q of [email.queue, badge.queue, capacity.queue]) grantQueueSend(sweeper, q, dataKey);
    new Rule(this, 'OutboxSweep', { schedule: Schedule.rate(Duration.minutes(1)), targets: [new LambdaFunction(sweeper, { retryAttempts: 0 })] });
    this.outboxReaders = [dispatcher, sweeper];

    const reconcile = new AppFunction(this, 'Reconcile', { handler: 'reconcile', logLevel, environment: common, timeout: Duration.minutes(5) });
    grantTableAccess(reconcile, reconcile.handlerName, table, dataKey);
    new Rule(this, 'HourlyReconciliation', { schedule: Schedule.rate(Duration.hours(1)), targets: [new LambdaFunction(reconcile)] });
  }
}
