import { parse as parseDisposition } from 'content-disposition';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EnvSource } from '../src/env.js';
import { defaultStoragePlugin } from '../src/storage/default-storage.plugin.js';
import { r2Plugin } from '../src/storage/r2/index.js';
import { s3Plugin } from '../src/storage/s3/index.js';
import type { StoragePluginId } from '../src/storage/storage-provider.js';
import { storagePluginIds } from '../src/storage/storage-provider.js';
import type { RunningServer } from './helpers/http.js';
import { startApp, startMock } from './helpers/http.js';
import { createS3CompatibleMock } from './mocks/s3-compatible.mock.js';

// The installed storage plugins and the routes that serve the default one: the same tests run in
// projects with s3, r2 or both; cases that need both say so.
const plugins = [s3Plugin, r2Plugin, defaultStoragePlugin];
const installed = storagePluginIds.filter((id) => plugins.some((plugin) => plugin.id === id));
const notInstalled = storagePluginIds.filter((id) => !installed.includes(id));
const bothInstalled = notInstalled.length === 0;

const required: Record<StoragePluginId, string[]> = {
  s3: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_S3_BUCKET'],
  r2: ['CF_ACCOUNT_ID', 'R2_ACCESS_KEY_ID', 'R2_SECRET_ACCESS_KEY', 'R2_BUCKET'],
};

interface ErrorBody {
  error: { message: string; details?: { path: string; message: string }[] };
}

