import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiProviders } from '../src/ai/ai-provider.js';
import { ollamaPlugin } from '../src/ai/ollama/index.js';
import { ollamaEnv } from '../src/ai/ollama/ollama.schema.js';
import { ServiceRegistry } from '../src/lib/services.js';
import type { UsageEvent } from '../src/lib/usage.js';
import { usageRecorders } from '../src/lib/usage.js';
import { describeAIProvider } from './helpers/ai-provider-contract.js';
import { postJson, useAppWithMock } from './helpers/app-with-mock.js';
import type { RunningServer } from './helpers/http.js';
import { startApp, startMock } from './helpers/http.js';
import { parseEvents } from './helpers/sse.js';
import {
  COUNTS,
  EMBEDDING,
  INSTALLED_MODELS,
  PULL_PROGRESS,
  REPLY_PIECES,
  startOllamaMock,
  UNKNOWN_REGISTRY_MODEL,
} from './mocks/ollama.mock.js';

const USAGE = { inputTokens: COUNTS.prompt_eval_count, outputTokens: COUNTS.eval_count };

describeAIProvider({
  plugin: ollamaPlugin,
  startMock: startOllamaMock,
  settings: (root) => ({ OLLAMA_ENDPOINT: root }),
  chatPath: '/api/ai/local/ollama/chat',
  models: { path: '/api/ai/local/ollama/models', ids: INSTALLED_MODELS },
  reply: { pieces: REPLY_PIECES, usage: USAGE },
  probe: 'GET /api/tags',
  secrets: [],
});

interface ErrorBody {
  error: { message: string; details?: { path: string }[] };
}

