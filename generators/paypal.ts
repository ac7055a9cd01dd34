import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'paypal',
  name: 'PayPal',
  category: 'payments',
  description: 'PayPal Checkout orders, created and captured through the REST API',
  docsUrl: 'https://developer.paypal.com/docs/api/orders/v2/',
  env: [
    {
      name: 'PAYPAL_CLIENT_ID',
      required: true,
      example: 'AaBb...',
      description: 'REST app client id from https://developer.paypal.com/dashboard/applications',
    },
    { name: 'PAYPAL_CLIENT_SECRET', required: true, secret: true, description: 'REST app secret from the same page' },
    {
      name: 'PAYPAL_MODE',
      required: false,
      example: 'sandbox',
      description: 'sandbox (default, api-m.sandbox.paypal.com) or live (api-m.paypal.com)',
    },
    {
      name: 'PAYPAL_BASE_URL',
      required: false,
      example: 'https://api-m.sandbox.paypal.com',
      description: 'API base URL; overrides PAYPAL_MODE (for a proxy or a local mock)',
    },
  ],
  mountPath: '/api/payments/paypal',
  endpoints: [
    {
      method: 'POST',
      path: '/create-order',
      description: 'Create an order; returns its id and approval link (an `Idempotency-Key` header becomes PayPal-Request-Id)',
      input: { body: 'createOrderBody', headers: 'idempotencyHeaders' },
    },
    {
      method: 'POST',
      path: '/capture-order',
      description: 'Capture an approved order',
      input: { body: 'captureOrderBody', headers: 'idempotencyHeaders' },
    },
  ],
});
