import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DurableBuckets } from '../emulators/s3-durable.js';
import type { Log } from '../log.js';

interface SavedObject {
  key: string;
  contentType?: string;
  metadata?: Record<string, string>;
}

/** The layout before objects were written on put: one snapshot per bucket, taken on a clean stop. */
const legacySnapshot = async (bucketDir: string): Promise<Array<SavedObject & { file: string }>> => {
  try {
    return JSON.parse(await readFile(path.join(bucketDir, 'index.json'), 'utf8')) as Array<SavedObject & { file: string }>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
};

/**
 * Puts a bucket's objects, kept on disk since they were put, back into fauxqs (which holds them
 * in memory). A snapshot in the old layout is loaded once and rewritten in the new one.
 */
export const restoreBucket = async (name: string, durable: DurableBuckets, s3: S3Client, log: Log): Promise<void> => {
  const dir = durable.bucketDir(name);
  const put = (o: SavedObject, body: Buffer) => s3.send(new PutObjectCommand({ Bucket: name, Key: o.key, Body: body, ContentType: o.contentType, Metadata: o.metadata }));
  const legacy = await legacySnapshot(dir);
  for (const o of legacy) await put(o, await readFile(path.join(dir, o.file)));
  if (legacy.length) {
    await Promise.all([rm(path.join(dir, 'index.json'), { force: true }), rm(path.join(dir, 'objects'), { recursive: true, force: true })]);
    log.info('s3', `${name}: moved ${legacy.length} object(s) from the stop-time snapshot to write-on-put storage`);
  }
  const metas = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.meta.json'));
  durable.suspended = true;
  try {
    for (const meta of metas) {
      const o = JSON.parse(await readFile(path.join(dir, meta), 'utf8')) as SavedObject;
      const body = await readFile(path.join(dir, meta.replace(/\.meta\.json$/, '.object'))).catch(() => undefined);
      if (body) await put(o, body);
      else log.warn('s3', `${name}/${o.key}: its bytes are missing from ${dir}; the object is not restored`);
    }
  } finally {
    durable.suspended = false;
  }
  if (metas.length) log.debug('s3', `restored ${metas.length} object(s) into ${name}`);
};