describe('Ollama plugin', () => {
  const running = useAppWithMock(
    () => startOllamaMock(),
    (mock) => startApp({ OLLAMA_ENDPOINT: mock.url }, { plugins: [ollamaPlugin] }),
  );

  const post = (path: string, body: unknown) => postJson(`${running.app.url}/api/ai/local/ollama${path}`, body);

  it('generates from a prompt and a system prompt with the default model', async () => {
    const response = await post('/generate', { prompt: 'Say hello.', system: 'Be brief.', maxTokens: 50, temperature: 0.5 });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ provider: 'ollama', model: 'llama3.2', text: 'Hello from the mock', usage: USAGE });
    expect(running.mock.requests).toHaveLength(1);
    expect(running.mock.requests[0]?.path).toBe('/api/generate');
    expect(running.mock.requests[0]?.body).toEqual({
      model: 'llama3.2',
      prompt: 'Say hello.',
      system: 'Be brief.',
      options: { num_predict: 50, temperature: 0.5 },
      stream: false,
    });
  });

  it('streams a generation as Server-Sent Events, usage last', async () => {
    const response = await post('/generate', { prompt: 'Say hello.', stream: true });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(parseEvents(await response.text())).toEqual([
      ...REPLY_PIECES.map((text) => ({ event: 'message', data: { text } })),
      { event: 'message', data: { text: '', usage: USAGE } },
      { event: 'done', data: {} },
    ]);
    expect(running.mock.requests[0]?.body).toMatchObject({ model: 'llama3.2', prompt: 'Say hello.', stream: true });
  });

  it('answers a chat with the model text and usage', async () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello.' },
    ];
    const response = await post('/chat', { messages, model: 'nomic-embed-text' });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ provider: 'ollama', model: 'nomic-embed-text', text: 'Hello from the mock', usage: USAGE });
    expect(running.mock.requests[0]?.path).toBe('/api/chat');
    expect(running.mock.requests[0]?.body).toEqual({ model: 'nomic-embed-text', messages, options: {}, stream: false });
  });

  it('returns one embedding per input with the default embedding model', async () => {
    const response = await post('/embeddings', { input: ['first', 'second'] });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      provider: 'ollama',
      model: 'nomic-embed-text',
      embeddings: [EMBEDDING, EMBEDDING],
      usage: { inputTokens: 8, outputTokens: 0 },
    });
    expect(running.mock.requests[0]?.body).toEqual({ model: 'nomic-embed-text', input: ['first', 'second'] });
  });

  it('streams pull progress as Server-Sent Events, after which the model answers', async () => {
    const response = await post('/pull', { model: 'qwen3:0.6b' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(parseEvents(await response.text())).toEqual([
      ...PULL_PROGRESS.map(({ status, completed, total }) => ({ event: 'message', data: { status, completed, total } })),
      { event: 'message', data: { status: 'success' } },
      { event: 'done', data: {} },
    ]);
    expect(running.mock.requests[0]).toMatchObject({ path: '/api/pull', body: { name: 'qwen3:0.6b', stream: true } });

    const chat = await post('/chat', { model: 'qwen3:0.6b', messages: [{ role: 'user', content: 'Hi' }] });
    expect(chat.status).toBe(200);
  });

  it('reports a pull that fails midway as an error event', async () => {
    const response = await post('/pull', { model: UNKNOWN_REGISTRY_MODEL });

    expect(response.status).toBe(200);
    expect(parseEvents(await response.text())).toEqual([
      { event: 'message', data: { status: 'pulling manifest' } },
      { event: 'error', data: { message: 'Ollama stopped the stream: pull model manifest: file does not exist' } },
    ]);
  });

  it('answers 404 with a hint to pull a model the server does not have', async () => {
    const response = await post('/chat', { model: 'mistral', messages: [{ role: 'user', content: 'Hi' }] });

    expect(response.status).toBe(404);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.message).toBe('Ollama has no model "mistral". Pull it first: POST /api/ai/local/ollama/pull {"model":"mistral"}.');
  });

  it('answers 404 before any event when a streamed generation names an unknown model', async () => {
    const response = await post('/generate', { model: 'mistral', prompt: 'Hi', stream: true });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it("maps a server failure to 502 with Ollama's reason", async () => {
    running.mock.failNext(500, 'model requires more system memory (8.0 GiB) than is available (3.1 GiB)');
    const response = await post('/generate', { prompt: 'Hi' });

    expect(response.status).toBe(502);
    expect(((await response.json()) as ErrorBody).error.message).toBe(
      'Ollama failed (status 500): model requires more system memory (8.0 GiB) than is available (3.1 GiB)',
    );
  });

  it.each([
    ['/generate', { system: 'no prompt' }, 'prompt'],
    ['/pull', { model: '' }, 'model'],
    ['/embeddings', { input: [] }, 'input'],
  ])('rejects an invalid body on %s with 400 and never calls Ollama', async (path, body, field) => {
    const response = await post(path, body);

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.details?.map((issue) => issue.path)).toEqual([field]);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('reports the tokens of chats and generations to usage recorders', async () => {
    const events: UsageEvent[] = [];
    const services = new ServiceRegistry();
    services.provide(usageRecorders, { record: (event) => events.push(event) });
    ollamaPlugin.setup(ollamaEnv.parse({ OLLAMA_ENDPOINT: running.mock.url }), { env: {}, services, plugins: [] });
    const [provider] = services.all(aiProviders);

    await provider?.chat({ messages: [{ role: 'user', content: 'Hi' }] });
    for await (const chunk of provider?.chatStream({ messages: [{ role: 'user', content: 'Hi' }] }) ?? []) expect(chunk).toBeDefined();
    await provider?.complete('Once upon a time');

    expect(events.map(({ latencyMs: _, ...event }) => event)).toEqual([
      { provider: 'ollama', model: 'llama3.2', ...USAGE },
      { provider: 'ollama', model: 'llama3.2', ...USAGE },
      { provider: 'ollama', model: 'llama3.2', ...USAGE },
    ]);
  });
});

describe('Ollama plugin without a server', () => {
  let app: RunningServer;
  let address: string;
  beforeAll(async () => {
    const closed = await startMock((_req, res) => res.end());
    await closed.close();
    address = closed.url;
    app = await startApp({ OLLAMA_ENDPOINT: address }, { plugins: [ollamaPlugin] });
  });
  afterAll(() => app.close());

  it('answers 503 naming the address it tried', async () => {
    const response = await fetch(`${app.url}/api/ai/local/ollama/models`);

    expect(response.status).toBe(503);
    expect(((await response.json()) as ErrorBody).error.message).toBe(
      `Ollama is not reachable at ${address}. Start it with \`ollama serve\` or set OLLAMA_ENDPOINT.`,
    );
  });

  it('answers 503 before any event for a stream', async () => {
    const response = await fetch(`${app.url}/api/ai/local/ollama/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });

    expect(response.status).toBe(503);
  });

  it('reports it as not running, which is no failure', async () => {
    const response = await fetch(`${app.url}/health?probe=1`);
    const body = (await response.json()) as { plugins: { id: string; status: string; message?: string }[] };

    expect(body.plugins.find((plugin) => plugin.id === 'ollama')).toMatchObject({
      status: 'not_running',
      message: 'Ollama is not running. Start it, or check its address in .env.',
    });
  });
});

describe('Ollama plugin with no settings', () => {
  it('is configured, since a local server needs no key', async () => {
    const app = await startApp({}, { plugins: [ollamaPlugin] });
    try {
      const response = await fetch(`${app.url}/health`);
      const body = (await response.json()) as { plugins: { id: string; status: string }[] };

      expect(body.plugins.find((plugin) => plugin.id === 'ollama')?.status).toBe('ok');
    } finally {
      await app.close();
    }
  });

  it('rejects an OLLAMA_ENDPOINT that is not a URL with 503', async () => {
    const app = await startApp({ OLLAMA_ENDPOINT: 'localhost' }, { plugins: [ollamaPlugin] });
    try {
      const response = await fetch(`${app.url}/api/ai/local/ollama/models`);

      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toContain('OLLAMA_ENDPOINT must be a URL');
    } finally {
      await app.close();
    }
  });
});
