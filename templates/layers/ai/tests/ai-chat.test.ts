import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { aiChatPlugin } from '../src/ai/ai-chat.plugin.js';
import type { AIProvider, ChatRequest } from '../src/ai/ai-provider.js';
import { aiProviders } from '../src/ai/ai-provider.js';
import type { EnvSource } from '../src/env.js';
import { errorHandler, HttpError } from '../src/lib/errors.js';
import type { ProviderPlugin } from '../src/lib/plugin.js';
import { definePlugin } from '../src/lib/plugin.js';
import { createPluginRouter } from '../src/lib/plugin-router.js';
import { ServiceRegistry } from '../src/lib/services.js';
import type { CostEstimator, UsageEvent } from '../src/lib/usage.js';
import { costEstimators } from '../src/lib/usage.js';
import { parseEvents } from './helpers/sse.js';

// The shared chat route on its own, over stand-in providers: which one answers, in what order.
function fakeProvider(id: string, behaviour: 'ok' | 'fails', seen: ChatRequest[] = []): AIProvider {
  const fail = () => new HttpError(502, `${id} failed to answer (status 500). Try again later.`);
  return {
    getInfo: () => ({ id, name: id, defaultModel: `${id}-default`, supportsEmbeddings: false }),
    async chat(request) {
      seen.push(request);
      if (behaviour === 'fails') throw fail();
      return { provider: id, model: request.model ?? `${id}-default`, text: `hello from ${id}` };
    },
    async *chatStream(request) {
      seen.push(request);
      if (behaviour === 'fails') throw fail();
      yield { text: 'hello ' };
      yield { text: `from ${id}`, usage: { inputTokens: 3, outputTokens: 2 } };
    },
    complete: () => Promise.reject(new Error('not used')),
    listModels: async () => [],
    countTokens: (text) => text.length,
  };
}

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function start(providers: AIProvider[], order?: string, estimator?: CostEstimator): Promise<string> {
  const services = new ServiceRegistry();
  for (const provider of providers) services.provide(aiProviders, provider);
  if (estimator) services.provide(costEstimators, estimator);
  const { router } = aiChatPlugin.setup({ AI_PROVIDERS: order }, { env: {}, services, plugins: [] });
  const app = express();
  if (router) app.use('/api/ai', router);
  app.use(errorHandler);
  const server = createServer(app).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ai`;
}

const chat = (url: string, body: object) =>
  fetch(`${url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const hello = { messages: [{ role: 'user', content: 'hi' }] };

describe('POST /api/ai/chat', () => {
  it('uses the primary from AI_PROVIDERS and falls through to the next on failure, saying which answered', async () => {
    const primarySeen: ChatRequest[] = [];
    const fallbackSeen: ChatRequest[] = [];
    const url = await start([fakeProvider('a', 'ok', fallbackSeen), fakeProvider('b', 'fails', primarySeen)], 'b,a');
    const response = await chat(url, { ...hello, model: 'b-large' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      provider: 'a',
      model: 'a-default',
      text: 'hello from a',
      fallbacks: [{ provider: 'b', status: 502, message: 'b failed to answer (status 500). Try again later.' }],
    });
    expect(primarySeen[0]?.model).toBe('b-large');
    // A model id belongs to the provider it was meant for: the fallback uses its own default.
    expect(fallbackSeen[0]?.model).toBeUndefined();
  });

  it('asks only the provider named in the request', async () => {
    const url = await start([fakeProvider('a', 'ok'), fakeProvider('b', 'fails')]);
    const response = await chat(url, { ...hello, provider: 'b' });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { message: 'No AI provider answered: b (502).' } });
  });

  it('answers 404 naming the configured providers for an unknown one', async () => {
    const url = await start([fakeProvider('a', 'ok')]);
    const response = await chat(url, { ...hello, provider: 'zzz' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { message: 'AI provider "zzz" is not configured. Configured: a.' } });
  });

  it('answers 503 when no provider is configured', async () => {
    const response = await chat(await start([]), hello);
    expect(response.status).toBe(503);
  });

  it('rejects an invalid body with 400', async () => {
    const response = await chat(await start([fakeProvider('a', 'ok')]), { messages: [] });
    expect(response.status).toBe(400);
  });

  it('streams from the first provider that starts answering', async () => {
    const url = await start([fakeProvider('a', 'fails'), fakeProvider('b', 'ok')]);
    const response = await chat(url, { ...hello, stream: true });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseEvents(await response.text());
    expect(events.map((event) => event.data)).toEqual([
      { text: 'hello ', provider: 'b' },
      { text: 'from b', usage: { inputTokens: 3, outputTokens: 2 } },
      {},
    ]);
  });

  it('says what an answer cost when usage-tracker provides a cost estimator', async () => {
    const priced: UsageEvent[] = [];
    const estimator: CostEstimator = (event) => {
      priced.push(event);
      return event.model === 'unpriced' ? null : 0.0125;
    };
    const withUsage: AIProvider = {
      ...fakeProvider('p', 'ok'),
      chat: async (request) => ({
        provider: 'p',
        model: request.model ?? 'p-large',
        text: 'hi',
        usage: { inputTokens: 10, outputTokens: 5 },
      }),
    };
    const url = await start([withUsage, fakeProvider('a', 'ok')], undefined, estimator);

    const answer = await chat(url, { ...hello, provider: 'p' });
    expect(await answer.json()).toEqual({
      provider: 'p',
      model: 'p-large',
      text: 'hi',
      usage: { inputTokens: 10, outputTokens: 5 },
      costUsd: 0.0125,
      fallbacks: [],
    });
    expect(priced[0]).toMatchObject({ provider: 'p', model: 'p-large', inputTokens: 10, outputTokens: 5 });

    const streamed = parseEvents(await (await chat(url, { ...hello, provider: 'a', stream: true })).text());
    expect(streamed.map((event) => event.data)).toEqual([
      { text: 'hello ', provider: 'a' },
      { text: 'from a', usage: { inputTokens: 3, outputTokens: 2 }, costUsd: 0.0125 },
      {},
    ]);
    expect(priced[1]).toMatchObject({ provider: 'a', model: 'a-default', inputTokens: 3, outputTokens: 2 });

    // A model missing from the price table gets no figure rather than a wrong one.
    const unpriced = await chat(url, { ...hello, provider: 'p', model: 'unpriced' });
    expect(await unpriced.json()).not.toHaveProperty('costUsd');
  });

  it('lists the providers in the order they are tried', async () => {
    const url = await start([fakeProvider('a', 'ok'), fakeProvider('b', 'ok')], 'b');
    const body = (await (await fetch(`${url}/providers`)).json()) as { providers: { id: string }[] };
    expect(body.providers.map((provider) => provider.id)).toEqual(['b', 'a']);
  });
});

