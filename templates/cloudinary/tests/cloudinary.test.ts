import { afterEach, describe, expect, it } from 'vitest';
import type { EnvSource } from '../src/env.js';
import { cloudinaryPlugin } from '../src/storage/cloudinary/index.js';
import { useAppWithMock } from './helpers/app-with-mock.js';
import { startApp, startMock } from './helpers/http.js';
import { serveMock } from './helpers/provider-mock.js';
import { createCloudinaryMock } from './mocks/cloudinary.mock.js';

const CLOUD_NAME = 'test-cloud';
const API_KEY = '614335564976464';
const API_SECRET = 'mock-api-secret-do-not-leak';
const MAX_UPLOAD_BYTES = 1024;

function cloudinarySettings(uploadPrefix: string, overrides: EnvSource = {}): EnvSource {
  return {
    CLOUDINARY_CLOUD_NAME: CLOUD_NAME,
    CLOUDINARY_API_KEY: API_KEY,
    CLOUDINARY_API_SECRET: API_SECRET,
    CLOUDINARY_UPLOAD_PREFIX: uploadPrefix,
    CLOUDINARY_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    ...overrides,
  };
}

/** The start of a PNG file: its signature and an IHDR chunk giving the size, which is what Cloudinary reads first. */
function pngBytes(width: number, height: number): Uint8Array {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'latin1');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  header.set([8, 6, 0, 0, 0], 24);
  return Uint8Array.from(header);
}

interface ErrorBody {
  error: { message: string; details?: { path: string; message: string }[] };
}

