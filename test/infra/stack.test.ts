import { App, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { AppFunction } from '../../lib/constructs/app-function.js';
import { ADMIN_APP } from '../../lib/constructs/browser-bundle.js';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';

const context = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<string, unknown>;

/** Synthesizes the real app (bundling skipped: infra tests look at the template, not the code). */
const synth = (overrides: Record<string, unknown> = {}) => {
  const app = new App({ context: { ...context, ...overrides, 'aws:cdk:bundling-stacks': [] } });
  const stack = buildApp(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  return Template.fromStack(stack);
};

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; DependsOn?: string | string[] }>;

let dev: Template;
let resources: Resources;
beforeAll(() => {
  dev = synth();
  resources = dev.toJSON().Resources;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const functionNamed = (handler: string) => {
  const found = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === `cumbre-${handler}`);
  if (!found) throw new Error(`no function for ${handler}`);
  return found;
};
const policyActionsOf = (logicalId: string): string[] => {
  const roleRef = resources[logicalId].Properties.Role['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleRef))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
};

describe('the Cumbre stack', () => {
  it('keeps data in encrypted, recoverable tables; the main one streams', () => {
    // Main, accreditation (own key), audit: see test/infra/access.test.ts for who may touch the last two.
    dev.resourceCountIs('AWS::DynamoDB::Table', 3);
    for (const [, t] of ofType('AWS::DynamoDB::Table'))
      expect(t.Properties).toMatchObject({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: expect.anything() },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    dev.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('retains the tables, keys, secret and user pool in production only', () => {
    // Production refuses the 2019 summit (its deadline is past): it deploys its own event.
    const prod = synth({ stage: 'prod', seedFile: 'test/fixtures/events/summit-2099.json' }).toJSON().Resources as Resources;
    for (const [type, count] of [
      ['AWS::DynamoDB::Table', 3],
      ['AWS::KMS::Key', 2],
      ['AWS::SecretsManager::Secret', 1],
      ['AWS::Cognito::UserPool', 1],
    ] as const) {
      expect(
        Object.values(prod)
          .filter((r) => r.Type === type)
          .map((r) => r.DeletionPolicy),
      ).toEqual(Array(count).fill('Retain'));
      expect(ofType(type).map(([, r]) => r.DeletionPolicy)).toEqual(Array(count).fill('Delete'));
    }
    for (const t of Object.values(prod).filter((r) => r.Type === 'AWS::DynamoDB::Table')) expect(t.Properties.DeletionProtectionEnabled).toBe(true);
  });

  it('runs every function on Node.js 22, arm64, from an ESM bundle with JSON logs', () => {
    // Every function of ours (CDK's own providers, the seed framework and the bucket auto-delete, pick their runtime).
    const fns = ofType('AWS::Lambda::Function').filter(([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
    expect(fns.length).toBe(ofType('AWS::Lambda::Function').filter(([id]) => !id.startsWith('SeedProviderframework') && !id.startsWith('CustomS3AutoDeleteObjects')).length);
    expect(fns.length).toBeGreaterThanOrEqual(6);
    for (const [, fn] of fns) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler', LoggingConfig: { LogFormat: 'JSON' } });
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it("deploys the outbox's readers (stream dispatcher, sweeper) before every other function of ours", () => {
    // A writer updated first could write a record in a shape the old dispatcher cannot read: it would
    // fail into the stream's DLQ (an alarm) until the sweep delivered it.
    const readers = ['stream-dispatcher', 'outbox-sweeper'].map((h) => functionNamed(h)[0]);
    const others = ofType('AWS::Lambda::Function').filter(([id, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME && !readers.includes(id));
    expect(others.length).toBeGreaterThanOrEqual(20);
    for (const [id, fn] of others) expect({ id, dependsOn: readers.filter((r) => [fn.DependsOn ?? []].flat().includes(r)) }).toEqual({ id, dependsOn: readers });
    for (const r of readers) expect([resources[r].DependsOn ?? []].flat().filter((d) => others.some(([id]) => id === d))).toEqual([]);
  });

  it('requires an organizer JWT on every organizer route and only the token on invitee routes', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    const keys = routes.map((r) => `${r.RouteKey} ${r.AuthorizationType ?? 'NONE'}`).sort();
    expect(keys).toEqual(
      [
        'GET /admin NONE',
        'GET /admin/{asset} NONE',
        'GET /events/{eventId}/accreditation JWT',
        'GET /events/{eventId}/attendees.csv JWT',
        'GET /events/{eventId}/audit JWT',
        'GET /events/{eventId}/audit.csv JWT',
        'GET /events/{eventId}/badges.pdf JWT',
        'GET /events/{eventId}/capacity JWT',
        'GET /events/{eventId}/invitations JWT',
        'GET /events/{eventId}/invitations/{invitationId} JWT',
        'GET /events/{eventId}/invitations/{invitationId}/badge JWT',
        'GET /events/{eventId}/invitations/{invitationId}/answer JWT',
        'PATCH /events/{eventId}/invitations/{invitationId} JWT',
        'POST /events/{eventId}/invitations/{invitationId}/replace JWT',
        'POST /events/{eventId}/invitations/{invitationId}/revoke JWT',
        'POST /events/{eventId}/invitations/{invitationId}/answer JWT',
        'GET /events/{eventId}/messages JWT',
        'GET /people JWT',
        'GET /people/audit JWT',
        'GET /rsvp/{token} NONE',
        'GET /rsvp/{token}/badge NONE',
        'GET /unsubscribe/{token} NONE',
        'POST /admin/session NONE',
        'POST /events/{eventId}/invitations JWT',
        'POST /events/{eventId}/invitations/{invitationId}/resend JWT',
        'POST /events/{eventId}/messages JWT',
        'POST /events/{eventId}/messages/preview JWT',
        'POST /events/{eventId}/reminders/run JWT',
        'POST /people JWT',
        'POST /rsvp/{token} NONE',
        'POST /unsubscribe/{token} NONE',
        'PUT /events/{eventId}/accreditation/{invitationId}/clearance JWT',
        'PUT /people/{username} JWT',
        'DELETE /people/{username} JWT',
        'GET /events JWT',
        'POST /events JWT',
        'GET /events/{eventId} JWT',
        'PUT /events/{eventId} JWT',
        // check-in: the door page's public shell, the door's routes behind the JWT
        'GET /checkin NONE',
        'GET /checkin/{asset} NONE',
        'GET /events/{eventId}/checkin JWT',
        'POST /events/{eventId}/checkin/scans JWT',
        'GET /events/{eventId}/checkin/arrivals JWT',
        'GET /events/{eventId}/checkin.csv JWT',
        'GET /events/{eventId}/accreditation/clearances JWT',
      ].sort(),
    );
    dev.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [Match.anyValue()], Issuer: Match.anyValue() },
    });
  });

  it('throttles the stage and writes access logs', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: context.throttleRateLimit, ThrottlingBurstLimit: context.throttleBurstLimit },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      RouteSettings: { 'POST /admin/session': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 } },
    });
    const [stageId] = ofType('AWS::ApiGatewayV2::Stage')[0];
    const signIn = ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === 'POST /admin/session')![0];
    expect((resources[stageId] as unknown as { DependsOn: string[] }).DependsOn).toContain(signIn);
  });

  it('gives read-only routes no write permission and no secret', () => {
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    for (const handler of ['list-invitations', 'get-capacity', 'export-accreditation']) {
      const actions = policyActionsOf(functionNamed(handler)[0]);
      expect(actions).toContain('dynamodb:Query');
      expect(actions).not.toContain('secretsmanager:GetSecretValue');
      // The accreditation function writes only clearance (its table) and audit records; never the main table.
      if (handler !== 'export-accreditation') expect(actions.filter((a) => writes.includes(a))).toEqual([]);
    }
    const mainTable = (dev.toJSON().Outputs.TableName.Value as { Ref: string }).Ref;
    const roleRef = resources[functionNamed('export-accreditation')[0]].Properties.Role['Fn::GetAtt'][0];
    const onMain = ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleRef))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => JSON.stringify(st.Resource).includes(`"${mainTable}"`))
      .flatMap((st: any) => [st.Action].flat());
    expect(onMain).toContain('dynamodb:Query');
    expect(onMain.filter((a: string) => writes.includes(a))).toEqual([]);
    expect(policyActionsOf(functionNamed('import-invitations')[0])).toContain('secretsmanager:GetSecretValue');
    expect(policyActionsOf(functionNamed('rsvp')[0])).toContain('secretsmanager:GetSecretValue'); // CSRF key
  });

  it('gives every work queue a DLQ after maxReceiveCount, an alarm on its depth and a partial-batch consumer', () => {
    const queues = ofType('AWS::SQS::Queue');
    const redriven = queues.filter(([, q]) => q.Properties.RedrivePolicy);
    expect(redriven).toHaveLength(4); // email, badge, capacity, SES feedback
    for (const [, q] of redriven) expect(q.Properties.RedrivePolicy.maxReceiveCount).toBe(context.maxReceiveCount);
    for (const [, q] of queues) expect(q.Properties.KmsMasterKeyId).toBeDefined();
    const dlqIds = redriven.map(([, q]) => q.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]);
    const alarmed = ofType('AWS::CloudWatch::Alarm').flatMap(([, a]) => a.Properties.Dimensions.map((d: any) => d.Value['Fn::GetAtt']?.[0]));
    for (const dlq of dlqIds) expect(alarmed).toContain(dlq);
    const sqsMappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.EventSourceArn['Fn::GetAtt'][1] === 'Arn');
    expect(sqsMappings).toHaveLength(4);
    for (const [, m] of sqsMappings) expect(m.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('lets an email lease run out before its message comes back, so a crashed send is retried on the next delivery', () => {
    const leased = ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables?.EMAIL_LEASE_SECONDS !== undefined);
    expect(leased.map(([, f]) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).sort()).toEqual(['cumbre-email-worker']);
    for (const [id, f] of leased) {
      const lease = Number(f.Properties.Environment.Variables.EMAIL_LEASE_SECONDS);
      const timeout = Number(f.Properties.Timeout);
      const [, mapping] = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.FunctionName.Ref === id)!;
      const visibility = Number(resources[mapping.Properties.EventSourceArn['Fn::GetAtt'][0]].Properties.VisibilityTimeout);
      // A live worker is never taken for dead…
      expect(lease).toBeGreaterThanOrEqual(timeout);
      // …and a lease taken at the very end of a run has expired when the message is visible again, with margin.
      expect(timeout + lease).toBeLessThan(visibility);
      expect(visibility - (timeout + lease)).toBeGreaterThanOrEqual(timeout);
    }
  });

  it('tells each queue worker its own queue (where it hands a message back), and lets it change the visibility of messages there', () => {
    const sqsMappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.EventSourceArn['Fn::GetAtt'][1] === 'Arn');
    for (const [, m] of sqsMappings) {
      const fnId = m.Properties.FunctionName.Ref;
      const queueId = m.Properties.EventSourceArn['Fn::GetAtt'][0];
      expect({ fn: fnId, queue: resources[fnId].Properties.Environment.Variables.QUEUE_URL }).toEqual({ fn: fnId, queue: { Ref: queueId } });
      expect(policyActionsOf(fnId)).toContain('sqs:ChangeMessageVisibility');
    }
  });

  it('hands records and messages to functions without a batching window (nothing waits to fill a batch)', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBe(5); // four queues and the stream
    for (const [id, m] of mappings) expect([id, m.Properties.MaximumBatchingWindowInSeconds ?? 0]).toEqual([id, 0]);
  });

  it('feeds only new outbox records from the stream to the dispatcher, with retries, bisect and a DLQ', () => {
    dev.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.anyValue(), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['outbox'] } } } }) }] },
    });
  });

  it('sweeps undispatched outbox records every minute to the same queues, from a sparse index; the stream DLQ alarms', () => {
    const [, table] = ofType('AWS::DynamoDB::Table')[0];
    expect(table.Properties.GlobalSecondaryIndexes).toContainEqual(
      expect.objectContaining({
        IndexName: 'Undispatched',
        KeySchema: [
          { AttributeName: 'undispatched', KeyType: 'HASH' },
          { AttributeName: 'occurredAt', KeyType: 'RANGE' },
        ],
      }),
    );
    const [sweeperId, sweeper] = functionNamed('outbox-sweeper');
    const [, dispatcher] = functionNamed('stream-dispatcher');
    const queuesOf = (f: typeof sweeper) => ['EMAIL_QUEUE_URL', 'BADGE_QUEUE_URL', 'CAPACITY_QUEUE_URL'].map((k) => JSON.stringify(f.Properties.Environment.Variables[k]));
    expect(queuesOf(sweeper)).toEqual(queuesOf(dispatcher));
    const rules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.Targets.some((t: any) => t.Arn['Fn::GetAtt']?.[0] === sweeperId));
    expect(rules.map(([, r]) => r.Properties.ScheduleExpression)).toEqual(['rate(1 minute)']);
    expect(policyActionsOf(sweeperId)).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 'sqs:SendMessage']));
    const [, mapping] = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.EventSourceArn['Fn::GetAtt'][1] === 'StreamArn')!;
    const streamDlq = mapping.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
    // Queue alarms name their queue in a dimension; the metric alarm on rejected emails has none of those.
    const alarmed = ofType('AWS::CloudWatch::Alarm').flatMap(([, a]) => (a.Properties.Dimensions ?? []).map((d: any) => d.Value?.['Fn::GetAtt']?.[0]));
    expect(alarmed).toContain(streamDlq);
  });

  it('indexes invitations by their link’s token hash for the answer function alone; tests and the bench create exactly the stack’s indexes', async () => {
    const { TABLE_INDEXES } = await import('../support/dynamo.js');
    const [, table] = ofType('AWS::DynamoDB::Table')[0];
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(TABLE_INDEXES);
    expect(TABLE_INDEXES.map((i) => i.IndexName)).toContain('InvitationsByToken');
    const indexGrants = (handler: string) => {
      const roleRef = functionNamed(handler)[1].Properties.Role['Fn::GetAtt'][0];
      return ofType('AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleRef))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Resource].flat()))
        .map((r: any) => JSON.stringify(r))
        .filter((r) => r.includes('/index/'));
    };
    expect(indexGrants('rsvp').join()).toContain('/index/InvitationsByToken');
    expect(indexGrants('invitation-admin')).toEqual([]);
  });

  it('keeps badges in a private, KMS-encrypted, SSL-only bucket', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    dev.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const badgeWorker = policyActionsOf(functionNamed('badge-worker')[0]);
    // Writes badges, deletes removed companions' badges; lists under badges/ only to tell a file a link found missing.
    expect(badgeWorker.filter((a) => a.startsWith('s3:'))).toEqual(['s3:PutObject', 's3:DeleteObject', 's3:ListBucket']);
    const badgeLink = policyActionsOf(functionNamed('badge-link')[0]);
    // Signs GET links; lists under badges/ to tell a missing file (S3 answers 403, not 404, without it).
    expect(badgeLink.filter((a) => a.startsWith('s3:'))).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(badgeLink).not.toContain('secretsmanager:GetSecretValue');
  });

  it('copies extra files next to a bundle (fonts) and bundles browser scripts there (the dashboard)', () => {
    const fn = new AppFunction(new Stack(new App({ context: { 'aws:cdk:enable-asset-metadata': true } }), 'AssetCheck'), 'Fn', {
      handler: 'admin-page',
      browserBundles: [ADMIN_APP],
      assets: [{ from: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf', to: 'fonts/DejaVuSans.ttf' }],
    });
    const assembly = (Stack.of(fn).node.root as App).synth();
    const assetPath = join(
      assembly.directory,
      (assembly.getStackByName('AssetCheck').template.Resources as Record<string, { Metadata?: Record<string, string> }>)[
        Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction)
      ].Metadata!['aws:asset:path'],
    );
    const script = readFileSync(join(assetPath, 'admin-app.js'), 'utf8');
    // One self-contained classic script: no module syntax left, the sign-in wired, no zod pulled in by a type import.
    expect(() => new Script(script)).not.toThrow();
    expect(script).toContain('cumbre.admin.session');
    expect(script).not.toMatch(/\bZodError\b|from ?["']|import\(/);
    expect(statSync(join(assetPath, 'fonts', 'DejaVuSans.ttf')).isFile()).toBe(true);
  });

  it('seeds the summit from the seed file at deploy', () => {
    const seed = ofType('Custom::CumbreEventSeed');
    expect(seed).toHaveLength(1);
    const event = JSON.parse(seed[0][1].Properties.Event);
    expect(event.id).toBe('na-mayors-summit-2019');
    expect(event.sessions.map((s: { id: string }) => s.id)).toEqual(['welcome-cocktail', 'working-day-1', 'presidential-session', 'working-day-2']);
  });

  it('passes cdk-nag AwsSolutions with every acknowledgement justified', () => {
    // synth() throws on any finding left unacknowledged; acknowledge() itself demands a reason.
    expect(() => synth({ stage: 'nagcheck' })).not.toThrow();
    // …and the same synth does fail when something insecure slips in.
    const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
    new Queue(buildApp(app), 'NakedQueue');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow();
  });
});
