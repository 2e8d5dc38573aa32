import path from 'node:path';
import type { Lifecycle } from '../lifecycle.js';
import type { Log } from '../log.js';
import { readStateFile, writeFileAtomic } from '../state-files.js';
import type { Checkpoints } from './dynamodb-streams.js';

type CheckpointData = Record<string, { seq: Record<string, string>; done: string[] }>;

/**
 * Stream mappings' progress in `<dataDir>/stream-checkpoints.json`, written atomically a moment
 * after it moves (and on stop), so a restart neither replays the stream nor skips what happened
 * meanwhile. A file that cannot be read is named and set aside; the mappings then start over from
 * the oldest record the stream still holds (TRIM_HORIZON), which consumers absorb by idempotency.
 */
export const loadCheckpoints = async (dataDir: string, log: Log, life: Lifecycle): Promise<Checkpoints> => {
  const file = path.join(dataDir, 'stream-checkpoints.json');
  let lost = false;
  const data = await readStateFile<CheckpointData>(file, {}, log, 'stream mappings start from the oldest record the stream still holds (TRIM_HORIZON)', () => (lost = true));
  let saveTimer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let crashed = false;
  const save = () => (writing = writing.catch(() => undefined).then(() => (crashed ? undefined : writeFileAtomic(file, JSON.stringify(data)))));
  life.register(
    'checkpoints',
    async () => {
      clearTimeout(saveTimer);
      await save();
    },
    // A crash loses the progress of the last moments: those records are delivered again.
    async () => {
      clearTimeout(saveTimer);
      crashed = true;
    },
  );
  return {
    get: (m, s) => data[m]?.seq[s],
    set: (m, s, seq) => {
      (data[m] ??= { seq: {}, done: [] }).seq[s] = seq;
      saveTimer ??= setTimeout(() => {
        saveTimer = undefined;
        void save().catch((err: unknown) => log.warn('cumbre', `saving ${file}: ${(err as Error).message}`));
      }, 200);
    },
    done: (m, s) => data[m]?.done.includes(s) ?? false,
    finish: (m, s) => void (data[m] ??= { seq: {}, done: [] }).done.push(s),
    fromTrimHorizon: lost,
  };
};
