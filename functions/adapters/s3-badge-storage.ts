import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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

  async exists(key: string) {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if ((err as Error).name === 'NotFound' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw err;
    }
  }

  linkFor(key: string, filename: string, ttlSeconds: number) {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: contentDisposition(filename), ResponseContentType: 'application/pdf' }), { expiresIn: ttlSeconds });
  }
}
