import { createHash, randomUUID } from 'node:crypto';
import type { Bootstrap } from '../bootstrap/contract.js';
import { resolve, type PhysicalResource, type ResolveContext } from '../intrinsics.js';
import { UnsupportedTemplateError, type Settings } from '../options.js';
import type { StateStore } from '../state.js';
import type { CfnResource } from '../template.js';
import type { FunctionRegistry } from './functions.js';
import { text } from '../template.js';

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** A custom resource as it stands after this start: what the bootstrap reads its seed data from. */
export interface CustomResourceOutcome {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
}

type Request = Record<string, unknown> & { RequestType: string; RequestId: string };

/** Polls the Provider framework's isComplete function, as the framework's waiter does. */
const waitUntilComplete = async (isComplete: ReturnType<FunctionRegistry['target']>, id: string, request: Request, physicalResourceId: string, data: Record<string, unknown>) => {
  for (let i = 0; ; i++) {
    const check = await isComplete.invoke({ ...request, PhysicalResourceId: physicalResourceId, Data: data });
    if (!check.ok) throw new Error(`custom resource ${id} isComplete failed: ${check.error.errorMessage}`);
    const c = (check.result ?? {}) as { IsComplete?: boolean; Data?: Record<string, unknown> };
    if (c.IsComplete) return { ...data, ...(c.Data ?? {}) };
    if (i > 120) throw new Error(`custom resource ${id} did not complete within 2 minutes`);
    await new Promise((r) => setTimeout(r, 1000));
  }
};

/**
 * A CDK Provider framework custom resource: its user onEvent function gets a CloudFormation
 * `Create` on first start, `Update` when its properties change, nothing otherwise.
 */
export const invokeCustomResource = async (
  id: string,
  r: CfnResource,
  deps: { s: Settings; ctx: ResolveContext; functions: FunctionRegistry; store: StateStore; bootstrap: Bootstrap },
): Promise<PhysicalResource & { outcome: CustomResourceOutcome }> => {
  const { s, ctx, functions, store, bootstrap } = deps;
  const props = resolve<Record<string, unknown>>(r.Properties ?? {}, ctx, `Resources.${id}.Properties`);
  const token = text(props.ServiceToken, '');
  const provider = functions.byArnOnly(token);
  if (!provider) throw new UnsupportedTemplateError(`custom resource ${id} (${r.Type}): ServiceToken ${token} is not a Lambda function of this stack`);
  const userArn = provider.def.environment.USER_ON_EVENT_FUNCTION_ARN;
  if (!userArn) throw new UnsupportedTemplateError(`custom resource ${id} (${r.Type}) is not backed by the CDK Provider framework (no USER_ON_EVENT_FUNCTION_ARN)`);
  const onEvent = functions.target(userArn, `custom resource ${id}`);
  const isCompleteArn = provider.def.environment.USER_IS_COMPLETE_FUNCTION_ARN;
  const propertiesHash = hashOf(props);
  const previous = store.state.customResources[id];
  if (previous && previous.propertiesHash === propertiesHash) {
    return { ref: previous.physicalResourceId, attributes: previous.data, outcome: { logicalId: id, type: r.Type, properties: previous.properties } };
  }
  const properties = bootstrap.customResourceProperties?.({ logicalId: id, type: r.Type, properties: props }, s.log) ?? props;
  const request: Request = {
    RequestType: previous ? 'Update' : 'Create',
    ServiceToken: token,
    ResponseURL: 'http://localhost/local-cloud-does-not-use-this',
    StackId: `arn:aws:cloudformation:${s.region}:${s.accountId}:stack/${s.stackName}/local`,
    RequestId: randomUUID(),
    LogicalResourceId: id,
    ResourceType: r.Type,
    ResourceProperties: properties,
    ...(previous ? { PhysicalResourceId: previous.physicalResourceId, OldResourceProperties: previous.properties } : {}),
  };
  const outcome = await onEvent.invoke(request);
  if (!outcome.ok) throw new Error(`custom resource ${id} (${r.Type}) failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
  const response = (outcome.result ?? {}) as { PhysicalResourceId?: string; Data?: Record<string, unknown> };
  const physicalResourceId = response.PhysicalResourceId ?? previous?.physicalResourceId ?? request.RequestId;
  let data = response.Data ?? {};
  if (isCompleteArn) data = await waitUntilComplete(functions.target(isCompleteArn, `custom resource ${id}`), id, request, physicalResourceId, data);
  store.state.customResources[id] = { propertiesHash, physicalResourceId, data, properties };
  await store.save();
  s.log.info('seed', `${r.Type} ${id}: ${request.RequestType} done`);
  return { ref: physicalResourceId, attributes: data, outcome: { logicalId: id, type: r.Type, properties } };
};
