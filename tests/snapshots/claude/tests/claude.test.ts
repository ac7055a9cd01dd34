import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp } from './helpers/http.js';
import type { RunningServer } from './helpers/http.js';
import { MODELS, REPLY_PIECES, startClaudeMock } from './mocks/claude.mock.js';
import type { ClaudeMock } from './mocks/claude.mock.js';

const API_KEY = 'sk-ant-test-0123456789abcdef';

describe('Claude plugin', () => {
  let mock: ClaudeMock;
  let app: RunningServer;
  beforeAll(async () => {
    mock = await startClaudeMock(API_KEY);
    app = await startApp({ ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: mock.baseURL });
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => {
    mock.requests.length = 0;
  });

  const post = (path: string, body: unknown, init: RequestInit = {}) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      ...init,
    });
  const hello = [{ role: 'user', content: 'Say hello.' }];

  it('answers a message with the model text and usage, system prompts moved to `system`', async () => {
    const response = await post('/api/ai/claude/messages', {
      system: 'Be brief.',
      messages: [{ role: 'system', content: 'Answer in English.' }, ...hello],
      model: 'claude-opus-5-5',
      maxTokens: 50,
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      provider: 'claude',
      model: 'claude-opus-5-5',
      text: 'Hello from the mock',
      usage: { inputTokens: 12, outputTokens: 3 },
    });
    expect(mock.requests).toHaveLength(1);
    const [request] = mock.requests;
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['anthropic-version']).toBeTruthy();
    expect(request?.body).toEqual({
      model: 'claude-opus-5-5',
      max_tokens: 50,
      messages: hello,
      system: 'Be brief.\n\nAnswer in English.',
    });
  });

  it('uses the default model and answer length when the request names none', async () => {
    const response = await post('/api/ai/claude/messages', { messages: hello });

    expect(response.status).toBe(200);
    expect(mock.requests[0]?.body).toEqual({ model: 'claude-sonnet-5-5', max_tokens: 1024, messages: hello });
  });

  it('streams a message as Server-Sent Events, usage last', async () => {
    const response = await post('/api/ai/claude/stream', { messages: hello });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(parseEvents(await response.text())).toEqual([
      ...REPLY_PIECES.map((text) => ({ event: 'message', data: { text } })),
      { event: 'message', data: { text: '', usage: { inputTokens: 12, outputTokens: 3 } } },
      { event: 'done', data: {} },
    ]);
    expect(mock.requests[0]?.body).toMatchObject({ model: 'claude-sonnet-5-5', stream: true });
  });

  it('streams from /messages too when asked with `"stream": true`', async () => {
    const response = await post('/api/ai/claude/messages', { messages: hello, stream: true });

    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(await response.text()).toContain('"text":" the mock"');
  });

  it('closes the upstream request when the client leaves a stream', async () => {
    const upstreamClosed = mock.streamUntilClosed();
    const client = new AbortController();
    const response = await post('/api/ai/claude/stream', { messages: hello }, { signal: client.signal });
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('"text":"more"');

    client.abort();
    await expect(upstreamClosed).resolves.toBeUndefined();
  });

  it('reports an overload in the middle of a stream as an error event', async () => {
    mock.overloadNextStream();
    const response = await post('/api/ai/claude/stream', { messages: hello });

    expect(response.status).toBe(200);
    const events = parseEvents(await response.text());
    expect(events[0]).toEqual({ event: 'message', data: { text: 'Hello' } });
    expect(events.at(-1)).toEqual({ event: 'error', data: { message: expect.stringContaining('Claude is overloaded') } });
  });

  it('lists the models', async () => {
    const response = await fetch(`${app.url}/api/ai/claude/models`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ models: MODELS.map((model) => ({ id: model.id })) });
  });

  it('probes by listing models on GET /health?probe=1', async () => {
    const response = await fetch(`${app.url}/health?probe=1`);
    const body = (await response.json()) as { plugins: { id: string; status: string }[] };

    expect(body.plugins.find((plugin) => plugin.id === 'claude')?.status).toBe('ok');
    expect(mock.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`)).toEqual(['GET /v1/models']);
  });

  it('answers POST /api/ai/chat through Claude', async () => {
    const response = await post('/api/ai/chat', { provider: 'claude', messages: [{ role: 'system', content: 'Be brief.' }, ...hello] });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: 'claude', text: 'Hello from the mock', fallbacks: [] });
    expect(mock.requests[0]?.body).toMatchObject({ system: 'Be brief.', messages: hello });
  });

  it('rejects a message without messages with 400 and never calls Claude', async () => {
    const response = await post('/api/ai/claude/messages', { messages: [], maxTokens: 0 });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((issue) => issue.path).sort()).toEqual(['maxTokens', 'messages']);
    expect(mock.requests).toHaveLength(0);
  });

  it('maps a rate limit to 429 without leaking the key', async () => {
    mock.failNext(429);
    const response = await post('/api/ai/claude/messages', { messages: hello });

    expect(response.status).toBe(429);
    expect(await response.text()).not.toContain(API_KEY);
  });

  it('maps a rate limit on a stream to 429 instead of a broken event stream', async () => {
    mock.failNext(429);
    const response = await post('/api/ai/claude/stream', { messages: hello });

    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('maps an overload (529) to 503 and a billing refusal to 402', async () => {
    mock.failNext(529);
    const overloaded = await post('/api/ai/claude/messages', { messages: hello });
    mock.failNext(402);
    const unpaid = await post('/api/ai/claude/messages', { messages: hello });

    expect(overloaded.status).toBe(503);
    expect(await overloaded.text()).toContain('Claude is overloaded');
    expect(unpaid.status).toBe(402);
    expect(await unpaid.text()).not.toContain(API_KEY);
  });

  it('maps a rejected key to 502 without leaking the key', async () => {
    const wrongKey = 'sk-ant-wrong-key-fedcba9876543210';
    const misconfigured = await startApp({ ANTHROPIC_API_KEY: wrongKey, ANTHROPIC_BASE_URL: mock.baseURL });
    try {
      const response = await fetch(`${misconfigured.url}/api/ai/claude/models`);

      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('Claude rejected the credentials');
      expect(text).not.toContain(wrongKey);
    } finally {
      await misconfigured.close();
    }
  });
});

describe('Claude plugin without settings', () => {
  it('answers 503 naming ANTHROPIC_API_KEY', async () => {
    const app = await startApp({});
    try {
      const response = await fetch(`${app.url}/api/ai/claude/messages`, { method: 'POST' });

      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain('ANTHROPIC_API_KEY');
    } finally {
      await app.close();
    }
  });
});

function parseEvents(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length) ?? 'message';
      const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length) ?? '';
      return { event, data: JSON.parse(data) as unknown };
    });
}
