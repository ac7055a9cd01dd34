import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { mailgunEnv } from './mailgun.schema.js';
import { createMailgunService } from './mailgun.service.js';

/** Mailgun email: sending and address validation under /api/email/mailgun. */
export const mailgunPlugin = definePlugin({
  id: 'mailgun',
  name: 'Mailgun',
  mountPath: '/api/email/mailgun',
  routes: [
    {
      method: 'POST',
      path: '/api/email/mailgun/send',
      access: 'user',
      summary: 'Send an email: `to` (one address or up to 50, each sent a copy of their own), `subject`, `text` and/or `html`',
      input: { body: 'sendBody' },
    },
    {
      method: 'POST',
      path: '/api/email/mailgun/validate',
      access: 'user',
      summary: 'Whether an address is deliverable (Mailgun address validation, a paid feature)',
      input: { body: 'validateBody' },
    },
  ],
  demo: { widget: 'email', endpoint: '/send' },
  env: mailgunEnv,
  schemas: () => import('./mailgun.schema.js'),
  setup(config, { env }) {
    const service = createMailgunService(config);
    return {
      router: routerOnFirstUse(async () => (await import('./mailgun.routes.js')).createMailgunRouter(service, createRateLimit(env))),
      // Reading the sending domain proves the key and MAILGUN_DOMAIN go together.
      probe: (signal) => service.checkDomain(signal),
    };
  },
});
