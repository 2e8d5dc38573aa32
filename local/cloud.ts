import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { shiftEventForward } from '../functions/domain/event-dates.js';
import type { EventDefinition } from '../functions/domain/model.js';
import { DEMO_EVENT_ID, DEMO_INVITEES } from './demo-data.js';
import { seedCumbreUsers, type SeededUser } from './cumbre-users.js';
import {
  checkJava,
  PreflightError,
  startCognitoLocal,
  startDynamoDbLocal,
  startFauxqsEmulator,
  startSesLocal,
} from './emulators/index.js';
import { recordPids, stopLeftovers } from './emulators/leftovers.js';
import { SecretsEmulator } from './emulators/secrets.js';
import { StreamPoller, StreamsApi, type Checkpoints } from './event-sources/dynamodb-streams.js';
import { parseSchedule, runSchedule } from './event-sources/schedule.js';
import { SqsPoller } from './event-sources/sqs.js';
import { parsePattern, type FilterPattern } from './filter-pattern.js';
import { Gateway, type CorsConfig, type GatewayRoute } from './gateway.js';
import { references, resolve, evaluateCondition, UnsupportedIntrinsicError, type PhysicalResource, type ResolveContext } from './intrinsics.js';
import { JwtVerifier } from './jwt.js';
import { createLog, parseLevel, type Log } from './log.js';
import { freePort, portBusy } from './ports.js';
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
  ensureOrganizer,
  generatePassword,
  physicalName,
  placeholder,
  type CognitoState,
  type ResourceEnv,
} from './resources.js';
import { buildHarness, LocalFunction, type FunctionDefinition } from './runtime/functions.js';
import { isCustomResourceType, supportFor, unknownResourceTypes } from './support.js';
import { dependsOn, loadTemplate, shortName, type CfnResource } from './template.js';

const require = createRequire(import.meta.url);

/** Start-up stopped on something in the template the local cloud cannot run. */
export class UnsupportedTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedTemplateError';
  }
}

/** Start-up was interrupted (Ctrl-C) through `options.signal`; everything started was stopped. */
export class StartAbortedError extends Error {
  constructor() {
    super('start-up interrupted');
    this.name = 'StartAbortedError';
  }
}

/** `cdk synth` failed: its own output says why. */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthError';
  }
}

export interface Ports {
  api: number;
  mail: number;
  dynamodb: number;
  sqs: number;
  cognito: number;
  secrets: number;
}

/** The emulators' own default ports, so their URLs look familiar; `auto` takes free ones. */
export const DEFAULT_PORTS: Ports = { api: 3000, mail: 8005, dynamodb: 8000, sqs: 4566, cognito: 9229, secrets: 4584 };

const PORT_NAMES: Record<keyof Ports, string> = {
  api: 'the API gateway',
  mail: 'aws-ses-v2-local',
  dynamodb: 'DynamoDB Local',
  sqs: 'fauxqs (SQS/S3)',
  cognito: 'cognito-local',
  secrets: 'the Secrets Manager emulator',
};

export interface LocalCloudOptions {
  /** The project root (cdk.json). Default: the current directory. */
  root?: string;
  /** Default: `CUMBRE_DATA_DIR` or `<root>/.local`. */
  dataDir?: string;
  /** Default: `CUMBRE_STACK` or `Cumbre-dev`. */
  stackName?: string;
  /** The cloud assembly folder. Default: `CUMBRE_CDK_OUT` or `<root>/cdk.out`. */
  cdkOut?: string;
  /**
   * `true` always runs `cdk synth`; `false` never does; `auto` (default, or `CUMBRE_SYNTH`) skips it
   * when nothing it reads changed since the last synth into this cdk.out.
   */
  synth?: boolean | 'auto';
  /** Fixed ports (defaults: DEFAULT_PORTS) or `auto` for free ones. Default: `CUMBRE_PORTS=auto` or the defaults. */
  ports?: 'auto' | Partial<Ports>;
  region?: string;
  /** Only warnings and errors, no function output (for tests). */
  quiet?: boolean;
  /** Default: `LOG_LEVEL`. Also handed to every function. */
  logLevel?: string;
  /** Where log lines go. Default: stdout. */
  write?: (text: string) => void;
  /** Import the demo invitations on first start (default true). */
  seedDemo?: boolean;
  /** Retry failed SQS messages after this many seconds instead of the queue's visibility timeout. */
  sqsRetryDelaySeconds?: number;
  /** Aborting stops whatever has started and makes start-up throw `StartAbortedError`. */
  signal?: AbortSignal;
}

export interface Session {
  apiUrl: string;
  mailUrl: string;
  organizer: { username: string; password: string; token: string };
  /** One user per role for the summit (Cumbre's people), with a token each at start-up. */
  users?: SeededUser[];
  events: Array<{ id: string; sessions: Array<{ id: string; capacity: number }> }>;
  invitations: Array<{ email: string; rsvpUrl: string }>;
}

export interface LocalResource {
  logicalId: string;
  type: string;
  ref: string;
  attributes: Record<string, unknown>;
}

/** Everything a script or test needs to talk to the local cloud; plain data, safe to serialise. */
export interface LocalCloudInfo {
  apiUrl: string;
  mailUrl: string;
  region: string;
  dataDir: string;
  templatePath: string;
  startupMs: number;
  /** Milliseconds from the start to the end of each start-up phase. */
  timings: Record<string, number>;
  endpoints: { dynamodb: string; sqs: string; s3: string; sesv2: string; secretsManager: string; cognito: string };
  credentials: { accessKeyId: string; secretAccessKey: string };
  session: Session;
  resources: LocalResource[];
  /** Route keys the gateway serves, e.g. `POST /rsvp/{token}`. */
  routes: string[];
  cognito: { userPoolId?: string; clientId?: string; issuer?: string };
}

export interface LocalCloud extends LocalCloudInfo {
  /** Invokes a function by logical id or short name, synchronously. */
  invoke(functionId: string, event: unknown): ReturnType<LocalFunction['invoke']>;
  /** Number of invocations a function has had since start. */
  invocations(functionId: string): number;
  stop(): Promise<void>;
}

interface LocalState {
  cognito: CognitoState;
  organizer?: { username: string; email: string; password: string };
  customResources: Record<string, { propertiesHash: string; physicalResourceId: string; data: Record<string, unknown>; properties: Record<string, unknown> }>;
  events: Session['events'];
  demo?: { importedAt: string; invitations: Array<{ email: string; rsvpPath: string }> };
}

