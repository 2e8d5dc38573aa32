import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Log } from '../log.js';
import { waitForPort } from '../ports.js';
import { startManaged, type Managed } from './processes.js';
import { startStrictSes } from './ses-strict.js';
import { makeDurable, type DurableBuckets } from './s3-durable.js';
import { makeQueuesDurable, type DurableQueues } from './sqs-durable.js';
import { Mailbox } from './ses-mailbox.js';
import type { ProcessEmulator } from './supervisor.js';

const require = createRequire(import.meta.url);

/** Thrown for a problem the user fixes outside the code (Java, a busy port): printed as one line. */
export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

export const checkJava = (): void => {
  const r = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    throw new PreflightError(
      'Java is not installed (DynamoDB Local needs it): install a JRE 17+ (e.g. `apt-get install openjdk-17-jre-headless` or `brew install openjdk@17`) and run again.',
    );
  }
};

/** Java and cognito-local start in 2–5 s on a quiet machine; a loaded one (CI, parallel test runs) took 36 s. */
const STARTUP_TIMEOUT_MS = Number(process.env.CUMBRE_EMULATOR_TIMEOUT_MS ?? 120_000);

export interface Emulator {
  name: string;
  url: string;
  /** The child process, for emulators that run in one. */
  pid?: number;
  stop(): Promise<void>;
}

/** `inMemory` (tests, benchmarks) keeps nothing on disk and is faster; the local cloud keeps its data. */
export const startDynamoDbLocal = async (opts: { port: number; dataDir: string; log: Log; inMemory?: boolean }): Promise<ProcessEmulator> => {
  const emulatorDir = path.join(path.dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  const dbPath = path.join(opts.dataDir, 'dynamodb');
  if (!opts.inMemory) await mkdir(dbPath, { recursive: true });
  const managed: Managed = startManaged(
    'dynamodb-local',
    'java',
    [
      `-Djava.library.path=${path.join(emulatorDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(emulatorDir, 'DynamoDBLocal.jar'),
      '-sharedDb',
      ...(opts.inMemory ? ['-inMemory'] : ['-dbPath', dbPath]),
      '-port',
      String(opts.port),
    ],
    { cwd: emulatorDir },
    opts.log,
  );
  await waitForPort(opts.port, STARTUP_TIMEOUT_MS, () => !managed.exited).catch(async (err: unknown) => {
    await managed.stop();
    throw new Error(`DynamoDB Local did not start: ${(err as Error).message}`);
  });
  return { name: 'DynamoDB Local', url: `http://127.0.0.1:${opts.port}`, pid: managed.child.pid, child: managed.child, stop: () => managed.stop() };
};

export const startCognitoLocal = async (opts: { port: number; dataDir: string; log: Log }): Promise<ProcessEmulator> => {
  const cwd = path.join(opts.dataDir, 'cognito');
  await mkdir(cwd, { recursive: true });
  const host = '127.0.0.1';
  const managed = startManaged(
    'cognito-local',
    process.execPath,
    [require.resolve('cognito-local/lib/bin/start.js')],
    // cognito-local keeps its pools under `<cwd>/.cognito`.
    { cwd, env: { PATH: process.env.PATH ?? '', PORT: String(opts.port), HOST: host } },
    opts.log,
  );
  await waitForPort(opts.port, STARTUP_TIMEOUT_MS, () => !managed.exited).catch(async (err: unknown) => {
    await managed.stop();
    throw new Error(`cognito-local did not start: ${(err as Error).message}`);
  });
  return { name: 'cognito-local', url: `http://${host}:${opts.port}`, pid: managed.child.pid, child: managed.child, stop: () => managed.stop() };
};

export interface FauxqsEmulator extends Emulator {
  port: number;
  server: import('fauxqs').FauxqsServer;
  /** Where S3 objects are written the moment they are put (`<dataDir>/s3`). */
  buckets: DurableBuckets;
  /** Where queue messages are journaled as they are sent and deleted (`<dataDir>/sqs/messages.jsonl`). */
  queues: DurableQueues;
}

export const startFauxqsEmulator = async (opts: { port: number; region: string; dataDir: string; log: Log }): Promise<FauxqsEmulator> => {
  const { startFauxqs } = await import('fauxqs');
  // The spy (one entry kept) is how the durable S3 layer recognises this server's store.
  const server = await startFauxqs({ port: opts.port, logger: false, defaultRegion: opts.region, messageSpies: { bufferSize: 1 } });
  const buckets = await makeDurable(server.spy, path.join(opts.dataDir, 's3'));
  const queues = await makeQueuesDurable(server.spy, path.join(opts.dataDir, 'sqs', 'messages.jsonl'), opts.log);
  return { name: 'fauxqs', port: server.port, url: `http://127.0.0.1:${server.port}`, server, buckets, queues, stop: () => server.stop() };
};

/** aws-ses-v2-local, with its sent mail kept in `<dataDir>/mail.jsonl` across restarts (see Mailbox). */
export const startSesLocal = async (opts: {
  port: number;
  dataDir: string;
  log: Log;
}): Promise<Emulator & { port: number; mailbox: Mailbox; pauseSending: (paused: boolean) => void }> => {
  const mailbox = await Mailbox.open(opts.dataDir, opts.log);
  const ses = (await import('aws-ses-v2-local')) as unknown as { default: (c: { host: string; port: number }) => Promise<Server> } & ((c: {
    host: string;
    port: number;
  }) => Promise<Server>);
  const start = typeof ses.default === 'function' ? ses.default : ses;
  // aws-ses-v2-local listens on a free port behind the strict layer, which refuses what SES refuses.
  const backend = await start({ host: '127.0.0.1', port: 0 });
  const backendAddress = backend.address();
  const strict = await startStrictSes({ port: opts.port, backend: `http://127.0.0.1:${typeof backendAddress === 'object' && backendAddress ? backendAddress.port : 0}` });
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return {
    name: 'aws-ses-v2-local',
    mailbox,
    pauseSending: strict.pauseSending,
    port: strict.port,
    url: `http://127.0.0.1:${strict.port}`,
    stop: async () => {
      mailbox.detach();
      await close(strict.server);
      await close(backend);
    },
  };
};
