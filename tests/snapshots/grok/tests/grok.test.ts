import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp } from './helpers/http.js';
import type { RunningServer } from './helpers/http.js';
import { parseEvents } from './helpers/sse.js';
import { REPLY_PIECES, startOpenAICompatibleMock } from './mocks/openai-compatible.mock.js';
import type { OpenAICompatibleMock } from './mocks/openai-compatible.mock.js';

const API_KEY = 'xai-test-0123456789abcdef';

describe('Grok plugin', () => {
  let mock: OpenAICompatibleMock;
  let app: RunningServer;
  beforeAll(async () => {
    mock = await startOpenAICompatibleMock({ apiKey: API_KEY });
    app = await startApp({ XAI_API_KEY: API_KEY, XAI_BASE_URL: mock.baseURL, AI_PROVIDERS: 'grok' });
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => {
    mock.requests.length = 0;
  });

  const post = (path: string, body: unknown, init?: RequestInit) => postJson(`${app.url}/api${path}`, body, init);

  it('answers a chat with the model text and usage', async () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello.' },
    ];
    const response = await post('/ai/grok/chat', { messages, model: 'grok-4-fast', maxTokens: 50, temperature: 0.5 });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      provider: 'grok',
      model: 'grok-4-fast',
      text: 'Hello from the mock',
      usage: { inputTokens: 12, outputTokens: 3 },
    });
    expect(mock.requests).toHaveLength(1);
    const [request] = mock.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toEqual({ model: 'grok-4-fast', messages, max_completion_tokens: 50, temperature: 0.5 });
  });

  it('streams a chat as Server-Sent Events with the default model, usage last', async () => {
    const response = await post('/ai/grok/chat', { messages: [{ role: 'user', content: 'Say hello.' }], stream: true });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(parseEvents(await response.text())).toEqual([
      ...REPLY_PIECES.map((text) => ({ event: 'message', data: { text } })),
      { event: 'message', data: { text: '', usage: { inputTokens: 12, outputTokens: 3 } } },
      { event: 'done', data: {} },
    ]);
    expect(mock.requests[0]?.body).toMatchObject({ model: 'grok-4', stream: true, stream_options: { include_usage: true } });
  });

  it('closes the upstream request when the client leaves a stream', async () => {
    const upstreamClosed = mock.streamUntilClosed();
    const client = new AbortController();
    const response = await post('/ai/grok/chat', { messages: [{ role: 'user', content: 'Go on forever.' }], stream: true }, { signal: client.signal });
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('"text":"more"');

    client.abort();
    await expect(upstreamClosed).resolves.toBeUndefined();
  });

  it('probes by listing models on GET /health?probe=1', async () => {
    const response = await fetch(`${app.url}/health?probe=1`);
    const body = (await response.json()) as { plugins: { id: string; status: string }[] };

    expect(body.plugins.find((plugin) => plugin.id === 'grok')?.status).toBe('ok');
    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/models']);
  });

  it('rejects a chat without messages with 400 and never calls xAI', async () => {
    const response = await post('/ai/grok/chat', { messages: [] });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((issue) => issue.path)).toEqual(['messages']);
    expect(mock.requests).toHaveLength(0);
  });

  it('maps a rate limit to 429 without leaking the key', async () => {
    mock.failNext(429);
    const response = await post('/ai/grok/chat', { messages: [{ role: 'user', content: 'Hi' }] });

    expect(response.status).toBe(429);
    const text = await response.text();
    expect(text).toContain('Grok is rate limiting this app');
    expect(text).not.toContain(API_KEY);
  });

  it('maps a rate limit on a stream to 429 instead of a broken event stream', async () => {
    mock.failNext(429);
    const response = await post('/ai/grok/chat', { messages: [{ role: 'user', content: 'Hi' }], stream: true });

    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('answers POST /api/ai/chat with Grok as the primary provider', async () => {
    const response = await post('/ai/chat', { messages: [{ role: 'user', content: 'Hi' }] });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: 'grok', model: 'grok-4', text: 'Hello from the mock', fallbacks: [] });
  });

  it('reports the failed attempt when Grok is the only provider asked and fails', async () => {
    mock.failNext(500);
    const response = await post('/ai/chat', { provider: 'grok', messages: [{ role: 'user', content: 'Hi' }] });

    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { message: string; details: { attempts: unknown[] } } };
    expect(body.error.message).toBe('No AI provider answered: grok (502).');
    expect(body.error.details.attempts).toEqual([{ provider: 'grok', status: 502, message: 'Grok failed to answer (status 500). Try again later.' }]);
    expect(JSON.stringify(body)).not.toContain(API_KEY);
  });

  it('maps a rejected key to 502 without leaking the key', async () => {
    const wrongKey = 'xai-wrong-key-fedcba9876543210';
    const misconfigured = await startApp({ XAI_API_KEY: wrongKey, XAI_BASE_URL: mock.baseURL });
    try {
      const response = await postJson(`${misconfigured.url}/api/ai/grok/chat`, { messages: [{ role: 'user', content: 'Hi' }] });

      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('Grok rejected the credentials');
      expect(text).not.toContain(wrongKey);
    } finally {
      await misconfigured.close();
    }
  });
});

describe('Grok plugin without settings', () => {
  it('answers 503 naming XAI_API_KEY', async () => {
    const app = await startApp({});
    try {
      const response = await postJson(`${app.url}/api/ai/grok/chat`, { messages: [{ role: 'user', content: 'Hi' }] });

      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain('XAI_API_KEY');
    } finally {
      await app.close();
    }
  });
});

function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), ...init });
}
