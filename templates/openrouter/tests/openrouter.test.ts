import { describe, expect, it } from 'vitest';
import { openrouterPlugin } from '../src/ai/openrouter/index.js';
import { describeAIProvider } from './helpers/ai-provider-contract.js';
import { postJson, useAppWithMock } from './helpers/app-with-mock.js';
import { startApp } from './helpers/http.js';
import { MODELS, REPLY_PIECES, startOpenAICompatibleMock } from './mocks/openai-compatible.mock.js';

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
// Retries off: a failure the mock is told to give is then the answer, not a back-off to wait through.
const settings = (root: string) => ({
  OPENROUTER_API_KEY: API_KEY,
  OPENROUTER_BASE_URL: `${root}/api/v1`,
  OPENROUTER_SITE_URL: 'https://example.com',
  OPENROUTER_APP_NAME: 'Example API',
  OPENROUTER_MAX_RETRIES: '0',
});
const startOpenRouterMock = () =>
  startOpenAICompatibleMock({ apiKey: API_KEY, basePath: '/api/v1', routes: { 'GET /api/v1/key': KEY_INFO } });

describeAIProvider({
  plugin: openrouterPlugin,
  startMock: startOpenRouterMock,
  settings,
  chatPath: '/api/ai/router/chat',
  models: { path: '/api/ai/router/models', ids: MODELS.map((model) => model.id) },
  reply: { pieces: REPLY_PIECES, usage: { inputTokens: 12, outputTokens: 3 } },
  probe: 'GET /api/v1/key',
  secrets: [API_KEY],
});

describe('OpenRouter plugin', () => {
  const running = useAppWithMock(
    () => startOpenRouterMock(),
    (mock) => startApp(settings(mock.url), { plugins: [openrouterPlugin] }),
  );

  const post = (path: string, body: unknown) => postJson(`${running.app.url}/api/ai/router${path}`, body);
  const get = (path: string) => fetch(`${running.app.url}/api/ai/router${path}`);

  it('sends a chat with the key, the attribution headers and max_tokens', async () => {
    const messages = [{ role: 'user', content: 'Say hello.' }];
    const response = await post('/chat', { messages, model: 'anthropic/claude-sonnet-4.5', maxTokens: 50, temperature: 0.2 });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: 'openrouter', model: 'anthropic/claude-sonnet-4.5' });
    expect(running.mock.requests).toHaveLength(1);
    const [request] = running.mock.requests;
    expect(request?.path).toBe('/api/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['http-referer']).toBe('https://example.com');
    expect(request?.headers['x-title']).toBe('Example API');
    expect(request?.body).toEqual({ model: 'anthropic/claude-sonnet-4.5', messages, max_tokens: 50, temperature: 0.2 });
  });

  it('streams with the default model, asking OpenRouter for the usage', async () => {
    const response = await post('/chat', { messages: [{ role: 'user', content: 'Say hello.' }], stream: true });

    expect(response.status).toBe(200);
    await response.text();
    expect(running.mock.requests[0]?.body).toMatchObject({
      model: 'openai/gpt-5-mini',
      stream: true,
      stream_options: { include_usage: true },
    });
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
    expect(running.mock.requests[0]?.path).toBe('/api/v1/key');
    expect(running.mock.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('maps a billing refusal (402) on a chat to 402 without leaking the key', async () => {
    running.mock.failNext(402);
    const response = await post('/chat', { messages: [{ role: 'user', content: 'Hi' }] });

    expect(response.status).toBe(402);
    const text = await response.text();
    expect(text).toContain('billing reasons');
    expect(text).not.toContain(API_KEY);
  });

  it.each([
    [401, 502],
    [402, 402],
    [429, 429],
  ])('maps %i on the limits to %i without leaking the key', async (upstream, status) => {
    running.mock.failNext(upstream);
    const response = await get('/limits');

    expect(response.status).toBe(status);
    expect(await response.text()).not.toContain(API_KEY);
  });
});
