import { aiProviders } from '../../ai/ai-provider.js';
import { withUsageReporting } from '../../ai/ai-usage.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { claudeEnv } from './claude.schema.js';
import { createClaudeService } from './claude.service.js';

/** Anthropic Claude messages (with streaming) and models under /api/ai/claude. */
export const claudePlugin = definePlugin({
  id: 'claude',
  name: 'Claude',
  mountPath: '/api/ai/claude',
  routes: [
    {
      method: 'POST',
      path: '/api/ai/claude/messages',
      access: 'user',
      summary: 'Create a message (`system` sets the system prompt); `"stream": true` answers with Server-Sent Events',
      input: { body: 'messagesBody' },
    },
    {
      method: 'POST',
      path: '/api/ai/claude/stream',
      access: 'user',
      summary: 'Create a message, streamed as Server-Sent Events',
      input: { body: 'messagesBody' },
    },
    { method: 'GET', path: '/api/ai/claude/models', access: 'user', summary: 'Models available to the key' },
  ],
  env: claudeEnv,
  schemas: () => import('./claude.schema.js'),
  setup(config, { env, services }) {
    const service = withUsageReporting(createClaudeService(config), services);
    services.provide(aiProviders, service);
    return {
      router: routerOnFirstUse(async () => (await import('./claude.routes.js')).createClaudeRouter(service, createRateLimit(env))),
      // Listing models is free and proves the key works.
      probe: async (signal) => {
        await service.listModels(signal);
      },
    };
  },
});
