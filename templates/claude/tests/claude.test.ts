import { describe, expect, it } from 'vitest';
import { aiChatPlugin } from '../src/ai/ai-chat.plugin.js';
import { claudePlugin } from '../src/ai/claude/index.js';
import { describeAIProvider } from './helpers/ai-provider-contract.js';
import { postJson, useAppWithMock } from './helpers/app-with-mock.js';
import { startApp } from './helpers/http.js';
import { parseEvents } from './helpers/sse.js';
import { MODELS, REPLY_PIECES, startClaudeMock } from './mocks/claude.mock.js';

const API_KEY = 'sk-ant-test-0123456789abcdef';
// Retries off: a failure the mock is told to give is then the answer, not a back-off to wait through.
const settings = (root: string) => ({ ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: root, ANTHROPIC_MAX_RETRIES: '0' });

describeAIProvider({
  plugin: claudePlugin,
  startMock: () => startClaudeMock(API_KEY),
  settings,
  chatPath: '/api/ai/claude/messages',
  models: { path: '/api/ai/claude/models', ids: MODELS.map((model) => model.id) },
  reply: { pieces: REPLY_PIECES, usage: { inputTokens: 12, outputTokens: 3 } },
  probe: 'GET /v1/models',
  secrets: [API_KEY],
});

describe('Claude plugin', () => {
  const running = useAppWithMock(
    () => startClaudeMock(API_KEY),
    (mock) => startApp(settings(mock.url), { plugins: [claudePlugin, aiChatPlugin] }),
  );

  const post = (path: string, body: unknown) => postJson(`${running.app.url}${path}`, body);
  const hello = [{ role: 'user', content: 'Say hello.' }];

  it('sends a message with the key and API version, system prompts moved to `system`', async () => {
    const response = await post('/api/ai/claude/messages', {
      system: 'Be brief.',
      messages: [{ role: 'system', content: 'Answer in English.' }, ...hello],
      model: 'claude-opus-5-5',
      maxTokens: 50,
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: 'claude', model: 'claude-opus-5-5' });
    expect(running.mock.requests).toHaveLength(1);
    const [request] = running.mock.requests;
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
    expect(running.mock.requests[0]?.body).toEqual({ model: 'claude-sonnet-5-5', max_tokens: 1024, messages: hello });
  });

  it('streams from /stream without being asked to', async () => {
    const response = await post('/api/ai/claude/stream', { messages: hello });

    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(await response.text()).toContain('"text":" the mock"');
    expect(running.mock.requests[0]?.body).toMatchObject({ model: 'claude-sonnet-5-5', stream: true });
  });

  it('reports an overload in the middle of a stream as an error event', async () => {
    running.mock.overloadNextStream();
    const response = await post('/api/ai/claude/stream', { messages: hello });

    expect(response.status).toBe(200);
    const events = parseEvents(await response.text());
    expect(events[0]).toEqual({ event: 'message', data: { text: 'Hello' } });
    expect(events.at(-1)).toEqual({ event: 'error', data: { message: expect.stringContaining('Claude is overloaded') } });
  });

  it('moves system messages to `system` on POST /api/ai/chat too', async () => {
    const response = await post('/api/ai/chat', { provider: 'claude', messages: [{ role: 'system', content: 'Be brief.' }, ...hello] });

    expect(response.status).toBe(200);
    expect(running.mock.requests[0]?.body).toMatchObject({ system: 'Be brief.', messages: hello });
  });

  it('maps an overload (529) to 503 and a billing refusal to 402', async () => {
    running.mock.failNext(529);
    const overloaded = await post('/api/ai/claude/messages', { messages: hello });
    running.mock.failNext(402);
    const unpaid = await post('/api/ai/claude/messages', { messages: hello });

    expect(overloaded.status).toBe(503);
    expect(await overloaded.text()).toContain('Claude is overloaded');
    expect(unpaid.status).toBe(402);
    expect(await unpaid.text()).not.toContain(API_KEY);
  });
});
