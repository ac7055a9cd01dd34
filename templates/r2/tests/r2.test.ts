import { afterEach, describe, expect, it } from 'vitest';
import type { EnvSource } from '../src/env.js';
import { defaultStoragePlugin } from '../src/storage/default-storage.plugin.js';
import { r2Plugin } from '../src/storage/r2/index.js';
import { r2Env } from '../src/storage/r2/r2.schema.js';
import { createR2Service } from '../src/storage/r2/r2.service.js';
import { probeOf, useAppWithMock } from './helpers/app-with-mock.js';
import { startApp, startMock } from './helpers/http.js';
import { serveMock } from './helpers/provider-mock.js';
import { createS3CompatibleMock } from './mocks/s3-compatible.mock.js';

const ACCOUNT_ID = '0123456789abcdef0123456789abcdef';
const BUCKET = 'r2-test-bucket';
const ACCESS_KEY_ID = 'r2-mock-access-key-id';
const SECRET_ACCESS_KEY = 'r2-mock-secret-access-key-do-not-leak';
const MAX_UPLOAD_BYTES = 2048;
// The plugin and the default storage routes under /api/storage, which it serves while it is the only one configured.
const plugins = [r2Plugin, defaultStoragePlugin];

// Undefined endpoint: the account's own R2 endpoint, derived from CF_ACCOUNT_ID. Retries off: a
// failure the mock is told to give is then the answer, not a back-off to wait through.
function r2Settings(endpoint?: string): EnvSource {
  return {
    CF_ACCOUNT_ID: ACCOUNT_ID,
    R2_ACCESS_KEY_ID: ACCESS_KEY_ID,
    R2_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    R2_BUCKET: BUCKET,
    R2_ENDPOINT: endpoint,
    R2_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    R2_MAX_RETRIES: '0',
  };
}

interface ErrorBody {
  error: { message: string; details?: { path: string; message: string }[] };
}

