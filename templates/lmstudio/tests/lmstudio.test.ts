import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lmstudioPlugin } from '../src/ai/lmstudio/index.js';
import { describeAIProvider } from './helpers/ai-provider-contract.js';
import { postJson, useAppWithMock } from './helpers/app-with-mock.js';
import type { RunningServer } from './helpers/http.js';
import { startApp, startMock } from './helpers/http.js';
import type { MockModel } from './mocks/openai-compatible.mock.js';
import { REPLY_PIECES, startOpenAICompatibleMock } from './mocks/openai-compatible.mock.js';

/** What LM Studio lists with two models available. */
const MODELS: MockModel[] = [
  { id: 'qwen/qwen3-4b', object: 'model', created: 1760000000, owned_by: 'organization_owner' },
  { id: 'text-embedding-nomic-embed-text-v1.5', object: 'model', created: 1760000000, owned_by: 'organization_owner' },
];
const HELLO = { messages: [{ role: 'user', content: 'Say hello.' }] };
const plugins = [lmstudioPlugin];

// With LMSTUDIO_MODEL, no call first asks LM Studio which model is loaded (tested below).
describeAIProvider({
  plugin: lmstudioPlugin,
  startMock: () => startOpenAICompatibleMock({ models: MODELS }),
  settings: (root) => ({ LMSTUDIO_ENDPOINT: root, LMSTUDIO_MODEL: 'qwen/qwen3-4b' }),
  chatPath: '/api/ai/local/lmstudio/chat',
  models: { path: '/api/ai/local/lmstudio/models', ids: MODELS.map((model) => model.id) },
  reply: { pieces: REPLY_PIECES, usage: { inputTokens: 12, outputTokens: 3 } },
  probe: 'GET /v1/models',
  secrets: [],
});

describe('LM Studio plugin', () => {
  const running = useAppWithMock(
    () => startOpenAICompatibleMock({ models: MODELS }),
    (mock) => startApp({ LMSTUDIO_ENDPOINT: mock.url }, { plugins }),
  );

  const post = (path: string, body: unknown) => postJson(`${running.app.url}/api${path}`, body);
  const received = () => running.mock.requests.map((request) => `${request.method} ${request.path}`);

  it('answers a chat with the first listed model, looked up once', async () => {
    const first = await post('/ai/local/lmstudio/chat', { ...HELLO, maxTokens: 50, temperature: 0.7 });

    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      provider: 'lmstudio',
      model: 'qwen/qwen3-4b',
      text: 'Hello from the mock',
      usage: { inputTokens: 12, outputTokens: 3 },
    });
    expect(received()).toEqual(['GET /v1/models', 'POST /v1/chat/completions']);
    expect(running.mock.requests[1]?.body).toEqual({ model: 'qwen/qwen3-4b', messages: HELLO.messages, max_tokens: 50, temperature: 0.7 });

    const second = await post('/ai/local/lmstudio/chat', HELLO);
    expect(second.status).toBe(200);
    expect(received()).toEqual(['GET /v1/models', 'POST /v1/chat/completions', 'POST /v1/chat/completions']);
  });

  it('uses the model a request names without looking one up', async () => {
    const response = await post('/ai/local/lmstudio/chat', { ...HELLO, model: 'google/gemma-3-12b' });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ model: 'google/gemma-3-12b' });
    expect(received()).toEqual(['POST /v1/chat/completions']);
  });

  it('passes on what LM Studio could not find, then looks the model up again', async () => {
    running.mock.failNext(404);
    const failed = await post('/ai/local/lmstudio/chat', HELLO);

    expect(failed.status).toBe(404);
    expect(((await failed.json()) as { error: { message: string } }).error.message).toContain('LM Studio could not find');
    const retried = await post('/ai/local/lmstudio/chat', HELLO);
    expect(retried.status).toBe(200);
    expect(received()).toEqual(['POST /v1/chat/completions', 'GET /v1/models', 'POST /v1/chat/completions']);
  });
});

describe('LM Studio plugin with LMSTUDIO_MODEL', () => {
  it('uses that model without looking one up, whether the endpoint ends in /v1 or not', async () => {
    const mock = await startOpenAICompatibleMock({ models: MODELS });
    const app = await startApp({ LMSTUDIO_ENDPOINT: `${mock.url}/v1/`, LMSTUDIO_MODEL: 'mistralai/devstral-small-2507' }, { plugins });
    try {
      const response = await postJson(`${app.url}/api/ai/local/lmstudio/chat`, HELLO);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ model: 'mistralai/devstral-small-2507' });
      expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v1/chat/completions']);
    } finally {
      await app.close();
      await mock.close();
    }
  });
});

describe('LM Studio plugin without a model loaded', () => {
  it('answers 503 saying so', async () => {
    const mock = await startOpenAICompatibleMock({ models: [] });
    const app = await startApp({ LMSTUDIO_ENDPOINT: mock.url }, { plugins });
    try {
      const response = await postJson(`${app.url}/api/ai/local/lmstudio/chat`, HELLO);

      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain('LM Studio has no model loaded');
    } finally {
      await app.close();
      await mock.close();
    }
  });
});

describe('LM Studio plugin when LM Studio is not running', () => {
  let endpoint: string;
  let app: RunningServer;
  beforeAll(async () => {
    // A port that was just free and is closed again: connections to it are refused.
    const closed = await startMock(() => undefined);
    await closed.close();
    endpoint = closed.url;
    app = await startApp({ LMSTUDIO_ENDPOINT: endpoint }, { plugins });
  });
  afterAll(() => app.close());

  it('is configured without any setting, and the probe says it is not running, which is no failure', async () => {
    const response = await fetch(`${app.url}/health?probe=1`);
    const body = (await response.json()) as { plugins: { id: string; status: string; message?: string }[] };

    expect(body.plugins.find((plugin) => plugin.id === 'lmstudio')).toMatchObject({
      status: 'not_running',
      message: 'LM Studio is not running. Start it, or check its address in .env.',
    });
  });

  it('answers 503 naming the endpoint', async () => {
    const response = await postJson(`${app.url}/api/ai/local/lmstudio/chat`, { ...HELLO, model: 'qwen/qwen3-4b' });

    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain(`LM Studio is not reachable at ${endpoint}`);
  });
});
