import { CfnOutput, CustomResource, Duration, Fn, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, UserPool, UserPoolClient, Mfa } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption, type CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { AppFunction, BASIC_EXECUTION } from './constructs/app-function.js';
import { BADGE_FONTS, Workflow } from './constructs/workflow.js';
import { grantQueueSend, grantSecretRead, grantTableAccess } from './constructs/access.js';
import { PagesRoutes } from './constructs/pages.js';
import { OrganizerAccess } from './constructs/organizer-access.js';
import { ProtectedData } from './constructs/protected-data.js';
import { PeopleAdmin } from './constructs/people-admin.js';
import { Communications } from './constructs/communications.js';
import { MfaGate } from './constructs/mfa-gate.js';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CumbreSettings } from './settings.js';
import { TOKEN_INDEX, UNDISPATCHED_INDEX } from '../functions/adapters/dynamo-keys.js';

export interface CumbreStackProps extends StackProps {
  settings: CumbreSettings;
  /** The event definition seeded at deploy (a JSON string of seed/<event>.json); none without. */
  seedEvent?: string;
}

/**
 * Functions behind organizer routes that need nothing but the main table (and the secret). Their
 * routes and the roles each admits are in `functions/domain/access/organizer-routes.ts`; every other route is
 * authorized by its RSVP token.
 */
const TABLE_FUNCTIONS: Array<{
  handler: 'import-invitations' | 'list-invitations' | 'get-capacity' | 'manage-event';
  access: 'read' | 'write';
  secret?: boolean;
  audit?: boolean;
}> = [
  { handler: 'import-invitations', access: 'write', secret: true, audit: true },
  { handler: 'list-invitations', access: 'read' },
  { handler: 'get-capacity', access: 'read' },
  { handler: 'manage-event', access: 'write', audit: true },
];

export class CumbreStack extends Stack {
  readonly api: HttpApi;
  readonly table: Table;

