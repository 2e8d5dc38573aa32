import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const waitForPort = async (port: number, child: ChildProcess, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`DynamoDB Local did not open port ${port} within ${timeoutMs} ms`);
};

/** Starts DynamoDB Local (in memory) once for the integration project and stops it afterwards. */
export default async function setup(project: TestProject) {
  const emulator = join(dirname(createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  const port = await freePort();
  const child = spawn(
    'java',
    [`-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`, '-jar', join(emulator, 'DynamoDBLocal.jar'), '-sharedDb', '-inMemory', '-port', String(port)],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: tmpdir() },
  );
  child.on('error', (err) => {
    throw new Error(`Cannot start DynamoDB Local (is Java 17+ installed?): ${err.message}`);
  });
  await waitForPort(port, child);
  project.provide('dynamoEndpoint', `http://127.0.0.1:${port}`);
  return async () => {
    child.kill('SIGTERM');
  };
}
