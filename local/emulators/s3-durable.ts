import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * fauxqs keeps S3 objects in memory only. The local cloud makes each object durable the moment it
 * is put: the S3 store's write methods are wrapped so that, before fauxqs answers the PUT, the
 * object is on disk under `<dataDir>/s3/<bucket>/` (written to a temporary file, flushed, renamed).
 * A badge the ledger calls `ready` is therefore never lost to a crash or a SIGKILL.
 *
 * fauxqs does not export its store, so the wrap goes on the class its server uses, and each
 * store is told apart by the message spy its server was started with (one per local cloud).
 */
interface StoredObject {
  key: string;
  body: Buffer;
  contentType?: string;
  metadata?: Record<string, string>;
}

interface S3StoreLike {
  spy?: object;
  multipartUploads: Map<string, { bucket: string }>;
  putObject(this: S3StoreLike, bucket: string, key: string, body: Buffer, contentType?: string, metadata?: Record<string, string>): StoredObject;
  deleteObject(this: S3StoreLike, bucket: string, key: string): void;
  completeMultipartUpload(this: S3StoreLike, uploadId: string, parts: unknown[]): StoredObject;
}

/** The files of one object: its bytes and what S3 returns about it. */
export const objectFiles = (bucketDir: string, key: string) => {
  const base = path.join(bucketDir, createHash('sha256').update(key).digest('hex'));
  return { body: `${base}.object`, meta: `${base}.meta.json` };
};

const writeAtomicSync = (file: string, data: string | Buffer) => {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, data, { mode: 0o600, flush: true });
  renameSync(temp, file);
};

/** Writes one bucket's objects through to a folder. */
export class DurableBuckets {
  /** While restoring from disk, puts are not written back. */
  suspended = false;

  constructor(readonly dir: string) {}

  bucketDir(bucket: string): string {
    return path.join(this.dir, bucket);
  }

  put(bucket: string, obj: StoredObject): void {
    if (this.suspended) return;
    const dir = this.bucketDir(bucket);
    mkdirSync(dir, { recursive: true });
    const files = objectFiles(dir, obj.key);
    writeAtomicSync(files.body, obj.body);
    writeAtomicSync(files.meta, JSON.stringify({ key: obj.key, contentType: obj.contentType, metadata: obj.metadata ?? {} }));
  }

  delete(bucket: string, key: string): void {
    if (this.suspended) return;
    const files = objectFiles(this.bucketDir(bucket), key);
    rmSync(files.meta, { force: true });
    rmSync(files.body, { force: true });
  }
}

const byStore = new WeakMap<object, DurableBuckets>();
let patched: Promise<void> | undefined;

/** fauxqs's own store module (not in its exports map), found the way Node looks up packages. */
const storeModule = (): string => {
  const candidates = (createRequire(import.meta.url).resolve.paths('fauxqs') ?? []).map((dir) => path.join(dir, 'fauxqs', 'dist', 's3', 's3Store.js'));
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error('fauxqs/dist/s3/s3Store.js not found: is fauxqs installed?');
  return pathToFileURL(found).href;
};

const patchStoreClass = async (): Promise<void> => {
  const { S3Store } = (await import(storeModule())) as { S3Store: { prototype: S3StoreLike } };
  const proto = S3Store.prototype;
  // Kept unbound on purpose: each wrapper below calls the original with the store as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { putObject, deleteObject, completeMultipartUpload } = proto;
  const durable = (store: S3StoreLike) => (store.spy ? byStore.get(store.spy) : undefined);
  proto.putObject = function (this: S3StoreLike, bucket, key, body, contentType, metadata) {
    const obj = putObject.call(this, bucket, key, body, contentType, metadata);
    durable(this)?.put(bucket, obj);
    return obj;
  };
  proto.deleteObject = function (this: S3StoreLike, bucket, key) {
    deleteObject.call(this, bucket, key);
    durable(this)?.delete(bucket, key);
  };
  proto.completeMultipartUpload = function (this: S3StoreLike, uploadId, parts) {
    const bucket = this.multipartUploads.get(uploadId)?.bucket;
    const obj = completeMultipartUpload.call(this, uploadId, parts);
    if (bucket) durable(this)?.put(bucket, obj);
    return obj;
  };
};

/** Makes the S3 store of the fauxqs server started with this spy write through to `dir`. */
export const makeDurable = async (spy: object, dir: string): Promise<DurableBuckets> => {
  await (patched ??= patchStoreClass());
  const buckets = new DurableBuckets(dir);
  byStore.set(spy, buckets);
  return buckets;
};
