import { describe, expect, it } from 'vitest';
import type { EnvSource } from '../src/env.js';
import { s3Plugin } from '../src/storage/s3/index.js';
import { s3Env } from '../src/storage/s3/s3.schema.js';
import { createS3Service } from '../src/storage/s3/s3.service.js';
import { itStoresLikeEveryS3CompatiblePlugin } from './helpers/s3-compatible-contract.js';

const BUCKET = 'test-bucket';
const REGION = 'us-east-1';
const ACCESS_KEY_ID = 'AKIAMOCKACCESSKEY01';
const SECRET_ACCESS_KEY = 'mock-secret-access-key-do-not-leak';
const MAX_UPLOAD_BYTES = 1024;

// Undefined endpoint: the SDK's own default, Amazon S3 itself. Retries off: a failure the mock is
// told to give is then the answer, not a back-off to wait through.
function s3Settings(endpoint?: string, bucket = BUCKET): EnvSource {
  return {
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_REGION: REGION,
    AWS_S3_BUCKET: bucket,
    AWS_ENDPOINT_URL_S3: endpoint,
    S3_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    S3_MAX_RETRIES: '0',
  };
}

describe('Amazon S3 storage routes', () => {
  itStoresLikeEveryS3CompatiblePlugin({
    plugin: s3Plugin,
    region: REGION,
    bucket: BUCKET,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    maxUploadBytes: MAX_UPLOAD_BYTES,
    settings: s3Settings,
  });
});

describe('Amazon S3 presigned URLs on AWS itself', () => {
  it('carry no checksum of the empty body the SDK saw when signing', async () => {
    const service = createS3Service(s3Env.parse(s3Settings()));
    const url = await service.presignedUrl('avatars/1.png', 'put', 300, 'image/png');
    expect(url).toContain('avatars/1.png');
    expect(url).toContain('X-Amz-Signature=');
    expect(url).not.toContain('x-amz-checksum');
    expect(url).not.toContain(SECRET_ACCESS_KEY);
  });
});
