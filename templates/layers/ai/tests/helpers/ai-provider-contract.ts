import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiChatPlugin } from '../../src/ai/ai-chat.plugin.js';
import type { TokenUsage } from '../../src/ai/ai-provider.js';
import type { EnvSource } from '../../src/env.js';
import type { ProviderPlugin } from '../../src/lib/plugin.js';
import { postJson, useAppWithMock } from './app-with-mock.js';
import type { RunningServer } from './http.js';
import { startApp, startMock } from './http.js';
import type { JsonRequest, ProviderMock } from './provider-mock.js';
import { parseEvents } from './sse.js';

/** An AI provider's stand-in, as the contract drives it; each AI mock in tests/mocks/ is one. */
export interface AIProviderMock extends ProviderMock<JsonRequest> {
  /** Makes the next streamed answer endless; resolves once the client closes that connection. */
  streamUntilClosed(): Promise<void>;
}

/** One AI plugin as the contract drives it: the mock it talks to and where its routes are. */
export interface AIProviderUnderTest<Mock extends AIProviderMock> {
  plugin: ProviderPlugin<unknown>;
  startMock(): Promise<Mock>;
  /**
   * The plugin's settings for a provider at `root` (the mock's, or a closed port), with the SDK's
   * retries off: each failure is then one answer, not a back-off the test waits through.
   */
  settings(root: string): EnvSource;
  /** The plugin's own chat route, which takes `{ messages, stream }`. */
  chatPath: string;
  /** The plugin's model list route and the ids of the models the mock lists, when it has one. */
  models?: { path: string; ids: string[] };
  /** The text the mock answers, in the pieces it streams, and the usage it reports. */
  reply: { pieces: string[]; usage: TokenUsage };
  /** The one request a live probe makes, e.g. `GET /v1/models`. */
  probe: string;
  /** Credentials the plugin is given: no answer may show them. */
  secrets: string[];
}

interface ErrorBody {
  error: { message: string; details?: { attempts?: { provider: string; status: number }[] } };
}

const hello = { messages: [{ role: 'user', content: 'Say hello.' }] };

/**
 * What every AI plugin does the same way, whatever its API: chat and stream through its own route
 * and through `POST /api/ai/chat`, list models, probe, and turn the provider's failures into the
 * same answers. Each plugin's own test file runs it against that plugin's mock.
 */
export function describeAIProvider<Mock extends AIProviderMock>(provider: AIProviderUnderTest<Mock>): void {
  const { plugin, reply, models } = provider;
  const plugins = [plugin, aiChatPlugin];

  describe(`${plugin.name} as an AI provider`, () => {
    const running = useAppWithMock(provider.startMock, (mock) => startApp(provider.settings(mock.url), { plugins }));
    const post = (path: string, body: unknown, init?: RequestInit) => postJson(`${running.app.url}${path}`, body, init);
    const received = () => running.mock.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`);
    const expectNoSecret = (text: string) => {
      for (const secret of provider.secrets) expect(text).not.toContain(secret);
    };

    it('answers a chat with the text and its token usage', async () => {
      const response = await post(provider.chatPath, hello);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ provider: plugin.id, text: reply.pieces.join(''), usage: reply.usage });
    });

    it('streams a chat as Server-Sent Events, usage last', async () => {
      const response = await post(provider.chatPath, { ...hello, stream: true });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(parseEvents(await response.text())).toEqual([
        ...reply.pieces.map((text) => ({ event: 'message', data: { text } })),
        { event: 'message', data: { text: '', usage: reply.usage } },
        { event: 'done', data: {} },
      ]);
    });

    it('closes the upstream request when the client leaves a stream', async () => {
      const upstreamClosed = running.mock.streamUntilClosed();
      const client = new AbortController();
      const response = await post(provider.chatPath, { ...hello, stream: true }, { signal: client.signal });
      const first = await response.body?.getReader().read();
      expect(new TextDecoder().decode(first?.value)).toContain('"text":"more"');

      client.abort();
      await expect(upstreamClosed).resolves.toBeUndefined();
    });

    it('answers POST /api/ai/chat when asked for by name', async () => {
      const response = await post('/api/ai/chat', { ...hello, provider: plugin.id });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ provider: plugin.id, text: reply.pieces.join(''), fallbacks: [] });
    });

    if (models) {
      it('lists the models', async () => {
        const response = await fetch(`${running.app.url}${models.path}`);

        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ models: models.ids.map((id) => ({ id })) });
      });
    }

    it(`probes with ${provider.probe} on GET /health?probe=1`, async () => {
      const response = await fetch(`${running.app.url}/health?probe=1`);
      const body = (await response.json()) as { plugins: { id: string; status: string }[] };

      expect(body.plugins.find((entry) => entry.id === plugin.id)?.status).toBe('ok');
      expect(received()).toEqual([provider.probe]);
    });

    it('rejects a chat without messages with 400, without calling the provider', async () => {
      const response = await post(provider.chatPath, { messages: [] });

      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error.message).toBe('Invalid request.');
      expect(running.mock.requests).toHaveLength(0);
    });

    it('maps a rate limit to 429 without showing a credential', async () => {
      running.mock.failNext(429);
      const response = await post(provider.chatPath, hello);

      expect(response.status).toBe(429);
      const text = await response.text();
      expect(text).toContain(`${plugin.name} is rate limiting this app`);
      expectNoSecret(text);
    });

    it('maps a rate limit on a stream to 429 instead of a broken event stream', async () => {
      running.mock.failNext(429);
      const response = await post(provider.chatPath, { ...hello, stream: true });

      expect(response.status).toBe(429);
      expect(response.headers.get('content-type')).toContain('application/json');
    });

    it.each([401, 403])('maps a refused key (%i) to 502 without showing a credential', async (status) => {
      running.mock.failNext(status);
      const response = await post(provider.chatPath, hello);

      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain(`${plugin.name} rejected the credentials`);
      expectNoSecret(text);
    });

    it('reports a failed attempt when it is the only provider asked on POST /api/ai/chat', async () => {
      running.mock.failNext(500);
      const response = await post('/api/ai/chat', { ...hello, provider: plugin.id });

      expect(response.status).toBe(502);
      const text = await response.text();
      const body = JSON.parse(text) as ErrorBody;
      expect(body.error.message).toBe(`No AI provider answered: ${plugin.id} (502).`);
      expect(body.error.details?.attempts).toMatchObject([{ provider: plugin.id, status: 502 }]);
      expectNoSecret(text);
    });
  });

  describe(`${plugin.name} as an AI provider that cannot be reached`, () => {
    let app: RunningServer;
    beforeAll(async () => {
      // A port that was just free and is closed again: connections to it are refused.
      const closed = await startMock(() => undefined);
      await closed.close();
      app = await startApp(provider.settings(closed.url), { plugins });
    });
    afterAll(() => app.close());

    it('answers 503, on its own route and on POST /api/ai/chat', async () => {
      const own = await postJson(`${app.url}${provider.chatPath}`, hello);
      expect(own.status).toBe(503);
      expect(((await own.json()) as ErrorBody).error.message).toContain(plugin.name);

      const shared = await postJson(`${app.url}/api/ai/chat`, { ...hello, provider: plugin.id });
      expect(shared.status).toBe(503);
      expect(((await shared.json()) as ErrorBody).error.details?.attempts).toMatchObject([{ provider: plugin.id, status: 503 }]);
    });
  });
}
