import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createPayPalService } from './paypal.service.js';
import { paypalEnv } from './paypal.schema.js';

/** PayPal Checkout orders, created and captured under /api/payments/paypal. */
export const paypalPlugin = definePlugin({
  id: 'paypal',
  name: 'PayPal',
  mountPath: '/api/payments/paypal',
  routes: [
    { method: 'POST', path: '/api/payments/paypal/create-order', access: 'user' },
    { method: 'POST', path: '/api/payments/paypal/capture-order', access: 'user' },
  ],
  demo: { widget: 'paypal-order', endpoint: '/create-order' },
  env: paypalEnv,
  setup(config) {
    const service = createPayPalService(config);
    return {
      router: routerOnFirstUse(async () => (await import('./paypal.routes.js')).createPayPalRouter(service)),
      // A fresh access token proves the client id and secret work.
      probe: (signal) => service.checkCredentials(signal),
    };
  },
});
