import { createHash } from 'node:crypto';
import type { Bootstrap } from '../bootstrap/contract.js';
import type { Services } from '../emulators/start-all.js';
import { evaluateCondition, references, resolve, type PhysicalResource, type ResolveContext } from '../intrinsics.js';
import type { Lifecycle } from '../lifecycle.js';
import { UnsupportedTemplateError, type Settings } from '../options.js';
import {
  bucketName,
  createBucket,
  createQueue,
  createSecret,
  createTable,
  createTopic,
  createUserPool,
  createUserPoolClient,
  createUserPoolGroup,
  physicalName,
  placeholder,
  type ResourceEnv,
} from '../resources.js';
import type { StateStore } from '../state.js';
import { isCustomResourceType, supportFor, unknownResourceTypes } from '../support.js';
import { dependsOn, shortName, type CfnResource, type CfnTemplate, text } from '../template.js';
import { restoreBucket } from './buckets.js';
import { invokeCustomResource, type CustomResourceOutcome } from './custom-resources.js';
import { FunctionRegistry } from './functions.js';

/** CloudFormation's creation order: a resource after everything it references or depends on. */
export const creationOrder = (resources: Record<string, CfnResource>): string[] => {
  const ids = Object.keys(resources);
  const deps = new Map(ids.map((id) => [id, [...references(resources[id].Properties ?? {}), ...dependsOn(resources[id])].filter((d) => d in resources && d !== id)]));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new UnsupportedTemplateError(`circular dependency: ${[...trail, id].join(' → ')}`);
    state.set(id, 'visiting');
    for (const d of deps.get(id)!) visit(d, [...trail, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of ids) visit(id, []);
  return order;
};

/** The stack as it runs locally: every resource's local value, and what the later phases need. */
export interface Provisioned {
  /** The template's resources whose conditions hold. */
  active: Record<string, CfnResource>;
  physical: Map<string, PhysicalResource>;
  ctx: ResolveContext;
  functions: FunctionRegistry;
  customResources: CustomResourceOutcome[];
  /** Resolved properties of a resource. */
  props(id: string): Record<string, unknown>;
  /** Logical ids of a type, in template order. */
  ofType(type: string): string[];
}

interface Deps {
  s: Settings;
  svc: Services;
  store: StateStore;
  life: Lifecycle;
  bootstrap: Bootstrap;
}

type Creator = (id: string, r: CfnResource, p: Provisioned) => Promise<PhysicalResource> | PhysicalResource;

const localId = (id: string): PhysicalResource => ({
  ref: `${shortName(id).toLowerCase()}${createHash('sha256').update(id).digest('hex').slice(0, 6)}`,
  attributes: { AuthorizerId: id, Id: id },
});

/** How each emulated type is created; everything else is a custom resource or a placeholder. */
const creators = (d: Deps, env: ResourceEnv): Record<string, Creator> => {
  const { svc, store, s } = d;
  const { dynamo, cognito } = svc.clients;
  return {
    'AWS::DynamoDB::Table': async (id, _r, p) => {
      const t = await createTable(dynamo, env, id, p.props(id) as never);
      s.log.debug('dynamodb', `${t.created ? 'created' : 'found'} table ${t.ref}`);
      return t;
    },
    'AWS::SQS::Queue': (id, _r, p) => createQueue(svc.fauxqs, env, id, p.props(id)),
    'AWS::S3::Bucket': async (id, _r, p) => {
      const name = bucketName(env, id, p.props(id));
      const bucket = createBucket(svc.fauxqs, env, name);
      await restoreBucket(name, svc.fauxqs.buckets, svc.clients.s3, s.log);
      return bucket;
    },
    'AWS::SNS::Topic': (id, _r, p) => createTopic(svc.fauxqs, env, id, p.props(id)),
    'AWS::SNS::Subscription': (id, _r, p) => subscribe(d, id, p.props(id)),
    'AWS::SecretsManager::Secret': (id, _r, p) => createSecret(svc.secrets, env, id, p.props(id)),
    'AWS::Cognito::UserPool': (id, _r, p) => createUserPool(cognito, store.state.cognito, env, id, p.props(id)),
    'AWS::Cognito::UserPoolClient': (id, _r, p) => createUserPoolClient(cognito, store.state.cognito, id, p.props(id)),
    'AWS::Cognito::UserPoolGroup': (id, _r, p) => createUserPoolGroup(cognito, env, id, p.props(id)),
    'AWS::Lambda::Function': (id, r, p) => p.functions.create(id, r, p.ctx),
    'AWS::ApiGatewayV2::Api': (id) => ({ ref: `local${createHash('sha256').update(id).digest('hex').slice(0, 6)}`, attributes: { ApiEndpoint: svc.gateway.baseUrl, ApiId: id } }),
    'AWS::ApiGatewayV2::Stage': (_id, r) => ({ ref: text((r.Properties ?? {}).StageName, '$default'), attributes: {} }),
    'AWS::ApiGatewayV2::Integration': localId,
    'AWS::ApiGatewayV2::Route': localId,
    'AWS::ApiGatewayV2::Authorizer': localId,
    'AWS::Lambda::EventSourceMapping': localId,
    'AWS::Events::Rule': (id) => ({ ref: physicalName(env, id, 64), attributes: { Arn: `arn:aws:events:${s.region}:${s.accountId}:rule/${physicalName(env, id, 64)}` } }),
    'AWS::SES::ConfigurationSet': (id, r) => ({ ref: text((r.Properties ?? {}).Name, physicalName(env, id, 64)), attributes: {} }),
  };
};

/** An SNS subscription: SQS endpoints deliver through fauxqs, other protocols receive nothing locally. */
const subscribe = (d: Deps, id: string, p: Record<string, unknown>): PhysicalResource => {
  const arn = `${String(p.TopicArn)}:${createHash('sha256').update(id).digest('hex').slice(0, 8)}`;
  if (p.Protocol === 'sqs') {
    const attributes: Record<string, string> = {};
    if (p.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = text(p.RawMessageDelivery);
    if (p.FilterPolicy !== undefined) attributes.FilterPolicy = typeof p.FilterPolicy === 'string' ? p.FilterPolicy : JSON.stringify(p.FilterPolicy);
    if (p.FilterPolicyScope !== undefined) attributes.FilterPolicyScope = text(p.FilterPolicyScope);
    const lastPart = (a: unknown) => String(a).split(':').pop()!;
    d.svc.fauxqs.server.subscribe({ topic: lastPart(p.TopicArn), queue: lastPart(p.Endpoint), region: d.s.region, attributes });
  } else {
    d.s.log.debug('sns', `${id}: ${String(p.Protocol)} subscription receives nothing locally`);
  }
  return { ref: arn, attributes: { Arn: arn } };
};

/** The resources whose conditions hold; an unknown type stops start-up by name. */
const activeResources = (template: CfnTemplate, ctx: ResolveContext): Record<string, CfnResource> => {
  const active = Object.fromEntries(Object.entries(template.Resources).filter(([, r]) => !r.Condition || evaluateCondition(r.Condition, ctx)));
  const unknown = unknownResourceTypes({ ...template, Resources: active });
  if (unknown.length) {
    throw new UnsupportedTemplateError(
      `the template has resource types the local cloud does not know: ${unknown.join(', ')}. Emulate them in local/ or list them with a reason in local/support.ts.`,
    );
  }
  return active;
};

/** Creates (or, on a later start, finds) every resource of the template, in dependency order. */
export const provisionResources = async (template: CfnTemplate, d: Deps): Promise<Provisioned> => {
  const { s, svc, life } = d;
  const env: ResourceEnv = { region: s.region, accountId: s.accountId, stackName: s.stackName };
  const physical = new Map<string, PhysicalResource>();
  const ctx: ResolveContext = { template, region: s.region, accountId: s.accountId, stackName: s.stackName, physical: (id) => physical.get(id) };
  const active = activeResources(template, ctx);
  const p: Provisioned = {
    active,
    physical,
    ctx,
    functions: new FunctionRegistry(s, svc, life),
    customResources: [],
    props: (id) => resolve<Record<string, unknown>>(active[id].Properties ?? {}, ctx, `Resources.${id}.Properties`),
    ofType: (type) => Object.keys(active).filter((id) => active[id].Type === type),
  };
  const create = creators(d, env);
  for (const id of creationOrder(active)) {
    life.checkAborted();
    const r = active[id];
    const began = Date.now();
    physical.set(id, await createOne(id, r, p, create, d));
    if (Date.now() - began > 100) s.log.debug('cumbre', `${r.Type} ${id}: ${Date.now() - began} ms`);
  }
  return p;
};

const createOne = async (id: string, r: CfnResource, p: Provisioned, create: Record<string, Creator>, d: Deps): Promise<PhysicalResource> => {
  const creator = create[r.Type];
  if (creator) return creator(id, r, p);
  if (isCustomResourceType(r.Type)) {
    const { outcome, ...value } = await invokeCustomResource(id, r, { s: d.s, ctx: p.ctx, functions: p.functions, store: d.store, bootstrap: d.bootstrap });
    p.customResources.push(outcome);
    return value;
  }
  const support = supportFor(r.Type);
  if (!support || support.emulated) throw new UnsupportedTemplateError(`${r.Type} ${id} is listed as emulated but nothing creates it`);
  return placeholder(env(d), id, support, r.Properties ?? {});
};

const env = (d: Deps): ResourceEnv => ({ region: d.s.region, accountId: d.s.accountId, stackName: d.s.stackName });
