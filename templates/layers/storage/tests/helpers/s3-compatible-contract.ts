import { afterEach, expect, it } from 'vitest';
import type { EnvSource } from '../../src/env.js';
import type { ProviderPlugin } from '../../src/lib/plugin.js';
import { defaultStoragePlugin } from '../../src/storage/default-storage.plugin.js';
import { createS3CompatibleMock } from '../mocks/s3-compatible.mock.js';
import { postJson, probeOf, useAppWithMock } from './app-with-mock.js';
import { startApp, startMock } from './http.js';
import { serveMock } from './provider-mock.js';

interface ErrorBody {
  error: { message: string; details?: { path: string; message: string }[] };
}

/** One storage plugin on the S3-compatible service, as the contract drives it. */
export interface S3CompatiblePluginUnderTest {
  plugin: ProviderPlugin<unknown>;
  /** The region requests are signed for, e.g. `auto` for R2; the mock refuses any other. */
  region: string;
  bucket: string;
  accessKeyId: string;
  /** Given to the plugin: no answer may show it. */
  secretAccessKey: string;
  /** The plugin's upload limit; at least 1024, the size of the contract's largest upload. */
  maxUploadBytes: number;
  /**
   * The plugin's settings for a service at `endpoint` (the mock's, or a closed port) and a bucket,
   * with the SDK's retries off: a failure the mock is told to give is then the answer, not a
   * back-off to wait through.
   */
  settings(endpoint: string, bucket: string): EnvSource;
}

const CONTENT_TYPE = 'application/pdf';

/** `text` as a regular expression that matches only itself. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The tests of the storage routes that hold for every plugin built on src/storage/s3-compatible.ts
 * (s3, r2): the same routes, the same service, the same mock. Call it inside the plugin's describe
 * block; it starts the mock and the app there, with the default storage routes under /api/storage,
 * which the plugin serves while it is the only one configured.
 */
