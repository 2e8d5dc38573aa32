import { readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { Log } from '../log.js';
import { writeFileAtomic } from '../state-files.js';

/**
 * Emulators a previous start of this data dir left running (the terminal was closed, the process
 * was killed with SIGKILL). Child processes of a function die with their IPC channel; Java and
 * cognito-local do not. Their pids are recorded, and on the next start each one is stopped — but
 * only after checking that the pid still is that emulator for this data dir, never by name.
 */
const PIDS = 'emulator-pids.json';

const belongsToDataDir = async (pid: number, dataDir: string): Promise<boolean> => {
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    const isDynamo = cmdline.some((a) => a.endsWith('DynamoDBLocal.jar')) && cmdline.includes(path.join(dataDir, 'dynamodb'));
    const isCognito = cmdline.some((a) => a.endsWith(path.join('cognito-local', 'lib', 'bin', 'start.js'))) && cwd === path.join(dataDir, 'cognito');
    return isDynamo || isCognito;
  } catch {
    return false;
  }
};

export const stopLeftovers = async (dataDir: string, log: Log): Promise<void> => {
  let pids: number[];
  try {
    pids = JSON.parse(await readFile(path.join(dataDir, PIDS), 'utf8')) as number[];
  } catch {
    return;
  }
  for (const pid of pids) {
    if (!(await belongsToDataDir(pid, dataDir))) continue;
    log.warn('cumbre', `stopping an emulator (pid ${pid}) an earlier start of ${dataDir} left running`);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      continue;
    }
    for (let i = 0; i < 50 && (await belongsToDataDir(pid, dataDir)); i++) await new Promise((r) => setTimeout(r, 100));
    if (await belongsToDataDir(pid, dataDir)) process.kill(pid, 'SIGKILL');
  }
  await writeFileAtomic(path.join(dataDir, PIDS), '[]');
};

export const recordPids = (dataDir: string, pids: number[]): Promise<void> => writeFileAtomic(path.join(dataDir, PIDS), JSON.stringify(pids));
