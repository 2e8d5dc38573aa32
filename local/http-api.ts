import type { Services } from './emulators/start-all.js';
import type { CorsConfig, GatewayRoute, Throttle } from './gateway.js';
import { JwtVerifier } from './jwt.js';
import { UnsupportedTemplateError, type Settings } from './options.js';
import type { Provisioned } from './provision/index.js';
import type { StateStore } from './state.js';
import { text } from './template.js';

/** What tests and scripts need to sign in against the authorizer's user pool. */
export interface AuthorizerInfo {
  userPoolId?: string;
  clientId?: string;
  issuer?: string;
}

interface Deps {
  s: Settings;
  svc: Services;
  store: StateStore;
  p: Provisioned;
}

/** Extracts a function ARN from an integration URI (plain ARN or the apigateway lambda path form). */
const functionArnFrom = (uri: string): string => {
  const m = /functions\/(arn:aws:lambda:[^/]+)\/invocations/.exec(uri);
  return m ? m[1] : uri;
};

const byRef = (p: Provisioned, type: string, ref: string) => p.ofType(type).find((id) => p.physical.get(id)?.ref === ref);

/** A JWT authorizer, its template issuer mapped to the local user pool that stands for it. */
const jwtAuthorizer = (d: Deps, authId: string, info: AuthorizerInfo): JwtVerifier => {
  const ap = d.p.props(authId);
  const jwt = ap.JwtConfiguration as { Issuer: string; Audience: string[] };
  const identity = (ap.IdentitySource as string[] | undefined) ?? [];
  if (ap.AuthorizerType !== 'JWT' || !identity.some((s) => s.toLowerCase() === '$request.header.authorization')) {
    throw new UnsupportedTemplateError(`authorizer ${authId}: only JWT authorizers reading $request.header.Authorization are emulated`);
  }
  const poolId = /^https:\/\/cognito-idp\.[^.]+\.amazonaws\.com\/(.+)$/.exec(jwt.Issuer)?.[1];
  if (!poolId || !Object.values(d.store.state.cognito.pools).includes(poolId)) {
    throw new UnsupportedTemplateError(`authorizer ${authId}: issuer ${jwt.Issuer} is not a user pool of this stack`);
  }
  const issuer = `${d.svc.cognitoLocal.url}/${poolId}`;
  Object.assign(info, { userPoolId: poolId, clientId: jwt.Audience[0], issuer });
  d.s.log.debug('gateway', `authorizer ${authId}: ${jwt.Issuer} → ${issuer}`);
  return new JwtVerifier({ issuer, audience: jwt.Audience, jwksUri: `${issuer}/.well-known/jwks.json` });
};

/** One `AWS::ApiGatewayV2::Route`: its Lambda proxy integration and its authorizer. */
const routeFrom = (d: Deps, id: string, verifiers: Map<string, JwtVerifier>, info: AuthorizerInfo): GatewayRoute => {
  const { p } = d;
  const props = p.props(id);
  const routeKey = String(props.RouteKey);
  const target = text(props.Target, '');
  const integration = byRef(p, 'AWS::ApiGatewayV2::Integration', target.replace(/^integrations\//, ''));
  if (!integration) throw new UnsupportedTemplateError(`route ${routeKey} (${id}): target ${target} is not an integration of this stack`);
  const ip = p.props(integration);
  if (ip.IntegrationType !== 'AWS_PROXY') throw new UnsupportedTemplateError(`route ${routeKey}: integration type ${String(ip.IntegrationType)} is not emulated (AWS_PROXY is)`);
  const payload = text(ip.PayloadFormatVersion, '1.0');
  if (payload !== '2.0') throw new UnsupportedTemplateError(`route ${routeKey}: payload format ${payload} is not emulated (2.0 is)`);
  const fn = p.functions.target(functionArnFrom(String(ip.IntegrationUri)), `route ${routeKey}`);
  const authType = text(props.AuthorizationType, 'NONE');
  if (authType !== 'NONE' && authType !== 'JWT') throw new UnsupportedTemplateError(`route ${routeKey}: authorization type ${authType} is not emulated (NONE and JWT are)`);
  let authorizer: JwtVerifier | undefined;
  if (authType === 'JWT') {
    const authorizerId = String(props.AuthorizerId);
    const auth = byRef(p, 'AWS::ApiGatewayV2::Authorizer', authorizerId);
    if (!auth) throw new UnsupportedTemplateError(`route ${routeKey}: authorizer ${authorizerId} is not in this stack`);
    authorizer = verifiers.get(auth) ?? jwtAuthorizer(d, auth, info);
    verifiers.set(auth, authorizer);
  }
  return { routeKey, fn, authorizer, scopes: (props.AuthorizationScopes as string[] | undefined) ?? undefined };
};

type RouteSettings = { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number };
const throttleOf = (r: RouteSettings | undefined): Throttle | undefined =>
  r?.ThrottlingRateLimit !== undefined ? { rateLimit: r.ThrottlingRateLimit, burstLimit: r.ThrottlingBurstLimit ?? r.ThrottlingRateLimit } : undefined;

/** The `$default` stage's throttling, per route where RouteSettings override it. */
const stageThrottling = (p: Provisioned, routes: GatewayRoute[]): Throttle | undefined => {
  const stage = p.ofType('AWS::ApiGatewayV2::Stage')[0];
  const stageProps = stage ? p.props(stage) : {};
  for (const [routeKey, settings] of Object.entries((stageProps.RouteSettings ?? {}) as Record<string, RouteSettings>)) {
    const route = routes.find((r) => r.routeKey === routeKey);
    if (!route) throw new UnsupportedTemplateError(`stage ${stage}: RouteSettings for ${routeKey}, which is not a route`);
    route.throttle = throttleOf(settings) ?? route.throttle;
  }
  return throttleOf(stageProps.DefaultRouteSettings as RouteSettings | undefined);
};

/** Serves the template's HTTP API (one at most) on the gateway. */
export const configureHttpApi = (d: Deps): { routes: GatewayRoute[]; cognito: AuthorizerInfo } => {
  const { p, svc } = d;
  const apis = p.ofType('AWS::ApiGatewayV2::Api');
  if (apis.length > 1) throw new UnsupportedTemplateError(`the local gateway serves one HTTP API; the template has ${apis.join(', ')}`);
  const info: AuthorizerInfo = {};
  if (apis.length === 0) {
    svc.gateway.configure([]);
    return { routes: [], cognito: info };
  }
  const apiId = apis[0];
  const apiProps = p.props(apiId);
  if (apiProps.ProtocolType !== 'HTTP') throw new UnsupportedTemplateError(`${apiId}: only HTTP APIs are emulated (ProtocolType ${String(apiProps.ProtocolType)})`);
  const verifiers = new Map<string, JwtVerifier>();
  const routes = p.ofType('AWS::ApiGatewayV2::Route').map((id) => routeFrom(d, id, verifiers, info));
  const throttle = stageThrottling(p, routes);
  svc.gateway.configure(routes, { apiId: p.physical.get(apiId)!.ref, cors: apiProps.CorsConfiguration as CorsConfig | undefined, throttle });
  return { routes, cognito: info };
};
