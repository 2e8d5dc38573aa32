import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { createHash } from 'node:crypto';
import type { FauxqsEmulator } from './emulators/index.js';
import { generateSecretString, type GenerateSecretString, type SecretsEmulator } from './emulators/secrets.js';
import type { PhysicalResource } from './intrinsics.js';
import { shortName, text } from './template.js';
import type { RESOURCE_SUPPORT } from './support.js';

export interface ResourceEnv {
  region: string;
  accountId: string;
  stackName: string;
}

const hash = (text: string, length = 8) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** A deterministic physical name, so a restart finds the same table, queue and bucket again. */
export const physicalName = (env: ResourceEnv, logicalId: string, maxLength: number): string => {
  const name = `${env.stackName}-${shortName(logicalId)}`;
  return name.length <= maxLength ? name : `${name.slice(0, maxLength - 9)}-${hash(name)}`;
};

// ---------------------------------------------------------------------------------------------
// DynamoDB

interface TableProps {
  TableName?: string;
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  BillingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  GlobalSecondaryIndexes?: Array<{
    IndexName: string;
    KeySchema: TableProps['KeySchema'];
    Projection: GlobalSecondaryIndex['Projection'];
    ProvisionedThroughput?: TableProps['ProvisionedThroughput'];
  }>;
  LocalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: TableProps['KeySchema']; Projection: GlobalSecondaryIndex['Projection'] }>;
  StreamSpecification?: { StreamViewType: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' };
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
}

const describe = async (ddb: DynamoDBClient, name: string): Promise<TableDescription | undefined> => {
  try {
    return (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
};

/**
 * Creates the table as the template declares it, or checks an existing one (a second start) and
 * adds what the template gained since: GSIs, the stream, TTL.
 */
export const createTable = async (ddb: DynamoDBClient, env: ResourceEnv, logicalId: string, p: TableProps): Promise<PhysicalResource & { created: boolean }> => {
  const name = p.TableName ?? physicalName(env, logicalId, 255);
  const billing = p.BillingMode ?? (p.ProvisionedThroughput ? 'PROVISIONED' : 'PAY_PER_REQUEST');
  const gsi = (g: NonNullable<TableProps['GlobalSecondaryIndexes']>[number]): GlobalSecondaryIndex => ({
    IndexName: g.IndexName,
    KeySchema: g.KeySchema,
    Projection: g.Projection,
    ...(billing === 'PROVISIONED' ? { ProvisionedThroughput: g.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } : {}),
  });
  let table = await describe(ddb, name);
  const created = !table;
  if (!table) {
    await ddb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: p.AttributeDefinitions,
        KeySchema: p.KeySchema,
        BillingMode: billing,
        ...(billing === 'PROVISIONED' ? { ProvisionedThroughput: p.ProvisionedThroughput } : {}),
        ...(p.GlobalSecondaryIndexes?.length ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map(gsi) } : {}),
        ...(p.LocalSecondaryIndexes?.length ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes } : {}),
        ...(p.StreamSpecification ? { StreamSpecification: { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType } } : {}),
      }),
    );
  } else {
    const same = JSON.stringify(table.KeySchema) === JSON.stringify(p.KeySchema);
    if (!same) {
      throw new Error(
        `table ${name} exists with key schema ${JSON.stringify(table.KeySchema)}, the template wants ${JSON.stringify(p.KeySchema)}: delete the data dir to start over`,
      );
    }
    const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
    for (const g of p.GlobalSecondaryIndexes ?? []) {
      if (existing.has(g.IndexName)) continue;
      await ddb.send(new UpdateTableCommand({ TableName: name, AttributeDefinitions: p.AttributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: gsi(g) }] }));
    }
    if (p.StreamSpecification && !table.StreamSpecification?.StreamEnabled) {
      await ddb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType } }));
    }
  }
  if (p.TimeToLiveSpecification?.Enabled) {
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await ddb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: p.TimeToLiveSpecification.AttributeName, Enabled: true } }));
    }
  }
  table = (await describe(ddb, name))!;
  return { created, ref: name, attributes: { Arn: table.TableArn, StreamArn: table.LatestStreamArn } };
};

