import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { paypalEnv } from './paypal.schema.js';
import { createPayPalService } from './paypal.service.js';

/** PayPal Checkout orders, created and captured under /api/payments/paypal. */
export const paypalPlugin = definePlugin({
  id: 'paypal',
  name: 'PayPal',
  mountPath: '/api/payments/paypal',
  routes: [
    {
      method: 'POST',
      path: '/api/payments/paypal/create-order',
      access: 'user',
      summary: 'Create an order; returns its id and approval link (an `Idempotency-Key` header becomes PayPal-Request-Id)',
      input: { body: 'createOrderBody', headers: 'idempotencyHeaders' },
    },
    {
      method: 'POST',
      path: '/api/payments/paypal/capture-order',
      access: 'user',
      summary: 'Capture an approved order',
      input: { body: 'captureOrderBody', headers: 'idempotencyHeaders' },
    },
  ],
  demo: { widget: 'paypal-order', endpoint: '/create-order' },
  env: paypalEnv,
  schemas: () => import('./paypal.schema.js'),
  setup(config) {
    const service = createPayPalService(config);
    return {
      router: routerOnFirstUse(async () => (await import('./paypal.routes.js')).createPayPalRouter(service)),
      // A fresh access token proves the client id and secret work.
      probe: (signal) => service.checkCredentials(signal),
    };
  },
});
