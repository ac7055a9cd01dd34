import { definePlugin } from '../../lib/plugin.js';
import { probeStripe } from './stripe.health.js';
import { createStripeRouter } from './stripe.routes.js';
import { createStripeService } from './stripe.service.js';
import { stripeEnv } from './stripe.types.js';
import { createEventProcessor, createMemoryEventStore, stripeProcessedEvents } from './stripe.webhooks.js';

/** Stripe payment intents, subscriptions, invoices and signature-verified webhooks under /api/payments. */
export const stripePlugin = definePlugin({
  id: 'stripe',
  name: 'Stripe',
  mountPath: '/api/payments',
  routes: [
    { method: 'POST', path: '/api/payments/create-payment-intent', access: 'user' },
    { method: 'POST', path: '/api/payments/create-subscription', access: 'admin' },
    { method: 'POST', path: '/api/payments/webhooks', access: 'public' },
    { method: 'GET', path: '/api/payments/invoices', access: 'admin' },
  ],
  demo: { widget: 'payment-intent', endpoint: '/create-payment-intent' },
  env: stripeEnv,
  setup(config, { services }) {
    const service = createStripeService(config);
    // Used until a plugin provides a shared store (see stripeProcessedEvents).
    const memoryStore = createMemoryEventStore();
    const processEvent = createEventProcessor(() => services.all(stripeProcessedEvents)[0] ?? memoryStore);
    return { router: createStripeRouter(service, processEvent), probe: probeStripe(service) };
  },
});
