import { createS3CompatibleStorage } from '../s3-compatible.js';
import type { StorageProvider } from '../storage-provider.js';
import type { S3Config } from './s3.schema.js';

/**
 * Amazon S3 behind the shared storage interface. With AWS_ENDPOINT_URL_S3 set it talks to an
 * S3-compatible server (MinIO, LocalStack) instead.
 */
export function createS3Service(config: S3Config): StorageProvider {
  const endpoint = config.AWS_ENDPOINT_URL_S3;
  return createS3CompatibleStorage({
    id: 's3',
    name: 'Amazon S3',
    bucket: config.AWS_S3_BUCKET,
    region: config.AWS_REGION,
    endpoint,
    // Self-hosted servers serve buckets as paths: they have no per-bucket subdomains.
    forcePathStyle: endpoint !== undefined,
    credentials: { accessKeyId: config.AWS_ACCESS_KEY_ID, secretAccessKey: config.AWS_SECRET_ACCESS_KEY },
    maxUploadBytes: config.S3_MAX_UPLOAD_BYTES,
    maxPresignSeconds: config.STORAGE_PRESIGN_MAX_SECONDS,
    maxRetries: config.S3_MAX_RETRIES,
  });
}
