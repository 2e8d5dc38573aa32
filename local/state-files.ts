import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Log } from './log.js';

/**
 * The local cloud's own files in the data dir (state, checkpoints, mail, secrets, S3 objects). A
 * stop can come at any moment (Ctrl-C mid-burst, SIGKILL, a closed terminal), so every file is
 * written whole or not at all: to a temporary file beside it, flushed, then renamed over it.
 */
export const writeFileAtomic = async (file: string, data: string | Uint8Array, mode = 0o600): Promise<void> => {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data, { mode, flush: true });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
};

/** A JSON state file that exists but cannot be read back: it is named so the user knows what was lost. */
export class BadStateFileError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
    what?: string,
  ) {
    super(`${file} is not valid JSON (${(cause as Error).message})${what ? `: ${what}` : ''}`);
    this.name = 'BadStateFileError';
  }
}

/**
 * Reads a JSON state file. Missing → `fallback`. Unreadable (empty, truncated by a crash before
 * files were written atomically, edited by hand) → the file is named in the log, kept aside as
 * `<file>.bad-<time>` for a look, and `fallback` is used: `recovery` says what that means.
 */
export const readStateFile = async <T>(file: string, fallback: T, log: Log, recovery: string, onBad?: () => void): Promise<T> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    const aside = `${file}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(file, aside).catch(() => undefined);
    log.warn('cumbre', `${new BadStateFileError(file, err).message}: kept as ${path.basename(aside)}; ${recovery}`);
    onBad?.();
    return fallback;
  }
};
