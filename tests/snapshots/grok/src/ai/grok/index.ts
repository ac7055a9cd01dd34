import { aiProviders } from '../../ai/ai-provider.js';
import { withUsageReporting } from '../../ai/ai-usage.js';
import { storedKeyFor } from '../../lib/api-keys.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { grokEnv } from './grok.schema.js';
import { createGrokService } from './grok.service.js';

/** xAI Grok chat (with streaming) under /api/ai/grok. */
export const grokPlugin = definePlugin({
  id: 'grok',
  name: 'Grok',
  mountPath: '/api/ai/grok',
  routes: [
    {
      method: 'POST',
      path: '/api/ai/grok/chat',
      access: 'user',
      summary: 'Chat completion; `"stream": true` answers with Server-Sent Events',
      input: { body: 'chatBodySchema' },
    },
  ],
  env: grokEnv,
  schemas: () => import('./grok.schema.js'),
  setup(config, { env, services }) {
    const service = withUsageReporting(
      createGrokService(config, () => storedKeyFor(services, 'grok')),
      services,
    );
    services.provide(aiProviders, service);
    return {
      router: routerOnFirstUse(async () => (await import('./grok.routes.js')).createGrokRouter(service, createRateLimit(env))),
      // Listing models is free and proves the key works.
      probe: async (signal) => {
        await service.listModels(signal);
      },
    };
  },
});
