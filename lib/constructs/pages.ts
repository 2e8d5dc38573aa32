import { Validations } from 'aws-cdk-lib';
import { HttpMethod, type HttpApi, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { grantSecretRead, grantTableAccess } from './access.js';
import { AppFunction } from './app-function.js';
import type { OrganizerAccess } from './organizer-access.js';
import { ADMIN_APP, CHECKIN_APP, CHECKIN_SW } from './browser-bundle.js';

export interface PagesRoutesProps {
  api: HttpApi;
  table: ITable;
  /** The table's key (granted through DynamoDB only). */
  dataKey: IKey;
  userPool: IUserPool;
  userPoolClient: IUserPoolClient;
  logLevel?: string;
  /** Organizer routes with their roles (the attendees export). */
  access: OrganizerAccess;
  /** Seals the access token between the two steps of MFA enrolment. */
  appSecret: ISecret;
}

/**
 * The organizers' dashboard: its public shell and static files (`GET /admin`, `GET /admin/{asset}`),
 * the door staff's check-in page (`GET /checkin`, `GET /checkin/{asset}`),
 * the sign-in exchange (`POST /admin/session`) and the attendees export
 * (`GET /events/{eventId}/attendees.csv`, organizer JWT). The invitee pages are served by the rsvp
 * function itself, on `/rsvp/{token}`.
 */
export class PagesRoutes extends Construct {
  readonly adminPage: AppFunction;
  readonly adminSession: AppFunction;
  /** `POST /admin/session`, for the stage's stricter throttling of sign-in. */
  readonly signInRoutes: HttpRoute[];
  readonly exportAttendees: AppFunction;

  constructor(scope: Construct, id: string, props: PagesRoutesProps) {
    super(scope, id);
    const { api, table, userPoolClient, logLevel, access, appSecret } = props;

    this.adminPage = new AppFunction(this, 'AdminPage', {
      handler: 'admin-page',
      logLevel,
      browserBundles: [ADMIN_APP, CHECKIN_APP, CHECKIN_SW],
    });
    const pageIntegration = new HttpLambdaIntegration('AdminPageIntegration', this.adminPage);
    const publicRoutes = [
      ...api.addRoutes({ path: '/admin', methods: [HttpMethod.GET], integration: pageIntegration }),
      ...api.addRoutes({ path: '/admin/{asset}', methods: [HttpMethod.GET], integration: pageIntegration }),
      // check-in: the door staff's page (an installable, offline page; its data comes from the organizer API).
      ...api.addRoutes({ path: '/checkin', methods: [HttpMethod.GET], integration: pageIntegration }),
      ...api.addRoutes({ path: '/checkin/{asset}', methods: [HttpMethod.GET], integration: pageIntegration }),
    ];

    this.adminSession = new AppFunction(this, 'AdminSession', {
      handler: 'admin-session',
      logLevel,
      environment: { USER_POOL_CLIENT_ID: userPoolClient.userPoolClientId, SECRET_ARN: appSecret.secretArn },
    });
    grantSecretRead(this.adminSession, appSecret, props.dataKey);
    this.signInRoutes = api.addRoutes({ path: '/admin/session', methods: [HttpMethod.POST], integration: new HttpLambdaIntegration('AdminSessionIntegration', this.adminSession) });
    publicRoutes.push(...this.signInRoutes);
    for (const route of publicRoutes)
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'The dashboard shell and its static files hold no data, and sign-in is how an organizer gets a token; every data route behind them requires the organizer JWT.',
      });

    this.exportAttendees = new AppFunction(this, 'ExportAttendees', { handler: 'admin-export-attendees', logLevel, environment: { TABLE_NAME: table.tableName } });
    grantTableAccess(this.exportAttendees, this.exportAttendees.handlerName, table, props.dataKey);
    access.serve('admin-export-attendees', this.exportAttendees, new HttpLambdaIntegration('ExportAttendeesIntegration', this.exportAttendees));
  }
}