describe('Cloudinary media routes', () => {
  const running = useAppWithMock(
    () => serveMock(createCloudinaryMock({ cloudName: CLOUD_NAME, apiKey: API_KEY, apiSecret: API_SECRET })),
    (mock) => startApp(cloudinarySettings(mock.url), { plugins: [cloudinaryPlugin] }),
  );
  const api = () => `${running.app.url}/api/media`;
  afterEach(() => {
    running.mock.failure = undefined;
  });

  function upload(bytes: Uint8Array, type: string, fields: Record<string, string> = {}, base = api()): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type }), 'upload.bin');
    return fetch(`${base}/upload`, { method: 'POST', body: form });
  }

  it('uploads an image with signed parameters and answers with its public id and URL', async () => {
    const png = pngBytes(3, 2);
    const response = await upload(png, 'image/png', { folder: 'avatars', publicId: 'user-42' });

    expect(response.status).toBe(201);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      id: 'avatars/user-42',
      url: `https://res.cloudinary.com/${CLOUD_NAME}/image/upload/v1767225600/avatars/user-42.png`,
      bytes: png.length,
      format: 'png',
      width: 3,
      height: 2,
      resourceType: 'image',
    });
    expect(text).not.toContain(API_KEY);
    expect(running.mock.assets.get('image/avatars/user-42')?.bytes).toEqual(Buffer.from(png));

    const [request] = running.mock.requests;
    expect(request?.path).toBe(`/v1_1/${CLOUD_NAME}/image/upload`);
    expect(request?.fields).toEqual({
      folder: 'avatars',
      public_id: 'user-42',
      timestamp: expect.stringMatching(/^\d{10}$/),
      signature: expect.stringMatching(/^[0-9a-f]{40}$/),
      api_key: API_KEY,
    });
    expect(Math.abs(Number(request?.fields['timestamp']) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('uploads a video to the video namespace', async () => {
    const response = await upload(new TextEncoder().encode('....ftypisom'), 'video/mp4', { publicId: 'clips/intro' });

    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ id: 'clips/intro', format: 'mp4', resourceType: 'video' });
    expect(running.mock.requests[0]?.path).toBe(`/v1_1/${CLOUD_NAME}/video/upload`);
  });

  it('lets Cloudinary name an upload without a public id', async () => {
    const response = await upload(pngBytes(1, 1), 'image/png');

    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    expect(running.mock.requests[0]?.fields).not.toHaveProperty('public_id');
  });

  it('refuses a file over CLOUDINARY_MAX_UPLOAD_BYTES with 413 and sends nothing to Cloudinary', async () => {
    const response = await upload(new Uint8Array(MAX_UPLOAD_BYTES + 1), 'image/png');

    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.message).toBe('The upload is larger than the limit of 1024 bytes.');
    expect(running.mock.requests).toEqual([]);
  });

  it('refuses a file that is neither an image nor a video with 415', async () => {
    const response = await upload(new TextEncoder().encode('%PDF-1.7'), 'application/pdf');

    expect(response.status).toBe(415);
    expect(((await response.json()) as ErrorBody).error.message).toContain('is application/pdf');
    expect(running.mock.requests).toEqual([]);
  });

  it('answers 400 for an upload without a file or with an invalid public id', async () => {
    const form = new FormData();
    form.append('publicId', 'nothing');
    const noFile = await fetch(`${api()}/upload`, { method: 'POST', body: form });
    expect(noFile.status).toBe(400);

    for (const publicId of ['../escape', '/absolute', 'trailing/', 'what?']) {
      const response = await upload(pngBytes(1, 1), 'image/png', { publicId });
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error.details?.[0]?.path).toBe('publicId');
    }
    expect(running.mock.requests).toEqual([]);
  });

  it("passes Cloudinary's reason on when it rejects the file", async () => {
    const response = await upload(new TextEncoder().encode('not really a png'), 'image/png');

    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toBe('Cloudinary rejected the request. Invalid image file');
  });

  it('builds transformation URLs for nested public ids without calling Cloudinary', async () => {
    const transformed = await fetch(`${api()}/avatars/user-42/transform?width=200&height=150&crop=fill&format=webp&quality=80`);
    expect(transformed.status).toBe(200);
    expect(await transformed.json()).toEqual({
      url: `https://res.cloudinary.com/${CLOUD_NAME}/image/upload/c_fill,f_webp,h_150,q_80,w_200/v1/avatars/user-42`,
    });

    const automatic = await fetch(`${api()}/hero/transform`);
    expect(await automatic.json()).toEqual({ url: `https://res.cloudinary.com/${CLOUD_NAME}/image/upload/f_auto,q_auto/hero` });

    const video = await fetch(`${api()}/clips/intro/transform?width=640&crop=scale&resourceType=video`);
    expect(await video.json()).toEqual({
      url: `https://res.cloudinary.com/${CLOUD_NAME}/video/upload/c_scale,f_auto,q_auto,w_640/v1/clips/intro`,
    });
    expect(running.mock.requests).toEqual([]);
  });

  it.each([
    ['a crop without a size', 'crop=fill', 'crop'],
    ['an unknown crop', 'width=10&crop=pad', 'crop'],
    ['an unknown format', 'format=gif', 'format'],
    ['a zero width', 'width=0', 'width'],
    ['a quality over 100', 'quality=101', 'quality'],
  ])('answers 400 for a transformation with %s', async (_, query, path) => {
    const response = await fetch(`${api()}/hero/transform?${query}`);

    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.details?.map((issue) => issue.path)).toEqual([path]);
  });

  it('deletes an asset, then answers 404 for it', async () => {
    await upload(pngBytes(2, 2), 'image/png', { folder: 'tmp', publicId: 'note' });
    running.mock.requests.length = 0;

    const deleted = await fetch(`${api()}/tmp/note`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(running.mock.assets.has('image/tmp/note')).toBe(false);
    const [request] = running.mock.requests;
    expect(request?.path).toBe(`/v1_1/${CLOUD_NAME}/image/destroy`);
    expect(request?.fields).toMatchObject({
      public_id: 'tmp/note',
      invalidate: 'true',
      api_key: API_KEY,
      signature: expect.stringMatching(/^[0-9a-f]{40}$/),
    });

    const again = await fetch(`${api()}/tmp/note`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(((await again.json()) as ErrorBody).error.message).toBe('Cloudinary has no image with the public id tmp/note.');
  });

  it('deletes a video from the video namespace', async () => {
    await upload(new TextEncoder().encode('....ftypisom'), 'video/mp4', { publicId: 'clips/outro' });

    const deleted = await fetch(`${api()}/clips/outro?resourceType=video`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(running.mock.requests.at(-1)?.path).toBe(`/v1_1/${CLOUD_NAME}/video/destroy`);
    expect(running.mock.assets.has('video/clips/outro')).toBe(false);
  });

  it('maps a refused signature to 502 without leaking the key pair', async () => {
    const wrongSecret = 'wrong-secret-also-private';
    const misconfigured = await startApp(cloudinarySettings(running.mock.url, { CLOUDINARY_API_SECRET: wrongSecret }), {
      plugins: [cloudinaryPlugin],
    });
    try {
      const response = await upload(pngBytes(1, 1), 'image/png', {}, `${misconfigured.url}/api/media`);

      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('Cloudinary rejected the credentials');
      for (const secret of [API_KEY, API_SECRET, wrongSecret]) expect(text).not.toContain(secret);
    } finally {
      await misconfigured.close();
    }
  });

  it('blanks the credentials out of the messages it passes on', async () => {
    running.mock.failure = { status: 400, message: `Upload preset not found for api_key ${API_KEY}` };
    const response = await upload(pngBytes(1, 1), 'image/png');

    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toBe(
      'Cloudinary rejected the request. Upload preset not found for api_key [redacted]',
    );
  });

  it("maps Cloudinary's rate limit (420) to 429 and an outage to 502", async () => {
    running.mock.failure = { status: 420, message: 'Rate Limit Exceeded' };
    expect((await upload(pngBytes(1, 1), 'image/png')).status).toBe(429);

    running.mock.failure = { status: 503, message: 'Service Unavailable' };
    const outage = await fetch(`${api()}/some/asset`, { method: 'DELETE' });
    expect(outage.status).toBe(502);
  });

  it('probes with the Admin API ping on /health?probe=1', async () => {
    const probe = async () => {
      const response = await fetch(`${running.app.url}/health?probe=1`);
      const { plugins } = (await response.json()) as { plugins: { id: string; status: string; message?: string }[] };
      return plugins.find((plugin) => plugin.id === 'cloudinary');
    };

    expect(await probe()).toMatchObject({ status: 'ok' });
    expect(running.mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET /v1_1/${CLOUD_NAME}/ping`]);
    expect(running.mock.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64')}`);

    running.mock.failure = { status: 401, message: `Invalid api_key ${API_KEY}` };
    expect(await probe()).toMatchObject({ status: 'failing', message: 'Cloudinary rejected the credentials. Check the API key.' });
  });
});

describe('Cloudinary out of reach', () => {
  it('answers 503 when Cloudinary cannot be reached', async () => {
    const closed = await startMock((_req, res) => res.end());
    await closed.close();
    const app = await startApp(cloudinarySettings(closed.url), { plugins: [cloudinaryPlugin] });
    try {
      const deleted = await fetch(`${app.url}/api/media/some/asset`, { method: 'DELETE' });
      expect(deleted.status).toBe(503);
      expect(((await deleted.json()) as ErrorBody).error.message).toBe('Cloudinary could not be reached. Try again later.');

      const form = new FormData();
      form.append('file', new Blob([pngBytes(1, 1)], { type: 'image/png' }), 'pixel.png');
      const uploaded = await fetch(`${app.url}/api/media/upload`, { method: 'POST', body: form });
      expect(uploaded.status).toBe(503);
    } finally {
      await app.close();
    }
  });
});
