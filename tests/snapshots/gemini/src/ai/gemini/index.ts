import { aiProviders } from '../../ai/ai-provider.js';
import { withUsageReporting } from '../../ai/ai-usage.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { geminiEnv } from './gemini.schema.js';
import { createGeminiService } from './gemini.service.js';

/** Google Gemini generation (with streaming), image understanding, embeddings and models under /api/ai/gemini. */
export const geminiPlugin = definePlugin({
  id: 'gemini',
  name: 'Gemini',
  mountPath: '/api/ai/gemini',
  routes: [
    {
      method: 'POST',
      path: '/api/ai/gemini/generate',
      access: 'user',
      summary: 'Generate text from a prompt, messages or both; `"stream": true` answers with Server-Sent Events',
      input: { body: 'generateBody' },
    },
    {
      method: 'POST',
      path: '/api/ai/gemini/vision',
      access: 'user',
      summary: 'Answer a prompt about an image (base64 PNG, JPEG, WebP or GIF, up to 5 MB)',
      input: { body: 'visionBody' },
    },
    {
      method: 'POST',
      path: '/api/ai/gemini/embeddings',
      access: 'user',
      summary: 'Embedding vectors for one or more inputs',
      input: { body: 'embeddingsBody' },
    },
    { method: 'GET', path: '/api/ai/gemini/models', access: 'user', summary: 'Models available to the key' },
  ],
  env: geminiEnv,
  schemas: () => import('./gemini.schema.js'),
  setup(config, { env, services }) {
    const service = withUsageReporting(createGeminiService(config), services);
    services.provide(aiProviders, service);
    return {
      router: routerOnFirstUse(async () => (await import('./gemini.routes.js')).createGeminiRouter(service, createRateLimit(env))),
      // Listing models is free and proves the key works.
      probe: async (signal) => {
        await service.listModels(signal);
      },
    };
  },
});
