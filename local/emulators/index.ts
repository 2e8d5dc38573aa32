import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Log } from '../log.js';
import { waitForPort } from '../ports.js';
import { startManaged, type Managed } from './processes.js';
import { startStrictSes } from './ses-strict.js';

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

export interface Emulator {
  name: string;
  url: string;
  /** The child process, for emulators that run in one. */
  pid?: number;
  stop(): Promise<void>;
}

/** `inMemory` (tests, benchmarks) keeps nothing on disk and is faster; the local cloud keeps its data. */
export const startDynamoDbLocal = async (opts: { port: number; dataDir: string; log: Log; inMemory?: boolean }): Promise<Emulator> => {
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
  // The JVM alone can take most of a minute on a loaded 2-core machine; a dead process still fails at once.
  await waitForPort(opts.port, 90_000, () => !managed.exited).catch(async (err: unknown) => {
    await managed.stop();
    throw new Error(`DynamoDB Local did not start: ${(err as Error).message}`);
  });
  return { name: 'DynamoDB Local', url: `http://127.0.0.1:${opts.port}`, pid: managed.child.pid, stop: managed.stop };
};

export const startCognitoLocal = async (opts: { port: number; dataDir: string; log: Log }): Promise<Emulator & { host: string }> => {
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
  await waitForPort(opts.port, 30_000, () => !managed.exited).catch(async (err: unknown) => {
    await managed.stop();
    throw new Error(`cognito-local did not start: ${(err as Error).message}`);
  });
  return { name: 'cognito-local', url: `http://${host}:${opts.port}`, host, pid: managed.child.pid, stop: managed.stop };
};

export interface FauxqsEmulator extends Emulator {
  port: number;
  server: import('fauxqs').FauxqsServer;
}

export const startFauxqsEmulator = async (opts: { port: number; region: string }): Promise<FauxqsEmulator> => {
  const { startFauxqs } = await import('fauxqs');
  const server = await startFauxqs({ port: opts.port, logger: false, defaultRegion: opts.region });
  return { name: 'fauxqs', port: server.port, url: `http://127.0.0.1:${server.port}`, server, stop: () => server.stop() };
};

export const startSesLocal = async (opts: { port: number }): Promise<Emulator & { port: number }> => {
  const ses = (await import('aws-ses-v2-local')) as unknown as { default: (c: { host: string; port: number }) => Promise<Server> } & ((c: { host: string; port: number }) => Promise<Server>);
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
    port: strict.port,
    url: `http://127.0.0.1:${strict.port}`,
    stop: async () => {
      await close(strict.server);
      await close(backend);
    },
  };
};
