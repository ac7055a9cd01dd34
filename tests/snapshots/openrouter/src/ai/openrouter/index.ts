import { aiProviders } from '../../ai/ai-provider.js';
import { withUsageReporting } from '../../ai/ai-usage.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { openrouterEnv } from './openrouter.schema.js';
import { createOpenRouterService } from './openrouter.service.js';

/** OpenRouter chat (with streaming), models and key limits under /api/ai/router. */
export const openrouterPlugin = definePlugin({
  id: 'openrouter',
  name: 'OpenRouter',
  mountPath: '/api/ai/router',
  routes: [
    {
      method: 'POST',
      path: '/api/ai/router/chat',
      access: 'user',
      summary: 'Chat completion; `"stream": true` answers with Server-Sent Events',
      input: { body: 'chatBodySchema' },
    },
    { method: 'GET', path: '/api/ai/router/models', access: 'user', summary: 'Models available on OpenRouter' },
    { method: 'GET', path: '/api/ai/router/limits', access: 'admin', summary: 'Credit limit, usage and remaining credit of the key' },
  ],
  env: openrouterEnv,
  schemas: () => import('./openrouter.schema.js'),
  setup(config, { env, services }) {
    const service = withUsageReporting(createOpenRouterService(config), services);
    services.provide(aiProviders, service);
    return {
      router: routerOnFirstUse(async () => (await import('./openrouter.routes.js')).createOpenRouterRouter(service, createRateLimit(env))),
      // The model list is public, so this reads the key's limits, which proves the key.
      probe: async (signal) => {
        await service.getLimits(signal);
      },
    };
  },
});
