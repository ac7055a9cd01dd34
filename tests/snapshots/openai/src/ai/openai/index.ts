import { aiProviders } from '../../ai/ai-provider.js';
import { withUsageReporting } from '../../ai/ai-usage.js';
import { storedKeyFor } from '../../lib/api-keys.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { openaiEnv } from './openai.schema.js';
import { createOpenAIService } from './openai.service.js';

/** OpenAI chat (with streaming), completions, embeddings and models under /api/ai/openai. */
export const openaiPlugin = definePlugin({
  id: 'openai',
  name: 'OpenAI',
  mountPath: '/api/ai/openai',
  routes: [
    {
      method: 'POST',
      path: '/api/ai/openai/chat',
      access: 'user',
      summary: 'Chat completion; `"stream": true` answers with Server-Sent Events',
      input: { body: 'chatBodySchema' },
    },
    {
      method: 'POST',
      path: '/api/ai/openai/completions',
      access: 'user',
      summary: 'Single-prompt completion',
      input: { body: 'completionBody' },
    },
    {
      method: 'POST',
      path: '/api/ai/openai/embeddings',
      access: 'user',
      summary: 'Embedding vectors for one or more inputs',
      input: { body: 'embeddingsBody' },
    },
    { method: 'GET', path: '/api/ai/openai/models', access: 'user', summary: 'Models available to the key' },
  ],
  env: openaiEnv,
  schemas: () => import('./openai.schema.js'),
  setup(config, { env, services }) {
    const service = withUsageReporting(
      createOpenAIService(config, () => storedKeyFor(services, 'openai')),
      services,
    );
    services.provide(aiProviders, service);
    return {
      router: routerOnFirstUse(async () => (await import('./openai.routes.js')).createOpenAIRouter(service, createRateLimit(env))),
      // Listing models is free and proves the key works.
      probe: async (signal) => {
        await service.listModels(signal);
      },
    };
  },
});
