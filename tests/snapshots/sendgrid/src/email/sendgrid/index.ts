import { loadOnce } from '../../lib/load-once.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { sendgridEnv } from './sendgrid.schema.js';

/** SendGrid email: plain and dynamic-template sends, and delivery statistics under /api/email. */
export const sendgridPlugin = definePlugin({
  id: 'sendgrid',
  name: 'SendGrid',
  mountPath: '/api/email',
  routes: [
    { method: 'POST', path: '/api/email/send', access: 'user' },
    { method: 'POST', path: '/api/email/send-template', access: 'user' },
    { method: 'GET', path: '/api/email/stats', access: 'admin' },
  ],
  demo: { widget: 'email', endpoint: '/send' },
  env: sendgridEnv,
  setup(config, { env }) {
    // The service brings the SDK: both load on the first request or probe, not at start-up.
    const service = loadOnce(async () => (await import('./sendgrid.service.js')).createSendGridService(config));
    return {
      router: routerOnFirstUse(async () => (await import('./sendgrid.routes.js')).createSendGridRouter(await service(), createRateLimit(env))),
      // Listing the key's scopes is free and proves the key works.
      probe: async (signal) => (await service()).checkKey(signal),
    };
  },
});
