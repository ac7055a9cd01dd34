import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp, startMock } from './helpers/http.js';
import type { RunningServer } from './helpers/http.js';
import { parseEvents } from './helpers/sse.js';
import { REPLY_PIECES, startOpenAICompatibleMock } from './mocks/openai-compatible.mock.js';
import type { MockModel, OpenAICompatibleMock } from './mocks/openai-compatible.mock.js';

/** What LM Studio lists with two models available. */
const MODELS: MockModel[] = [
  { id: 'qwen/qwen3-4b', object: 'model', created: 1760000000, owned_by: 'organization_owner' },
  { id: 'text-embedding-nomic-embed-text-v1.5', object: 'model', created: 1760000000, owned_by: 'organization_owner' },
];
const HELLO = { messages: [{ role: 'user', content: 'Say hello.' }] };

describe('LM Studio plugin', () => {
  let mock: OpenAICompatibleMock;
  let app: RunningServer;
  beforeAll(async () => {
    mock = await startOpenAICompatibleMock({ models: MODELS });
    app = await startApp({ LMSTUDIO_ENDPOINT: mock.url, AI_PROVIDERS: 'lmstudio' });
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => {
    mock.requests.length = 0;
  });

  const post = (path: string, body: unknown, init?: RequestInit) => postJson(`${app.url}/api${path}`, body, init);
  const received = () => mock.requests.map((request) => `${request.method} ${request.path}`);

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
    expect(mock.requests[1]?.body).toEqual({ model: 'qwen/qwen3-4b', messages: HELLO.messages, max_tokens: 50, temperature: 0.7 });

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

  it('streams a chat as Server-Sent Events, usage last', async () => {
    const response = await post('/ai/local/lmstudio/chat', { ...HELLO, stream: true });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(parseEvents(await response.text())).toEqual([
      ...REPLY_PIECES.map((text) => ({ event: 'message', data: { text } })),
      { event: 'message', data: { text: '', usage: { inputTokens: 12, outputTokens: 3 } } },
      { event: 'done', data: {} },
    ]);
    expect(mock.requests.at(-1)?.body).toMatchObject({ model: 'qwen/qwen3-4b', stream: true });
  });

  it('closes the upstream request when the client leaves a stream', async () => {
    const upstreamClosed = mock.streamUntilClosed();
    const client = new AbortController();
    const response = await post('/ai/local/lmstudio/chat', { ...HELLO, stream: true }, { signal: client.signal });
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('"text":"more"');

    client.abort();
    await expect(upstreamClosed).resolves.toBeUndefined();
  });

  it('lists the models', async () => {
    const response = await fetch(`${app.url}/api/ai/local/lmstudio/models`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ models: MODELS.map((model) => ({ id: model.id, ownedBy: model.owned_by })) });
  });

  it('probes by listing models on GET /health?probe=1', async () => {
    const response = await fetch(`${app.url}/health?probe=1`);
    const body = (await response.json()) as { plugins: { id: string; status: string }[] };

    expect(body.plugins.find((plugin) => plugin.id === 'lmstudio')?.status).toBe('ok');
    expect(received()).toEqual(['GET /v1/models']);
  });

  it('rejects a chat without messages with 400 and never calls LM Studio', async () => {
    const response = await post('/ai/local/lmstudio/chat', { messages: [] });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((issue) => issue.path)).toEqual(['messages']);
    expect(mock.requests).toHaveLength(0);
  });

  it('passes on what LM Studio could not find, then looks the model up again', async () => {
    mock.failNext(404);
    const failed = await post('/ai/local/lmstudio/chat', HELLO);

    expect(failed.status).toBe(404);
    expect(((await failed.json()) as { error: { message: string } }).error.message).toContain('LM Studio could not find');
    const retried = await post('/ai/local/lmstudio/chat', HELLO);
    expect(retried.status).toBe(200);
    expect(received()).toEqual(['POST /v1/chat/completions', 'GET /v1/models', 'POST /v1/chat/completions']);
  });

  it('maps a busy server to 429', async () => {
    mock.failNext(429);
    const response = await post('/ai/local/lmstudio/chat', HELLO);

    expect(response.status).toBe(429);
  });

  it('answers POST /api/ai/chat with LM Studio as the primary provider', async () => {
    const response = await post('/ai/chat', HELLO);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: 'lmstudio', text: 'Hello from the mock', fallbacks: [] });
  });
});

describe('LM Studio plugin with LMSTUDIO_MODEL', () => {
  it('uses that model without looking one up, whether the endpoint ends in /v1 or not', async () => {
    const mock = await startOpenAICompatibleMock({ models: MODELS });
    const app = await startApp({ LMSTUDIO_ENDPOINT: `${mock.url}/v1/`, LMSTUDIO_MODEL: 'mistralai/devstral-small-2507' });
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
    const app = await startApp({ LMSTUDIO_ENDPOINT: mock.url });
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
    app = await startApp({ LMSTUDIO_ENDPOINT: endpoint });
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

  it('reports the failed attempt on POST /api/ai/chat when LM Studio is the only provider asked', async () => {
    const response = await postJson(`${app.url}/api/ai/chat`, { ...HELLO, provider: 'lmstudio' });

    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { message: string; details: { attempts: { provider: string; status: number }[] } } };
    expect(body.error.message).toBe('No AI provider answered: lmstudio (503).');
    expect(body.error.details.attempts).toMatchObject([{ provider: 'lmstudio', status: 503 }]);
  });
});

function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), ...init });
}