describe('AI chat on GET /health', () => {
  // The local provider's probe is logged as not running: kept out of the test output.
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // Stand-in AI plugins: configured once FAKE_<ID>_KEY is set; a local one stands for Ollama not started.
  function aiPlugin(id: string, { local = false } = {}): ProviderPlugin<unknown> {
    const key = `FAKE_${id.toUpperCase()}_KEY`;
    return definePlugin({
      id,
      name: `Plugin ${id}`,
      localServer: local,
      env: z.object({ [key]: z.string() }),
      setup(_config, { services }) {
        services.provide(aiProviders, fakeProvider(id, 'ok'));
        return {
          probe: async () => {
            if (local) throw new HttpError(503, `Plugin ${id} is not reachable.`);
          },
        };
      },
    });
  }

  async function chatStatus(env: EnvSource, query = ''): Promise<{ status: string; message?: string } | undefined> {
    const app = express().use(createPluginRouter([aiChatPlugin, aiPlugin('remote'), aiPlugin('local', { local: true })], env).router);
    const server = createServer(app).listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health${query}`);
    const body = (await response.json()) as { plugins: { id: string; status: string; message?: string }[] };
    return body.plugins.find((plugin) => plugin.id === 'ai-chat');
  }

  it('is not configured until a provider is, and says how to configure one', async () => {
    expect(await chatStatus({})).toMatchObject({
      status: 'not_configured',
      message: expect.stringMatching(/^No AI provider is configured\. Set the API key of one in /),
    });
    expect(await chatStatus({ FAKE_REMOTE_KEY: 'key' })).toMatchObject({ status: 'ok' });
  });

  it('is not running when its only configured provider is a local server that is not running', async () => {
    expect(await chatStatus({ FAKE_LOCAL_KEY: 'set' }, '?probe=1')).toMatchObject({ status: 'not_running' });
    expect(await chatStatus({ FAKE_LOCAL_KEY: 'set', FAKE_REMOTE_KEY: 'key' }, '?probe=1')).toMatchObject({ status: 'ok' });
  });
});
