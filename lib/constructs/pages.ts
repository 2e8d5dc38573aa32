import { Stack, Validations } from 'aws-cdk-lib';
import { HttpMethod, type HttpApi, type HttpRoute, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { grantTableAccess } from './access.js';
import { AppFunction } from './app-function.js';
import { ADMIN_APP } from './browser-bundle.js';

export interface PagesRoutesProps {
  api: HttpApi;
  table: ITable;
  /** The table's key (granted through DynamoDB only). */
  dataKey: IKey;
  userPool: IUserPool;
  userPoolClient: IUserPoolClient;
  logLevel?: string;
  /** The organizers' JWT authorizer, if the stack already has one; otherwise one is made from the pool. */
  organizerAuthorizer?: IHttpRouteAuthorizer;
}

/**
 * The organizers' dashboard: its public shell and static files (`GET /admin`, `GET /admin/{asset}`),
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
    const { api, table, userPool, userPoolClient, logLevel } = props;
    const authorizer =
      props.organizerAuthorizer ??
      new HttpJwtAuthorizer('PagesOrganizerJwt', `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${userPool.userPoolId}`, {
        jwtAudience: [userPoolClient.userPoolClientId],
      });

    this.adminPage = new AppFunction(this, 'AdminPage', {
      handler: 'admin-page',
      logLevel,
      browserBundles: [ADMIN_APP],
    });
    const pageIntegration = new HttpLambdaIntegration('AdminPageIntegration', this.adminPage);
    const publicRoutes = [
      ...api.addRoutes({ path: '/admin', methods: [HttpMethod.GET], integration: pageIntegration }),
      ...api.addRoutes({ path: '/admin/{asset}', methods: [HttpMethod.GET], integration: pageIntegration }),
    ];

    this.adminSession = new AppFunction(this, 'AdminSession', {
      handler: 'admin-session',
      logLevel,
      environment: { USER_POOL_CLIENT_ID: userPoolClient.userPoolClientId },
    });
    this.signInRoutes = api.addRoutes({ path: '/admin/session', methods: [HttpMethod.POST], integration: new HttpLambdaIntegration('AdminSessionIntegration', this.adminSession) });
    publicRoutes.push(...this.signInRoutes);
    for (const route of publicRoutes)
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'The dashboard shell and its static files hold no data, and sign-in is how an organizer gets a token; every data route behind them requires the organizer JWT.',
      });

    this.exportAttendees = new AppFunction(this, 'ExportAttendees', { handler: 'admin-export-attendees', logLevel, environment: { TABLE_NAME: table.tableName } });
    grantTableAccess(this.exportAttendees, this.exportAttendees.handlerName, table, props.dataKey);
    api.addRoutes({
      path: '/events/{eventId}/attendees.csv',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('ExportAttendeesIntegration', this.exportAttendees),
      authorizer,
    });
  }
}