// ---------------------------------------------------------------------------------------------
// SQS, S3, SNS (fauxqs)

const QUEUE_ATTRIBUTES = [
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoQueue',
  'FifoThroughputLimit',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'RedriveAllowPolicy',
  'RedrivePolicy',
  'VisibilityTimeout',
] as const;

export const createQueue = (fauxqs: FauxqsEmulator, env: ResourceEnv, logicalId: string, p: Record<string, unknown>): PhysicalResource => {
  const fifo = p.FifoQueue === true || p.FifoQueue === 'true';
  const name = (p.QueueName as string | undefined) ?? `${physicalName(env, logicalId, fifo ? 75 : 80)}${fifo ? '.fifo' : ''}`;
  const attributes: Record<string, string> = {};
  for (const key of QUEUE_ATTRIBUTES) {
    const v = p[key];
    if (v === undefined) continue;
    attributes[key] = text(v);
  }
  const existing = fauxqs.server.inspectQueue(name);
  const q = existing ? { queueUrl: existing.url, queueArn: existing.arn } : fauxqs.server.createQueue(name, { region: env.region, attributes });
  return { ref: q.queueUrl, attributes: { Arn: q.queueArn, QueueName: name, QueueUrl: q.queueUrl } };
};

export const bucketName = (env: ResourceEnv, logicalId: string, p: Record<string, unknown>): string =>
  (p.BucketName as string | undefined) ??
  physicalName(env, logicalId, 63)
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-');

export const createBucket = (fauxqs: FauxqsEmulator, env: ResourceEnv, name: string): PhysicalResource => {
  fauxqs.server.createBucket(name);
  return {
    ref: name,
    attributes: {
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${env.region}.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.${env.region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${env.region}.amazonaws.com`,
    },
  };
};

export const createTopic = (fauxqs: FauxqsEmulator, env: ResourceEnv, logicalId: string, p: Record<string, unknown>): PhysicalResource => {
  const name = (p.TopicName as string | undefined) ?? physicalName(env, logicalId, 256);
  const { topicArn } = fauxqs.server.createTopic(name, { region: env.region });
  return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
};

// ---------------------------------------------------------------------------------------------
// Secrets Manager

export const createSecret = async (secrets: SecretsEmulator, env: ResourceEnv, logicalId: string, p: Record<string, unknown>): Promise<PhysicalResource> => {
  const name = (p.Name as string | undefined) ?? physicalName(env, logicalId, 256);
  const secret = await secrets.ensure(name, `arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:`, () =>
    typeof p.SecretString === 'string' ? p.SecretString : generateSecretString(p.GenerateSecretString as GenerateSecretString | undefined),
  );
  return { ref: secret.arn, attributes: { Id: secret.arn } };
};

// ---------------------------------------------------------------------------------------------
// Cognito (cognito-local)

export interface CognitoState {
  pools: Record<string, string>;
  clients: Record<string, string>;
}

/** The template properties `key` names, when set: only those go to the emulator's create call. */
const defined = (p: Record<string, unknown>, key: string) => (p[key] === undefined ? {} : { [key]: p[key] });

export const createUserPool = async (
  cognito: CognitoIdentityProviderClient,
  state: CognitoState,
  env: ResourceEnv,
  logicalId: string,
  p: Record<string, unknown>,
): Promise<PhysicalResource> => {
  let poolId: string | undefined = state.pools[logicalId];
  if (poolId) {
    try {
      await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    } catch {
      poolId = undefined;
    }
  }
  if (!poolId) {
    const r = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: (p.UserPoolName as string | undefined) ?? physicalName(env, logicalId, 128),
        ...defined(p, 'UsernameAttributes'),
        ...defined(p, 'AliasAttributes'),
        ...defined(p, 'AutoVerifiedAttributes'),
        ...defined(p, 'Policies'),
        ...defined(p, 'Schema'),
        ...defined(p, 'MfaConfiguration'),
      }),
    );
    poolId = r.UserPool!.Id!;
    state.pools[logicalId] = poolId;
  }
  const providerName = `cognito-idp.${env.region}.amazonaws.com/${poolId}`;
  return {
    ref: poolId,
    attributes: {
      Arn: `arn:aws:cognito-idp:${env.region}:${env.accountId}:userpool/${poolId}`,
      ProviderName: providerName,
      ProviderURL: `https://${providerName}`,
      UserPoolId: poolId,
    },
  };
};

export const createUserPoolClient = async (
  cognito: CognitoIdentityProviderClient,
  state: CognitoState,
  logicalId: string,
  p: Record<string, unknown>,
): Promise<PhysicalResource> => {
  const poolId = p.UserPoolId as string;
  let clientId: string | undefined = state.clients[logicalId];
  if (clientId) {
    try {
      await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    } catch {
      clientId = undefined;
    }
  }
  const name = (p.ClientName as string | undefined) ?? shortName(logicalId);
  if (!clientId) {
    const r = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: name,
        ...defined(p, 'ExplicitAuthFlows'),
        ...defined(p, 'GenerateSecret'),
        ...defined(p, 'AccessTokenValidity'),
        ...defined(p, 'IdTokenValidity'),
        ...defined(p, 'RefreshTokenValidity'),
        ...defined(p, 'TokenValidityUnits'),
      }),
    );
    clientId = r.UserPoolClient!.ClientId!;
    state.clients[logicalId] = clientId;
  }
  return { ref: clientId, attributes: { ClientId: clientId, Name: name } };
};

