import { aiProviders } from '../../ai/ai-provider.js';
import { withUsageReporting } from '../../ai/ai-usage.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { lmstudioEnv } from './lmstudio.schema.js';
import { createLMStudioService } from './lmstudio.service.js';

/** Local models served by LM Studio: chat (with streaming) and models under /api/ai/local/lmstudio. */
export const lmstudioPlugin = definePlugin({
  id: 'lmstudio',
  name: 'LM Studio',
  mountPath: '/api/ai/local/lmstudio',
  routes: [
    {
      method: 'POST',
      path: '/api/ai/local/lmstudio/chat',
      access: 'user',
      summary: 'Chat completion; `"stream": true` answers with Server-Sent Events',
      input: { body: 'chatBodySchema' },
    },
    { method: 'GET', path: '/api/ai/local/lmstudio/models', access: 'user', summary: 'Models LM Studio has available' },
  ],
  localServer: true,
  env: lmstudioEnv,
  schemas: () => import('./lmstudio.schema.js'),
  setup(config, { env, services }) {
    const service = withUsageReporting(createLMStudioService(config), services);
    services.provide(aiProviders, service);
    return {
      router: routerOnFirstUse(async () => (await import('./lmstudio.routes.js')).createLMStudioRouter(service, createRateLimit(env))),
      // The plugin is always configured, so this is what tells whether LM Studio is running.
      probe: async (signal) => {
        await service.listModels(signal);
      },
    };
  },
});
