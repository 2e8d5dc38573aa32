import { App, Stack } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../functions/domain/access/roles.js';
import { buildApp } from '../../lib/app.js';
import { OrganizerAccess } from '../../lib/constructs/organizer-access.js';

const context = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<string, unknown>;
type Resource = { Type: string; Properties: Record<string, any> };
type Template = { Resources: Record<string, Resource>; Outputs: Record<string, { Value: any }> };

let template: Template;
beforeAll(() => {
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = buildApp(app);
  template = app.synth().getStackByName(stack.stackName).template as Template;
});

const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const handlerOf = (t: Template, fnId: string) => String(t.Resources[fnId].Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).replace(/^cumbre-/, '');

/** Every route behind the JWT authorizer, with the roles its function's ROUTE_ROLES declares for it (or why none). */
export const declaredRoles = (t: Template) =>
  ofType(t, 'AWS::ApiGatewayV2::Route')
    .filter(([, r]) => r.Properties.AuthorizationType === 'JWT')
    .map(([, r]) => {
      const routeKey = r.Properties.RouteKey as string;
      const integrationId = String(r.Properties.Target['Fn::Join'][1][1].Ref);
      const fnId = t.Resources[integrationId].Properties.IntegrationUri['Fn::GetAtt'][0] as string;
      const raw = t.Resources[fnId].Properties.Environment?.Variables?.ROUTE_ROLES;
      const roles = raw ? (JSON.parse(raw) as Record<string, string[]>)[routeKey] : undefined;
      return { routeKey, fnId, roles };
    });

describe('roles on organizer routes', () => {
  it('declares roles for every route behind the JWT authorizer, in the function that serves it', () => {
    const routes = declaredRoles(template);
    expect(routes.length).toBeGreaterThanOrEqual(17);
    const undeclared = routes.filter((r) => !r.roles?.length).map((r) => r.routeKey);
    expect(undeclared).toEqual([]);
    for (const r of routes) for (const role of r.roles!) expect(ROLES).toContain(role);
    // …and no function carries roles for a route that does not reach it.
    for (const [fnId, fn] of ofType(template, 'AWS::Lambda::Function')) {
      const raw = fn.Properties.Environment?.Variables?.ROUTE_ROLES;
      if (!raw) continue;
      expect(Object.keys(JSON.parse(raw)).sort()).toEqual(
        routes
          .filter((r) => r.fnId === fnId)
          .map((r) => r.routeKey)
          .sort(),
      );
    }
  });

  it('finds a JWT route added without declared roles', () => {
    const tampered = structuredClone(template);
    const [, someRoute] = ofType(tampered, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.AuthorizationType === 'JWT')!;
    tampered.Resources.SneakyRoute = { Type: 'AWS::ApiGatewayV2::Route', Properties: { ...someRoute.Properties, RouteKey: 'GET /events/{eventId}/sneaky' } };
    expect(
      declaredRoles(tampered)
        .filter((r) => !r.roles?.length)
        .map((r) => r.routeKey),
    ).toEqual(['GET /events/{eventId}/sneaky']);
  });

  it('fails the synth for a table entry without roles, or one no function serves', () => {
    const make = (routes: Record<string, { handler: string; roles: never[] | ['admin'] }>, serve: boolean) => {
      const app = new App();
      const stack = new Stack(app, 'RolesCheck');
      const api = new HttpApi(stack, 'Api');
      const access = new OrganizerAccess(stack, 'Access', { api, authorizer: new HttpJwtAuthorizer('Jwt', 'https://issuer.example', { jwtAudience: ['a'] }), routes });
      if (serve) access.serve('x', new LambdaFunction(stack, 'Fn', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler=()=>{}') }));
      return app.synth();
    };
    expect(() => make({ 'GET /x': { handler: 'x', roles: [] } }, true)).toThrow(/GET \/x declares no roles/);
    expect(() => make({ 'GET /x': { handler: 'x', roles: ['admin'] } }, false)).toThrow(/GET \/x is in the table but no function serves it/);
    expect(() => make({ 'GET /x': { handler: 'x', roles: ['admin'] } }, true)).not.toThrow();
  });
});

/** IAM policy statements per function, with the function's handler name. */
const statementsByHandler = (t: Template) => {
  const roleToHandler = new Map<string, string>();
  for (const [fnId, fn] of ofType(t, 'AWS::Lambda::Function')) {
    const role = fn.Properties.Role?.['Fn::GetAtt']?.[0];
    if (role) roleToHandler.set(role, fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME ? handlerOf(t, fnId) : fnId);
  }
  return ofType(t, 'AWS::IAM::Policy').flatMap(([, p]) =>
    (p.Properties.Roles as Array<{ Ref: string }>).flatMap((r) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Effect: string; Action: string | string[]; Resource: unknown }>).map((s) => ({
        who: roleToHandler.get(r.Ref) ?? r.Ref,
        ...s,
        Action: [s.Action].flat(),
      })),
    ),
  );
};
const matches = (pattern: string, action: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);
const touches = (resource: unknown, logicalId: string) => JSON.stringify(resource) === '"*"' || JSON.stringify(resource).includes(`"${logicalId}"`);
const grantees = (t: Template, logicalId: string, actions: string[]) =>
  [
    ...new Set(
      statementsByHandler(t)
        .filter((s) => s.Effect === 'Allow' && touches(s.Resource, logicalId) && s.Action.some((a) => actions.some((x) => matches(a, x))))
        .map((s) => s.who),
    ),
  ].sort();

