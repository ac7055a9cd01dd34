import { createS3CompatibleStorage } from '../s3-compatible.js';
import type { StorageProvider } from '../storage-provider.js';
import type { R2Config } from './r2.schema.js';

/** Cloudflare R2 behind the shared storage interface, through its S3-compatible API. */
export function createR2Service(config: R2Config): StorageProvider {
  return createS3CompatibleStorage({
    id: 'r2',
    name: 'Cloudflare R2',
    bucket: config.R2_BUCKET,
    // R2 has no regions to pick from; the S3 API needs one to sign with, and R2 expects 'auto'.
    region: 'auto',
    endpoint: config.R2_ENDPOINT ?? `https://${config.CF_ACCOUNT_ID}.r2.cloudflarestorage.com`,
    // Path-style URLs work on every R2 endpoint, jurisdiction-specific ones and R2_ENDPOINT overrides included.
    forcePathStyle: true,
    credentials: { accessKeyId: config.R2_ACCESS_KEY_ID, secretAccessKey: config.R2_SECRET_ACCESS_KEY },
    maxUploadBytes: config.R2_MAX_UPLOAD_BYTES,
    maxPresignSeconds: config.STORAGE_PRESIGN_MAX_SECONDS,
    maxRetries: config.R2_MAX_RETRIES,
  });
}