export function itStoresLikeEveryS3CompatiblePlugin(storage: S3CompatiblePluginUnderTest): void {
  const { plugin, region, bucket, accessKeyId, secretAccessKey, maxUploadBytes } = storage;
  const { id, name } = plugin;
  const plugins = [plugin, defaultStoragePlugin];
  const running = useAppWithMock(
    () => serveMock(createS3CompatibleMock({ bucket, accessKeyId, region })),
    (mock) => startApp(storage.settings(mock.url, bucket), { plugins }),
  );
  const api = () => `${running.app.url}/api/storage/${id}`;
  const post = (path: string, body: unknown) => postJson(`${api()}${path}`, body);
  afterEach(() => {
    running.mock.failure = undefined;
  });

  function upload(base: string, bytes: Uint8Array | string, fileName: string, key?: string): Promise<Response> {
    const form = new FormData();
    if (key !== undefined) form.append('key', key);
    form.append('file', new Blob([bytes], { type: CONTENT_TYPE }), fileName);
    return fetch(`${base}/upload`, { method: 'POST', body: form });
  }

  it(`uploads a file under a nested key, signed for region ${region}, and streams the same bytes back`, async () => {
    const bytes = Uint8Array.from({ length: 600 }, (_, index) => (index * 7) % 256);
    const key = 'reports/2026/q1 summary.pdf';

    const uploaded = await upload(api(), bytes, 'summary.pdf', key);
    expect(uploaded.status).toBe(201);
    expect(await uploaded.json()).toEqual({ key, size: 600, etag: running.mock.objects.get(key)?.etag });
    expect(running.mock.objects.get(key)?.body).toEqual(Buffer.from(bytes));

    const put = running.mock.requests.find((request) => request.method === 'PUT');
    expect(put?.path).toBe(`/${bucket}/reports/2026/q1%20summary.pdf`);
    expect(put?.headers['content-type']).toBe(CONTENT_TYPE);
    expect(put?.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${literal(accessKeyId)}/\\d{8}/${literal(region)}/s3/aws4_request,`),
    );

    const downloaded = await fetch(`${api()}/reports/2026/q1%20summary.pdf`);
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get('content-type')).toBe(CONTENT_TYPE);
    expect(downloaded.headers.get('content-length')).toBe('600');
    expect(new Uint8Array(await downloaded.arrayBuffer())).toEqual(bytes);
  });

  it('names an upload without a key after the file, behind a unique prefix', async () => {
    const response = await upload(api(), 'hello', 'my photo (1).pdf');
    expect(response.status).toBe(201);
    const { key } = (await response.json()) as { key: string };
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-my_photo_1_.pdf$/);
    expect(running.mock.objects.get(key)?.body.toString()).toBe('hello');
  });

  it(`refuses a file over the upload limit with 413 and sends nothing to ${name}`, async () => {
    const response = await upload(api(), new Uint8Array(maxUploadBytes + 1), 'big.bin', 'big.bin');
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.message).toBe(`The upload is larger than the limit of ${maxUploadBytes} bytes.`);
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
    await upload(api(), 'short-lived', 'tmp.txt', 'tmp/note.txt');
    const deleted = await fetch(`${api()}/tmp/note.txt`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(running.mock.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/${bucket}/tmp/note.txt` });
    expect(running.mock.objects.has('tmp/note.txt')).toBe(false);

    const downloaded = await fetch(`${api()}/tmp/note.txt`);
    expect(downloaded.status).toBe(404);
    expect(((await downloaded.json()) as ErrorBody).error.message).toBe(
      `${name} could not find what was asked for. No object has this key.`,
    );
  });

  it(`presigns PUT and GET URLs on the bucket, signed for region ${region}, that work without credentials`, async () => {
    const put = await post('/presigned-url', { key: 'direct/upload.txt', operation: 'put', contentType: 'text/plain', expiresIn: 120 });
    expect(put.status).toBe(200);
    const putBody = (await put.json()) as { url: string; expiresIn: number };
    expect(putBody.expiresIn).toBe(120);
    const putUrl = new URL(putBody.url);
    expect(`${putUrl.origin}${putUrl.pathname}`).toBe(`${running.mock.url}/${bucket}/direct/upload.txt`);
    expect(putUrl.searchParams.get('X-Amz-Credential')).toMatch(
      new RegExp(`^${literal(accessKeyId)}/\\d{8}/${literal(region)}/s3/aws4_request$`),
    );
    expect(putUrl.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(putUrl.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(putBody.url).not.toContain('x-amz-checksum');
    expect(running.mock.requests).toEqual([]);

    const sent = await fetch(putBody.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'sent by the browser' });
    expect(sent.status).toBe(200);
    expect(running.mock.requests[0]?.headers.authorization).toBeUndefined();
    expect(running.mock.objects.get('direct/upload.txt')?.body.toString()).toBe('sent by the browser');

    const get = await post('/presigned-url', { key: 'direct/upload.txt' });
    const getBody = (await get.json()) as { url: string; expiresIn: number };
    expect(getBody.expiresIn).toBe(900);
    expect(new URL(getBody.url).searchParams.get('X-Amz-Expires')).toBe('900');
    expect(await (await fetch(getBody.url)).text()).toBe('sent by the browser');

    const shortGet = await post('/presigned-url', { key: 'direct/upload.txt', expiresIn: 60 });
    const shortGetBody = (await shortGet.json()) as { url: string; expiresIn: number };
    expect(shortGetBody.expiresIn).toBe(60);
    expect(new URL(shortGetBody.url).searchParams.get('X-Amz-Expires')).toBe('60');
    const fetched = await fetch(shortGetBody.url);
    expect(fetched.status).toBe(200);
    expect(await fetched.text()).toBe('sent by the browser');
  });

  it('assembles a multipart upload from parts sent in any order', async () => {
    const init = await post('/multipart/init', { key: 'videos/clip.mp4', contentType: 'video/mp4' });
    expect(init.status).toBe(201);
    const { key, uploadId } = (await init.json()) as { key: string; uploadId: string };
    expect(key).toBe('videos/clip.mp4');
    expect(running.mock.uploads.get(uploadId)?.key).toBe('videos/clip.mp4');

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

    const completed = await post('/multipart/complete', { key, uploadId, parts: parts.reverse() });
    expect(completed.status).toBe(200);
    expect(await completed.json()).toEqual({ key, etag: expect.stringMatching(/^"[0-9a-f]{32}-2"$/) });
    expect(running.mock.objects.get(key)?.body).toEqual(Buffer.concat(chunks));
    expect(running.mock.objects.get(key)?.contentType).toBe('video/mp4');

    const downloaded = await fetch(`${api()}/videos/clip.mp4`);
    expect(downloaded.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await downloaded.arrayBuffer())).toEqual(Buffer.concat(chunks));
  });

  it('aborts a multipart upload, after which it cannot be completed', async () => {
    const init = await post('/multipart/init', { key: 'abandoned.bin' });
    const { uploadId } = (await init.json()) as { uploadId: string };
    const query = new URLSearchParams({ key: 'abandoned.bin', uploadId, partNumber: '1' });
    const part = await fetch(`${api()}/multipart/part?${query}`, { method: 'PUT', body: new Uint8Array(10) });
    const { etag } = (await part.json()) as { etag: string };

    const aborted = await post('/multipart/abort', { key: 'abandoned.bin', uploadId });
    expect(aborted.status).toBe(204);
    expect(running.mock.uploads.has(uploadId)).toBe(false);

    const completed = await post('/multipart/complete', { key: 'abandoned.bin', uploadId, parts: [{ partNumber: 1, etag }] });
    expect(completed.status).toBe(404);
  });

  it('refuses a part over the upload limit with 413', async () => {
    const query = new URLSearchParams({ key: 'big.bin', uploadId: 'any', partNumber: '1' });
    const response = await fetch(`${api()}/multipart/part?${query}`, { method: 'PUT', body: new Uint8Array(maxUploadBytes + 1) });
    expect(response.status).toBe(413);
    expect(running.mock.requests).toEqual([]);
  });

  it.each([
    ['a leading slash', '/etc/passwd'],
    ['a .. segment', 'uploads/../secrets.txt'],
    ['more than 1024 bytes', 'é'.repeat(513)],
    ['nothing', ''],
  ])(`answers 400 for a key with %s, without calling ${name}`, async (_, key) => {
    const response = await post('/presigned-url', { key, operation: 'get' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.details?.[0]?.path).toBe('key');
    expect(running.mock.requests).toEqual([]);
  });

  it(`answers 400 for invalid bodies and queries, without calling ${name}`, async () => {
    expect((await post('/presigned-url', { key: '../etc/passwd' })).status).toBe(400);
    expect((await post('/presigned-url', { key: 'a.txt', expiresIn: 604_801 })).status).toBe(400);
    expect((await post('/multipart/init', {})).status).toBe(400);
    expect((await post('/multipart/abort', { key: 'a.txt' })).status).toBe(400);
    const badPart = await fetch(`${api()}/multipart/part?key=a.txt&uploadId=u&partNumber=10001`, { method: 'PUT', body: 'x' });
    expect(badPart.status).toBe(400);
    expect((await post('/multipart/complete', { key: 'a.txt', uploadId: 'u', parts: [] })).status).toBe(400);
    expect((await upload(api(), new Uint8Array(1), 'a.txt', '/absolute.txt')).status).toBe(400);
    expect((await fetch(`${api()}/upload`, { method: 'POST', body: new FormData() })).status).toBe(400);
    expect((await fetch(`${api()}//etc/passwd`, { method: 'DELETE' })).status).toBe(400);
    expect(running.mock.requests).toEqual([]);
  });

  it.each([
    ['AccessDenied', 'Access Denied'],
    ['SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'],
  ])(`answers 502 when ${name} refuses the credentials (%s), without leaking them`, async (code, message) => {
    running.mock.failure = { status: 403, code, message };
    const response = await upload(api(), new Uint8Array(1), 'a.txt', 'a.txt');
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).toContain(`${name} rejected the credentials`);
    expect(text).not.toContain(secretAccessKey);
    expect(text).not.toContain(accessKeyId);
  });

  it(`maps ${name} throttling to 429`, async () => {
    running.mock.failure = { status: 429, code: 'TooManyRequests', message: 'Reduce your request rate.' };
    const response = await fetch(`${api()}/any.png`, { method: 'DELETE' });
    expect(response.status).toBe(429);
    expect(((await response.json()) as ErrorBody).error.message).toBe(`${name} is rate limiting this app. Retry later.`);
  });

  it('probes the bucket with HeadBucket on /health?probe=1', async () => {
    expect(await probeOf(running.app, id)).toEqual({ status: 'ok' });
    expect(running.mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`HEAD /${bucket}/`]);

    running.mock.failure = { status: 403, code: 'AccessDenied', message: 'Access Denied' };
    expect(await probeOf(running.app, id)).toEqual({ status: 'failing', message: `${name} rejected the credentials. Check the API key.` });
  });

  it('reports a missing bucket by name on /health?probe=1', async () => {
    const elsewhere = await startApp(storage.settings(running.mock.url, 'missing-bucket'), { plugins });
    try {
      expect(await probeOf(elsewhere, id)).toEqual({ status: 'failing', message: `${name} has no bucket named missing-bucket.` });
    } finally {
      await elsewhere.close();
    }
  });

  it(`serves the same routes under /api/storage while ${name} is the only configured storage`, async () => {
    const defaultApi = `${running.app.url}/api/storage`;
    const uploaded = await upload(defaultApi, 'through the default routes', 'hello.pdf', 'shared/hello.pdf');
    expect(uploaded.status).toBe(201);
    expect(running.mock.objects.get('shared/hello.pdf')?.body.toString()).toBe('through the default routes');

    expect(await (await fetch(`${api()}/shared/hello.pdf`)).text()).toBe('through the default routes');
    const downloaded = await fetch(`${defaultApi}/shared/hello.pdf`);
    expect(downloaded.headers.get('content-type')).toBe(CONTENT_TYPE);
    expect(await downloaded.text()).toBe('through the default routes');

    const presigned = await postJson(`${defaultApi}/presigned-url`, { key: 'shared/hello.pdf' });
    expect(new URL(((await presigned.json()) as { url: string }).url).pathname).toBe(`/${bucket}/shared/hello.pdf`);

    const deleted = await fetch(`${defaultApi}/shared/hello.pdf`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(running.mock.objects.has('shared/hello.pdf')).toBe(false);
  });

  it(`answers 503 when ${name} cannot be reached`, async () => {
    const closed = await startMock((_req, res) => res.end());
    await closed.close();
    const app = await startApp(storage.settings(closed.url, bucket), { plugins });
    try {
      const response = await fetch(`${app.url}/api/storage/${id}/some/key.txt`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toBe(`${name} could not be reached. Try again later.`);
    } finally {
      await app.close();
    }
  });
}
