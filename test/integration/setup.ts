import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { checkJava, startDynamoDbLocal } from '../../local/emulators/index.js';
import { createLog } from '../../local/log.js';
import { freePort } from '../../local/ports.js';
import { useDynamoEndpoint } from '../support/dynamo.js';

/**
 * Each integration file gets a DynamoDB Local of its own (the local cloud's launcher, in memory),
 * started before the file is imported and stopped after it. A shared one carried one file's
 * aftermath into the next: after the 2,000-answer burst the emulator answered the next file's
 * import so slowly that its hook timed out. About 3 s per file buys that isolation.
 */
checkJava();
const dataDir = await mkdtemp(join(tmpdir(), 'cumbre-integration-'));
const dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir, inMemory: true, log: createLog({ level: 'error', write: (t) => process.stderr.write(t) }) });
useDynamoEndpoint(dynamo.url);

afterAll(async () => {
  await dynamo.stop();
  await rm(dataDir, { recursive: true, force: true });
});
