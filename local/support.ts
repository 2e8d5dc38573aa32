import type { CfnTemplate } from './template.js';

/**
 * Every CloudFormation resource type the local cloud knows, and what it does with it. The README's
 * table and the coverage test are both generated from this list, so they cannot disagree with the code.
 * A type missing here stops start-up with its name.
 */
export interface ResourceSupport {
  type: string;
  emulated: boolean;
  /** How it is emulated, or why there is nothing to emulate. */
  how: string;
  /** The ARN service for `Fn::GetAtt X.Arn` on a type that is not emulated (Ref gives a local name). */
  arnService?: string;
}

export const RESOURCE_SUPPORT: readonly ResourceSupport[] = [
  { type: 'AWS::DynamoDB::Table', emulated: true, how: 'DynamoDB Local table: keys, GSIs/LSIs, stream, TTL; data under the data dir' },
  {
    type: 'AWS::SQS::Queue',
    emulated: true,
    how: 'fauxqs queue with the template attributes and redrive policy (DLQ after maxReceiveCount); fauxqs has no DLQ redrive (StartMessageMoveTask): receive from the DLQ and send to its queue instead',
  },
  { type: 'AWS::S3::Bucket', emulated: true, how: 'fauxqs bucket (path-style URLs on 127.0.0.1); each object written to the data dir when it is put' },
  {
    type: 'AWS::Cognito::UserPool',
    emulated: true,
    how: 'cognito-local user pool; the bootstrap adds its users (Cumbre: one per role for the summit — admin, organizer, security, door, viewer — and an organizer of another event, each in its `event:<id>:<role>` group, `bootstrap/people.ts`; passwords kept in `users.json`); its Lambda triggers (LambdaConfig) do not run locally',
  },
  { type: 'AWS::Cognito::UserPoolClient', emulated: true, how: 'cognito-local app client (same auth flows)' },
  { type: 'AWS::Cognito::UserPoolGroup', emulated: true, how: 'cognito-local group; the bootstrap puts its users in it' },
  { type: 'AWS::SecretsManager::Secret', emulated: true, how: 'local GetSecretValue endpoint; GenerateSecretString generated once and kept in the data dir' },
  { type: 'AWS::Lambda::Function', emulated: true, how: 'its bundled asset from cdk.out, one long-lived Node process per function, template environment resolved' },
  {
    type: 'AWS::Lambda::EventSourceMapping',
    emulated: true,
    how: 'SQS and DynamoDB Streams pollers: batch size, window, filters, partial failures, retries, bisect; SQS with five batches in flight (capped by `ScalingConfig.MaximumConcurrency`)',
  },
  { type: 'AWS::ApiGatewayV2::Api', emulated: true, how: 'local HTTP gateway (payload format 2.0, API Gateway error responses)' },
  { type: 'AWS::ApiGatewayV2::Stage', emulated: true, how: '`$default` stage: the gateway base URL; default route throttling (429)' },
  { type: 'AWS::ApiGatewayV2::Route', emulated: true, how: 'served by the gateway with the same route matching' },
  { type: 'AWS::ApiGatewayV2::Integration', emulated: true, how: 'AWS_PROXY Lambda integration, payload format 2.0' },
  { type: 'AWS::ApiGatewayV2::Authorizer', emulated: true, how: "JWT authorizer checked against cognito-local's keys and issuer" },
  { type: 'AWS::Events::Rule', emulated: true, how: 'schedule rules invoke their Lambda targets on the rate/cron schedule' },
  { type: 'AWS::SES::ConfigurationSet', emulated: true, how: 'name only: aws-ses-v2-local accepts it on send' },
  { type: 'AWS::CloudFormation::CustomResource', emulated: true, how: 'CDK Provider framework: the user onEvent function is invoked with Create/Update on start' },
  { type: 'AWS::SNS::Topic', emulated: true, how: 'fauxqs topic; publishing to it works, but alarms never fire and aws-ses-v2-local sends no feedback events' },
  { type: 'AWS::SNS::Subscription', emulated: true, how: 'SQS subscriptions deliver through fauxqs (raw delivery, filter policy); email/HTTPS endpoints receive nothing' },

  { type: 'AWS::IAM::Role', emulated: false, how: 'the emulators do not enforce IAM; least privilege is checked by the infra tests', arnService: 'iam' },
  { type: 'AWS::IAM::Policy', emulated: false, how: 'the emulators do not enforce IAM; least privilege is checked by the infra tests', arnService: 'iam' },
  { type: 'AWS::IAM::ManagedPolicy', emulated: false, how: 'the emulators do not enforce IAM; least privilege is checked by the infra tests', arnService: 'iam' },
  { type: 'AWS::Lambda::Permission', emulated: false, how: 'the gateway, pollers and schedules invoke functions directly', arnService: 'lambda' },
  { type: 'AWS::Lambda::EventInvokeConfig', emulated: false, how: 'asynchronous-invoke settings; locally only schedules invoke asynchronously, once', arnService: 'lambda' },
  { type: 'AWS::KMS::Key', emulated: false, how: 'the emulators keep data unencrypted on this machine; Ref gives a placeholder key id', arnService: 'kms' },
  { type: 'AWS::KMS::Alias', emulated: false, how: 'the emulators keep data unencrypted on this machine', arnService: 'kms' },
  { type: 'AWS::Logs::LogGroup', emulated: false, how: 'function logs go to the terminal, one stream prefixed with the function name', arnService: 'logs' },
  { type: 'AWS::CloudWatch::Alarm', emulated: false, how: 'no metrics are collected locally, so alarms never change state', arnService: 'cloudwatch' },
  { type: 'AWS::CloudWatch::Dashboard', emulated: false, how: 'no metrics are collected locally', arnService: 'cloudwatch' },
  { type: 'AWS::S3::BucketPolicy', emulated: false, how: 'SSL-only/deny policies: the emulators serve plain HTTP on localhost and ignore policies', arnService: 's3' },
  { type: 'AWS::SQS::QueuePolicy', emulated: false, how: 'the emulators do not enforce resource policies', arnService: 'sqs' },
  { type: 'AWS::SNS::TopicPolicy', emulated: false, how: 'the emulators do not enforce resource policies', arnService: 'sns' },
  {
    type: 'AWS::SES::ConfigurationSetEventDestination',
    emulated: false,
    how: 'aws-ses-v2-local emits no delivery/bounce events; publish one to the feedback SNS topic to drive the worker locally',
    arnService: 'ses',
  },
  { type: 'AWS::SES::EmailIdentity', emulated: false, how: 'aws-ses-v2-local accepts any sender', arnService: 'ses' },
  { type: 'AWS::ApiGatewayV2::ApiMapping', emulated: false, how: 'custom domains: the gateway listens on localhost', arnService: 'apigateway' },
  { type: 'AWS::ApiGatewayV2::DomainName', emulated: false, how: 'custom domains: the gateway listens on localhost', arnService: 'apigateway' },
  { type: 'AWS::CDK::Metadata', emulated: false, how: "the CDK's version report to CloudFormation" },
  { type: 'Custom::LogRetention', emulated: false, how: 'function logs go to the terminal', arnService: 'logs' },
  { type: 'Custom::S3AutoDeleteObjects', emulated: false, how: 'buckets are emptied with the data dir', arnService: 's3' },
];

