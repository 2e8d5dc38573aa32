import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { checkJava, startDynamoDbLocal } from '../../local/emulators/index.js';
import { createLog } from '../../local/log.js';
import { freePort } from '../../local/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** Starts DynamoDB Local once for the integration project (the local cloud's own launcher) and stops it afterwards. */
export default async function setup(project: TestProject) {
  checkJava();
  const dataDir = await mkdtemp(join(tmpdir(), 'cumbre-integration-'));
  const dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir, inMemory: true, log: createLog({ level: 'error', write: (t) => process.stderr.write(t) }) });
  project.provide('dynamoEndpoint', dynamo.url);
  return async () => {
    await dynamo.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
