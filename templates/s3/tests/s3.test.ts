import { afterEach, describe, expect, it } from 'vitest';
import type { EnvSource } from '../src/env.js';
import { defaultStoragePlugin } from '../src/storage/default-storage.plugin.js';
import { s3Plugin } from '../src/storage/s3/index.js';
import { s3Env } from '../src/storage/s3/s3.schema.js';
import { createS3Service } from '../src/storage/s3/s3.service.js';
import { probeOf, useAppWithMock } from './helpers/app-with-mock.js';
import { startApp, startMock } from './helpers/http.js';
import { serveMock } from './helpers/provider-mock.js';
import { createS3CompatibleMock } from './mocks/s3-compatible.mock.js';

const BUCKET = 'test-bucket';
const REGION = 'us-east-1';
const ACCESS_KEY_ID = 'AKIAMOCKACCESSKEY01';
const SECRET_ACCESS_KEY = 'mock-secret-access-key-do-not-leak';
const MAX_UPLOAD_BYTES = 1024;
// The plugin and the default storage routes under /api/storage, which it serves while it is the only one configured.
const plugins = [s3Plugin, defaultStoragePlugin];

// Undefined endpoint: the SDK's own default, Amazon S3 itself. Retries off: a failure the mock is
// told to give is then the answer, not a back-off to wait through.
function s3Settings(endpoint?: string): EnvSource {
  return {
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_REGION: REGION,
    AWS_S3_BUCKET: BUCKET,
    AWS_ENDPOINT_URL_S3: endpoint,
    S3_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    S3_MAX_RETRIES: '0',
  };
}

interface ErrorBody {
  error: { message: string; details?: { path: string; message: string }[] };
}

