import { Duration, Validations } from 'aws-cdk-lib';
import { HttpMethod, type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantQueueSend, grantSecretRead, grantTableAccess } from './access.js';
import { AppFunction } from './app-function.js';
import type { OrganizerAccess } from './organizer-access.js';
import type { ProtectedData } from './protected-data.js';

export interface CommunicationsProps {
  api: HttpApi;
  access: OrganizerAccess;
  table: ITable;
  dataKey: IKey;
  appSecret: ISecret;
  data: ProtectedData;
  /** The email worker's queue: reminders and group messages are sent by the same worker, under its concurrency cap. */
  emailQueue: IQueue;
  opsTopic: ITopic;
  configurationSetName: string;
  publicBaseUrl: string;
  logLevel: string;
}

/** SES reputation thresholds (fractions) past which ops are alarmed: AWS reviews an account at 5 % bounces and 0.1 % complaints. */
export const BOUNCE_RATE_ALARM = 0.05;
export const COMPLAINT_RATE_ALARM = 0.001;

/**
 * Reminders, the day-before message and organizers' group messages: a schedule that queues what is
 * due (every 15 minutes; what is due is computed from the data, so a missed run catches up), the
 * organizers' message routes, the public one-click unsubscribe route, and alarms on the
 * configuration set's reputation metrics.
 */
export class Communications extends Construct {
  constructor(scope: Construct, id: string, props: CommunicationsProps) {
    super(scope, id);
    const { table, dataKey, logLevel, emailQueue } = props;
    const common = { TABLE_NAME: table.tableName, PUBLIC_BASE_URL: props.publicBaseUrl };

    const messages = new AppFunction(this, 'Messages', {
      handler: 'messages',
      logLevel,
      // A 10,000-recipient message writes as many ledger records before it answers.
      timeout: Duration.seconds(29),
      memorySize: 512,
      environment: { ...common, EMAIL_QUEUE_URL: emailQueue.queueUrl, AUDIT_TABLE: props.data.audit.tableName },
    });
    grantTableAccess(messages, messages.handlerName, table, dataKey);
    grantQueueSend(messages, emailQueue, dataKey);
    props.data.grantAuditAppend(messages);
    props.access.serve('messages', messages);

    const scheduler = new AppFunction(this, 'Scheduler', {
      handler: 'communications-scheduler',
      logLevel,
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment: { ...common, EMAIL_QUEUE_URL: emailQueue.queueUrl },
    });
    grantTableAccess(scheduler, scheduler.handlerName, table, dataKey);
    grantQueueSend(scheduler, emailQueue, dataKey);
    new Rule(this, 'Schedule', { schedule: Schedule.rate(Duration.minutes(15)), targets: [new LambdaFunction(scheduler, { retryAttempts: 2 })] });

    const unsubscribe = new AppFunction(this, 'Unsubscribe', { handler: 'unsubscribe', logLevel, environment: { ...common, SECRET_ARN: props.appSecret.secretArn } });
    grantTableAccess(unsubscribe, unsubscribe.handlerName, table, dataKey);
    grantSecretRead(unsubscribe, props.appSecret, dataKey);
    for (const r of props.api.addRoutes({
      path: '/unsubscribe/{token}',
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration: new HttpLambdaIntegration('UnsubscribeIntegration', unsubscribe),
    }))
      Validations.of(r).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'The one-click unsubscribe link (RFC 8058) is authorized by the HMAC-signed token in its path; mail clients post to it without credentials.',
      });

    const reputation = (name: string, metricName: string, threshold: number, description: string) =>
      new Alarm(this, name, {
        alarmDescription: description,
        metric: new Metric({
          namespace: 'AWS/SES',
          metricName,
          dimensionsMap: { 'ses:configuration-set': props.configurationSetName },
          statistic: 'Maximum',
          period: Duration.minutes(15),
        }),
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(props.opsTopic));
    reputation(
      'BounceRateHigh',
      'Reputation.BounceRate',
      BOUNCE_RATE_ALARM,
      'SES bounce rate of the configuration set is at or above 5 %: AWS reviews (and may pause) sending at 10 %',
    );
    reputation(
      'ComplaintRateHigh',
      'Reputation.ComplaintRate',
      COMPLAINT_RATE_ALARM,
      'SES complaint rate of the configuration set is at or above 0.1 %: AWS reviews (and may pause) sending at 0.5 %',
    );
  }
}
