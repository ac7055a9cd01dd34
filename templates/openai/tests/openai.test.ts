import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openaiPlugin } from '../src/ai/openai/index.js';
import { openaiEnv } from '../src/ai/openai/openai.schema.js';
import { createOpenAIService } from '../src/ai/openai/openai.service.js';
import { describeAIProvider } from './helpers/ai-provider-contract.js';
import { postJson, useAppWithMock } from './helpers/app-with-mock.js';
import { startApp } from './helpers/http.js';
import type { OpenAICompatibleMock } from './mocks/openai-compatible.mock.js';
import { EMBEDDING, MODELS, REPLY_PIECES, startOpenAICompatibleMock } from './mocks/openai-compatible.mock.js';

const API_KEY = 'sk-test-0123456789abcdef';
// Retries off: a failure the mock is told to give is then the answer, not a back-off to wait through.
const settings = (root: string) => ({
  OPENAI_API_KEY: API_KEY,
  OPENAI_ORG_ID: 'org-mock',
  OPENAI_BASE_URL: `${root}/v1`,
  OPENAI_MAX_RETRIES: '0',
});

describeAIProvider({
  plugin: openaiPlugin,
  startMock: () => startOpenAICompatibleMock({ apiKey: API_KEY }),
  settings,
  chatPath: '/api/ai/openai/chat',
  models: { path: '/api/ai/openai/models', ids: MODELS.map((model) => model.id) },
  reply: { pieces: REPLY_PIECES, usage: { inputTokens: 12, outputTokens: 3 } },
  probe: 'GET /v1/models',
  secrets: [API_KEY],
});

describe('OpenAI plugin', () => {
  const running = useAppWithMock(
    () => startOpenAICompatibleMock({ apiKey: API_KEY }),
    (mock) => startApp(settings(mock.url), { plugins: [openaiPlugin] }),
  );

  const post = (path: string, body: unknown) => postJson(`${running.app.url}/api/ai/openai${path}`, body);

  it('sends a chat with the key, the organization and the options OpenAI names max_completion_tokens', async () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello.' },
    ];
    const response = await post('/chat', { messages, model: 'gpt-5', maxTokens: 50, temperature: 1 });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: 'openai', model: 'gpt-5' });
    expect(running.mock.requests).toHaveLength(1);
    const [request] = running.mock.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['openai-organization']).toBe('org-mock');
    expect(request?.body).toEqual({ model: 'gpt-5', messages, max_completion_tokens: 50, temperature: 1 });
  });

  it('streams with the default model, asking OpenAI for the usage', async () => {
    const response = await post('/chat', { messages: [{ role: 'user', content: 'Say hello.' }], stream: true });

    expect(response.status).toBe(200);
    await response.text();
    expect(running.mock.requests[0]?.body).toMatchObject({ model: 'gpt-5-mini', stream: true, stream_options: { include_usage: true } });
  });

  it('answers a completion through the chat API with the default model', async () => {
    const response = await post('/completions', { prompt: 'Once upon a time', maxTokens: 20 });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: 'openai', model: 'gpt-5-mini', text: 'Hello from the mock' });
    expect(running.mock.requests[0]?.path).toBe('/v1/chat/completions');
    expect(running.mock.requests[0]?.body).toEqual({
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
    expect(running.mock.requests[0]?.body).toMatchObject({ model: 'text-embedding-3-small', input: ['first', 'second'] });
  });

  it('lists the models with their owner', async () => {
    const response = await fetch(`${running.app.url}/api/ai/openai/models`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ models: MODELS.map((model) => ({ id: model.id, ownedBy: model.owned_by })) });
  });
});

describe('OpenAI with a key from api-key-manager', () => {
  const STORED_KEY = 'sk-stored-0123456789abcdef';
  let mock: OpenAICompatibleMock;
  beforeAll(async () => {
    mock = await startOpenAICompatibleMock({ apiKey: STORED_KEY });
  });
  afterAll(() => mock.close());

  const config = () =>
    openaiEnv.parse({ OPENAI_API_KEY: 'sk-env-key-not-accepted', OPENAI_BASE_URL: mock.baseURL, OPENAI_MAX_RETRIES: '0' });
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
