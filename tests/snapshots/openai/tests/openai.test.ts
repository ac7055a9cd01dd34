import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOpenAIService } from '../src/ai/openai/openai.service.js';
import { openaiEnv } from '../src/ai/openai/openai.types.js';
import { startApp } from './helpers/http.js';
import type { RunningServer } from './helpers/http.js';
import { parseEvents } from './helpers/sse.js';
import { EMBEDDING, MODELS, REPLY_PIECES, startOpenAICompatibleMock } from './mocks/openai-compatible.mock.js';
import type { OpenAICompatibleMock } from './mocks/openai-compatible.mock.js';

const API_KEY = 'sk-test-0123456789abcdef';

describe('OpenAI plugin', () => {
  let mock: OpenAICompatibleMock;
  let app: RunningServer;
  beforeAll(async () => {
    mock = await startOpenAICompatibleMock({ apiKey: API_KEY });
    app = await startApp({ OPENAI_API_KEY: API_KEY, OPENAI_ORG_ID: 'org-mock', OPENAI_BASE_URL: mock.baseURL });
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => {
    mock.requests.length = 0;
  });

  const post = (path: string, body: unknown, init: RequestInit = {}) =>
    fetch(`${app.url}/api/ai/openai${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      ...init,
    });

  it('answers a chat with the model text and usage', async () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello.' },
    ];
    const response = await post('/chat', { messages, model: 'gpt-5', maxTokens: 50, temperature: 1 });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      provider: 'openai',
      model: 'gpt-5',
      text: 'Hello from the mock',
      usage: { inputTokens: 12, outputTokens: 3 },
    });
    expect(mock.requests).toHaveLength(1);
    const [request] = mock.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['openai-organization']).toBe('org-mock');
    expect(request?.body).toEqual({ model: 'gpt-5', messages, max_completion_tokens: 50, temperature: 1 });
  });

  it('streams a chat as Server-Sent Events, usage last', async () => {
    const response = await post('/chat', { messages: [{ role: 'user', content: 'Say hello.' }], stream: true });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(parseEvents(await response.text())).toEqual([
      ...REPLY_PIECES.map((text) => ({ event: 'message', data: { text } })),
      { event: 'message', data: { text: '', usage: { inputTokens: 12, outputTokens: 3 } } },
      { event: 'done', data: {} },
    ]);
    expect(mock.requests[0]?.body).toMatchObject({ model: 'gpt-5-mini', stream: true, stream_options: { include_usage: true } });
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

  it('answers a completion through the chat API with the default model', async () => {
    const response = await post('/completions', { prompt: 'Once upon a time', maxTokens: 20 });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: 'openai', model: 'gpt-5-mini', text: 'Hello from the mock' });
    expect(mock.requests[0]?.path).toBe('/v1/chat/completions');
    expect(mock.requests[0]?.body).toEqual({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'Once upon a time' }],
      max_completion_tokens: 20,
    });
  });

  it('returns one embedding per input', async () => {
    const response = await post('/embeddings', { input: ['first', 'second'] });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      provider: 'openai',
      model: 'text-embedding-3-small',
      embeddings: [EMBEDDING, EMBEDDING],
      usage: { inputTokens: 8, outputTokens: 0 },
    });
    expect(mock.requests[0]?.body).toMatchObject({ model: 'text-embedding-3-small', input: ['first', 'second'] });
  });

  it('lists the models', async () => {
    const response = await fetch(`${app.url}/api/ai/openai/models`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ models: MODELS.map((model) => ({ id: model.id, ownedBy: model.owned_by })) });
  });

  it('probes by listing models on GET /health?probe=1', async () => {
    const response = await fetch(`${app.url}/health?probe=1`);
    const body = (await response.json()) as { plugins: { id: string; status: string }[] };

    expect(body.plugins.find((plugin) => plugin.id === 'openai')?.status).toBe('ok');
    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/models']);
  });

  it('rejects a chat without messages with 400 and never calls OpenAI', async () => {
    const response = await post('/chat', { messages: [] });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((issue) => issue.path)).toEqual(['messages']);
    expect(mock.requests).toHaveLength(0);
  });

  it('maps a rate limit to 429 without leaking the key', async () => {
    mock.failNext(429);
    const response = await post('/chat', { messages: [{ role: 'user', content: 'Hi' }] });

    expect(response.status).toBe(429);
    expect(await response.text()).not.toContain(API_KEY);
  });

  it('maps a rate limit on a stream to 429 instead of a broken event stream', async () => {
    mock.failNext(429);
    const response = await post('/chat', { messages: [{ role: 'user', content: 'Hi' }], stream: true });

    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('maps a rejected key to 502 without leaking the key', async () => {
    const wrongKey = 'sk-wrong-key-fedcba9876543210';
    const misconfigured = await startApp({ OPENAI_API_KEY: wrongKey, OPENAI_BASE_URL: mock.baseURL });
    try {
      const response = await fetch(`${misconfigured.url}/api/ai/openai/models`);

      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('OpenAI rejected the credentials');
      expect(text).not.toContain(wrongKey);
    } finally {
      await misconfigured.close();
    }
  });
});

describe('OpenAI plugin without settings', () => {
  it('answers 503 naming OPENAI_API_KEY', async () => {
    const app = await startApp({});
    try {
      const response = await fetch(`${app.url}/api/ai/openai/models`);

      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain('OPENAI_API_KEY');
    } finally {
      await app.close();
    }
  });
});

describe('OpenAI with a key from api-key-manager', () => {
  const STORED_KEY = 'sk-stored-0123456789abcdef';
  let mock: OpenAICompatibleMock;
  beforeAll(async () => {
    mock = await startOpenAICompatibleMock({ apiKey: STORED_KEY });
  });
  afterAll(() => mock.close());

  const config = () => openaiEnv.parse({ OPENAI_API_KEY: 'sk-env-key-not-accepted', OPENAI_BASE_URL: mock.baseURL });
  const hello = { messages: [{ role: 'user' as const, content: 'Say hello.' }] };

  it('uses the stored key instead of OPENAI_API_KEY and counts the call against it', async () => {
    const used = vi.fn();
    const service = createOpenAIService(config(), async () => ({ key: STORED_KEY, used }));
    await expect(service.chat(hello)).resolves.toMatchObject({ text: 'Hello from the mock' });
    expect(mock.requests.at(-1)?.headers.authorization).toBe(`Bearer ${STORED_KEY}`);
    expect(used).toHaveBeenCalledTimes(1);
  });

  it('falls back to OPENAI_API_KEY when no key is stored', async () => {
    const service = createOpenAIService(config(), async () => undefined);
    await expect(service.chat(hello)).rejects.toMatchObject({ status: 502 });
    expect(mock.requests.at(-1)?.headers.authorization).toBe('Bearer sk-env-key-not-accepted');
  });
});
