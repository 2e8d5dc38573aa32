import path from 'node:path';
import type { Bootstrap } from './bootstrap/contract.js';
import { PreflightError } from './emulators/index.js';
import { createLog, parseLevel, type Log } from './log.js';
import { freePort, portBusy } from './ports.js';

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
  /** Default: `CUMBRE_STACK` or the bootstrap's stack. */
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
  /**
   * Put a metering proxy between the functions and DynamoDB Local (the bench): their requests by
   * operation and the capacity DynamoDB Local reports, read through `LocalCloud.dynamoMeter`.
   */
  meterDynamo?: boolean;
  /** Aborting stops whatever has started and makes start-up throw `StartAbortedError`. */
  signal?: AbortSignal;
  /** What runs once the stack is up (users, seed data, session facts). Default: Cumbre's. */
  bootstrap?: Bootstrap;
}

/** The options with every default applied: what the rest of start-up reads. */
export interface Settings {
  root: string;
  dataDir: string;
  cdkOut: string;
  stackName: string;
  region: string;
  accountId: string;
  userLogLevel?: string;
  synthMode: boolean | 'auto';
  log: Log;
}

export const ACCOUNT_ID = '000000000000';
export const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export const settingsFrom = (options: LocalCloudOptions, bootstrap: Bootstrap): Settings => {
  const root = path.resolve(options.root ?? process.cwd());
  const userLogLevel = options.logLevel ?? process.env.LOG_LEVEL;
  const envSynth = process.env.CUMBRE_SYNTH;
  return {
    root,
    dataDir: path.resolve(options.dataDir ?? process.env.CUMBRE_DATA_DIR ?? path.join(root, '.local')),
    cdkOut: path.resolve(options.cdkOut ?? process.env.CUMBRE_CDK_OUT ?? path.join(root, 'cdk.out')),
    stackName: options.stackName ?? process.env.CUMBRE_STACK ?? bootstrap.defaultStackName,
    region: options.region ?? 'us-east-1',
    accountId: ACCOUNT_ID,
    userLogLevel,
    synthMode: options.synth ?? (envSynth === 'always' ? true : envSynth === 'never' ? false : 'auto'),
    log: createLog({ level: parseLevel(userLogLevel), quiet: options.quiet, write: options.write }),
  };
};

export const resolvePorts = async (option: LocalCloudOptions['ports']): Promise<Ports> => {
  const wanted = option ?? (process.env.CUMBRE_PORTS === 'auto' ? 'auto' : {});
  if (wanted === 'auto') {
    const entries = await Promise.all(Object.keys(DEFAULT_PORTS).map(async (k) => [k, await freePort()] as const));
    return Object.fromEntries(entries) as unknown as Ports;
  }
  const ports = { ...DEFAULT_PORTS, ...wanted };
  for (const [key, port] of Object.entries(ports) as Array<[keyof Ports, number]>) {
    if (port !== 0 && (await portBusy(port))) {
      throw new PreflightError(
        `Port ${port} (${PORT_NAMES[key]}) is already in use: stop what holds it (\`lsof -i :${port}\`; maybe another \`npm start\`) or run with CUMBRE_PORTS=auto.`,
      );
    }
  }
  for (const key of Object.keys(ports) as Array<keyof Ports>) if (ports[key] === 0) ports[key] = await freePort();
  return ports;
};