describe('Amazon S3 storage routes', () => {
  const running = useAppWithMock(
    () => serveMock(createS3CompatibleMock({ bucket: BUCKET, accessKeyId: ACCESS_KEY_ID, region: REGION })),
    (mock) => startApp(s3Settings(mock.url), { plugins }),
  );
  const api = () => `${running.app.url}/api/storage/s3`;
  afterEach(() => {
    running.mock.failure = undefined;
  });

  function upload(bytes: Uint8Array, fileName: string, key?: string): Promise<Response> {
    const form = new FormData();
    if (key !== undefined) form.append('key', key);
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), fileName);
    return fetch(`${api()}/upload`, { method: 'POST', body: form });
  }

  function postJson(path: string, body: unknown): Promise<Response> {
    return fetch(`${api()}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  }

  it('uploads a file under a nested key and streams the same bytes back', async () => {
    const bytes = Uint8Array.from({ length: 600 }, (_, index) => (index * 7) % 256);
    const key = 'reports/2026/q1 summary.pdf';

    const uploaded = await upload(bytes, 'summary.pdf', key);
    expect(uploaded.status).toBe(201);
    expect(await uploaded.json()).toEqual({ key, size: 600, etag: running.mock.objects.get(key)?.etag });
    expect(running.mock.objects.get(key)?.body).toEqual(Buffer.from(bytes));

    const put = running.mock.requests.find((request) => request.method === 'PUT');
    expect(put?.path).toBe(`/${BUCKET}/reports/2026/q1%20summary.pdf`);
    expect(put?.headers['content-type']).toBe('application/pdf');
    expect(put?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAMOCKACCESSKEY01\/\d{8}\/us-east-1\/s3\/aws4_request,/);

    const downloaded = await fetch(`${api()}/reports/2026/q1%20summary.pdf`);
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get('content-type')).toBe('application/pdf');
    expect(downloaded.headers.get('content-length')).toBe('600');
    expect(new Uint8Array(await downloaded.arrayBuffer())).toEqual(bytes);
  });

  it('names an upload without a key after the file, behind a unique prefix', async () => {
    const response = await upload(new TextEncoder().encode('hello'), 'my photo (1).pdf');
    expect(response.status).toBe(201);
    const { key } = (await response.json()) as { key: string };
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-my_photo_1_.pdf$/);
    expect(running.mock.objects.get(key)?.body.toString()).toBe('hello');
  });

  it('refuses a file over S3_MAX_UPLOAD_BYTES with 413 and sends nothing to S3', async () => {
    const response = await upload(new Uint8Array(MAX_UPLOAD_BYTES + 1), 'big.bin', 'big.bin');
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.message).toBe('The upload is larger than the limit of 1024 bytes.');
    expect(running.mock.requests).toEqual([]);
  });

  it('answers 400 when the upload has no file', async () => {
    const form = new FormData();
    form.append('key', 'empty.txt');
    const response = await fetch(`${api()}/upload`, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(running.mock.requests).toEqual([]);
  });

  it('deletes an object, after which downloading it answers 404', async () => {
    await upload(new TextEncoder().encode('short-lived'), 'tmp.txt', 'tmp/note.txt');
    const deleted = await fetch(`${api()}/tmp/note.txt`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(running.mock.objects.has('tmp/note.txt')).toBe(false);

    const downloaded = await fetch(`${api()}/tmp/note.txt`);
    expect(downloaded.status).toBe(404);
    expect(((await downloaded.json()) as ErrorBody).error.message).toContain('No object has this key.');
  });

  it('presigns PUT and GET URLs on the bucket that work without credentials', async () => {
    const put = await postJson('/presigned-url', { key: 'direct/upload.txt', operation: 'put', contentType: 'text/plain' });
    expect(put.status).toBe(200);
    const putBody = (await put.json()) as { url: string; expiresIn: number };
    expect(putBody.expiresIn).toBe(900);
    const putUrl = new URL(putBody.url);
    expect(`${putUrl.origin}${putUrl.pathname}`).toBe(`${running.mock.url}/${BUCKET}/direct/upload.txt`);
    expect(putUrl.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(putUrl.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(putBody.url).not.toContain('x-amz-checksum');
    expect(running.mock.requests).toEqual([]);

    const sent = await fetch(putBody.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'sent by the browser' });
    expect(sent.status).toBe(200);
    expect(running.mock.requests[0]?.headers.authorization).toBeUndefined();
    expect(running.mock.objects.get('direct/upload.txt')?.body.toString()).toBe('sent by the browser');

    const get = await postJson('/presigned-url', { key: 'direct/upload.txt', expiresIn: 60 });
    const getBody = (await get.json()) as { url: string; expiresIn: number };
    expect(getBody.expiresIn).toBe(60);
    expect(new URL(getBody.url).searchParams.get('X-Amz-Expires')).toBe('60');
    const fetched = await fetch(getBody.url);
    expect(fetched.status).toBe(200);
    expect(await fetched.text()).toBe('sent by the browser');
  });

  it('assembles a multipart upload from parts sent in any order', async () => {
    const init = await postJson('/multipart/init', { key: 'videos/clip.mp4', contentType: 'video/mp4' });
    expect(init.status).toBe(201);
    const { key, uploadId } = (await init.json()) as { key: string; uploadId: string };
    expect(key).toBe('videos/clip.mp4');
    expect(running.mock.uploads.has(uploadId)).toBe(true);

    const chunks = [new Uint8Array(700).fill(1), new Uint8Array(300).fill(2)];
    const parts: { partNumber: number; etag: string }[] = [];
    for (const [index, chunk] of chunks.entries()) {
      const query = new URLSearchParams({ key, uploadId, partNumber: String(index + 1) });
      const response = await fetch(`${api()}/multipart/part?${query}`, { method: 'PUT', body: chunk });
      expect(response.status).toBe(200);
      const part = (await response.json()) as { partNumber: number; etag: string };
      expect(part).toEqual({ partNumber: index + 1, etag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });
      parts.push(part);
    }

    const completed = await postJson('/multipart/complete', { key, uploadId, parts: parts.reverse() });
    expect(completed.status).toBe(200);
    expect(await completed.json()).toEqual({ key, etag: expect.stringMatching(/^"[0-9a-f]{32}-2"$/) });

    const downloaded = await fetch(`${api()}/videos/clip.mp4`);
    expect(downloaded.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await downloaded.arrayBuffer())).toEqual(Buffer.concat(chunks));
  });

  it('aborts a multipart upload, after which it cannot be completed', async () => {
    const init = await postJson('/multipart/init', { key: 'abandoned.bin' });
    const { uploadId } = (await init.json()) as { uploadId: string };
    const query = new URLSearchParams({ key: 'abandoned.bin', uploadId, partNumber: '1' });
    const part = await fetch(`${api()}/multipart/part?${query}`, { method: 'PUT', body: new Uint8Array(10) });
    const { etag } = (await part.json()) as { etag: string };

    const aborted = await postJson('/multipart/abort', { key: 'abandoned.bin', uploadId });
    expect(aborted.status).toBe(204);
    expect(running.mock.uploads.has(uploadId)).toBe(false);

    const completed = await postJson('/multipart/complete', { key: 'abandoned.bin', uploadId, parts: [{ partNumber: 1, etag }] });
    expect(completed.status).toBe(404);
  });

  it('refuses a part over the upload limit with 413', async () => {
    const query = new URLSearchParams({ key: 'big.bin', uploadId: 'any', partNumber: '1' });
    const response = await fetch(`${api()}/multipart/part?${query}`, { method: 'PUT', body: new Uint8Array(MAX_UPLOAD_BYTES + 1) });
    expect(response.status).toBe(413);
    expect(running.mock.requests).toEqual([]);
  });

  it.each([
    ['a leading slash', '/etc/passwd'],
    ['a .. segment', 'uploads/../secrets.txt'],
    ['more than 1024 bytes', 'é'.repeat(513)],
    ['nothing', ''],
  ])('answers 400 for a key with %s, without calling S3', async (_, key) => {
    const response = await postJson('/presigned-url', { key, operation: 'get' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.details?.[0]?.path).toBe('key');
    expect(running.mock.requests).toEqual([]);
  });

  it('answers 400 for invalid bodies and queries, without calling S3', async () => {
    const tooLong = await postJson('/presigned-url', { key: 'a.txt', expiresIn: 604_801 });
    expect(tooLong.status).toBe(400);
    const badPart = await fetch(`${api()}/multipart/part?key=a.txt&uploadId=u&partNumber=10001`, { method: 'PUT', body: 'x' });
    expect(badPart.status).toBe(400);
    const noParts = await postJson('/multipart/complete', { key: 'a.txt', uploadId: 'u', parts: [] });
    expect(noParts.status).toBe(400);
    const badKey = await upload(new Uint8Array(1), 'a.txt', '/absolute.txt');
    expect(badKey.status).toBe(400);
    const badPath = await fetch(`${api()}//etc/passwd`, { method: 'DELETE' });
    expect(badPath.status).toBe(400);
    expect(running.mock.requests).toEqual([]);
  });

  it('maps S3 refusing the credentials to 401 without leaking them', async () => {
    running.mock.failure = {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
    const response = await upload(new Uint8Array(1), 'a.txt', 'a.txt');
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).toContain('Amazon S3 rejected the credentials');
    expect(text).not.toContain(SECRET_ACCESS_KEY);
    expect(text).not.toContain(ACCESS_KEY_ID);
  });

  it('probes the bucket with HeadBucket on /health?probe=1', async () => {
    expect(await probeOf(running.app, 's3')).toEqual({ status: 'ok' });
    expect(running.mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`HEAD /${BUCKET}/`]);

    running.mock.failure = { status: 403, code: 'AccessDenied', message: 'Access Denied' };
    expect(await probeOf(running.app, 's3')).toEqual({
      status: 'failing',
      message: 'Amazon S3 rejected the credentials. Check the API key.',
    });
  });

  it('serves the same routes under /api/storage while S3 is the only configured storage', async () => {
    const form = new FormData();
    form.append('key', 'shared/hello.txt');
    form.append('file', new Blob(['through the default routes'], { type: 'text/plain' }), 'hello.txt');
    const uploaded = await fetch(`${running.app.url}/api/storage/upload`, { method: 'POST', body: form });
    expect(uploaded.status).toBe(201);
    expect(running.mock.objects.get('shared/hello.txt')?.body.toString()).toBe('through the default routes');

    expect(await (await fetch(`${api()}/shared/hello.txt`)).text()).toBe('through the default routes');
    expect(await (await fetch(`${running.app.url}/api/storage/shared/hello.txt`)).text()).toBe('through the default routes');

    const presigned = await fetch(`${running.app.url}/api/storage/presigned-url`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: 'shared/hello.txt' }),
    });
    expect(new URL(((await presigned.json()) as { url: string }).url).pathname).toBe(`/${BUCKET}/shared/hello.txt`);

    const deleted = await fetch(`${running.app.url}/api/storage/shared/hello.txt`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(running.mock.objects.has('shared/hello.txt')).toBe(false);
  });

  it('reports a missing bucket by name on /health?probe=1', async () => {
    const elsewhere = await startApp({ ...s3Settings(running.mock.url), AWS_S3_BUCKET: 'missing-bucket' }, { plugins });
    try {
      expect(await probeOf(elsewhere, 's3')).toEqual({ status: 'failing', message: 'Amazon S3 has no bucket named missing-bucket.' });
    } finally {
      await elsewhere.close();
    }
  });
});

describe('Amazon S3 out of reach', () => {
  it('answers 503 when S3 cannot be reached', async () => {
    const closed = await startMock((_req, res) => res.end());
    await closed.close();
    const app = await startApp(s3Settings(closed.url), { plugins });
    try {
      const response = await fetch(`${app.url}/api/storage/s3/some/key.txt`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toBe('Amazon S3 could not be reached. Try again later.');
    } finally {
      await app.close();
    }
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