export const supportFor = (type: string): ResourceSupport | undefined => RESOURCE_SUPPORT.find((s) => s.type === type);

/** Custom resources are emulated through the Provider framework; their types are the stack's own. */
export const isCustomResourceType = (type: string): boolean => (type.startsWith('Custom::') && !supportFor(type)) || type === 'AWS::CloudFormation::CustomResource';

/** Resource types in a template that the local cloud neither emulates nor lists as not needed. */
export const unknownResourceTypes = (template: CfnTemplate): string[] =>
  [...new Set(Object.values(template.Resources).map((r) => r.Type))].filter((t) => !supportFor(t) && !isCustomResourceType(t)).sort();

/** The README table ("what the local cloud does not emulate, and why"), as Markdown. */
export const renderNotEmulatedTable = (): string =>
  ['| Resource type | Why there is nothing to emulate |', '| --- | --- |', ...RESOURCE_SUPPORT.filter((s) => !s.emulated).map((s) => `| \`${s.type}\` | ${s.how} |`)].join('\n');

/** The README table of what is emulated, as Markdown. */
export const renderEmulatedTable = (): string =>
  [
    '| Resource type | Locally |',
    '| --- | --- |',
    ...RESOURCE_SUPPORT.filter((s) => s.emulated).map((s) => `| \`${s.type}\` | ${s.how} |`),
    '| `Custom::*` (Provider framework) | the user onEvent function is invoked with a CloudFormation Create (Update when its properties change) |',
  ].join('\n');
