import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import path from 'node:path';
import { Gateway } from '../gateway.js';
import type { Lifecycle } from '../lifecycle.js';
import { CREDENTIALS, type Ports, type Settings } from '../options.js';
import { buildHarness } from '../runtime/functions.js';
import { startDynamoMeter, type DynamoMeter } from './dynamo-meter.js';
import { startCognitoLocal, startDynamoDbLocal, startFauxqsEmulator, startSesLocal, type Emulator, type FauxqsEmulator } from './index.js';
import { recordPids } from './leftovers.js';
import type { Mailbox } from './ses-mailbox.js';
import { SecretsEmulator } from './secrets.js';
import { Supervised } from './supervisor.js';

/** The emulators, the gateway and the SDK clients the local cloud itself uses. */
export interface Services {
  /** Restarted on the same port when it dies (see Supervised). */
  ddb: Supervised;
  cognitoLocal: Supervised;
  fauxqs: FauxqsEmulator;
  ses: Emulator & { port: number; mailbox: Mailbox; pauseSending: (paused: boolean) => void };
  secrets: SecretsEmulator;
  gateway: Gateway;
  /** With `meterDynamo`: the proxy the functions reach DynamoDB Local through (the bench's meter). */
  dynamoMeter?: DynamoMeter;
  /** The sandbox program every function instance runs. */
  harness: string;
  endpoints: { dynamodb: string; sqs: string; s3: string; sesv2: string; secretsManager: string; cognito: string };
  clients: { dynamo: DynamoDBClient; sqs: SQSClient; s3: S3Client; cognito: CognitoIdentityProviderClient };
}

/**
 * Starts every emulator at once (they do not need the template), each registered for stop as
 * soon as it is up, so a failure or an interrupt leaves nothing running.
 */
export const startServices = async (s: Settings, ports: Ports, life: Lifecycle, extras: { meterDynamo?: boolean } = {}): Promise<Services> => {
  const { dataDir, log, region } = s;
  const gateway = new Gateway({ apiId: 'local', accountId: s.accountId, log });
  const secrets = new SecretsEmulator(path.join(dataDir, 'secrets.json'), log);
  const up = <T extends { name: string; stop: () => Promise<void>; crash?: () => Promise<void> }>(e: T, phase?: string) => {
    if (phase) life.mark(phase);
    life.register(e.name, () => e.stop(), e.crash && (() => e.crash!()));
    return e;
  };
  let recordedPids = Promise.resolve();
  const supervised: Supervised[] = [];
  const supervise = (start: () => ReturnType<typeof startDynamoDbLocal>) =>
    Supervised.start(start, {
      log,
      // The data dir's record of emulator pids follows restarts, so a later start can stop a leftover.
      onRestart: () =>
        (recordedPids = recordedPids.then(() =>
          recordPids(
            dataDir,
            supervised.map((e) => e.pid).filter((p): p is number => p !== undefined),
          ),
        )),
      onGiveUp: (message) => life.fail(message),
    }).then((e) => (supervised.push(e), e));
  const settled = await Promise.allSettled([
    supervise(() => startDynamoDbLocal({ port: ports.dynamodb, dataDir, log })).then((e) => up(e, 'dynamodb')),
    supervise(() => startCognitoLocal({ port: ports.cognito, dataDir, log })).then((e) => up(e, 'cognito')),
    startFauxqsEmulator({ port: ports.sqs, region, dataDir, log }).then((e) => up(e)),
    startSesLocal({ port: ports.mail, dataDir, log }).then((e) => up(e)),
    buildHarness(path.join(dataDir, 'runtime')),
    secrets
      .load()
      .then(() => secrets.start(ports.secrets))
      .then(() => life.register('secrets', () => secrets.stop())),
    gateway.listen(ports.api).then(() => life.register('gateway', () => gateway.close())),
  ] as const);
  life.checkAborted();
  // Every emulator that did start is registered before the first failure is thrown.
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const value = <T>(r: PromiseSettledResult<T>) => (r as PromiseFulfilledResult<T>).value;
  const [ddb, cognitoLocal, fauxqs, ses, harness] = [value(settled[0]), value(settled[1]), value(settled[2]), value(settled[3]), value(settled[4])];
  await recordPids(
    dataDir,
    [ddb.pid, cognitoLocal.pid].filter((p): p is number => p !== undefined),
  );
  const config = { region, credentials: CREDENTIALS };
  const clients = {
    dynamo: new DynamoDBClient({ ...config, endpoint: ddb.url }),
    sqs: new SQSClient({ ...config, endpoint: fauxqs.url, useQueueUrlAsEndpoint: false }),
    s3: new S3Client({ ...config, endpoint: fauxqs.url, forcePathStyle: true }),
    cognito: new CognitoIdentityProviderClient({ ...config, endpoint: cognitoLocal.url }),
  };
  life.register('clients', async () => Object.values(clients).forEach((c) => c.destroy()));
  const dynamoMeter = extras.meterDynamo ? await startDynamoMeter(ddb.url) : undefined;
  if (dynamoMeter) life.register('dynamodb meter', () => dynamoMeter.stop());
  const endpoints = { dynamodb: ddb.url, sqs: fauxqs.url, s3: fauxqs.url, sesv2: ses.url, secretsManager: secrets.url, cognito: cognitoLocal.url };
  return { ddb, cognitoLocal, fauxqs, ses, secrets, gateway, harness, endpoints, clients, ...(dynamoMeter ? { dynamoMeter } : {}) };
};
