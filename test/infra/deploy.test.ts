import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';

/** What a first deploy to a fresh account needs from the template: issue 8 ("Deploy day"). */

const context = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<string, unknown>;
const FUTURE_SEED = 'test/fixtures/events/summit-2099.json';

const synth = (overrides: Record<string, unknown> = {}, now?: Date) => {
  const app = new App({ context: { ...context, ...overrides, 'aws:cdk:bundling-stacks': [] } });
  const stack = buildApp(app, now);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  return Template.fromStack(stack).toJSON() as { Resources: Record<string, Res>; Outputs: Record<string, { Value: unknown }> };
};
interface Res {
  Type: string;
  Properties: Record<string, any>;
  DeletionPolicy?: string;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: any;
  Condition?: Record<string, Record<string, unknown>>;
}

const ofType = (resources: Record<string, Res>, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const actionsOf = (s: Statement) => [s.Action].flat();

/**
 * Every action each function's role allows, in one table (X-Ray's two trace actions, which every
 * function gets from `tracing: ACTIVE`, are added below). The source of truth is the code: the SDK
 * commands each handler's adapters send (functions/adapters/), and what Lambda's pollers do with
 * the role. Add a line for a new function; a role that grows beyond its line fails here.
 */
const KMS_DDB_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_DDB_WRITE = [...KMS_DDB_READ, 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
const SECRET = ['secretsmanager:GetSecretValue', 'kms:Decrypt'];
const CONSUME = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'kms:Decrypt'];
const ALLOWED: Record<string, string[]> = {
  'import-invitations': [
    'dynamodb:Query',
    'dynamodb:BatchGetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    ...KMS_DDB_WRITE,
    ...SECRET,
    'kms:GenerateDataKey',
  ],
  'list-invitations': ['dynamodb:Query', ...KMS_DDB_READ],
  'get-capacity': ['dynamodb:Query', ...KMS_DDB_READ],
  'manage-event': [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    ...KMS_DDB_WRITE,
    'kms:GenerateDataKey',
  ],
  'export-accreditation': ['dynamodb:Query', ...KMS_DDB_READ, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'kms:Encrypt', 'kms:GenerateDataKey'],
  'admin-export-attendees': ['dynamodb:Query', ...KMS_DDB_READ],
  'admin-page': [],
  // check-in: scans written once (Put), the revocation list signed with the badge key (the secret)
  checkin: ['dynamodb:Query', 'dynamodb:PutItem', ...KMS_DDB_WRITE, ...SECRET],
  // TOTP enrolment seals the access token between its two steps with a key from the app secret.
  'admin-session': [...SECRET],
  'invitation-detail': ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', ...KMS_DDB_WRITE, 'kms:GenerateDataKey'],
  // invitations (organizer edits): the main table as an answer uses it, the app secret (a deputy's link), accreditation put/delete (its own key)
  'invitation-admin': [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:BatchGetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    ...KMS_DDB_WRITE,
    ...SECRET,
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  // Lists under badges/ to tell a missing file, and asks the badge worker to render it again.
  'badge-link': ['dynamodb:GetItem', ...KMS_DDB_READ, 's3:GetObject', 's3:ListBucket', 'sqs:SendMessage', 'kms:GenerateDataKey'],
  'badge-sheet': ['dynamodb:Query', ...KMS_DDB_READ, ...SECRET, 's3:GetObject', 's3:PutObject', 's3:ListBucket', 'kms:GenerateDataKey'],
  rsvp: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', ...KMS_DDB_WRITE, ...SECRET, 'kms:GenerateDataKey'],
  'seed-event': ['dynamodb:PutItem', 'dynamodb:UpdateItem', ...KMS_DDB_WRITE],
  'email-worker': [...CONSUME, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', ...KMS_DDB_WRITE, ...SECRET, 'ses:SendEmail'],
  'badge-worker': [
    ...CONSUME,
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    ...KMS_DDB_WRITE,
    ...SECRET,
    's3:PutObject',
    's3:DeleteObject',
    's3:ListBucket',
    'kms:GenerateDataKey',
  ],
  // Queues its capacity alerts to the email worker: no SES.
  'capacity-worker': [
    ...CONSUME,
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    ...KMS_DDB_WRITE,
    'sqs:SendMessage',
    'kms:GenerateDataKey',
  ],
  'ses-events': [...CONSUME, 'dynamodb:UpdateItem', 'dynamodb:PutItem', ...KMS_DDB_WRITE],
  // reminders
  messages: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', ...KMS_DDB_WRITE, 'sqs:SendMessage', 'kms:GenerateDataKey'],
  'communications-scheduler': [
    'dynamodb:Scan',
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    ...KMS_DDB_WRITE,
    'sqs:SendMessage',
    'kms:GenerateDataKey',
  ],
  unsubscribe: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', ...KMS_DDB_WRITE, ...SECRET],
  'stream-dispatcher': [
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:ListStreams',
    'dynamodb:UpdateItem',
    ...KMS_DDB_WRITE,
    'sqs:SendMessage',
    'kms:GenerateDataKey',
  ],
  'outbox-sweeper': ['dynamodb:Query', 'dynamodb:UpdateItem', ...KMS_DDB_WRITE, 'sqs:SendMessage', 'kms:GenerateDataKey'],
  'audit-trail': ['dynamodb:Query', 'kms:Decrypt'],
  people: [
    'dynamodb:Query',
    ...KMS_DDB_READ,
    'dynamodb:PutItem',
    // pending changes to people, in their own partition of the main table (dynamodb:LeadingKeys)
    'dynamodb:GetItem',
    'dynamodb:DeleteItem',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'cognito-idp:AdminCreateUser',
    'cognito-idp:AdminDeleteUser',
    'cognito-idp:AdminGetUser',
    'cognito-idp:AdminAddUserToGroup',
    'cognito-idp:AdminRemoveUserFromGroup',
    'cognito-idp:AdminListGroupsForUser',
    'cognito-idp:ListUsers',
    'cognito-idp:CreateGroup',
    'cognito-idp:GetGroup',
    'cognito-idp:DescribeUserPool',
  ],
  reconcile: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem', ...KMS_DDB_WRITE],
  // The pool's pre-token-generation trigger: is TOTP enrolled? (no table, no key, no secret)
  'pre-token-generation': ['cognito-idp:AdminGetUser'],
};
const XRAY = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

let dev: Awaited<ReturnType<typeof synth>>;
let functions: Array<{ handler: string; statements: Statement[] }>;
beforeAll(() => {
  dev = synth();
  functions = ofType(dev.Resources, 'AWS::Lambda::Function')
    .filter(([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
    .map(([, fn]) => {
      const role = fn.Properties.Role['Fn::GetAtt'][0];
      const statements = ofType(dev.Resources, 'AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
      return { handler: String(fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).replace(/^cumbre-/, ''), statements };
    });
});

describe('least privilege, per function', () => {
  it('allows each function exactly the actions in the one table, no more and none missing', () => {
    expect(functions.map((f) => f.handler).sort()).toEqual(Object.keys(ALLOWED).sort());
    // One comparison of the whole table, so a failure shows every function that differs.
    const actual = Object.fromEntries(
      functions.map(({ handler, statements }) => [handler, [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf))].sort()]),
    );
    const expected = Object.fromEntries(functions.map(({ handler }) => [handler, [...new Set([...(ALLOWED[handler] ?? []), ...XRAY])].sort()]));
    expect(actual).toEqual(expected);
  });

  it('grants the data key only through the service that uses it (kms:ViaService)', () => {
    for (const { handler, statements } of functions) {
      for (const s of statements.filter((st) => actionsOf(st).some((a) => a.startsWith('kms:')))) {
        expect({ handler, via: s.Condition?.StringEquals?.['kms:ViaService'] }).toEqual({ handler, via: expect.anything() });
      }
    }
  });

  it('lets the print sheet list only under sheets/ (so a missing sheet is a 404, not a 403)', () => {
    const sheet = functions.find((f) => f.handler === 'badge-sheet')!;
    const list = sheet.statements.find((s) => actionsOf(s).includes('s3:ListBucket'))!;
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['sheets/*'] } });
    expect(actionsOf(list)).toEqual(['s3:ListBucket']);
  });

  it('names each service principal in the key policy for this account only', () => {
    const [, key] = ofType(dev.Resources, 'AWS::KMS::Key')[0];
    const services = (key.Properties.KeyPolicy.Statement as Statement[]).filter((s) => s.Principal?.Service);
    expect(services.map((s) => s.Principal.Service).sort()).toEqual(expect.arrayContaining(['cloudwatch.amazonaws.com', 'ses.amazonaws.com', 'sns.amazonaws.com']));
    for (const s of services) {
      const account = s.Condition?.StringEquals?.['aws:SourceAccount'] ?? s.Condition?.ArnEquals?.['aws:SourceArn'] ?? s.Condition?.ArnLike?.['aws:SourceArn'];
      expect({ service: s.Principal.Service, account }).toEqual({ service: s.Principal.Service, account: expect.anything() });
    }
  });
});

describe('alarms reach ops', () => {
  const opsTopicId = () => {
    const out = dev.Outputs.OpsTopicArn.Value as { Ref: string };
    return out.Ref;
  };

  it('lets CloudWatch publish to the ops topic for this account’s alarms only', () => {
    const policy = ofType(dev.Resources, 'AWS::SNS::TopicPolicy').find(([, p]) => p.Properties.Topics.some((t: { Ref: string }) => t.Ref === opsTopicId()));
    expect(policy).toBeDefined();
    const statements = policy![1].Properties.PolicyDocument.Statement as Statement[];
    const publish = statements.find((s) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(publish).toMatchObject({ Action: 'sns:Publish', Resource: { Ref: opsTopicId() } });
    expect(publish!.Condition!.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(publish!.Condition!.ArnLike['aws:SourceArn'])).toMatch(/:cloudwatch:.*:alarm:\*/);
    // The SSL-only deny stays.
    expect(statements.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('aws:SecureTransport'))).toBe(true);
  });

  it('alarms ops when SES rejects emails for a reason other than the recipient, in the namespace the mailer writes', () => {
    const alarms = ofType(dev.Resources, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.MetricName === 'EmailsRejected');
    expect(alarms).toHaveLength(1);
    const [, alarm] = alarms[0];
    expect(alarm.Properties).toMatchObject({ Dimensions: [{ Name: 'About', Value: 'sending' }], Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: opsTopicId() }]);
    // Every function allowed to send writes its rejections where the alarm reads.
    const senders = functions.filter((f) => f.statements.some((s) => actionsOf(s).includes('ses:SendEmail'))).map((f) => f.handler);
    expect(senders).toEqual(['email-worker']);
    for (const handler of senders) {
      const [, fn] = ofType(dev.Resources, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === `cumbre-${handler}`)!;
      expect(fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe(alarm.Properties.Namespace);
    }
  });

  it('outputs the ops topic and subscribes -c opsEmail', () => {
    expect(ofType(dev.Resources, 'AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'email')).toHaveLength(0);
    const withOps = synth({ opsEmail: 'ops@example.org' });
    const subs = ofType(withOps.Resources, 'AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'email');
    expect(subs.map(([, s]) => [s.Properties.Endpoint, s.Properties.TopicArn])).toEqual([['ops@example.org', { Ref: (withOps.Outputs.OpsTopicArn.Value as { Ref: string }).Ref }]]);
  });
});

describe('sending email from a real domain', () => {
  it('creates the sender domain as an SES identity with Easy DKIM and outputs its three CNAME records', () => {
    const identities = ofType(dev.Resources, 'AWS::SES::EmailIdentity');
    expect(identities.map(([, i]) => i.Properties.EmailIdentity)).toEqual([String(context.senderEmail).split('@')[1]]);
    expect(
      Object.keys(dev.Outputs)
        .filter((k) => k.startsWith('SenderDkimRecord'))
        .sort(),
    ).toEqual(['SenderDkimRecord1', 'SenderDkimRecord2', 'SenderDkimRecord3']);
    expect(JSON.stringify(dev.Outputs.SenderDkimRecord1.Value)).toContain('DkimDNSTokenName1');
    expect(ofType(synth({ createSenderIdentity: 'false' }).Resources, 'AWS::SES::EmailIdentity')).toHaveLength(0);
  });

  it('sends through SES v2 SendEmail only, with the email worker capped to a rate SES takes', () => {
    const sending = functions.filter((f) => f.statements.some((s) => actionsOf(s).some((a) => a.startsWith('ses:'))));
    // The email worker is the one function that sends (capacity alerts are queued to it).
    expect(sending.map((f) => f.handler).sort()).toEqual(['email-worker']);
    for (const f of sending) expect(f.statements.flatMap(actionsOf).filter((a) => a.startsWith('ses:'))).toEqual(['ses:SendEmail']);
    const emailQueue = ofType(dev.Resources, 'AWS::SQS::Queue').find(([id]) => id.startsWith('WorkflowEmailWorkerQueue'))![0];
    const mapping = ofType(dev.Resources, 'AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.EventSourceArn['Fn::GetAtt']?.[0] === emailQueue)!;
    expect(mapping[1].Properties.ScalingConfig).toEqual({ MaximumConcurrency: context.emailMaxConcurrency ?? 2 });
  });

  it('writes capacity alerts in the organizers’ language: Spanish unless organizerLanguage says otherwise, and no other', () => {
    const alertLanguages = (resources: Record<string, Res>) =>
      ofType(resources, 'AWS::Lambda::Function')
        .map(([, f]) => f.Properties.Environment?.Variables?.ORGANIZER_LANGUAGE as string | undefined)
        .filter(Boolean);
    expect(alertLanguages(dev.Resources)).toEqual(['es']);
    expect(alertLanguages(synth({ organizerLanguage: 'fr' }).Resources)).toEqual(['fr']);
    expect(() => synth({ organizerLanguage: 'de' })).toThrow(/organizerLanguage/);
  });

  it('renders badges on at most two instances: each more is a 1 GB cold start rendering nothing a warm one would not', () => {
    const badgeQueue = ofType(dev.Resources, 'AWS::SQS::Queue').find(([id]) => id.startsWith('WorkflowBadgeWorkerQueue'))![0];
    const mapping = ofType(dev.Resources, 'AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.EventSourceArn['Fn::GetAtt']?.[0] === badgeQueue)!;
    expect(mapping[1].Properties.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
  });
});

describe('dev and prod', () => {
  it('deletes a dev bucket with its stack; keeps prod’s, protects the prod user pool, and offers no OAuth flows', () => {
    expect(ofType(dev.Resources, 'Custom::S3AutoDeleteObjects')).toHaveLength(1);
    const prod = synth({ stage: 'prod', seedFile: FUTURE_SEED }).Resources;
    expect(ofType(prod, 'Custom::S3AutoDeleteObjects')).toHaveLength(0);
    expect(ofType(prod, 'AWS::S3::Bucket').map(([, b]) => b.DeletionPolicy)).toEqual(['Retain']);
    expect(ofType(prod, 'AWS::Cognito::UserPool').map(([, p]) => p.Properties.DeletionProtection)).toEqual(['ACTIVE']);
    expect(ofType(dev.Resources, 'AWS::Cognito::UserPool').map(([, p]) => p.Properties.DeletionProtection ?? 'INACTIVE')).toEqual(['INACTIVE']);
    for (const [, client] of ofType(dev.Resources, 'AWS::Cognito::UserPoolClient')) {
      expect(client.Properties.AllowedOAuthFlowsUserPoolClient).toBe(false);
      expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
    }
  });
});

describe('the seeded event can be answered', () => {
  const seedOf = (t: { Resources: Record<string, Res> }) => ofType(t.Resources, 'Custom::CumbreEventSeed').map(([, r]) => JSON.parse(r.Properties.Event));

  it('refuses a seed whose deadline has passed, saying what to do', () => {
    expect(() => synth({ seedDates: 'as-is' })).toThrow(
      /na-mayors-summit-2019 .*2019-05-31T23:59 America\/Mazatlan, which has passed.*-c seedFile=.*-c seedFile=none.*-c seedDates=shift-forward/,
    );
    // Production never shifts an example: it deploys its own event or none.
    expect(() => synth({ stage: 'prod', seedDates: 'shift-forward' })).toThrow(/has passed.*non-production/);
  });

  it('seeds a dev stack with the 2019 summit moved ahead of the synth day, whole weeks later', () => {
    const now = new Date();
    const [event] = seedOf(dev);
    expect(event.id).toBe('na-mayors-summit-2019');
    expect(Date.parse(`${event.rsvpDeadline}:00Z`)).toBeGreaterThan(now.getTime() + 13 * 86_400_000);
    const days = (Date.parse(`${event.sessions[0].start}:00Z`) - Date.parse('2019-06-06T19:30:00Z')) / 86_400_000;
    expect(days % 7).toBe(0);
  });

  it('seeds a configured event as it is, or nothing at all', () => {
    const [event] = seedOf(synth({ stage: 'prod', seedFile: FUTURE_SEED }));
    expect(event).toMatchObject({ id: 'summit-2099', rsvpDeadline: '2099-05-31T23:59' });
    const none = synth({ seedFile: 'none' });
    expect(seedOf(none)).toEqual([]);
    expect(ofType(none.Resources, 'AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'cumbre-seed-event')).toEqual([]);
  });
});
