import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { cloudInfo, startLocalCloud, synthesize, type LocalCloud, type LocalCloudInfo } from '../../local/index.js';
import { createLog } from '../../local/log.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The synthesized Cumbre stack running locally, or why it is not. */
    localCloud: { info?: LocalCloudInfo; templatePath?: string; error?: string };
  }
}

/**
 * Starts the whole local cloud once for the e2e and browser tests: synthesizes the app into a
 * temporary assembly (so a running `npm start` or `cdk synth` is not disturbed), uses free ports
 * and a throw-away data dir. A failure is handed to the tests, which report it, rather than
 * aborting the run before the template coverage test can say what is missing.
 */
export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, '../..');
  const work = await mkdtemp(path.join(os.tmpdir(), 'cumbre-e2e-'));
  const cdkOut = path.join(work, 'cdk.out');
  const lines: string[] = [];
  const write = (text: string) => {
    lines.push(text);
    if (process.env.CUMBRE_E2E_LOG) process.stdout.write(text);
  };
  let cloud: LocalCloud | undefined;
  let templatePath: string | undefined;
  try {
    await synthesize({ root, cdkOut, log: createLog({ level: 'info', write }) });
    templatePath = path.join(cdkOut, `${process.env.CUMBRE_STACK ?? 'Cumbre-dev'}.template.json`);
    // Tests that start a cloud of their own (stack-faults) need only the template: run them alone with this set.
    if (process.env.CUMBRE_E2E_SHARED_CLOUD === 'off') {
      project.provide('localCloud', { templatePath, error: 'the shared local cloud is off (CUMBRE_E2E_SHARED_CLOUD=off)' });
      return async () => rm(work, { recursive: true, force: true });
    }
    cloud = await startLocalCloud({
      root,
      cdkOut,
      synth: false,
      dataDir: path.join(work, 'data'),
      ports: 'auto',
      quiet: !process.env.CUMBRE_E2E_LOG,
      write,
      // Failed messages come back at once, so "fails maxReceiveCount times → DLQ" takes seconds.
      sqsRetryDelaySeconds: 0,
    });
    project.provide('localCloud', { info: cloudInfo(cloud), templatePath });
  } catch (err) {
    project.provide('localCloud', { templatePath, error: `${(err as Error).message}\n${lines.slice(-30).join('')}` });
  }
  return async () => {
    await cloud?.stop();
    await rm(work, { recursive: true, force: true });
  };
}
