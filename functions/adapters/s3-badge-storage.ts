import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentDisposition, type BadgeStorage } from '#domain/badge/links.js';

/** Badges in a private, encrypted bucket; people get them through presigned GET links. */
export class S3BadgeStorage implements BadgeStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, pdf: Uint8Array) {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: pdf, ContentType: 'application/pdf' }));
  }

  /**
   * Lists the key instead of HeadObject: without s3:ListBucket, S3 answers HeadObject on a missing
   * key with 403, not 404, so a probe cannot tell "not there yet" from "not allowed". The role may
   * list only under the prefixes it writes (an `s3:prefix` condition).
   */
  async exists(key: string) {
    const res = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1 }));
    return res.Contents?.[0]?.Key === key;
  }

  /** S3 answers a delete of a missing key with success, so a repeated removal is harmless. */
  async delete(key: string) {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  linkFor(key: string, filename: string, ttlSeconds: number) {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: contentDisposition(filename), ResponseContentType: 'application/pdf' }),
      { expiresIn: ttlSeconds },
    );
  }
}