describe('the default storage routes under /api/storage', () => {
  const mocks = {
    s3: createS3CompatibleMock({ bucket: 's3-bucket', accessKeyId: 's3-access-key-id', region: 'eu-west-1' }),
    r2: createS3CompatibleMock({ bucket: 'r2-bucket', accessKeyId: 'r2-access-key-id', region: 'auto' }),
  };
  let servers: Record<StoragePluginId, RunningServer>;

  beforeAll(async () => {
    servers = { s3: await startMock(mocks.s3.handler), r2: await startMock(mocks.r2.handler) };
  });
  afterAll(async () => {
    await servers.s3.close();
    await servers.r2.close();
  });
  afterEach(() => {
    for (const mock of Object.values(mocks)) {
      mock.requests.length = 0;
      mock.objects.clear();
    }
  });

  // Variables of uninstalled plugins are simply not read.
  function settings(...configured: StoragePluginId[]): EnvSource {
    const env: EnvSource = {};
    if (configured.includes('s3')) {
      Object.assign(env, {
        AWS_ACCESS_KEY_ID: 's3-access-key-id',
        AWS_SECRET_ACCESS_KEY: 's3-secret',
        AWS_REGION: 'eu-west-1',
        AWS_S3_BUCKET: 's3-bucket',
        AWS_ENDPOINT_URL_S3: servers.s3.url,
        S3_MAX_RETRIES: '0',
      });
    }
    if (configured.includes('r2')) {
      Object.assign(env, {
        CF_ACCOUNT_ID: '0123456789abcdef0123456789abcdef',
        R2_ACCESS_KEY_ID: 'r2-access-key-id',
        R2_SECRET_ACCESS_KEY: 'r2-secret',
        R2_BUCKET: 'r2-bucket',
        R2_ENDPOINT: servers.r2.url,
        R2_MAX_RETRIES: '0',
      });
    }
    return env;
  }

  async function withApp(env: EnvSource, run: (url: string) => Promise<void>): Promise<void> {
    const app = await startApp(env, { plugins });
    try {
      await run(app.url);
    } finally {
      await app.close();
    }
  }

  function upload(url: string, key: string, text: string, type = 'text/plain'): Promise<Response> {
    const form = new FormData();
    form.append('key', key);
    form.append('file', new Blob([text], { type }), 'file.txt');
    return fetch(`${url}/upload`, { method: 'POST', body: form });
  }

  function keysSeen(id: StoragePluginId): string[] {
    return mocks[id].requests.map((request) => request.key);
  }

  it('answer 503 naming the variables of every installed storage plugin, and only those', async () => {
    await withApp({}, async (url) => {
      const response = await fetch(`${url}/api/storage/notes/a.txt`);
      expect(response.status).toBe(503);
      const { message } = ((await response.json()) as ErrorBody).error;
      expect(message).toMatch(/^No storage provider is configured/);
      for (const id of installed) for (const name of required[id]) expect(message).toContain(name);
      for (const id of notInstalled) for (const name of required[id]) expect(message).not.toContain(name);
    });
  });

  async function healthOfDefault(url: string): Promise<{ status: string; message?: string } | undefined> {
    const body = (await (await fetch(`${url}/health`)).json()) as { plugins: { id: string; status: string; message?: string }[] };
    return body.plugins.find((plugin) => plugin.id === 'default-storage');
  }

  it('show as not configured on /health, with the same reason, until a storage plugin is', async () => {
    await withApp({}, async (url) => {
      expect(await healthOfDefault(url)).toMatchObject({
        status: 'not_configured',
        message: expect.stringMatching(/^No storage provider is configured/),
      });
    });
    await withApp(settings(...installed), async (url) => {
      expect(await healthOfDefault(url)).toMatchObject({ status: 'ok' });
    });
  });

  it("never read a storage plugin's prefix as an object key", async () => {
    await withApp(settings(...installed), async (url) => {
      for (const id of storagePluginIds) {
        // Installed: the plugin's router has no route for its bare prefix. Not installed: nothing does.
        const bare = await fetch(`${url}/api/storage/${id}`);
        expect(bare.status).toBe(404);
        const below = await fetch(`${url}/api/storage/${id.toUpperCase()}%2Fnotes.txt`);
        expect(below.status).toBe(400);
        expect(((await below.json()) as ErrorBody).error.details?.[0]).toEqual({
          path: 'key',
          message: "must not have 's3' or 'r2' as its first segment",
        });
        const uploaded = await upload(`${url}/api/storage`, `${id}/notes.txt`, 'ambiguous');
        expect(uploaded.status).toBe(400);
      }
      for (const id of notInstalled) expect((await fetch(`${url}/api/storage/${id}/notes.txt`)).status).toBe(404);
      for (const id of installed) expect(keysSeen(id)).toEqual([]);
    });
  });

  it.runIf(notInstalled.length > 0)('answer 503 when STORAGE_DEFAULT names a storage plugin that is not installed', async () => {
    const [missing] = notInstalled;
    await withApp({ ...settings(...installed), STORAGE_DEFAULT: missing }, async (url) => {
      const response = await fetch(`${url}/api/storage/notes/a.txt`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toContain(
        `STORAGE_DEFAULT is ${missing}, but the ${missing} plugin is not installed.`,
      );
    });
  });

  it('answer 503 naming STORAGE_DEFAULT when it is not a storage plugin id', async () => {
    await withApp({ ...settings(...installed), STORAGE_DEFAULT: 'gcs' }, async (url) => {
      const response = await fetch(`${url}/api/storage/notes/a.txt`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toContain('STORAGE_DEFAULT must be one of s3, r2');
    });
  });

  describe.runIf(bothInstalled)('with both s3 and r2 installed', () => {
    it('use the first configured storage plugin in plugin order without STORAGE_DEFAULT', async () => {
      const first = plugins.find((plugin) => installed.some((id) => id === plugin.id))?.id;
      const expected = first === 'r2' ? 'r2' : 's3';
      const other = expected === 's3' ? 'r2' : 's3';
      await withApp(settings('s3', 'r2'), async (url) => {
        expect((await upload(`${url}/api/storage`, 'first.txt', 'to the first')).status).toBe(201);
        expect(mocks[expected].objects.get('first.txt')?.body.toString()).toBe('to the first');
        expect(mocks[other].requests).toEqual([]);
      });
    });

    it.each(storagePluginIds)('use %s when STORAGE_DEFAULT names it, next to both prefixed routes', async (chosen) => {
      const other = chosen === 's3' ? 'r2' : 's3';
      await withApp({ ...settings('s3', 'r2'), STORAGE_DEFAULT: chosen }, async (url) => {
        expect((await upload(`${url}/api/storage/s3`, 'photo.txt', 'in s3')).status).toBe(201);
        expect((await upload(`${url}/api/storage/r2`, 'photo.txt', 'in r2')).status).toBe(201);
        expect(mocks.s3.objects.get('photo.txt')?.body.toString()).toBe('in s3');
        expect(mocks.r2.objects.get('photo.txt')?.body.toString()).toBe('in r2');

        expect(await (await fetch(`${url}/api/storage/photo.txt`)).text()).toBe(`in ${chosen}`);
        expect(await (await fetch(`${url}/api/storage/s3/photo.txt`)).text()).toBe('in s3');
        expect(await (await fetch(`${url}/api/storage/r2/photo.txt`)).text()).toBe('in r2');

        expect((await upload(`${url}/api/storage`, 'default.txt', 'by default')).status).toBe(201);
        expect(mocks[chosen].objects.has('default.txt')).toBe(true);
        expect(mocks[other].objects.has('default.txt')).toBe(false);
        // The prefixed routes never reached the default provider as keys `s3/photo.txt` or `r2/photo.txt`.
        expect([...keysSeen('s3'), ...keysSeen('r2')].every((key) => key === 'photo.txt' || key === 'default.txt')).toBe(true);
      });
    });

    it('use the only configured one, while the other prefix answers 503 naming its variables', async () => {
      await withApp(settings('r2'), async (url) => {
        expect((await upload(`${url}/api/storage`, 'only.txt', 'r2 only')).status).toBe(201);
        expect(mocks.r2.objects.get('only.txt')?.body.toString()).toBe('r2 only');

        const s3 = await fetch(`${url}/api/storage/s3/only.txt`);
        expect(s3.status).toBe(503);
        const { message } = ((await s3.json()) as ErrorBody).error;
        for (const name of required.s3) expect(message).toContain(name);
        expect(keysSeen('r2')).not.toContain('s3/only.txt');
      });
    });

    it('answer 503 naming the missing variables when STORAGE_DEFAULT names an unconfigured one', async () => {
      await withApp({ ...settings('r2'), STORAGE_DEFAULT: 's3' }, async (url) => {
        const response = await fetch(`${url}/api/storage/only.txt`);
        expect(response.status).toBe(503);
        const { message } = ((await response.json()) as ErrorBody).error;
        expect(message).toBe(
          `STORAGE_DEFAULT is s3, but Amazon S3 is not configured: missing ${required.s3.join(', ')}. Set it in .env and restart.`,
        );
        expect(await healthOfDefault(url)).toEqual(expect.objectContaining({ status: 'not_configured', message }));
        expect(mocks.r2.requests).toEqual([]);
      });
    });
  });

  describe('downloads and presigned URLs', () => {
    // Served by one provider, named as the default, so its mock holds the objects.
    const [provider = 's3'] = installed;
    const SAFE_CSP = /^sandbox; default-src 'none'/;

    function serving(extra: EnvSource = {}): EnvSource {
      return { ...settings(provider), STORAGE_DEFAULT: provider, ...extra };
    }

    // Stored as a client could have uploaded it: the type is whatever the client claimed.
    function store(key: string, body: string, contentType: string): void {
      mocks[provider].objects.set(key, { body: Buffer.from(body), contentType, etag: '"stored"' });
    }

    function rangeAskedOfProvider(): string | string[] | undefined {
      return mocks[provider].requests.find((request) => request.method === 'GET')?.headers.range;
    }

    // Read rather than compared as text: a file name may be sent as a token or a quoted string.
    function disposition(response: Response): { type: string; filename?: string } {
      const { type, parameters } = parseDisposition(response.headers.get('content-disposition') ?? '');
      return { type, filename: parameters['filename'] };
    }

    function presign(url: string, body: object): Promise<Response> {
      return fetch(`${url}/api/storage/presigned-url`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    }

    it('serve uploaded HTML and SVG as attachments that the browser may neither sniff nor run', async () => {
      await withApp(serving(), async (url) => {
        const files = [
          { key: 'pages/x.html', type: 'text/html', text: '<script>alert(document.cookie)</script>' },
          { key: 'pages/x.svg', type: 'image/svg+xml', text: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>' },
        ];
        for (const { key, type, text } of files) {
          expect((await upload(`${url}/api/storage`, key, text, type)).status).toBe(201);
          const response = await fetch(`${url}/api/storage/${key}`);
          expect(response.status).toBe(200);
          expect(response.headers.get('content-type')).toBe(type);
          expect(disposition(response)).toEqual({ type: 'attachment', filename: key.split('/')[1] });
          expect(response.headers.get('x-content-type-options')).toBe('nosniff');
          expect(response.headers.get('content-security-policy')).toMatch(SAFE_CSP);
          expect(await response.text()).toBe(text);
        }
      });
    });

    it.each([
      ['image/png', 'photo.png'],
      ['IMAGE/JPEG', 'photo.jpg'],
      ['image/webp; q=1', 'photo.webp'],
      ['video/mp4', 'clip.mp4'],
      ['audio/mpeg', 'song.mp3'],
      ['application/pdf', 'report.pdf'],
    ])('serve %s inline, still without sniffing or scripts', async (type, name) => {
      store(`media/${name}`, 'bytes', type);
      await withApp(serving(), async (url) => {
        const response = await fetch(`${url}/api/storage/media/${name}`);
        expect(disposition(response)).toEqual({ type: 'inline', filename: name });
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('content-security-policy')).toMatch(SAFE_CSP);
      });
    });

    it.each([
      'Text/HTML; charset=utf-8',
      'image/svg+xml; charset=utf-8',
      'application/xhtml+xml',
      'text/plain',
      'application/octet-stream',
      'image/x-unknown',
    ])('serve %s as an attachment', async (type) => {
      store('files/a.bin', 'bytes', type);
      await withApp(serving(), async (url) => {
        const response = await fetch(`${url}/api/storage/files/a.bin`);
        expect(response.headers.get('content-type')).toBe(type);
        expect(disposition(response)).toEqual({ type: 'attachment', filename: 'a.bin' });
      });
    });

    it('name a file with non-ASCII characters as RFC 6266 says, with an ASCII fallback', async () => {
      store('cv/résumé.html', 'bytes', 'text/html');
      await withApp(serving(), async (url) => {
        const response = await fetch(`${url}/api/storage/cv/${encodeURIComponent('résumé.html')}`);
        expect(response.headers.get('content-disposition')).toBe(
          `attachment; filename="r?sum?.html"; filename*=UTF-8''r%C3%A9sum%C3%A9.html`,
        );
      });
    });

    it.each([
      ['bytes=2-5', 'cdef', 'bytes 2-5/10'],
      ['bytes=6-', 'ghij', 'bytes 6-9/10'],
      ['bytes=-3', 'hij', 'bytes 7-9/10'],
      ['bytes=8-100', 'ij', 'bytes 8-9/10'],
    ])('answer Range: %s with 206 and only those bytes, asked of the provider', async (range, part, contentRange) => {
      store('letters.txt', 'abcdefghij', 'text/plain');
      await withApp(serving(), async (url) => {
        const response = await fetch(`${url}/api/storage/letters.txt`, { headers: { Range: range } });
        expect(response.status).toBe(206);
        expect(response.headers.get('content-range')).toBe(contentRange);
        expect(response.headers.get('content-length')).toBe(String(part.length));
        expect(response.headers.get('accept-ranges')).toBe('bytes');
        expect(await response.text()).toBe(part);
        expect(rangeAskedOfProvider()).toBe(range);
      });
    });

    it('answer a range past the end with 416 and the object size', async () => {
      store('letters.txt', 'abcdefghij', 'text/plain');
      await withApp(serving(), async (url) => {
        const response = await fetch(`${url}/api/storage/letters.txt`, { headers: { Range: 'bytes=10-' } });
        expect(response.status).toBe(416);
        expect(response.headers.get('content-range')).toBe('bytes */10');
      });
    });

    it.each([
      ['no Range', undefined],
      ['several ranges', 'bytes=0-1,4-5'],
      ['a range that ends before it starts', 'bytes=5-2'],
      ['another unit', 'items=0-1'],
    ])('answer %s with the whole object, saying ranges are accepted', async (_, range) => {
      store('letters.txt', 'abcdefghij', 'text/plain');
      await withApp(serving(), async (url) => {
        const response = await fetch(`${url}/api/storage/letters.txt`, { headers: range === undefined ? {} : { Range: range } });
        expect(response.status).toBe(200);
        expect(response.headers.get('accept-ranges')).toBe('bytes');
        expect(response.headers.get('content-range')).toBeNull();
        expect(await response.text()).toBe('abcdefghij');
        expect(rangeAskedOfProvider()).toBeUndefined();
      });
    });

    it('answer HEAD with the headers of GET and no body', async () => {
      store('letters.txt', 'abcdefghij', 'text/plain');
      await withApp(serving(), async (url) => {
        const whole = await fetch(`${url}/api/storage/letters.txt`, { method: 'HEAD' });
        expect(whole.status).toBe(200);
        expect(whole.headers.get('content-length')).toBe('10');
        expect(disposition(whole)).toEqual({ type: 'attachment', filename: 'letters.txt' });
        expect(await whole.text()).toBe('');

        const part = await fetch(`${url}/api/storage/letters.txt`, { method: 'HEAD', headers: { Range: 'bytes=-4' } });
        expect(part.status).toBe(206);
        expect(part.headers.get('content-range')).toBe('bytes 6-9/10');
        expect(part.headers.get('content-length')).toBe('4');
      });
    });

    it('refuse presigned URLs longer-lived than an hour by default, naming the limit', async () => {
      await withApp(serving(), async (url) => {
        const longest = await presign(url, { key: 'a.txt', expiresIn: 3600 });
        expect(longest.status).toBe(200);
        const tooLong = await presign(url, { key: 'a.txt', expiresIn: 3601 });
        expect(tooLong.status).toBe(400);
        expect(((await tooLong.json()) as ErrorBody).error.details).toEqual([
          { path: 'expiresIn', message: 'must be at most 3600 seconds, the limit STORAGE_PRESIGN_MAX_SECONDS sets' },
        ]);
      });
    });

    it('take the limit from STORAGE_PRESIGN_MAX_SECONDS, and never give a default beyond it', async () => {
      await withApp(serving({ STORAGE_PRESIGN_MAX_SECONDS: '60' }), async (url) => {
        const byDefault = await presign(url, { key: 'a.txt' });
        const { url: signed, expiresIn } = (await byDefault.json()) as { url: string; expiresIn: number };
        expect(expiresIn).toBe(60);
        expect(new URL(signed).searchParams.get('X-Amz-Expires')).toBe('60');
        const tooLong = await presign(url, { key: 'a.txt', expiresIn: 61 });
        expect(tooLong.status).toBe(400);
        expect(((await tooLong.json()) as ErrorBody).error.details?.[0]?.message).toContain('at most 60 seconds');
      });
      await withApp(serving({ STORAGE_PRESIGN_MAX_SECONDS: '604800' }), async (url) => {
        expect((await presign(url, { key: 'a.txt', expiresIn: 604_800 })).status).toBe(200);
      });
    });

    it.each([
      ['604801', 'STORAGE_PRESIGN_MAX_SECONDS must be at most 604800 seconds'],
      ['an hour', 'STORAGE_PRESIGN_MAX_SECONDS must be a whole number of seconds'],
      ['0', 'STORAGE_PRESIGN_MAX_SECONDS must be at least 1 second'],
    ])('answer 503 naming STORAGE_PRESIGN_MAX_SECONDS when it is %s', async (value, expected) => {
      await withApp(serving({ STORAGE_PRESIGN_MAX_SECONDS: value }), async (url) => {
        const response = await presign(url, { key: 'a.txt' });
        expect(response.status).toBe(503);
        expect(((await response.json()) as ErrorBody).error.message).toContain(expected);
      });
    });
  });
});
