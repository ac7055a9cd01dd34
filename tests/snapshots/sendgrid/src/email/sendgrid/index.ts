import { definePlugin } from '../../lib/plugin.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { probeSendGrid } from './sendgrid.health.js';
import { createSendGridRouter } from './sendgrid.routes.js';
import { createSendGridService } from './sendgrid.service.js';
import { sendgridEnv } from './sendgrid.types.js';

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
    const service = createSendGridService(config);
    return { router: createSendGridRouter(service, createRateLimit(env)), probe: probeSendGrid(service) };
  },
});