const ACCOUNT_ID = '000000000000';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const readJson = async <T>(file: string, fallback: T): Promise<T> => {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  }
};

const SYNTH_INPUTS = ['bin', 'lib', 'functions', 'seed', 'cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json'];

/**
 * A hash of everything `cdk synth` reads (sources, seed data, cdk.json, the lockfile, CDK_*
 * variables) plus the template it produced: equal hashes mean the assembly is what a synth
 * would produce now, so the start can skip the 10 s synth without any chance of drift.
 */
export const synthInputsHash = async (root: string, templatePath: string): Promise<string> => {
  const hash = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const full = path.join(root, rel);
    let entries: Dirent[];
    try {
      entries = await readdir(full, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') {
        hash.update(`${rel}\0`).update(await readFile(full));
        return;
      }
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      await walk(path.join(rel, e.name));
    }
  };
  for (const input of SYNTH_INPUTS) await walk(input);
  for (const [k, v] of Object.entries(process.env).filter(([k]) => k.startsWith('CDK_')).sort()) hash.update(`${k}=${v}\0`);
  hash.update(await readFile(templatePath).catch(() => Buffer.from('no template')));
  return hash.digest('hex');
};

/** Runs the CDK CLI the way `npx cdk synth` does, without npx's start-up cost. */
export const synthesize = async (opts: { root: string; cdkOut: string; log: Log; signal?: AbortSignal }): Promise<number> => {
  const started = Date.now();
  const cli = path.join(path.dirname(require.resolve('aws-cdk/package.json')), 'bin', 'cdk');
  const args = [cli, 'synth', '--quiet', '--no-notices', '--no-version-reporting', '--context', 'nag=false', '--output', opts.cdkOut];
  const output: string[] = [];
  const code = await new Promise<number>((resolveExit, reject) => {
    // local/bin/npx short-cuts the per-function `npx --no-install esbuild` (see the script).
    const env = {
      ...process.env,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      FORCE_COLOR: '0',
      CUMBRE_ROOT: opts.root,
      CUMBRE_REAL_PATH: process.env.PATH ?? '',
      PATH: `${path.join(opts.root, 'local', 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    };
    const child = spawn(process.execPath, args, { cwd: opts.root, env, stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.on('error', (err) => (opts.signal?.aborted ? resolveExit(130) : reject(err)));
    child.on('exit', (c) => resolveExit(c ?? 1));
  });
  if (code !== 0) throw new SynthError(`cdk synth failed (exit ${code}):\n${output.join('').trim().split('\n').slice(-40).join('\n')}`);
  const ms = Date.now() - started;
  opts.log.info('cdk', `synthesized into ${path.relative(opts.root, opts.cdkOut) || opts.cdkOut} in ${(ms / 1000).toFixed(1)} s`);
  return ms;
};

const resolvePorts = async (option: LocalCloudOptions['ports']): Promise<Ports> => {
  const wanted = option ?? (process.env.CUMBRE_PORTS === 'auto' ? 'auto' : {});
  if (wanted === 'auto') {
    const entries = await Promise.all(Object.keys(DEFAULT_PORTS).map(async (k) => [k, await freePort()] as const));
    return Object.fromEntries(entries) as unknown as Ports;
  }
  const ports = { ...DEFAULT_PORTS, ...wanted };
  for (const [key, port] of Object.entries(ports) as Array<[keyof Ports, number]>) {
    if (port !== 0 && (await portBusy(port))) {
      throw new PreflightError(`Port ${port} (${PORT_NAMES[key]}) is already in use: stop what holds it (\`lsof -i :${port}\`; maybe another \`npm start\`) or run with CUMBRE_PORTS=auto.`);
    }
  }
  for (const key of Object.keys(ports) as Array<keyof Ports>) if (ports[key] === 0) ports[key] = await freePort();
  return ports;
};

/** CloudFormation's creation order: a resource after everything it references or depends on. */
export const creationOrder = (resources: Record<string, CfnResource>): string[] => {
  const ids = Object.keys(resources);
  const deps = new Map(ids.map((id) => [id, [...references(resources[id]!.Properties ?? {}), ...dependsOn(resources[id]!)].filter((d) => d in resources && d !== id)]));
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

/** Extracts a function ARN from an integration URI (plain ARN or the apigateway lambda path form). */
const functionArnFrom = (uri: string): string => {
  const m = /functions\/(arn:aws:lambda:[^/]+)\/invocations/.exec(uri);
  return m ? m[1]! : uri;
};

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * Starts the synthesized stack on local emulators. The returned object has the URLs, the session
 * facts (also written to `<dataDir>/session.json`) and `stop()`, which stops everything it started.
 */
export const startLocalCloud = async (options: LocalCloudOptions = {}): Promise<LocalCloud> => {
  const t0 = Date.now();
  const root = path.resolve(options.root ?? process.cwd());
  const dataDir = path.resolve(options.dataDir ?? process.env.CUMBRE_DATA_DIR ?? path.join(root, '.local'));
  const cdkOut = path.resolve(options.cdkOut ?? process.env.CUMBRE_CDK_OUT ?? path.join(root, 'cdk.out'));
  const stackName = options.stackName ?? process.env.CUMBRE_STACK ?? 'Cumbre-dev';
  const region = options.region ?? 'us-east-1';
  const userLogLevel = options.logLevel ?? process.env.LOG_LEVEL;
  const log = createLog({ level: parseLevel(userLogLevel), quiet: options.quiet, write: options.write });
  const env: ResourceEnv = { region, accountId: ACCOUNT_ID, stackName };

  const timings: Record<string, number> = {};
  const mark = (phase: string) => (timings[phase] = Date.now() - t0);
  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  let stopped = false;
  const register = (name: string, stop: () => Promise<void>) => {
    // Something that finished starting after an abort is stopped at once.
    if (stopped) void stop().catch(() => undefined);
    else stops.push({ name, stop });
  };
  const checkAborted = () => {
    if (options.signal?.aborted) throw new StartAbortedError();
  };
  let stopping: Promise<void> | undefined;
  /** Stops everything in reverse start order; every caller waits for the same, single stop. */
  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      stopped = true;
      for (const s of stops.reverse()) {
        await s.stop().catch((err: unknown) => log.warn('cumbre', `stopping ${s.name}: ${(err as Error).message}`));
      }
    })());

  const onAbort = () => void stopAll();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    checkAborted();
    checkJava();
    await mkdir(path.join(dataDir, 'runtime'), { recursive: true });
    await stopLeftovers(dataDir, log);
    const ports = await resolvePorts(options.ports);
    const stateFile = path.join(dataDir, 'state.json');
    const state = await readJson<LocalState>(stateFile, { cognito: { pools: {}, clients: {} }, customResources: {}, events: [] });
    const saveState = () => writeFile(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });

    // Everything that does not need the template starts while the CDK synthesizes.
    const synthMode = options.synth ?? ((process.env.CUMBRE_SYNTH as 'auto' | 'always' | 'never' | undefined) === 'always' ? true : process.env.CUMBRE_SYNTH === 'never' ? false : 'auto');
    const stampFile = path.join(cdkOut, '.cumbre-synth-inputs');
    const templateFile = path.join(cdkOut, `${stackName}.template.json`);
    const synthesized = (async () => {
      if (synthMode === false) return;
      if (synthMode === 'auto') {
        const [now, stamped] = await Promise.all([synthInputsHash(root, templateFile), readFile(stampFile, 'utf8').catch(() => '')]);
        if (now === stamped) {
          log.info('cdk', `${path.relative(root, cdkOut) || cdkOut} is up to date (nothing cdk synth reads has changed): synth skipped`);
          return;
        }
      }
      log.info('cdk', synthMode === 'auto' ? 'synthesizing the app (its sources changed since the last synth)…' : 'synthesizing the app…');
      await synthesize({ root, cdkOut, log, signal: options.signal });
      checkAborted();
      await writeFile(stampFile, await synthInputsHash(root, templateFile));
    })();
    const gateway = new Gateway({ apiId: 'local', accountId: ACCOUNT_ID, log });
    const secrets = new SecretsEmulator(path.join(dataDir, 'secrets.json'), log);
    // The synth runs alongside; its failure is reported once the emulators have settled.
    synthesized.catch(() => undefined);
    const settled = await Promise.allSettled([
      startDynamoDbLocal({ port: ports.dynamodb, dataDir, log }).then((e) => (mark('dynamodb'), register(e.name, e.stop), e)),
      startCognitoLocal({ port: ports.cognito, dataDir, log }).then((e) => (mark('cognito'), register(e.name, e.stop), e)),
      startFauxqsEmulator({ port: ports.sqs, region }).then((e) => (register(e.name, e.stop), e)),
      startSesLocal({ port: ports.mail }).then((e) => (register(e.name, e.stop), e)),
      buildHarness(path.join(dataDir, 'runtime')),
      secrets.load().then(() => secrets.start(ports.secrets)).then(() => register('secrets', () => secrets.stop())),
      gateway.listen(ports.api).then(() => register('gateway', () => gateway.close())),
    ] as const);
    checkAborted();
    // Every emulator that did start is in `stops` before the first failure is thrown.
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const value = <T>(r: PromiseSettledResult<T>) => (r as PromiseFulfilledResult<T>).value;
    const [ddb, cognitoLocal, fauxqs, ses, harness] = [value(settled[0]), value(settled[1]), value(settled[2]), value(settled[3]), value(settled[4])];
    await recordPids(dataDir, [ddb.pid, cognitoLocal.pid].filter((p): p is number => p !== undefined));
    await synthesized;
    checkAborted();
    mark('synth');

    const sqsEndpoint = `http://sqs.${region}.localhost:${fauxqs.port}`;
    const endpoints = {
      dynamodb: ddb.url,
      sqs: fauxqs.url,
      s3: fauxqs.url,
      sesv2: ses.url,
      secretsManager: secrets.url,
      cognito: cognitoLocal.url,
    };
    const clientConfig = { region, credentials: CREDENTIALS };
    const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: ddb.url });
    const sqs = new SQSClient({ ...clientConfig, endpoint: fauxqs.url, useQueueUrlAsEndpoint: false });
    const s3 = new S3Client({ ...clientConfig, endpoint: fauxqs.url, forcePathStyle: true });
    const cognito = new CognitoIdentityProviderClient({ ...clientConfig, endpoint: cognitoLocal.url });
    register('clients', async () => [dynamo, sqs, s3, cognito].forEach((c) => c.destroy()));

    const loaded = await loadTemplate(cdkOut, stackName);
    const { template } = loaded;
    const physical = new Map<string, PhysicalResource>();
    const ctx: ResolveContext = { template, region, accountId: ACCOUNT_ID, stackName, physical: (id) => physical.get(id) };
    const active = Object.fromEntries(Object.entries(template.Resources).filter(([, r]) => !r.Condition || evaluateCondition(r.Condition, ctx)));

    const unknown = unknownResourceTypes({ ...template, Resources: active });
    if (unknown.length) {
      throw new UnsupportedTemplateError(
        `the template has resource types the local cloud does not know: ${unknown.join(', ')}. Emulate them in local/ or list them with a reason in local/support.ts.`,
      );
    }

    // ---- resources, in dependency order
    const functions = new Map<string, LocalFunction>();
    const notRunnable = new Map<string, string>();
    const functionByArn = new Map<string, LocalFunction>();
    const functionByName = new Map<string, LocalFunction>();
    const buckets: string[] = [];
    const seededEvents: Session['events'] = [];
    const baseEnv = (def: { name: string; arn: string; assetDir: string; handler: string; runtime: string; memory: number }) => ({
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      // Keep the developer's ~/.aws profile out of the sandbox.
      AWS_CONFIG_FILE: path.join(dataDir, 'runtime', 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dataDir, 'runtime', 'no-aws-credentials'),
      AWS_LAMBDA_FUNCTION_NAME: def.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(def.memory),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${def.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${randomUUID().replace(/-/g, '')}`,
      AWS_EXECUTION_ENV: `AWS_Lambda_${def.runtime}`,
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
      LAMBDA_TASK_ROOT: def.assetDir,
      _HANDLER: def.handler,
      AWS_ENDPOINT_URL_DYNAMODB: ddb.url,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: ddb.url,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_ENDPOINT_URL_S3: fauxqs.url,
      AWS_ENDPOINT_URL_SNS: fauxqs.url,
      AWS_ENDPOINT_URL_SESV2: ses.url,
      AWS_ENDPOINT_URL_SES: ses.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoLocal.url,
    });

    const createFunction = (id: string, r: CfnResource) => {
      const p = (r.Properties ?? {}) as Record<string, unknown>;
      const name = (p.FunctionName as string | undefined) ?? physicalName(env, id, 64);
      const arn = `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;
      physical.set(id, { ref: name, attributes: { Arn: arn } });
      const runtime = String(resolve(p.Runtime, ctx, `Resources.${id}.Properties.Runtime`) ?? '');
      const assetPath = r.Metadata?.['aws:asset:path'];
      const templateEnv = resolve<Record<string, unknown>>((p.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}, ctx, `Resources.${id}.Properties.Environment.Variables`);
      const environment: Record<string, string> = {};
      const assetDir = typeof assetPath === 'string' ? path.resolve(cdkOut, assetPath) : '';
      const handler = String(p.Handler ?? 'index.handler');
      const memory = Number(p.MemorySize ?? 128);
      Object.assign(environment, baseEnv({ name, arn, assetDir, handler, runtime, memory }));
      // Lambda's advanced logging controls reach the code as these two variables (Powertools reads them).
      const logging = (p.LoggingConfig ?? {}) as { LogFormat?: string; ApplicationLogLevel?: string };
      if (logging.LogFormat === 'JSON') environment.AWS_LAMBDA_LOG_FORMAT = 'JSON';
      if (logging.LogFormat === 'JSON' && logging.ApplicationLogLevel) environment.AWS_LAMBDA_LOG_LEVEL = logging.ApplicationLogLevel;
      for (const [k, v] of Object.entries(templateEnv)) environment[k] = typeof v === 'string' ? v : JSON.stringify(v);
      if (userLogLevel) {
        environment.LOG_LEVEL = userLogLevel;
        environment.POWERTOOLS_LOG_LEVEL = userLogLevel;
        if (environment.AWS_LAMBDA_LOG_LEVEL) environment.AWS_LAMBDA_LOG_LEVEL = userLogLevel.toUpperCase();
      }
      const def: FunctionDefinition = {
        logicalId: id,
        label: shortName(id),
        functionName: name,
        arn,
        assetDir,
        handler,
        runtime,
        timeoutSeconds: Number(p.Timeout ?? 3),
        memoryMb: memory,
        environment,
      };
      if (!runtime.startsWith('nodejs')) notRunnable.set(id, `runtime ${runtime || '(none)'} (only Node.js runs locally)`);
      else if (!assetDir) notRunnable.set(id, 'no aws:asset:path metadata (inline or image code)');
      const fn = new LocalFunction(def, harness, log);
      functions.set(id, fn);
      functionByArn.set(arn, fn);
      functionByName.set(name, fn);
      register(def.label, () => fn.stop());
    };

    const runnable = (fn: LocalFunction, usedBy: string): LocalFunction => {
      const reason = notRunnable.get(fn.def.logicalId);
      if (reason) throw new UnsupportedTemplateError(`${usedBy} needs function ${fn.def.logicalId}, which cannot run locally: ${reason}`);
      return fn;
    };

    const fnFromArnOrName = (value: string, usedBy: string): LocalFunction => {
      const fn = functionByArn.get(value) ?? functionByName.get(value) ?? functionByArn.get(value.replace(/:[^:]+$/, ''));
      if (!fn) throw new UnsupportedTemplateError(`${usedBy} targets ${value}, which is not a function of this stack`);
      return runnable(fn, usedBy);
    };

    const invokeCustomResource = async (id: string, r: CfnResource) => {
      const props = resolve<Record<string, unknown>>(r.Properties ?? {}, ctx, `Resources.${id}.Properties`);
      const token = String(props.ServiceToken ?? '');
      const provider = functionByArn.get(token);
      if (!provider) throw new UnsupportedTemplateError(`custom resource ${id} (${r.Type}): ServiceToken ${token} is not a Lambda function of this stack`);
      const userArn = provider.def.environment.USER_ON_EVENT_FUNCTION_ARN;
      if (!userArn) throw new UnsupportedTemplateError(`custom resource ${id} (${r.Type}) is not backed by the CDK Provider framework (no USER_ON_EVENT_FUNCTION_ARN)`);
      const onEvent = fnFromArnOrName(userArn, `custom resource ${id}`);
      const isCompleteArn = provider.def.environment.USER_IS_COMPLETE_FUNCTION_ARN;
      const propertiesHash = hashOf(props);
      const previous = state.customResources[id];
      const remember = (properties: Record<string, unknown>) => {
        const ev = typeof properties.Event === 'string' ? (JSON.parse(properties.Event) as EventDefinition) : undefined;
        if (ev) seededEvents.push({ id: ev.id, sessions: ev.sessions.map((s) => ({ id: s.id, capacity: s.capacity })) });
      };
      if (previous && previous.propertiesHash === propertiesHash) {
        physical.set(id, { ref: previous.physicalResourceId, attributes: previous.data });
        remember(previous.properties);
        return;
      }
      let properties = props;
      if (r.Type === 'Custom::CumbreEventSeed' && typeof props.Event === 'string') {
        const original = JSON.parse(props.Event) as EventDefinition;
        const { event, shiftedByDays } = shiftEventForward(original, new Date());
        properties = { ...props, Event: JSON.stringify(event) };
        if (shiftedByDays > 0) {
          log.info(
            'seed',
            `moved ${event.id} forward by ${shiftedByDays} days (${shiftedByDays / 7} weeks) so it lies ahead of today: sessions from ${event.sessions[0]?.start} (was ${original.sessions[0]?.start}), RSVP deadline ${event.rsvpDeadline}`,
          );
        }
      }
      const request = {
        RequestType: previous ? 'Update' : 'Create',
        ServiceToken: token,
        ResponseURL: 'http://localhost/local-cloud-does-not-use-this',
        StackId: `arn:aws:cloudformation:${region}:${ACCOUNT_ID}:stack/${stackName}/local`,
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
      if (isCompleteArn) {
        const isComplete = fnFromArnOrName(isCompleteArn, `custom resource ${id}`);
        for (let i = 0; ; i++) {
          const check = await isComplete.invoke({ ...request, PhysicalResourceId: physicalResourceId, Data: data });
          if (!check.ok) throw new Error(`custom resource ${id} isComplete failed: ${check.error.errorMessage}`);
          const c = (check.result ?? {}) as { IsComplete?: boolean; Data?: Record<string, unknown> };
          if (c.IsComplete) {
            data = { ...data, ...(c.Data ?? {}) };
            break;
          }
          if (i > 120) throw new Error(`custom resource ${id} did not complete within 2 minutes`);
          await new Promise((r2) => setTimeout(r2, 1000));
        }
      }
      state.customResources[id] = { propertiesHash, physicalResourceId, data, properties };
      await saveState();
      physical.set(id, { ref: physicalResourceId, attributes: data });
      remember(properties);
      log.info('seed', `${r.Type} ${id}: ${request.RequestType} done`);
    };

    const s3Dir = path.join(dataDir, 's3');
    const restoreBucket = async (name: string) => {
      const index = await readJson<Array<{ key: string; file: string; contentType?: string; metadata?: Record<string, string> }>>(path.join(s3Dir, name, 'index.json'), []);
      for (const o of index) {
        await s3.send(new PutObjectCommand({ Bucket: name, Key: o.key, Body: await readFile(path.join(s3Dir, name, o.file)), ContentType: o.contentType, Metadata: o.metadata }));
      }
      if (index.length) log.debug('s3', `restored ${index.length} object(s) into ${name}`);
    };
    const saveBuckets = async () => {
      for (const name of buckets) {
        const dir = path.join(s3Dir, name);
        await rm(dir, { recursive: true, force: true });
        await mkdir(path.join(dir, 'objects'), { recursive: true });
        const index: Array<{ key: string; file: string; contentType?: string; metadata?: Record<string, string> }> = [];
        let token: string | undefined;
        do {
          const page = await s3.send(new ListObjectsV2Command({ Bucket: name, ContinuationToken: token }));
          for (const item of page.Contents ?? []) {
            const obj = await s3.send(new GetObjectCommand({ Bucket: name, Key: item.Key! }));
            const file = path.join('objects', String(index.length));
            await writeFile(path.join(dir, file), await obj.Body!.transformToByteArray());
            index.push({ key: item.Key!, file, contentType: obj.ContentType, metadata: obj.Metadata });
          }
          token = page.NextContinuationToken;
        } while (token);
        await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
      }
    };

    const userPools: string[] = [];
    const userPoolClients: Array<{ id: string; poolLogicalId: string; flows: string[] }> = [];
    const groups: Array<{ pool: string; name: string }> = [];
    for (const id of creationOrder(active)) {
      checkAborted();
      const r = active[id]!;
      const began = Date.now();
      const slow = () => Date.now() - began > 100 && log.debug('cumbre', `${r.Type} ${id}: ${Date.now() - began} ms`);
      const where = `Resources.${id}.Properties`;
      const props = () => resolve<Record<string, unknown>>(r.Properties ?? {}, ctx, where);
      switch (r.Type) {
        case 'AWS::DynamoDB::Table': {
          const t = await createTable(dynamo, env, id, props() as never);
          physical.set(id, t);
          log.debug('dynamodb', `${t.created ? 'created' : 'found'} table ${t.ref}`);
          break;
        }
        case 'AWS::SQS::Queue':
          physical.set(id, createQueue(fauxqs, env, id, props()));
          break;
        case 'AWS::S3::Bucket': {
          const name = bucketName(env, id, props());
          physical.set(id, createBucket(fauxqs, env, name));
          buckets.push(name);
          await restoreBucket(name);
          break;
        }
        case 'AWS::SNS::Topic':
          physical.set(id, createTopic(fauxqs, env, id, props()));
          break;
        case 'AWS::SNS::Subscription': {
          const p = props();
          const arn = `${String(p.TopicArn)}:${createHash('sha256').update(id).digest('hex').slice(0, 8)}`;
          if (p.Protocol === 'sqs') {
            const attributes: Record<string, string> = {};
            if (p.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(p.RawMessageDelivery);
            if (p.FilterPolicy !== undefined) attributes.FilterPolicy = typeof p.FilterPolicy === 'string' ? p.FilterPolicy : JSON.stringify(p.FilterPolicy);
            if (p.FilterPolicyScope !== undefined) attributes.FilterPolicyScope = String(p.FilterPolicyScope);
            const lastPart = (a: unknown) => String(a).split(':').pop()!;
            fauxqs.server.subscribe({ topic: lastPart(p.TopicArn), queue: lastPart(p.Endpoint), region, attributes });
          } else {
            log.debug('sns', `${id}: ${String(p.Protocol)} subscription receives nothing locally`);
          }
          physical.set(id, { ref: arn, attributes: { Arn: arn } });
          break;
        }
        case 'AWS::SecretsManager::Secret':
          physical.set(id, await createSecret(secrets, env, id, props()));
          break;
        case 'AWS::Cognito::UserPool':
          physical.set(id, await createUserPool(cognito, state.cognito, env, id, props()));
          userPools.push(id);
          break;
        case 'AWS::Cognito::UserPoolClient': {
          const p = props();
          physical.set(id, await createUserPoolClient(cognito, state.cognito, id, p));
          const poolLogicalId = [...physical.entries()].find(([, v]) => v.ref === p.UserPoolId)?.[0] ?? '';
          userPoolClients.push({ id, poolLogicalId, flows: (p.ExplicitAuthFlows as string[] | undefined) ?? [] });
          break;
        }
        case 'AWS::Cognito::UserPoolGroup': {
          const p = props();
          const g = await createUserPoolGroup(cognito, env, id, p);
          physical.set(id, g);
          groups.push({ pool: String(p.UserPoolId), name: g.ref });
          break;
        }
        case 'AWS::Lambda::Function':
          createFunction(id, r);
          break;
        case 'AWS::ApiGatewayV2::Api':
          physical.set(id, { ref: `local${createHash('sha256').update(id).digest('hex').slice(0, 6)}`, attributes: { ApiEndpoint: gateway.baseUrl, ApiId: id } });
          break;
        case 'AWS::ApiGatewayV2::Stage':
          physical.set(id, { ref: String((r.Properties ?? {}).StageName ?? '$default'), attributes: {} });
          break;
        case 'AWS::ApiGatewayV2::Integration':
        case 'AWS::ApiGatewayV2::Route':
        case 'AWS::ApiGatewayV2::Authorizer':
        case 'AWS::Lambda::EventSourceMapping':
          physical.set(id, { ref: `${shortName(id).toLowerCase()}${createHash('sha256').update(id).digest('hex').slice(0, 6)}`, attributes: { AuthorizerId: id, Id: id } });
          break;
        case 'AWS::Events::Rule':
          physical.set(id, { ref: physicalName(env, id, 64), attributes: { Arn: `arn:aws:events:${region}:${ACCOUNT_ID}:rule/${physicalName(env, id, 64)}` } });
          break;
        case 'AWS::SES::ConfigurationSet': {
          const name = String((r.Properties ?? {}).Name ?? physicalName(env, id, 64));
          physical.set(id, { ref: name, attributes: {} });
          break;
        }
        default: {
          if (isCustomResourceType(r.Type)) {
            await invokeCustomResource(id, r);
            break;
          }
          const support = supportFor(r.Type);
          if (!support || support.emulated) throw new UnsupportedTemplateError(`${r.Type} ${id} is listed as emulated but nothing creates it`);
          physical.set(id, placeholder(env, id, support, (r.Properties ?? {}) as Record<string, unknown>));
        }
      }
      slow();
    }

    mark('resources');
    // ---- the HTTP API
    const apis = Object.entries(active).filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Api');
    if (apis.length > 1) throw new UnsupportedTemplateError(`the local gateway serves one HTTP API; the template has ${apis.map(([id]) => id).join(', ')}`);
    const routes: GatewayRoute[] = [];
    let issuerInfo: LocalCloudInfo['cognito'] = {};
    if (apis.length === 1) {
      const [apiId, api] = apis[0]!;
      const apiProps = resolve<Record<string, unknown>>(api.Properties ?? {}, ctx, `Resources.${apiId}.Properties`);
      if (apiProps.ProtocolType !== 'HTTP') throw new UnsupportedTemplateError(`${apiId}: only HTTP APIs are emulated (ProtocolType ${String(apiProps.ProtocolType)})`);
      const byRef = (type: string, ref: string) => Object.entries(active).find(([id, r]) => r.Type === type && physical.get(id)?.ref === ref);
      const verifiers = new Map<string, JwtVerifier>();
      for (const [id, r] of Object.entries(active)) {
        if (r.Type !== 'AWS::ApiGatewayV2::Route') continue;
        const p = resolve<Record<string, unknown>>(r.Properties ?? {}, ctx, `Resources.${id}.Properties`);
        const routeKey = String(p.RouteKey);
        const target = String(p.Target ?? '');
        const integration = byRef('AWS::ApiGatewayV2::Integration', target.replace(/^integrations\//, ''));
        if (!integration) throw new UnsupportedTemplateError(`route ${routeKey} (${id}): target ${target} is not an integration of this stack`);
        const ip = resolve<Record<string, unknown>>(integration[1].Properties ?? {}, ctx, `Resources.${integration[0]}.Properties`);
        if (ip.IntegrationType !== 'AWS_PROXY') throw new UnsupportedTemplateError(`route ${routeKey}: integration type ${String(ip.IntegrationType)} is not emulated (AWS_PROXY is)`);
        if (String(ip.PayloadFormatVersion ?? '1.0') !== '2.0') throw new UnsupportedTemplateError(`route ${routeKey}: payload format ${String(ip.PayloadFormatVersion ?? '1.0')} is not emulated (2.0 is)`);
        const fn = fnFromArnOrName(functionArnFrom(String(ip.IntegrationUri)), `route ${routeKey}`);
        const authType = String(p.AuthorizationType ?? 'NONE');
        let authorizer: JwtVerifier | undefined;
        if (authType === 'JWT') {
          const authorizerId = String(p.AuthorizerId);
          const auth = byRef('AWS::ApiGatewayV2::Authorizer', authorizerId);
          if (!auth) throw new UnsupportedTemplateError(`route ${routeKey}: authorizer ${authorizerId} is not in this stack`);
          authorizer = verifiers.get(auth[0]);
          if (!authorizer) {
            const ap = resolve<Record<string, unknown>>(auth[1].Properties ?? {}, ctx, `Resources.${auth[0]}.Properties`);
            const jwt = ap.JwtConfiguration as { Issuer: string; Audience: string[] };
            const identity = (ap.IdentitySource as string[] | undefined) ?? [];
            if (ap.AuthorizerType !== 'JWT' || !identity.some((s) => s.toLowerCase() === '$request.header.authorization')) {
              throw new UnsupportedTemplateError(`authorizer ${auth[0]}: only JWT authorizers reading $request.header.Authorization are emulated`);
            }
            const m = /^https:\/\/cognito-idp\.[^.]+\.amazonaws\.com\/(.+)$/.exec(jwt.Issuer);
            const poolId = m?.[1];
            if (!poolId || !Object.values(state.cognito.pools).includes(poolId)) {
              throw new UnsupportedTemplateError(`authorizer ${auth[0]}: issuer ${jwt.Issuer} is not a user pool of this stack`);
            }
            const issuer = `${cognitoLocal.url}/${poolId}`;
            authorizer = new JwtVerifier({ issuer, audience: jwt.Audience, jwksUri: `${issuer}/.well-known/jwks.json` });
            verifiers.set(auth[0], authorizer);
            issuerInfo = { userPoolId: poolId, clientId: jwt.Audience[0], issuer };
            log.debug('gateway', `authorizer ${auth[0]}: ${jwt.Issuer} → ${issuer}`);
          }
        } else if (authType !== 'NONE') {
          throw new UnsupportedTemplateError(`route ${routeKey}: authorization type ${authType} is not emulated (NONE and JWT are)`);
        }
        routes.push({ routeKey, fn, authorizer, scopes: (p.AuthorizationScopes as string[] | undefined) ?? undefined });
      }
      const stage = Object.entries(active).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Stage');
      const stageProps = stage ? resolve<Record<string, unknown>>(stage[1].Properties ?? {}, ctx, `Resources.${stage[0]}.Properties`) : {};
      type RouteSettings = { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number };
      const throttling = stageProps.DefaultRouteSettings as RouteSettings | undefined;
      const perRoute = (stageProps.RouteSettings ?? {}) as Record<string, RouteSettings>;
      for (const [routeKey, settings] of Object.entries(perRoute)) {
        const route = routes.find((r) => r.routeKey === routeKey);
        if (!route) throw new UnsupportedTemplateError(`stage ${stage![0]}: RouteSettings for ${routeKey}, which is not a route`);
        if (settings.ThrottlingRateLimit !== undefined) {
          route.throttle = { rateLimit: settings.ThrottlingRateLimit, burstLimit: settings.ThrottlingBurstLimit ?? settings.ThrottlingRateLimit };
        }
      }
      gateway.configure(routes, {
        apiId: physical.get(apiId)!.ref,
        cors: apiProps.CorsConfiguration as CorsConfig | undefined,
        throttle:
          throttling?.ThrottlingRateLimit !== undefined
            ? { rateLimit: throttling.ThrottlingRateLimit, burstLimit: throttling.ThrottlingBurstLimit ?? throttling.ThrottlingRateLimit }
            : undefined,
      });
    } else {
      gateway.configure([]);
    }

    // ---- event source mappings
    const checkpointFile = path.join(dataDir, 'stream-checkpoints.json');
    const checkpointData = await readJson<Record<string, { seq: Record<string, string>; done: string[] }>>(checkpointFile, {});
    let saveTimer: NodeJS.Timeout | undefined;
    const saveCheckpoints = () => writeFile(checkpointFile, JSON.stringify(checkpointData));
    const checkpoints: Checkpoints = {
      get: (m, s) => checkpointData[m]?.seq[s],
      set: (m, s, seq) => {
        (checkpointData[m] ??= { seq: {}, done: [] }).seq[s] = seq;
        saveTimer ??= setTimeout(() => {
          saveTimer = undefined;
          void saveCheckpoints();
        }, 200);
      },
      done: (m, s) => checkpointData[m]?.done.includes(s) ?? false,
      finish: (m, s) => void (checkpointData[m] ??= { seq: {}, done: [] }).done.push(s),
    };
    stops.push({
      name: 'checkpoints',
      stop: async () => {
        clearTimeout(saveTimer);
        await saveCheckpoints();
      },
    });
    const streamsApi = new StreamsApi(ddb.url, region);
    const queueByArn = new Map([...physical.entries()].filter(([id]) => active[id]!.Type === 'AWS::SQS::Queue').map(([id, v]) => [String(v.attributes.Arn), { id, url: v.ref }]));
    const streamByArn = new Map([...physical.entries()].filter(([id]) => active[id]!.Type === 'AWS::DynamoDB::Table').map(([id, v]) => [String(v.attributes.StreamArn), id]));
    const pollers: Array<{ stop(): Promise<void>; start(): void }> = [];
    for (const [id, r] of Object.entries(active)) {
      if (r.Type !== 'AWS::Lambda::EventSourceMapping') continue;
      const p = resolve<Record<string, unknown>>(r.Properties ?? {}, ctx, `Resources.${id}.Properties`);
      if (p.Enabled === false) continue;
      const fn = fnFromArnOrName(String(p.FunctionName), `event source mapping ${id}`);
      const filters: FilterPattern[] = ((p.FilterCriteria as { Filters?: Array<{ Pattern: string }> } | undefined)?.Filters ?? []).map((f, i) =>
        parsePattern(f.Pattern, `Resources.${id}.Properties.FilterCriteria.Filters[${i}].Pattern`),
      );
      const responseTypes = (p.FunctionResponseTypes as string[] | undefined) ?? [];
      const sourceArn = String(p.EventSourceArn);
      const queue = queueByArn.get(sourceArn);
      const table = streamByArn.get(sourceArn);
      for (const unsupported of ['TumblingWindowInSeconds', 'SelfManagedEventSource', 'Queues', 'Topics']) {
        if (p[unsupported] !== undefined) throw new UnsupportedTemplateError(`event source mapping ${id}: ${unsupported} is not emulated`);
      }
      if (queue) {
        pollers.push(
          new SqsPoller(
            {
              id,
              fn,
              queueUrl: queue.url,
              queueArn: sourceArn,
              batchSize: Number(p.BatchSize ?? 10),
              maximumBatchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
              reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
              filters,
              region,
              retryDelaySeconds: options.sqsRetryDelaySeconds,
            },
            sqs,
            log,
          ),
        );
      } else if (table) {
        const position = String(p.StartingPosition ?? 'LATEST');
        if (position !== 'LATEST' && position !== 'TRIM_HORIZON') throw new UnsupportedTemplateError(`event source mapping ${id}: StartingPosition ${position} is not emulated`);
        const onFailureArn = (p.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination;
        const onFailureQueue = onFailureArn ? queueByArn.get(onFailureArn) : undefined;
        if (onFailureArn && !onFailureQueue) throw new UnsupportedTemplateError(`event source mapping ${id}: on-failure destination ${onFailureArn} is not a queue of this stack`);
        pollers.push(
          new StreamPoller(
            {
              id,
              fn,
              streamArn: sourceArn,
              batchSize: Number(p.BatchSize ?? 100),
              startingPosition: position,
              maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
              bisectBatchOnFunctionError: p.BisectBatchOnFunctionError === true,
              reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
              maximumRecordAgeSeconds: Number(p.MaximumRecordAgeInSeconds ?? -1),
              filters,
              region,
              onFailure: onFailureQueue
                ? async (info) => {
                    await sqs.send(new SendMessageCommand({ QueueUrl: onFailureQueue.url, MessageBody: JSON.stringify(info) }));
                  }
                : undefined,
            },
            streamsApi,
            checkpoints,
            log,
          ),
        );
      } else {
        throw new UnsupportedTemplateError(`event source mapping ${id}: source ${sourceArn} is neither a queue nor a table stream of this stack`);
      }
    }
    for (const poller of pollers) {
      poller.start();
      register('poller', () => poller.stop());
    }

    // ---- schedules
    for (const [id, r] of Object.entries(active)) {
      if (r.Type !== 'AWS::Events::Rule') continue;
      const p = resolve<Record<string, unknown>>(r.Properties ?? {}, ctx, `Resources.${id}.Properties`);
      if (p.State === 'DISABLED') continue;
      if (!p.ScheduleExpression) throw new UnsupportedTemplateError(`rule ${id}: event-pattern rules are not emulated (schedule rules are)`);
      const schedule = parseSchedule(String(p.ScheduleExpression));
      for (const target of (p.Targets as Array<{ Arn: string; Id: string; Input?: string }> | undefined) ?? []) {
        const fn = fnFromArnOrName(target.Arn, `rule ${id}`);
        const fire = () => {
          const event = target.Input
            ? (JSON.parse(target.Input) as unknown)
            : {
                version: '0',
                id: randomUUID(),
                'detail-type': 'Scheduled Event',
                source: 'aws.events',
                account: ACCOUNT_ID,
                time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
                region,
                resources: [physical.get(id)!.attributes.Arn],
                detail: {},
              };
          log.debug('schedule', `${id} → ${fn.def.label}`);
          void fn.invoke(event);
        };
        const stop = runSchedule(schedule, fire);
        register(`rule ${id}`, async () => stop());
        log.debug('schedule', `${id}: ${String(p.ScheduleExpression)} → ${fn.def.label}`);
      }
    }
    register('s3 snapshot', saveBuckets);

    // ---- organizer sign-in
    const session: Session = {
      apiUrl: gateway.baseUrl,
      mailUrl: ses.url,
      organizer: { username: '', password: '', token: '' },
      events: [],
      invitations: [],
    };
    if (userPools.length) {
      const poolLogicalId = userPools[0]!;
      const poolId = physical.get(poolLogicalId)!.ref;
      const poolProps = resolve<Record<string, unknown>>(active[poolLogicalId]!.Properties ?? {}, ctx, `Resources.${poolLogicalId}.Properties`);
      const email = 'organizer@cumbre.example';
      const minLength = Number((poolProps.Policies as { PasswordPolicy?: { MinimumLength?: number } } | undefined)?.PasswordPolicy?.MinimumLength ?? 8);
      // The email is the username: it signs in on email-username pools, alias pools, and
      // cognito-local (whose pools default to email usernames).
      state.organizer ??= { username: email, email, password: generatePassword(minLength) };
      await saveState();
      await ensureOrganizer(
        cognito,
        poolId,
        state.organizer,
        groups.filter((g) => g.pool === poolId).map((g) => g.name),
      );
      const client = userPoolClients.find((c) => c.poolLogicalId === poolLogicalId && c.flows.some((f) => /USER_PASSWORD_AUTH$/.test(f))) ?? userPoolClients.find((c) => c.poolLogicalId === poolLogicalId);
      const organizer = state.organizer;
      const signIn = async () => {
        if (!client) return { token: '', expiresIn: 0 };
        const auth = await cognito.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: physical.get(client.id)!.ref,
            AuthParameters: { USERNAME: organizer.username, PASSWORD: organizer.password },
          }),
        );
        return { token: auth.AuthenticationResult?.IdToken ?? '', expiresIn: auth.AuthenticationResult?.ExpiresIn ?? 3600 };
      };
      // Cumbre's roles: the organizer organizes the summit; one more user per role beside them.
      if (seededEvents.some((e) => e.id === DEMO_EVENT_ID) || state.events.some((e) => e.id === DEMO_EVENT_ID))
        session.users = await seedCumbreUsers({ cognito, poolId, clientId: client && physical.get(client.id)!.ref, dataDir, eventId: DEMO_EVENT_ID, minPasswordLength: minLength, organizer });
      const first = await signIn();
      session.organizer = { username: organizer.username, password: organizer.password, token: first.token };
      if (first.token) {
        // The token in session.json stays usable for as long as the cloud runs.
        const refresh = setInterval(
          () =>
            void signIn()
              .then(async ({ token }) => {
                session.organizer.token = token;
                await writeFile(path.join(dataDir, 'session.json'), JSON.stringify(session, null, 2), { mode: 0o600 });
                log.debug('cognito', 'organizer token refreshed in session.json');
              })
              .catch((err: unknown) => log.warn('cognito', `organizer token refresh failed: ${(err as Error).message}`)),
          Math.max(60, first.expiresIn - 300) * 1000,
        );
        refresh.unref();
        register('token refresh', async () => clearInterval(refresh));
      }
    }

    mark('organizer');
    checkAborted();
    // ---- demo invitations, first start only
    const eventsById = new Map([...state.events, ...seededEvents].map((e) => [e.id, e]));
    state.events = [...eventsById.values()];
    session.events = state.events;
    const importRoute = routes.find((r) => r.routeKey === 'POST /events/{eventId}/invitations');
    if (options.seedDemo !== false && !state.demo && session.events.some((e) => e.id === DEMO_EVENT_ID)) {
      if (!importRoute || !session.organizer.token) {
        log.warn('seed', 'no POST /events/{eventId}/invitations route or no organizer token yet: demo invitations not imported');
      } else {
        const res = await fetch(`${gateway.baseUrl}/events/${DEMO_EVENT_ID}/invitations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${session.organizer.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(DEMO_INVITEES),
        });
        const body = (await res.json().catch(() => ({}))) as { results?: Array<{ email: string; rsvpUrl?: string }> };
        if (!res.ok) {
          log.warn('seed', `demo import answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
        } else {
          const invitations = (body.results ?? []).filter((r) => r.rsvpUrl).map((r) => ({ email: r.email, rsvpPath: new URL(r.rsvpUrl!).pathname }));
          state.demo = { importedAt: new Date().toISOString(), invitations };
          await saveState();
          log.info('seed', `imported ${invitations.length} demo invitations into ${DEMO_EVENT_ID}`);
        }
      }
    }
    // RSVP links are only shown at import; the stored paths follow the gateway if its port changed.
    session.invitations = (state.demo?.invitations ?? []).map((i) => ({ email: i.email, rsvpUrl: `${gateway.baseUrl}${i.rsvpPath}` }));
    await writeFile(path.join(dataDir, 'session.json'), JSON.stringify(session, null, 2), { mode: 0o600 });

    const runtimes = [...new Set([...functions.values()].filter((f) => !notRunnable.has(f.def.logicalId)).map((f) => f.def.runtime))];
    const localMajor = `nodejs${process.versions.node.split('.')[0]}.x`;
    if (runtimes.some((r) => r !== localMajor)) log.info('cumbre', `functions declare ${runtimes.join(', ')}; they run on this machine's Node ${process.versions.node}`);
    checkAborted();
    options.signal?.removeEventListener('abort', onAbort);
    const startupMs = mark('ready');
    log.debug('cumbre', `start-up timings (ms from start): ${JSON.stringify(timings)}`);
    const resources: LocalResource[] = [...physical.entries()].map(([logicalId, v]) => ({ logicalId, type: active[logicalId]!.Type, ref: v.ref, attributes: v.attributes }));
    const findFn = (idOrName: string) => {
      const fn = functions.get(idOrName) ?? [...functions.values()].find((f) => f.def.label === idOrName || f.def.functionName === idOrName);
      if (!fn) throw new Error(`no function ${idOrName}`);
      return fn;
    };
    log.info('cumbre', `ready in ${(startupMs / 1000).toFixed(1)} s: ${functions.size - notRunnable.size} functions, ${routes.length} routes, ${pollers.length} event sources`);
    return {
      apiUrl: gateway.baseUrl,
      mailUrl: ses.url,
      region,
      dataDir,
      templatePath: loaded.templatePath,
      startupMs,
      timings,
      endpoints,
      credentials: CREDENTIALS,
      session,
      resources,
      routes: routes.map((r) => r.routeKey),
      cognito: issuerInfo,
      invoke: (idOrName, event) => runnable(findFn(idOrName), `invoke ${idOrName}`).invoke(event),
      invocations: (idOrName) => findFn(idOrName).invocations,
      stop: stopAll,
    };
  } catch (err) {
    options.signal?.removeEventListener('abort', onAbort);
    await stopAll();
    if (options.signal?.aborted) throw new StartAbortedError();
    if (err instanceof UnsupportedIntrinsicError) throw new UnsupportedTemplateError(err.message);
    throw err;
  }
};

/** The facts of a running cloud without its functions: what global setup hands to tests. */
export const cloudInfo = (cloud: LocalCloud): LocalCloudInfo => {
  const { invoke: _i, invocations: _n, stop: _s, ...info } = cloud;
  return info;
};