describe('Cloudflare R2 storage routes', () => {
  const running = useAppWithMock(
    () => serveMock(createS3CompatibleMock({ bucket: BUCKET, accessKeyId: ACCESS_KEY_ID, region: 'auto' })),
    (mock) => startApp(r2Settings(mock.url), { plugins }),
  );
  const api = () => `${running.app.url}/api/storage/r2`;
  afterEach(() => {
    running.mock.failure = undefined;
  });

  function upload(base: string, bytes: Uint8Array, fileName: string, key?: string): Promise<Response> {
    const form = new FormData();
    if (key !== undefined) form.append('key', key);
    form.append('file', new Blob([bytes], { type: 'image/png' }), fileName);
    return fetch(`${base}/upload`, { method: 'POST', body: form });
  }

  function postJson(path: string, body: unknown): Promise<Response> {
    return fetch(`${api()}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  }

  it('uploads to the bucket with a request signed for region auto, and streams it back', async () => {
    const bytes = Uint8Array.from({ length: 1500 }, (_, index) => (index * 13) % 256);
    const key = 'avatars/user 42.png';

    const uploaded = await upload(api(), bytes, 'me.png', key);
    expect(uploaded.status).toBe(201);
    expect(await uploaded.json()).toEqual({ key, size: 1500, etag: running.mock.objects.get(key)?.etag });
    expect(running.mock.objects.get(key)?.body).toEqual(Buffer.from(bytes));

    const put = running.mock.requests.find((request) => request.method === 'PUT');
    expect(put?.path).toBe(`/${BUCKET}/avatars/user%2042.png`);
    expect(put?.headers['content-type']).toBe('image/png');
    expect(put?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=r2-mock-access-key-id\/\d{8}\/auto\/s3\/aws4_request,/);

    const downloaded = await fetch(`${api()}/avatars/user%2042.png`);
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get('content-type')).toBe('image/png');
    expect(downloaded.headers.get('content-length')).toBe('1500');
    expect(new Uint8Array(await downloaded.arrayBuffer())).toEqual(bytes);
  });

  it('refuses a file over R2_MAX_UPLOAD_BYTES with 413 and sends nothing to R2', async () => {
    const response = await upload(api(), new Uint8Array(MAX_UPLOAD_BYTES + 1), 'big.png', 'big.png');
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.message).toBe('The upload is larger than the limit of 2048 bytes.');
    expect(running.mock.requests).toEqual([]);
  });

  it('deletes an object, after which downloading it answers 404', async () => {
    await upload(api(), new TextEncoder().encode('soon gone'), 'gone.txt', 'gone.txt');
    const deleted = await fetch(`${api()}/gone.txt`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(running.mock.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/${BUCKET}/gone.txt` });
    expect(running.mock.objects.has('gone.txt')).toBe(false);

    const downloaded = await fetch(`${api()}/gone.txt`);
    expect(downloaded.status).toBe(404);
    expect(((await downloaded.json()) as ErrorBody).error.message).toBe(
      'Cloudflare R2 could not find what was asked for. No object has this key.',
    );
  });

  it('presigns PUT and GET URLs for region auto that work without credentials', async () => {
    const put = await postJson('/presigned-url', { key: 'direct/note.txt', operation: 'put', contentType: 'text/plain', expiresIn: 120 });
    expect(put.status).toBe(200);
    const putBody = (await put.json()) as { url: string; expiresIn: number };
    expect(putBody.expiresIn).toBe(120);
    const putUrl = new URL(putBody.url);
    expect(`${putUrl.origin}${putUrl.pathname}`).toBe(`${running.mock.url}/${BUCKET}/direct/note.txt`);
    expect(putUrl.searchParams.get('X-Amz-Credential')).toMatch(/^r2-mock-access-key-id\/\d{8}\/auto\/s3\/aws4_request$/);
    expect(putUrl.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(running.mock.requests).toEqual([]);

    const sent = await fetch(putBody.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'straight to R2' });
    expect(sent.status).toBe(200);
    expect(running.mock.objects.get('direct/note.txt')?.body.toString()).toBe('straight to R2');

    const get = await postJson('/presigned-url', { key: 'direct/note.txt' });
    const getBody = (await get.json()) as { url: string; expiresIn: number };
    expect(getBody.expiresIn).toBe(900);
    expect(await (await fetch(getBody.url)).text()).toBe('straight to R2');
  });

  it('assembles a multipart upload, and aborts another', async () => {
    const init = await postJson('/multipart/init', { key: 'backups/db.tar', contentType: 'application/x-tar' });
    expect(init.status).toBe(201);
    const { key, uploadId } = (await init.json()) as { key: string; uploadId: string };
    expect(running.mock.uploads.get(uploadId)?.key).toBe('backups/db.tar');

    const chunks = [new Uint8Array(1024).fill(7), new Uint8Array(10).fill(8)];
    const parts: { partNumber: number; etag: string }[] = [];
    for (const [index, chunk] of chunks.entries()) {
      const query = new URLSearchParams({ key, uploadId, partNumber: String(index + 1) });
      const response = await fetch(`${api()}/multipart/part?${query}`, { method: 'PUT', body: chunk });
      expect(response.status).toBe(200);
      parts.push((await response.json()) as { partNumber: number; etag: string });
    }
    const completed = await postJson('/multipart/complete', { key, uploadId, parts });
    expect(completed.status).toBe(200);
    expect(await completed.json()).toEqual({ key, etag: expect.stringMatching(/^"[0-9a-f]{32}-2"$/) });
    expect(running.mock.objects.get(key)?.body).toEqual(Buffer.concat(chunks));
    expect(running.mock.objects.get(key)?.contentType).toBe('application/x-tar');

    const other = (await (await postJson('/multipart/init', { key: 'backups/old.tar' })).json()) as { uploadId: string };
    const aborted = await postJson('/multipart/abort', { key: 'backups/old.tar', uploadId: other.uploadId });
    expect(aborted.status).toBe(204);
    expect(running.mock.uploads.has(other.uploadId)).toBe(false);
  });

  it('answers 400 for invalid bodies, without calling R2', async () => {
    expect((await postJson('/presigned-url', { key: '../etc/passwd' })).status).toBe(400);
    expect((await postJson('/multipart/init', {})).status).toBe(400);
    expect((await postJson('/multipart/abort', { key: 'a.txt' })).status).toBe(400);
    const noFile = await fetch(`${api()}/upload`, { method: 'POST', body: new FormData() });
    expect(noFile.status).toBe(400);
    expect(running.mock.requests).toEqual([]);
  });

  it('maps R2 refusing the token to 401 without leaking it', async () => {
    running.mock.failure = { status: 403, code: 'AccessDenied', message: 'Access Denied' };
    const response = await upload(api(), new Uint8Array(1), 'a.png', 'a.png');
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).toContain('Cloudflare R2 rejected the credentials');
    expect(text).not.toContain(SECRET_ACCESS_KEY);
    expect(text).not.toContain(ACCESS_KEY_ID);
  });

  it('maps R2 throttling to 429', async () => {
    running.mock.failure = { status: 429, code: 'TooManyRequests', message: 'Reduce your request rate.' };
    const response = await fetch(`${api()}/any.png`, { method: 'DELETE' });
    expect(response.status).toBe(429);
    expect(((await response.json()) as ErrorBody).error.message).toBe('Cloudflare R2 is rate limiting this app. Retry later.');
  });

  it('probes the bucket with HeadBucket on /health?probe=1', async () => {
    expect(await probeOf(running.app, 'r2')).toEqual({ status: 'ok' });
    expect(running.mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`HEAD /${BUCKET}/`]);

    running.mock.failure = { status: 403, code: 'AccessDenied', message: 'Access Denied' };
    expect(await probeOf(running.app, 'r2')).toEqual({
      status: 'failing',
      message: 'Cloudflare R2 rejected the credentials. Check the API key.',
    });

    const elsewhere = await startApp({ ...r2Settings(running.mock.url), R2_BUCKET: 'missing-bucket' }, { plugins });
    running.mock.failure = undefined;
    try {
      expect(await probeOf(elsewhere, 'r2')).toEqual({ status: 'failing', message: 'Cloudflare R2 has no bucket named missing-bucket.' });
    } finally {
      await elsewhere.close();
    }
  });

  it('serves the same routes under /api/storage while R2 is the only configured storage', async () => {
    const uploaded = await upload(`${running.app.url}/api/storage`, new TextEncoder().encode('default'), 'logo.png', 'site/logo.png');
    expect(uploaded.status).toBe(201);
    expect(running.mock.objects.get('site/logo.png')?.body.toString()).toBe('default');

    expect(await (await fetch(`${api()}/site/logo.png`)).text()).toBe('default');
    const downloaded = await fetch(`${running.app.url}/api/storage/site/logo.png`);
    expect(downloaded.headers.get('content-type')).toBe('image/png');
    expect(await downloaded.text()).toBe('default');

    const deleted = await fetch(`${running.app.url}/api/storage/site/logo.png`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(running.mock.objects.has('site/logo.png')).toBe(false);
  });
});

describe('Cloudflare R2 with invalid settings or out of reach', () => {
  it('answers 503 explaining a malformed CF_ACCOUNT_ID', async () => {
    const app = await startApp({ ...r2Settings(), CF_ACCOUNT_ID: 'evil.example.com/x' }, { plugins });
    try {
      const response = await fetch(`${app.url}/api/storage/r2/some/key.txt`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toContain(
        'CF_ACCOUNT_ID must be the 32-character account id shown in the dashboard',
      );
    } finally {
      await app.close();
    }
  });

  it('answers 503 when R2 cannot be reached', async () => {
    const closed = await startMock((_req, res) => res.end());
    await closed.close();
    const app = await startApp(r2Settings(closed.url), { plugins });
    try {
      const response = await fetch(`${app.url}/api/storage/r2/some/key.txt`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toBe('Cloudflare R2 could not be reached. Try again later.');
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
