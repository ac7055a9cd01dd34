import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { loadOnce } from '../../lib/load-once.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { sendgridEnv } from './sendgrid.schema.js';

/** SendGrid email: plain and dynamic-template sends, and delivery statistics under /api/email. */
export const sendgridPlugin = definePlugin({
  id: 'sendgrid',
  name: 'SendGrid',
  mountPath: '/api/email',
  routes: [
    {
      method: 'POST',
      path: '/api/email/send',
      access: 'user',
      summary: 'Send an email: `to` (one address or up to 50, each sent a copy of their own), `subject`, `text` and/or `html`',
      input: { body: 'sendBody' },
    },
    {
      method: 'POST',
      path: '/api/email/send-template',
      access: 'user',
      summary: 'Send with a dynamic template: `to`, `templateId` (d-...), `dynamicTemplateData`',
      input: { body: 'sendTemplateBody' },
    },
    {
      method: 'GET',
      path: '/api/email/stats',
      access: 'admin',
      summary: 'Per-day delivery totals; `startDate`, `endDate` as YYYY-MM-DD (default the last 7 days)',
      input: { query: 'statsQuery' },
    },
  ],
  demo: { widget: 'email', endpoint: '/send' },
  env: sendgridEnv,
  schemas: () => import('./sendgrid.schema.js'),
  setup(config, { env }) {
    // The service brings the SDK: both load on the first request or probe, not at start-up.
    const service = loadOnce(async () => (await import('./sendgrid.service.js')).createSendGridService(config));
    return {
      router: routerOnFirstUse(async () =>
        (await import('./sendgrid.routes.js')).createSendGridRouter(await service(), createRateLimit(env)),
      ),
      // Listing the key's scopes is free and proves the key works.
      probe: async (signal) => (await service()).checkKey(signal),
    };
  },
});