const DYNAMO_READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PartiQLSelect', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
const DYNAMO_CHANGES = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:DeleteTable',
  'dynamodb:UpdateTable',
];

describe('accreditation data and the audit trail, from the synthesized IAM policies', () => {
  const ref = (output: string) => (template.Outputs[output].Value as { Ref: string }).Ref;
  const keyOf = (tableId: string) => template.Resources[tableId].Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0] as string;

  it('lets only the accreditation function read accreditation data, and the RSVP functions (the invitee’s and the organizer’s on their behalf) only put or delete it', () => {
    const table = ref('AccreditationTableName');
    expect(grantees(template, table, DYNAMO_READS)).toEqual(['export-accreditation']);
    expect(grantees(template, table, ['dynamodb:PutItem'])).toEqual(['invitation-admin', 'rsvp']);
    // Declining the sessions that need it deletes it in the answer's own transaction; so do a revocation and a replacement.
    expect(grantees(template, table, ['dynamodb:DeleteItem'])).toEqual(['invitation-admin', 'rsvp']);
    expect(
      grantees(
        template,
        table,
        DYNAMO_CHANGES.filter((a) => a !== 'dynamodb:DeleteItem'),
      ),
    ).toEqual(['export-accreditation']);
    // Its own key: only those two may use it, so a copy elsewhere would be unreadable.
    const key = keyOf(table);
    expect(key).not.toBe(keyOf(ref('TableName')));
    expect(grantees(template, key, ['kms:Decrypt'])).toEqual(['export-accreditation', 'invitation-admin', 'rsvp']);
    // The main table no longer holds it: its stream and every other function never see an ID number.
    expect(template.Resources[table].Properties.StreamSpecification).toBeUndefined();
  });

  it('lets no function change or delete an audit record', () => {
    const table = ref('AuditTableName');
    expect(grantees(template, table, DYNAMO_CHANGES)).toEqual([]);
    expect(grantees(template, table, ['dynamodb:PutItem'])).toEqual(['export-accreditation', 'import-invitations', 'invitation-admin', 'invitation-detail', 'messages', 'people']);
    expect(grantees(template, table, DYNAMO_READS)).toEqual(['audit-trail', 'invitation-detail', 'people']);
  });

  it('finds a reader that should not be there', () => {
    const tampered = structuredClone(template);
    const table = (tampered.Outputs.AccreditationTableName.Value as { Ref: string }).Ref;
    const [, policy] = ofType(tampered, 'AWS::IAM::Policy').find(([, p]) => JSON.stringify(p).includes('dynamodb:Query'))!;
    policy.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: 'dynamodb:*', Resource: { 'Fn::GetAtt': [table, 'Arn'] } });
    expect(grantees(tampered, table, DYNAMO_READS).length).toBeGreaterThan(1);
  });
});
