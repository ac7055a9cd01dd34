import { describe, expect, it } from 'vitest';
import type { EnvSource } from '../src/env.js';
import { defaultStoragePlugin } from '../src/storage/default-storage.plugin.js';
import { r2Plugin } from '../src/storage/r2/index.js';
import { r2Env } from '../src/storage/r2/r2.schema.js';
import { createR2Service } from '../src/storage/r2/r2.service.js';
import { startApp } from './helpers/http.js';
import { itStoresLikeEveryS3CompatiblePlugin } from './helpers/s3-compatible-contract.js';

const ACCOUNT_ID = '0123456789abcdef0123456789abcdef';
const BUCKET = 'r2-test-bucket';
const ACCESS_KEY_ID = 'r2-mock-access-key-id';
const SECRET_ACCESS_KEY = 'r2-mock-secret-access-key-do-not-leak';
const MAX_UPLOAD_BYTES = 2048;

// Undefined endpoint: the account's own R2 endpoint, derived from CF_ACCOUNT_ID. Retries off: a
// failure the mock is told to give is then the answer, not a back-off to wait through.
function r2Settings(endpoint?: string, bucket = BUCKET): EnvSource {
  return {
    CF_ACCOUNT_ID: ACCOUNT_ID,
    R2_ACCESS_KEY_ID: ACCESS_KEY_ID,
    R2_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    R2_BUCKET: bucket,
    R2_ENDPOINT: endpoint,
    R2_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    R2_MAX_RETRIES: '0',
  };
}

describe('Cloudflare R2 storage routes', () => {
  itStoresLikeEveryS3CompatiblePlugin({
    plugin: r2Plugin,
    region: 'auto',
    bucket: BUCKET,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    maxUploadBytes: MAX_UPLOAD_BYTES,
    settings: r2Settings,
  });
});

describe('Cloudflare R2 with invalid settings', () => {
  it('answers 503 explaining a malformed CF_ACCOUNT_ID', async () => {
    const app = await startApp({ ...r2Settings(), CF_ACCOUNT_ID: 'evil.example.com/x' }, { plugins: [r2Plugin, defaultStoragePlugin] });
    try {
      const response = await fetch(`${app.url}/api/storage/r2/some/key.txt`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
        'CF_ACCOUNT_ID must be the 32-character account id shown in the dashboard',
      );
    } finally {
      await app.close();
    }
  });
});

describe('Cloudflare R2 on its real endpoint', () => {
  it('addresses the account endpoint from CF_ACCOUNT_ID, path-style, signed for region auto', async () => {
    const service = createR2Service(r2Env.parse(r2Settings()));
    const url = new URL(await service.presignedUrl('avatars/1.png', 'put', 300, 'image/png'));
    expect(`${url.origin}${url.pathname}`).toBe(`https://${ACCOUNT_ID}.r2.cloudflarestorage.com/${BUCKET}/avatars/1.png`);
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/\/auto\/s3\/aws4_request$/);
    expect(url.href).not.toContain('x-amz-checksum');
    expect(url.href).not.toContain(SECRET_ACCESS_KEY);
  });

  it('uses R2_ENDPOINT instead when it is set, e.g. for the EU jurisdiction', async () => {
    const endpoint = `https://${ACCOUNT_ID}.eu.r2.cloudflarestorage.com`;
    const service = createR2Service(r2Env.parse(r2Settings(endpoint)));
    const url = new URL(await service.presignedUrl('a.txt', 'get', 60));
    expect(`${url.origin}${url.pathname}`).toBe(`${endpoint}/${BUCKET}/a.txt`);
  });
});
