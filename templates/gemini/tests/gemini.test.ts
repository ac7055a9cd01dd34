import { describe, expect, it } from 'vitest';
import { geminiPlugin } from '../src/ai/gemini/index.js';
import { describeAIProvider } from './helpers/ai-provider-contract.js';
import { postJson, useAppWithMock } from './helpers/app-with-mock.js';
import { startApp } from './helpers/http.js';
import { EMBEDDING, MODEL_VERSION, REPLY_PIECES, startGeminiMock } from './mocks/gemini.mock.js';

const API_KEY = 'AIza-test-0123456789abcdef';
const USAGE = { inputTokens: 12, outputTokens: 8 };
// The Gemini SDK retries nothing unless it is told to, so there is no retry setting to turn off.
const settings = (root: string) => ({ GOOGLE_AI_API_KEY: API_KEY, GEMINI_BASE_URL: root });

describeAIProvider({
  plugin: geminiPlugin,
  startMock: () => startGeminiMock(API_KEY),
  settings,
  chatPath: '/api/ai/gemini/generate',
  // Listed without their "models/" prefix.
  models: { path: '/api/ai/gemini/models', ids: ['gemini-2.5-flash', 'gemini-embedding-001'] },
  reply: { pieces: REPLY_PIECES, usage: USAGE },
  probe: 'GET /v1/models',
  secrets: [API_KEY],
});

describe('Gemini plugin', () => {
  const running = useAppWithMock(
    () => startGeminiMock(API_KEY),
    (mock) => startApp(settings(mock.url), { plugins: [geminiPlugin] }),
  );

  const post = (path: string, body: unknown) => postJson(`${running.app.url}${path}`, body);

  it('generates from messages: assistant turns become "model", system messages the instruction', async () => {
    const response = await post('/api/ai/gemini/generate', {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi.' },
        { role: 'assistant', content: 'Hello.' },
      ],
      prompt: 'Say hello again.',
      model: 'gemini-2.5-pro',
      maxTokens: 50,
      temperature: 0.5,
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ provider: 'gemini', model: MODEL_VERSION, text: 'Hello from the mock', usage: USAGE });
    expect(running.mock.requests).toHaveLength(1);
    const [request] = running.mock.requests;
    expect(request?.path).toBe('/v1/models/gemini-2.5-pro:generateContent');
    expect(request?.headers['x-goog-api-key']).toBe(API_KEY);
    expect(request?.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi.' }] },
        { role: 'model', parts: [{ text: 'Hello.' }] },
        { role: 'user', parts: [{ text: 'Say hello again.' }] },
      ],
      systemInstruction: { role: 'user', parts: [{ text: 'Be brief.' }] },
      generationConfig: { maxOutputTokens: 50, temperature: 0.5 },
    });
  });

  it('generates from a prompt with the default model', async () => {
    const response = await post('/api/ai/gemini/generate', { prompt: 'Say hello.' });

    expect(response.status).toBe(200);
    expect(running.mock.requests[0]?.path).toBe('/v1/models/gemini-2.5-flash:generateContent');
    expect(running.mock.requests[0]?.body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Say hello.' }] }], generationConfig: {} });
  });

  it('streams a generation from a prompt through the SSE variant of the API', async () => {
    const response = await post('/api/ai/gemini/generate', { prompt: 'Say hello.', stream: true });

    expect(response.status).toBe(200);
    await response.text();
    expect(running.mock.requests[0]?.path).toBe('/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('answers a prompt about an image, sent inline after the text', async () => {
    const image = { data: Buffer.from('fake png bytes').toString('base64'), mimeType: 'image/png' };
    const response = await post('/api/ai/gemini/vision', { prompt: 'What is this?', image, model: 'gemini-2.5-pro' });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: 'gemini', text: 'Hello from the mock' });
    expect(running.mock.requests[0]?.path).toBe('/v1/models/gemini-2.5-pro:generateContent');
    expect(running.mock.requests[0]?.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'What is this?' }, { inlineData: image }] }],
    });
  });

  it('accepts an image over the 1 MB body limit of the other routes', async () => {
    const image = { data: Buffer.alloc(2 * 1024 * 1024).toString('base64'), mimeType: 'image/jpeg' };
    const response = await post('/api/ai/gemini/vision', { prompt: 'What is this?', image });

    expect(response.status).toBe(200);
    expect(running.mock.requests).toHaveLength(1);
  });

  it('refuses an image over 5 MB with 413 and never calls Gemini', async () => {
    const image = { data: Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64'), mimeType: 'image/jpeg' };
    const response = await post('/api/ai/gemini/vision', { prompt: 'What is this?', image });

    expect(response.status).toBe(413);
    expect(await response.text()).toContain('larger than 5 MB');
    expect(running.mock.requests).toHaveLength(0);
  });

  it('rejects an image that is not base64 or of an unsupported type with 400', async () => {
    const response = await post('/api/ai/gemini/vision', {
      prompt: 'What is this?',
      image: { data: 'data:image/png;base64,AAAA', mimeType: 'image/tiff' },
    });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((issue) => issue.path).sort()).toEqual(['image.data', 'image.mimeType']);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('returns one embedding per input, with the default embedding model', async () => {
    const response = await post('/api/ai/gemini/embeddings', { input: ['first', 'second'] });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ provider: 'gemini', model: 'gemini-embedding-001', embeddings: [EMBEDDING, EMBEDDING] });
    expect(running.mock.requests[0]?.path).toBe('/v1/models/gemini-embedding-001:batchEmbedContents');
    expect(running.mock.requests[0]?.body).toMatchObject({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'first' }] } },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'second' }] } },
      ],
    });
  });

  it('rejects a generation with neither prompt nor messages with 400 and never calls Gemini', async () => {
    const response = await post('/api/ai/gemini/generate', { messages: [], temperature: 0.5 });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { path: string; message: string }[] } };
    expect(body.error.details).toEqual([{ path: 'prompt', message: 'send a prompt, messages or both' }]);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('maps an overloaded model (503) to 503', async () => {
    running.mock.failNext(503);
    const response = await post('/api/ai/gemini/generate', { prompt: 'Hi' });

    expect(response.status).toBe(503);
    expect(await response.text()).toContain('Gemini is overloaded');
  });

  it('maps a rejected key (400 API_KEY_INVALID) to 502 without leaking the key', async () => {
    const wrongKey = 'AIza-wrong-key-fedcba9876543210';
    const misconfigured = await startApp({ ...settings(running.mock.url), GOOGLE_AI_API_KEY: wrongKey }, { plugins: [geminiPlugin] });
    try {
      const response = await fetch(`${misconfigured.url}/api/ai/gemini/models`);

      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('Gemini rejected the credentials');
      expect(text).not.toContain(wrongKey);
    } finally {
      await misconfigured.close();
    }
  });
});
