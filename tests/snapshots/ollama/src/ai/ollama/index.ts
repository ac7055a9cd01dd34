import { aiProviders } from '../../ai/ai-provider.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { ollamaEnv } from './ollama.schema.js';
import { createOllamaService } from './ollama.service.js';
import { withOllamaUsageReporting } from './ollama.usage.js';

/** Local models served by Ollama: generate, chat (both with streaming), embeddings, models and pulls under /api/ai/local/ollama. */
export const ollamaPlugin = definePlugin({
  id: 'ollama',
  name: 'Ollama',
  mountPath: '/api/ai/local/ollama',
  routes: [
    {
      method: 'POST',
      path: '/api/ai/local/ollama/generate',
      access: 'user',
      summary: 'Generate from a prompt (optional `system`); `"stream": true` for SSE',
      input: { body: 'generateBody' },
    },
    {
      method: 'POST',
      path: '/api/ai/local/ollama/chat',
      access: 'user',
      summary: 'Chat; `"stream": true` for SSE',
      input: { body: 'chatBodySchema' },
    },
    {
      method: 'POST',
      path: '/api/ai/local/ollama/embeddings',
      access: 'user',
      summary: 'Embedding vectors for one or more inputs',
      input: { body: 'embeddingsBody' },
    },
    { method: 'GET', path: '/api/ai/local/ollama/models', access: 'user', summary: 'Models pulled on the server' },
    {
      method: 'POST',
      path: '/api/ai/local/ollama/pull',
      access: 'admin',
      summary: 'Pull a model; streams progress as SSE',
      input: { body: 'pullBody' },
    },
  ],
  localServer: true,
  env: ollamaEnv,
  schemas: () => import('./ollama.schema.js'),
  setup(config, { env, services }) {
    const service = withOllamaUsageReporting(createOllamaService(config), services);
    services.provide(aiProviders, service);
    return {
      router: routerOnFirstUse(async () => (await import('./ollama.routes.js')).createOllamaRouter(service, createRateLimit(env))),
      // Listing the pulled models proves the server answers.
      probe: async (signal) => {
        await service.listModels(signal);
      },
    };
  },
});