  constructor(scope: Construct, id: string, props: CumbreStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const production = settings.stage === 'prod';
    const retain = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const dataKey = new Key(this, 'DataKey', { enableKeyRotation: true, description: 'Cumbre data at rest', removalPolicy: retain });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: 'expiresAt',
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: dataKey,
      deletionProtection: production,
      removalPolicy: retain,
    });
    // Outbox records not yet marked dispatched (sparse: marking removes the key), for the sweep.
    this.table.addGlobalSecondaryIndex({
      indexName: UNDISPATCHED_INDEX,
      partitionKey: { name: 'undispatched', type: AttributeType.STRING },
      sortKey: { name: 'occurredAt', type: AttributeType.STRING },
    });
    // Invitations by their link's token hash (sparse), for an answer's first plan without the token item's read.
    this.table.addGlobalSecondaryIndex({
      indexName: TOKEN_INDEX,
      partitionKey: { name: 'tokenHash', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.resolve(this.getLogicalId(this.table.node.defaultChild as CfnTable))}.Arn>/index/*]`,
      reason: 'Table grants extend to its indexes; the indexes (Undispatched, InvitationsByToken) hold outbox records and invitations already readable through the table itself.',
    });

    const appSecret = new Secret(this, 'AppSecret', {
      description: 'Derives RSVP token and badge signing keys',
      encryptionKey: dataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: retain,
    });
    Validations.of(appSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating this secret would invalidate every RSVP link already emailed and every printed badge; it is rotated by hand between events.',
    });

    const userPool = new UserPool(this, 'Organizers', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: retain,
      deletionProtection: production,
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'TOTP is required of admin and security: the pool’s pre-token-generation trigger withholds those roles from tokens of accounts without it, and the sign-in walks them through enrolment; organizers, door staff and viewers may add it.',
    });
    const data = new ProtectedData(this, 'ProtectedData', { retain: production, dataKey });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'The plus feature plan (threat protection) costs per user; the pool has a handful of ops-invited organizers and no self sign-up.',
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG3',
      reason: 'Cognito advanced security (threat protection) is a paid plus-tier feature; the pool has no self sign-up.',
    });
    const userPoolClient = new UserPoolClient(this, 'OrganizersClient', {
      userPool,
      authFlows: { userPassword: true, userSrp: true },
      generateSecret: false,
      // Sign-in goes through POST /admin/session; no hosted UI, no OAuth flows.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Cumbre: invitations and RSVPs',
      createDefaultStage: false,
      // The pages are served by the API itself; CORS only for origins ops list explicitly.
      ...(settings.allowedOrigins.length
        ? {
            corsPreflight: {
              allowOrigins: settings.allowedOrigins,
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
              allowHeaders: ['authorization', 'content-type'],
            },
          }
        : {}),
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            route: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            error: '$context.error.message',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const workflow = new Workflow(this, 'Workflow', { settings, table: this.table, dataKey, appSecret, publicBaseUrl: settings.publicBaseUrl || this.api.apiEndpoint });

    const organizerAuth = new HttpJwtAuthorizer('OrganizerJwt', `https://cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`, {
      jwtAudience: [userPoolClient.userPoolClientId],
    });
    const publicBaseUrl = settings.publicBaseUrl || this.api.apiEndpoint;
    const common = { TABLE_NAME: this.table.tableName };
    const auditEnv = { AUDIT_TABLE: data.audit.tableName };
    const access = new OrganizerAccess(this, 'OrganizerAccess', { api: this.api, authorizer: organizerAuth });

    for (const route of TABLE_FUNCTIONS) {
      const fn = new AppFunction(this, pascal(route.handler), {
        handler: route.handler,
        logLevel: settings.logLevel,
        environment: { ...common, ...(route.secret ? { SECRET_ARN: appSecret.secretArn, PUBLIC_BASE_URL: publicBaseUrl } : {}), ...(route.audit ? auditEnv : {}) },
      });
      grantTableAccess(fn, route.handler, this.table, dataKey);
      if (route.secret) grantSecretRead(fn, appSecret, dataKey);
      if (route.audit) data.grantAuditAppend(fn);
      access.serve(route.handler, fn, new HttpLambdaIntegration(`${pascal(route.handler)}Integration`, fn));
    }

    // Security's views: the accreditation list (CSV or JSON) and clearance decisions, each audited.
    const accreditation = new AppFunction(this, 'ExportAccreditation', {
      handler: 'export-accreditation',
      logLevel: settings.logLevel,
      environment: { ...common, ...auditEnv, ACCREDITATION_TABLE: data.accreditation.tableName },
    });
    grantTableAccess(accreditation, accreditation.handlerName, this.table, dataKey);
    data.grantAccreditationReadAndClearance(accreditation);
    data.grantAuditAppend(accreditation);
    access.serve('export-accreditation', accreditation, new HttpLambdaIntegration('ExportAccreditationIntegration', accreditation));

    const auditTrail = new AppFunction(this, 'AuditTrail', { handler: 'audit-trail', logLevel: settings.logLevel, environment: auditEnv });
    data.grantAuditRead(auditTrail);
    access.serve('audit-trail', auditTrail);

    new PeopleAdmin(this, 'People', { access, userPool, table: this.table, dataKey, data, logLevel: settings.logLevel });
    new MfaGate(this, 'MfaGate', { userPool, logLevel: settings.logLevel });

    const pages = new PagesRoutes(this, 'Pages', { api: this.api, table: this.table, dataKey, userPool, userPoolClient, logLevel: settings.logLevel, access, appSecret });
    // Password guessing meets a much lower limit than the rest of the API (Cognito locks out too);
    // the stage must come after the route its settings name.
    (stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', {
      'POST /admin/session': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 },
    });
    for (const route of pages.signInRoutes) stage.node.addDependency(route);

    const invitationDetail = new AppFunction(this, 'InvitationDetail', { handler: 'invitation-detail', logLevel: settings.logLevel, environment: { ...common, ...auditEnv } });
    grantTableAccess(invitationDetail, invitationDetail.handlerName, this.table, dataKey);
    data.grantAuditAppend(invitationDetail);
    data.grantAuditRead(invitationDetail);
    access.serve('invitation-detail', invitationDetail, new HttpLambdaIntegration('InvitationDetailIntegration', invitationDetail));

    // invitations (organizer edits): edit, replace, revoke, answer on the invitee's behalf (which may carry accreditation, and a revocation drops it).
    const invitationAdmin = new AppFunction(this, 'InvitationAdmin', {
      handler: 'invitation-admin',
      logLevel: settings.logLevel,
      environment: { ...common, ...auditEnv, SECRET_ARN: appSecret.secretArn, PUBLIC_BASE_URL: publicBaseUrl, ACCREDITATION_TABLE: data.accreditation.tableName },
    });
    grantTableAccess(invitationAdmin, invitationAdmin.handlerName, this.table, dataKey);
    grantSecretRead(invitationAdmin, appSecret, dataKey);
    data.grantAuditAppend(invitationAdmin);
    data.grantAccreditationWrite(invitationAdmin);
    access.serve('invitation-admin', invitationAdmin, new HttpLambdaIntegration('InvitationAdminIntegration', invitationAdmin));

    // Links only (no renderer, no secret): the invitee's and the organizer's badge link.
    // It checks the file is there (list under badges/) and asks the badge worker to render a lost one again.
    const badgeLink = new AppFunction(this, 'BadgeLink', {
      handler: 'badge-link',
      logLevel: settings.logLevel,
      environment: { ...common, ...workflow.badgeEnvironment, BADGE_QUEUE_URL: workflow.queues.badge.queue.queueUrl },
    });
    grantTableAccess(badgeLink, badgeLink.handlerName, this.table, dataKey);
    workflow.grantBadgeObjects(badgeLink, ['s3:GetObject'], 'badges/*', 'signs short-lived GET links to badges', { list: true });
    grantQueueSend(badgeLink, workflow.queues.badge.queue, dataKey);
    const badgeIntegration = new HttpLambdaIntegration('BadgeLinkIntegration', badgeLink);
    access.serve('badge-link', badgeLink, badgeIntegration);

    // The print sheet renders (fonts, the signing key) and stores it under sheets/.
    const badgeSheet = new AppFunction(this, 'BadgeSheet', {
      handler: 'badge-sheet',
      logLevel: settings.logLevel,
      memorySize: 1024,
      environment: { ...common, ...workflow.badgeEnvironment, SECRET_ARN: appSecret.secretArn },
      assets: BADGE_FONTS,
    });
    grantTableAccess(badgeSheet, badgeSheet.handlerName, this.table, dataKey);
    grantSecretRead(badgeSheet, appSecret, dataKey);
    workflow.grantBadgeObjects(badgeSheet, ['s3:GetObject', 's3:PutObject'], 'sheets/*', 'writes print sheets and signs short-lived links to them', { list: true });
    access.serve('badge-sheet', badgeSheet, new HttpLambdaIntegration('BadgeSheetIntegration', badgeSheet));
    // check-in: the door package (its revocation list is signed with the badge key), scan uploads, arrivals and their export.
    const checkin = new AppFunction(this, 'Checkin', { handler: 'checkin', logLevel: settings.logLevel, environment: { ...common, SECRET_ARN: appSecret.secretArn } });
    grantTableAccess(checkin, checkin.handlerName, this.table, dataKey);
    grantSecretRead(checkin, appSecret, dataKey);
    access.serve('checkin', checkin, new HttpLambdaIntegration('CheckinIntegration', checkin));
    for (const r of this.api.addRoutes({ path: '/rsvp/{token}/badge', methods: [HttpMethod.GET], integration: badgeIntegration }))
      Validations.of(r).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'The invitee reaches their own badge with the RSVP token in the path.' });

    // The app secret signs the RSVP form's CSRF tokens.
    const rsvp = new AppFunction(this, 'Rsvp', {
      handler: 'rsvp',
      logLevel: settings.logLevel,
      environment: { ...common, SECRET_ARN: appSecret.secretArn, ACCREDITATION_TABLE: data.accreditation.tableName },
    });
    grantTableAccess(rsvp, rsvp.handlerName, this.table, dataKey);
    data.grantAccreditationWrite(rsvp);
    grantSecretRead(rsvp, appSecret, dataKey);
    const rsvpRoutes = this.api.addRoutes({ path: '/rsvp/{token}', methods: [HttpMethod.GET, HttpMethod.POST], integration: new HttpLambdaIntegration('RsvpIntegration', rsvp) });
    for (const r of rsvpRoutes)
      Validations.of(r).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Invitee routes are authorized by the unguessable RSVP token in the path (only its hash is stored); invitees have no accounts.',
      });

    // reminders
    new Communications(this, 'Communications', {
      api: this.api,
      access,
      table: this.table,
      dataKey,
      appSecret,
      data,
      emailQueue: workflow.queues.email.queue,
      opsTopic: workflow.opsTopic,
      configurationSetName: workflow.configurationSetName,
      publicBaseUrl,
      logLevel: settings.logLevel,
    });

    if (props.seedEvent) this.seed(props.seedEvent, common, settings.logLevel, dataKey);

    // The outbox's readers deploy first: CloudFormation updates a resource after those it depends on,
    // so a record in a shape a new writer brings never meets a dispatcher or sweeper that cannot read
    // it (it would fail into the stream's DLQ and page ops, until the sweep delivered it).
    // Only the functions themselves are ordered; roles, policies and log groups still update in parallel.
    const readerFunctions = workflow.outboxReaders.map((fn) => fn.node.defaultChild as CfnFunction);
    for (const fn of this.node.findAll()) {
      if (fn instanceof AppFunction && !workflow.outboxReaders.includes(fn))
        for (const reader of readerFunctions) (fn.node.defaultChild as CfnFunction).addResourceDependency(reader);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AccreditationTableName', { value: data.accreditation.tableName });
    new CfnOutput(this, 'AuditTableName', { value: data.audit.tableName });
    new CfnOutput(this, 'OpsTopicArn', { value: workflow.opsTopic.topicArn, description: 'DLQ and rejected-email alarms; subscribe with -c opsEmail=… or aws sns subscribe' });
    workflow.senderIdentity?.dkimRecords.forEach(
      (record, i) =>
        new CfnOutput(this, `SenderDkimRecord${i + 1}`, {
          value: Fn.join(' ', [record.name, 'CNAME', record.value]),
          description: 'Easy DKIM: publish as a CNAME in the sender domain',
        }),
    );
  }

  /** The event definition written at deploy by a custom resource (Provider framework → λ seed-event). */
  private seed(seedEvent: string, environment: Record<string, string>, logLevel: string, dataKey: Key) {
    const seeder = new AppFunction(this, 'SeedEvent', { handler: 'seed-event', logLevel: logLevel, environment, timeout: Duration.minutes(1) });
    grantTableAccess(seeder, seeder.handlerName, this.table, dataKey);
    const seedProvider = new Provider(this, 'SeedProvider', {
      onEventHandler: seeder,
      logGroup: new LogGroup(this, 'SeedProviderLogs', { retention: RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY }),
    });
    Validations.of(seedProvider).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.resolve(this.getLogicalId(seeder.node.defaultChild as CfnFunction))}.Arn>:*]`,
      reason: 'The Provider framework may invoke every version of the seed function (<fn>.Arn:*), nothing else.',
    });
    Validations.of(seedProvider).acknowledge({
      id: `AwsSolutions-IAM4[${BASIC_EXECUTION}]`,
      reason: 'The Provider framework function only writes its own logs (AWSLambdaBasicExecutionRole).',
    });
    Validations.of(seedProvider).acknowledge({ id: 'AwsSolutions-L1', reason: 'The Provider framework picks its own runtime; CDK upgrades it.' });
    new CustomResource(this, 'SummitSeed', { serviceToken: seedProvider.serviceToken, resourceType: 'Custom::CumbreEventSeed', properties: { Event: seedEvent } });
  }
}

const pascal = (kebab: string) => kebab.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
