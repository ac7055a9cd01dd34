import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'stripe',
  name: 'Stripe',
  category: 'payments',
  description: 'Payment intents, subscriptions, invoices and signature-verified webhooks',
  docsUrl: 'https://docs.stripe.com/api',
  dependencies: { stripe: '^23.1.0' },
  env: [
    {
      name: 'STRIPE_SECRET_KEY',
      required: true,
      secret: true,
      description: 'Secret key (sk_test_... in test mode) from https://dashboard.stripe.com/apikeys',
    },
    {
      name: 'STRIPE_PUBLISHABLE_KEY',
      required: true,
      example: 'pk_test_...',
      description: 'Publishable key from the same page, handed to the browser',
    },
    {
      name: 'STRIPE_WEBHOOK_SECRET',
      required: true,
      secret: true,
      description: 'Signing secret of the webhook endpoint (whsec_...), or from `stripe listen`',
    },
    {
      name: 'STRIPE_API_BASE',
      required: false,
      example: 'https://api.stripe.com',
      description: 'API origin (scheme, host and port, no path), for stripe-mock or a proxy',
    },
    {
      name: 'STRIPE_MAX_RETRIES',
      required: false,
      example: '2',
      description: 'Retries of a call that finds no connection or that Stripe asks to retry (409, some 5xx), with back-off (default 2)',
    },
  ],
  mountPath: '/api/payments',
  endpoints: [
    {
      method: 'POST',
      path: '/create-payment-intent',
      description: 'Create a payment intent; returns its client secret (an `Idempotency-Key` header is passed on)',
      input: { body: 'paymentIntentBody', headers: 'idempotencyHeaders' },
    },
    {
      method: 'POST',
      path: '/create-subscription',
      description: 'Subscribe a customer to a price',
      access: 'admin',
      input: { body: 'subscriptionBody', headers: 'idempotencyHeaders' },
    },
    {
      method: 'POST',
      path: '/webhooks',
      description: 'Stripe webhook receiver (raw body, signature verified, each event handled once)',
      access: 'public',
    },
    {
      method: 'GET',
      path: '/invoices',
      description: 'Invoices of a customer (`?customerId=cus_...&limit=10`)',
      access: 'admin',
      input: { query: 'invoicesQuery' },
    },
  ],
  // Handled webhook events are a durable record, in the database every instance shares.
  layers: ['database'],
});
