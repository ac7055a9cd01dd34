import { getDatabase } from '../../database/database.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { loadOnce } from '../../lib/load-once.js';
import { definePlugin } from '../../lib/plugin.js';
import { stripeEnv } from './stripe.schema.js';
import { createDatabaseEventStore, createEventProcessor } from './stripe.webhooks.js';

/** Stripe payment intents, subscriptions, invoices and signature-verified webhooks under /api/payments. */
export const stripePlugin = definePlugin({
  id: 'stripe',
  name: 'Stripe',
  mountPath: '/api/payments',
  routes: [
    {
      method: 'POST',
      path: '/api/payments/create-payment-intent',
      access: 'user',
      summary: 'Create a payment intent; returns its client secret (an `Idempotency-Key` header is passed on)',
      input: { body: 'paymentIntentBody', headers: 'idempotencyHeaders' },
    },
    {
      method: 'POST',
      path: '/api/payments/create-subscription',
      access: 'admin',
      summary: 'Subscribe a customer to a price',
      input: { body: 'subscriptionBody', headers: 'idempotencyHeaders' },
    },
    {
      method: 'POST',
      path: '/api/payments/webhooks',
      access: 'public',
      summary: 'Stripe webhook receiver (raw body, signature verified, each event handled once)',
    },
    {
      method: 'GET',
      path: '/api/payments/invoices',
      access: 'admin',
      summary: 'Invoices of a customer (`?customerId=cus_...&limit=10`)',
      input: { query: 'invoicesQuery' },
    },
  ],
  demo: { widget: 'payment-intent', endpoint: '/create-payment-intent' },
  env: stripeEnv,
  schemas: () => import('./stripe.schema.js'),
  setup(config, { services }) {
    // The first webhook opens the database, unless a plugin that keeps data has opened it already:
    // the payment routes never need it, so a project of Stripe alone does not start it at boot.
    const processEvent = createEventProcessor(createDatabaseEventStore(() => getDatabase(services, config)));
    // The service brings the SDK: both load on the first request or probe, not at start-up.
    const service = loadOnce(async () => (await import('./stripe.service.js')).createStripeService(config));
    return {
      router: routerOnFirstUse(async () => (await import('./stripe.routes.js')).createStripeRouter(await service(), processEvent)),
      // Retrieving the balance is free and proves the secret key works.
      probe: async () => (await service()).checkAccount(),
    };
  },
});
