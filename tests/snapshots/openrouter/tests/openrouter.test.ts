import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp } from './helpers/http.js';
import type { RunningServer } from './helpers/http.js';
import { parseEvents } from './helpers/sse.js';
import { MODELS, REPLY_PIECES, startOpenAICompatibleMock } from './mocks/openai-compatible.mock.js';
import type { OpenAICompatibleMock } from './mocks/openai-compatible.mock.js';

const API_KEY = 'sk-or-v1-test-0123456789abcdef';
/** OpenRouter's `GET /api/v1/key` answer for a key with a weekly $25 limit. */
const KEY_INFO = {
  data: {
    label: 'sk-or-v1-012...def',
    limit: 25,
    limit_remaining: 17.5,
    limit_reset: 'weekly',
    include_byok_in_limit: false,
    usage: 7.5,
    usage_daily: 0.25,
    usage_weekly: 7.5,
    usage_monthly: 7.5,
    byok_usage: 0,
    is_free_tier: false,
  },
};

describe('OpenRouter plugin', () => {
  let mock: OpenAICompatibleMock;
  let app: RunningServer;
  beforeAll(async () => {
    mock = await startOpenAICompatibleMock({ apiKey: API_KEY, basePath: '/api/v1', routes: { 'GET /api/v1/key': KEY_INFO } });
    app = await startApp({
      OPENROUTER_API_KEY: API_KEY,
      OPENROUTER_BASE_URL: mock.baseURL,
      OPENROUTER_SITE_URL: 'https://example.com',
      OPENROUTER_APP_NAME: 'Example API',
    });
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => {
    mock.requests.length = 0;
  });

  const post = (path: string, body: unknown, init?: RequestInit) => postJson(`${app.url}/api/ai/router${path}`, body, init);
  const get = (path: string) => fetch(`${app.url}/api/ai/router${path}`);

  it('answers a chat with the model text and usage, sending the attribution headers', async () => {
    const messages = [{ role: 'user', content: 'Say hello.' }];
    const response = await post('/chat', { messages, model: 'anthropic/claude-sonnet-4.5', maxTokens: 50, temperature: 0.2 });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      provider: 'openrouter',
      model: 'anthropic/claude-sonnet-4.5',
      text: 'Hello from the mock',
      usage: { inputTokens: 12, outputTokens: 3 },
    });
    expect(mock.requests).toHaveLength(1);
    const [request] = mock.requests;
    expect(request?.path).toBe('/api/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['http-referer']).toBe('https://example.com');
    expect(request?.headers['x-title']).toBe('Example API');
    expect(request?.body).toEqual({ model: 'anthropic/claude-sonnet-4.5', messages, max_tokens: 50, temperature: 0.2 });
  });

  it('streams a chat as Server-Sent Events with the default model, usage last', async () => {
    const response = await post('/chat', { messages: [{ role: 'user', content: 'Say hello.' }], stream: true });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(parseEvents(await response.text())).toEqual([
      ...REPLY_PIECES.map((text) => ({ event: 'message', data: { text } })),
      { event: 'message', data: { text: '', usage: { inputTokens: 12, outputTokens: 3 } } },
      { event: 'done', data: {} },
    ]);
    expect(mock.requests[0]?.body).toMatchObject({ model: 'openai/gpt-5-mini', stream: true, stream_options: { include_usage: true } });
  });

  it('closes the upstream request when the client leaves a stream', async () => {
    const upstreamClosed = mock.streamUntilClosed();
    const client = new AbortController();
    const response = await post('/chat', { messages: [{ role: 'user', content: 'Go on forever.' }], stream: true }, { signal: client.signal });
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('"text":"more"');

    client.abort();
    await expect(upstreamClosed).resolves.toBeUndefined();
  });

  it('lists the models', async () => {
    const response = await get('/models');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ models: MODELS.map((model) => ({ id: model.id, ownedBy: model.owned_by })) });
    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/v1/models']);
  });

  it('returns the key limits in camelCase', async () => {
    const response = await get('/limits');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      label: 'sk-or-v1-012...def',
      limit: 25,
      limitRemaining: 17.5,
      limitReset: 'weekly',
      usage: 7.5,
      usageDaily: 0.25,
      usageMonthly: 7.5,
      isFreeTier: false,
    });
    expect(mock.requests[0]?.path).toBe('/api/v1/key');
    expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('probes by reading the key limits on GET /health?probe=1', async () => {
    const response = await fetch(`${app.url}/health?probe=1`);
    const body = (await response.json()) as { plugins: { id: string; status: string }[] };

    expect(body.plugins.find((plugin) => plugin.id === 'openrouter')?.status).toBe('ok');
    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/v1/key']);
  });

  it('rejects a chat without messages with 400 and never calls OpenRouter', async () => {
    const response = await post('/chat', { messages: [] });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((issue) => issue.path)).toEqual(['messages']);
    expect(mock.requests).toHaveLength(0);
  });

  it.each([
    [402, 402, 'billing reasons'],
    [429, 429, 'rate limiting'],
  ])('maps %i on a chat to %i without leaking the key', async (upstream, status, message) => {
    mock.failNext(upstream);
    const response = await post('/chat', { messages: [{ role: 'user', content: 'Hi' }] });

    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).toContain(message);
    expect(text).not.toContain(API_KEY);
  });

  it.each([
    [402, 402],
    [429, 429],
  ])('maps %i on the limits to %i without leaking the key', async (upstream, status) => {
    mock.failNext(upstream);
    const response = await get('/limits');

    expect(response.status).toBe(status);
    expect(await response.text()).not.toContain(API_KEY);
  });

  it('maps a rejected key to 502 on chats and limits without leaking the key', async () => {
    const wrongKey = 'sk-or-v1-wrong-fedcba9876543210';
    const misconfigured = await startApp({ OPENROUTER_API_KEY: wrongKey, OPENROUTER_BASE_URL: mock.baseURL });
    try {
      const responses = [
        await postJson(`${misconfigured.url}/api/ai/router/chat`, { messages: [{ role: 'user', content: 'Hi' }] }),
        await fetch(`${misconfigured.url}/api/ai/router/limits`),
      ];
      for (const response of responses) {
        expect(response.status).toBe(502);
        const text = await response.text();
        expect(text).toContain('OpenRouter rejected the credentials');
        expect(text).not.toContain(wrongKey);
      }
    } finally {
      await misconfigured.close();
    }
  });
});

describe('OpenRouter plugin without settings', () => {
  it('answers 503 naming OPENROUTER_API_KEY', async () => {
    const app = await startApp({});
    try {
      const response = await fetch(`${app.url}/api/ai/router/models`);

      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain('OPENROUTER_API_KEY');
    } finally {
      await app.close();
    }
  });
});

function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), ...init });
}
