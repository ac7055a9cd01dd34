import { describe, expect, it } from 'vitest';
import { grokPlugin } from '../src/ai/grok/index.js';
import { describeAIProvider } from './helpers/ai-provider-contract.js';
import { postJson, useAppWithMock } from './helpers/app-with-mock.js';
import { startApp } from './helpers/http.js';
import { REPLY_PIECES, startOpenAICompatibleMock } from './mocks/openai-compatible.mock.js';

const API_KEY = 'xai-test-0123456789abcdef';
// Retries off: a failure the mock is told to give is then the answer, not a back-off to wait through.
const settings = (root: string) => ({ XAI_API_KEY: API_KEY, XAI_BASE_URL: `${root}/v1`, XAI_MAX_RETRIES: '0' });

describeAIProvider({
  plugin: grokPlugin,
  startMock: () => startOpenAICompatibleMock({ apiKey: API_KEY }),
  settings,
  chatPath: '/api/ai/grok/chat',
  reply: { pieces: REPLY_PIECES, usage: { inputTokens: 12, outputTokens: 3 } },
  probe: 'GET /v1/models',
  secrets: [API_KEY],
});

describe('Grok plugin', () => {
  const running = useAppWithMock(
    () => startOpenAICompatibleMock({ apiKey: API_KEY }),
    (mock) => startApp(settings(mock.url), { plugins: [grokPlugin] }),
  );

  const post = (body: unknown) => postJson(`${running.app.url}/api/ai/grok/chat`, body);

  it('sends a chat to xAI with the key and the options it names max_completion_tokens', async () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello.' },
    ];
    const response = await post({ messages, model: 'grok-4-fast', maxTokens: 50, temperature: 0.5 });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: 'grok', model: 'grok-4-fast' });
    expect(running.mock.requests).toHaveLength(1);
    const [request] = running.mock.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toEqual({ model: 'grok-4-fast', messages, max_completion_tokens: 50, temperature: 0.5 });
  });

  it('streams with the default model, asking xAI for the usage', async () => {
    const response = await post({ messages: [{ role: 'user', content: 'Say hello.' }], stream: true });

    expect(response.status).toBe(200);
    await response.text();
    expect(running.mock.requests[0]?.body).toMatchObject({ model: 'grok-4', stream: true, stream_options: { include_usage: true } });
  });
});
