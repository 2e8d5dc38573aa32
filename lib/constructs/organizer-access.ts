import { HttpMethod, type HttpApi, type HttpRoute, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { Role } from '../../functions/domain/access/roles.js';
import { ORGANIZER_ROUTES, routeRolesFor } from '../../functions/domain/access/organizer-routes.js';

export type OrganizerRouteTable = Record<string, { handler: string; roles: readonly Role[] }>;

export interface OrganizerAccessProps {
  api: HttpApi;
  authorizer: IHttpRouteAuthorizer;
  /** The table of organizer routes; `ORGANIZER_ROUTES` unless a test passes its own. */
  routes?: OrganizerRouteTable;
}

/**
 * Adds organizer routes from the one table: each with the JWT authorizer, each function told the
 * roles its routes admit (`ROUTE_ROLES`). A table entry without roles, or one no function serves,
 * fails the synth.
 */
export class OrganizerAccess extends Construct {
  private readonly routes: OrganizerRouteTable;
  private readonly served = new Set<string>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: OrganizerAccessProps,
  ) {
    super(scope, id);
    this.routes = props.routes ?? ORGANIZER_ROUTES;
    for (const [key, r] of Object.entries(this.routes)) if (!r.roles.length) throw new Error(`Organizer route ${key} declares no roles`);
    this.node.addValidation({
      validate: () =>
        Object.keys(this.routes)
          .filter((k) => !this.served.has(k))
          .map((k) => `Organizer route ${k} is in the table but no function serves it`),
    });
  }

  /** Every route of the table served by `handler`, on `fn`; returns the routes made. */
  serve(handler: string, fn: LambdaFunction, integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn)): HttpRoute[] {
    const mine = Object.entries(this.routes).filter(([, r]) => r.handler === handler);
    if (!mine.length) throw new Error(`No organizer route in the table is served by ${handler}`);
    fn.addEnvironment('ROUTE_ROLES', JSON.stringify(routeRolesFor(handler, this.routes)));
    return mine.flatMap(([key]) => {
      this.served.add(key);
      const [method, path] = key.split(' ') as [HttpMethod, string];
      return this.props.api.addRoutes({ path, methods: [method], integration, authorizer: this.props.authorizer });
    });
  }
}