export const createUserPoolGroup = async (cognito: CognitoIdentityProviderClient, env: ResourceEnv, logicalId: string, p: Record<string, unknown>): Promise<PhysicalResource> => {
  const name = (p.GroupName as string | undefined) ?? physicalName(env, logicalId, 128);
  try {
    await cognito.send(
      new CreateGroupCommand({
        UserPoolId: p.UserPoolId as string,
        GroupName: name,
        Description: p.Description as string | undefined,
        Precedence: p.Precedence as number | undefined,
      }),
    );
  } catch (err) {
    if ((err as Error).name !== 'GroupExistsException') throw err;
  }
  return { ref: name, attributes: {} };
};

// ---------------------------------------------------------------------------------------------
// Types with nothing to emulate still answer Ref and Fn::GetAtt Arn, with placeholders.

export const placeholder = (env: ResourceEnv, logicalId: string, support: (typeof RESOURCE_SUPPORT)[number], p: Record<string, unknown>): PhysicalResource => {
  const name =
    ['RoleName', 'PolicyName', 'LogGroupName', 'AlarmName', 'Name', 'ConfigurationSetName'].map((k) => p[k]).find((v): v is string => typeof v === 'string') ??
    physicalName(env, logicalId, 64);
  const ref = support.type === 'AWS::KMS::Key' ? `00000000-0000-4000-8000-${hash(logicalId, 12)}` : name;
  const service = support.arnService ?? 'local';
  const arn =
    service === 'iam'
      ? `arn:aws:iam::${env.accountId}:${support.type === 'AWS::IAM::Role' ? 'role' : 'policy'}/${name}`
      : service === 'kms'
        ? `arn:aws:kms:${env.region}:${env.accountId}:key/${ref}`
        : service === 'logs'
          ? `arn:aws:logs:${env.region}:${env.accountId}:log-group:${name}:*`
          : `arn:aws:${service}:${env.region}:${env.accountId}:${name}`;
  return { ref, attributes: { Arn: arn, KeyId: ref, RoleId: `AROA${hash(logicalId, 16).toUpperCase()}` } };
};
