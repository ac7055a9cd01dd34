import express from 'express';
import Stripe from 'stripe';
import type { MockInstance } from 'vitest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EnvSource } from '../src/env.js';
import { errorHandler } from '../src/lib/errors.js';
import { stripePlugin } from '../src/payments/stripe/index.js';
import { stripeEnv } from '../src/payments/stripe/stripe.schema.js';
import { createDatabaseEventStore, createEventProcessor } from '../src/payments/stripe/stripe.webhooks.js';
import { useAppWithMock } from './helpers/app-with-mock.js';
import type { TestDatabase } from './helpers/database.js';
import { createTestDatabase } from './helpers/database.js';
import type { RunningServer } from './helpers/http.js';
import { startApp, startMock } from './helpers/http.js';
import { INVOICE, PAYMENT_INTENT, SUBSCRIPTION_CLIENT_SECRET, startStripeMock } from './mocks/stripe.mock.js';

const SECRET_KEY = 'sk_test_mock_0123456789abcdef';
const PUBLISHABLE_KEY = 'pk_test_mock_0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_mock_0123456789abcdef';

// Handled webhook events are kept in the test file's database: PGlite in memory, or PostgreSQL with DATABASE_URL.
let testDatabase: TestDatabase;
beforeAll(async () => {
  testDatabase = await createTestDatabase();
}, 120_000);
afterAll(() => testDatabase.close());

// Retries off: a failure the mock is told to give is then the answer, not a back-off to wait through.
function stripeSettings(apiBase: string): EnvSource {
  return {
    STRIPE_SECRET_KEY: SECRET_KEY,
    STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: apiBase,
    STRIPE_MAX_RETRIES: '0',
    ...testDatabase.config,
  };
}

interface ErrorBody {
  error: { message: string; details?: unknown };
}

/** An event as Stripe sends it: pretty-printed, so a body parser that re-serialises it breaks the signature. */
function webhookEvent(id: string, type: string, object: object): string {
  return JSON.stringify(
    { id, object: 'event', api_version: Stripe.API_VERSION, created: 1767225600, livemode: false, type, data: { object } },
    null,
    2,
  );
}

function signed(payload: string, secret = WEBHOOK_SECRET): Record<string, string> {
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'Stripe-Signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }),
  };
}

const succeededPayment = {
  id: 'pi_paid_1',
  object: 'payment_intent',
  amount: 2000,
  amount_received: 2000,
  currency: 'usd',
  receipt_email: 'buyer@example.com',
};

describe('Stripe plugin', () => {
  const running = useAppWithMock(
    () => startStripeMock(SECRET_KEY),
    (mock) => startApp(stripeSettings(mock.url), { plugins: [stripePlugin] }),
  );
  const api = () => `${running.app.url}/api/payments`;
  let log: MockInstance<typeof console.info>;
  beforeEach(() => {
    log = vi.spyOn(console, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => {
    log.mockRestore();
  });

  function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${api()}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  }

  function deliver(payload: string, headers: Record<string, string> = signed(payload)): Promise<Response> {
    return fetch(`${api()}/webhooks`, { method: 'POST', headers, body: payload });
  }

  it('creates a payment intent with automatic payment methods and forwards the Idempotency-Key', async () => {
    const response = await post(
      '/create-payment-intent',
      { amount: 2000, currency: 'USD', customerId: 'cus_mock', metadata: { orderId: '42' }, receiptEmail: 'buyer@example.com' },
      { 'Idempotency-Key': 'order-42-attempt-1' },
    );

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      id: PAYMENT_INTENT.id,
      clientSecret: PAYMENT_INTENT.client_secret,
      status: 'requires_payment_method',
      publishableKey: PUBLISHABLE_KEY,
    });
    expect(running.mock.requests).toHaveLength(1);
    const [request] = running.mock.requests;
    expect(`${request?.method} ${request?.path}`).toBe('POST /v1/payment_intents');
    expect(request?.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers['idempotency-key']).toBe('order-42-attempt-1');
    expect(request?.form).toEqual({
      amount: '2000',
      currency: 'usd',
      'automatic_payment_methods[enabled]': 'true',
      customer: 'cus_mock',
      'metadata[orderId]': '42',
      receipt_email: 'buyer@example.com',
    });
  });

  it('sends only the amount, currency and automatic payment methods when nothing else is given', async () => {
    const response = await post('/create-payment-intent', { amount: 50, currency: 'eur' });

    expect(response.status).toBe(201);
    expect(running.mock.requests[0]?.form).toEqual({ amount: '50', currency: 'eur', 'automatic_payment_methods[enabled]': 'true' });
  });

  it.each([
    ['a zero amount', { amount: 0, currency: 'usd' }, 'amount'],
    ['a fractional amount', { amount: 10.5, currency: 'usd' }, 'amount'],
    ['an amount as text', { amount: '2000', currency: 'usd' }, 'amount'],
    ['an amount over Stripe’s maximum', { amount: 100_000_000, currency: 'usd' }, 'amount'],
    ['a currency that is not a code', { amount: 2000, currency: 'dollars' }, 'currency'],
    ['a customer id of the wrong kind', { amount: 2000, currency: 'usd', customerId: 'pi_123' }, 'customerId'],
    ['a metadata value that is not a string', { amount: 2000, currency: 'usd', metadata: { orderId: 42 } }, 'metadata.orderId'],
    ['an invalid receipt email', { amount: 2000, currency: 'usd', receiptEmail: 'not-an-email' }, 'receiptEmail'],
  ])('answers 400 for %s without calling Stripe', async (_, body, path) => {
    const response = await post('/create-payment-intent', body);

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { details: { path: string }[] } };
    expect(error.details.map((issue) => issue.path)).toContain(path);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('answers 400 for an Idempotency-Key longer than Stripe accepts', async () => {
    const response = await post('/create-payment-intent', { amount: 2000, currency: 'usd' }, { 'Idempotency-Key': 'k'.repeat(256) });

    expect(response.status).toBe(400);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('creates an incomplete subscription and returns the client secret of its first invoice', async () => {
    const response = await post('/create-subscription', { customerId: 'cus_mock', priceId: 'price_monthly' });

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ subscriptionId: 'sub_mock_1', status: 'incomplete', clientSecret: SUBSCRIPTION_CLIENT_SECRET });
    expect(running.mock.requests[0]?.path).toBe('/v1/subscriptions');
    expect(running.mock.requests[0]?.form).toEqual({
      customer: 'cus_mock',
      'items[0][price]': 'price_monthly',
      payment_behavior: 'default_incomplete',
      'payment_settings[save_default_payment_method]': 'on_subscription',
      'expand[0]': 'latest_invoice.confirmation_secret',
    });
  });

  it('answers 400 for a subscription without a price', async () => {
    const response = await post('/create-subscription', { customerId: 'cus_mock' });

    expect(response.status).toBe(400);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('lists invoices without the customer’s personal details', async () => {
    const response = await fetch(`${api()}/invoices?customerId=cus_mock&limit=5&startingAfter=in_previous`);

    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      invoices: [
        {
          id: INVOICE.id,
          number: INVOICE.number,
          status: 'paid',
          currency: 'usd',
          total: 1500,
          amountDue: 1500,
          amountPaid: 1500,
          created: '2026-01-01T00:00:00.000Z',
          hostedInvoiceUrl: INVOICE.hosted_invoice_url,
          invoicePdf: INVOICE.invoice_pdf,
        },
      ],
      hasMore: true,
    });
    expect(text).not.toContain(INVOICE.customer_email);
    expect(text).not.toContain(INVOICE.customer_name);
    expect(`${running.mock.requests[0]?.method} ${running.mock.requests[0]?.path}`).toBe('GET /v1/invoices');
    expect(running.mock.requests[0]?.query).toEqual({ customer: 'cus_mock', limit: '5', starting_after: 'in_previous' });
  });

  it('asks for 10 invoices by default and refuses bad queries', async () => {
    await fetch(`${api()}/invoices?customerId=cus_mock`);
    expect(running.mock.requests[0]?.query).toEqual({ customer: 'cus_mock', limit: '10' });

    for (const query of ['', '?customerId=cus_mock&limit=0', '?customerId=cus_mock&limit=101', '?customerId=someone']) {
      const response = await fetch(`${api()}/invoices${query}`);
      expect(response.status).toBe(400);
    }
    expect(running.mock.requests).toHaveLength(1);
  });

  it('handles a signed webhook event once and acknowledges its redelivery as a duplicate', async () => {
    const payload = webhookEvent('evt_once', 'payment_intent.succeeded', succeededPayment);

    const first = await deliver(payload);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith('Stripe: payment pi_paid_1 succeeded (2000 usd).');

    const second = await deliver(payload);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ received: true, duplicate: true });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('logs paid invoices and ended subscriptions without personal details', async () => {
    const invoice = { id: 'in_paid_1', object: 'invoice', amount_paid: 1500, currency: 'eur', customer_email: 'buyer@example.com' };
    expect((await deliver(webhookEvent('evt_invoice', 'invoice.paid', invoice))).status).toBe(200);
    const subscription = { id: 'sub_ended_1', object: 'subscription', status: 'canceled' };
    expect((await deliver(webhookEvent('evt_subscription', 'customer.subscription.deleted', subscription))).status).toBe(200);

    expect(log.mock.calls).toEqual([['Stripe: invoice in_paid_1 paid (1500 eur).'], ['Stripe: subscription sub_ended_1 ended.']]);
  });

  it('acknowledges an event type it has no handler for', async () => {
    const response = await deliver(webhookEvent('evt_other', 'customer.created', { id: 'cus_new', object: 'customer' }));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    expect(log).not.toHaveBeenCalled();
  });

  it('answers 400 to a webhook with a wrong, missing or replayed-onto-other-bytes signature', async () => {
    const payload = webhookEvent('evt_forged', 'payment_intent.succeeded', succeededPayment);

    const wrongSecret = await deliver(payload, signed(payload, 'whsec_someone_else'));
    expect(wrongSecret.status).toBe(400);
    expect(((await wrongSecret.json()) as ErrorBody).error.message).toContain('Stripe-Signature');

    const unsigned = await deliver(payload, { 'Content-Type': 'application/json' });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toEqual({ error: { message: 'Missing the Stripe-Signature header.' } });

    const tampered = payload.replace('2000', '1');
    const reused = await deliver(tampered, signed(payload));
    expect(reused.status).toBe(400);

    expect(log).not.toHaveBeenCalled();
    // Refused deliveries are not remembered: the genuine one still runs.
    expect(await (await deliver(payload)).json()).toEqual({ received: true });
  });

  it('answers 400 to a correctly signed body that is empty or not an event', async () => {
    for (const payload of ['', 'not json', '"a string"', 'null']) {
      const response = await deliver(payload);
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error.message).toMatch(
        /^The (webhook payload is not a valid Stripe event|webhook request has no body)/,
      );
    }
    expect(log).not.toHaveBeenCalled();
  });

  it('answers 400 saying the event is too old for a genuine signature outside the tolerance', async () => {
    const payload = webhookEvent('evt_stale', 'payment_intent.succeeded', succeededPayment);
    const anHourAgo = Math.floor(Date.now() / 1000) - 3_600;
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: anHourAgo });
    const response = await deliver(payload, { 'Content-Type': 'application/json', 'Stripe-Signature': header });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toContain('The event is too old (check the clock / replay)');
    expect(log).not.toHaveBeenCalled();
  });

  it('probes by retrieving the balance on GET /health?probe=1', async () => {
    const healthy = await fetch(`${running.app.url}/health?probe=1`);
    const body = (await healthy.json()) as { plugins: { id: string; status: string }[] };
    expect(body.plugins.find((plugin) => plugin.id === 'stripe')?.status).toBe('ok');
    expect(running.mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/balance']);

    running.mock.failNext(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${SECRET_KEY}` });
    const failing = await fetch(`${running.app.url}/health?probe=1`);
    const failingBody = (await failing.json()) as { plugins: { id: string; status: string; message?: string }[] };
    expect(failingBody.plugins.find((plugin) => plugin.id === 'stripe')).toMatchObject({
      status: 'failing',
      message: 'Stripe rejected the credentials. Check the API key.',
    });
  });

  it('passes on Stripe’s explanation of a bad request as 400', async () => {
    running.mock.failNext(400, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'customer',
      message: "No such customer: 'cus_gone'",
    });
    const response = await post('/create-payment-intent', { amount: 2000, currency: 'usd', customerId: 'cus_gone' });

    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toBe("Stripe rejected the request. No such customer: 'cus_gone'");
  });

  it('maps a declined card to 402 with Stripe’s message and decline code', async () => {
    running.mock.failNext(402, {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
    const response = await post('/create-payment-intent', { amount: 2000, currency: 'usd' });

    expect(response.status).toBe(402);
    expect(await response.json()).toEqual({
      error: {
        message: 'The card was declined: Your card has insufficient funds.',
        details: { code: 'card_declined', declineCode: 'insufficient_funds' },
      },
    });
  });

  it('maps a rate limit to 429 and an outage to 502', async () => {
    running.mock.failNext(429, { type: 'rate_limit_error', message: 'Too many requests made to the API too quickly.' });
    expect((await post('/create-subscription', { customerId: 'cus_mock', priceId: 'price_monthly' })).status).toBe(429);

    running.mock.failNext(500, { type: 'api_error', message: 'Something went wrong on Stripe’s end.' });
    expect((await fetch(`${api()}/invoices?customerId=cus_mock`)).status).toBe(502);
  });

  it('maps a rejected key to 401 without leaking it', async () => {
    const wrongKey = 'sk_test_wrong_fedcba9876543210';
    const misconfigured = await startApp({ ...stripeSettings(running.mock.url), STRIPE_SECRET_KEY: wrongKey }, { plugins: [stripePlugin] });
    try {
      const response = await fetch(`${misconfigured.url}/api/payments/invoices?customerId=cus_mock`);

      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('Stripe rejected the credentials');
      expect(text).not.toContain(wrongKey);
      expect(text).not.toContain(SECRET_KEY);
    } finally {
      await misconfigured.close();
    }
  });
});

describe('Stripe webhook processing', () => {
  const payload = webhookEvent('evt_retry', 'payment_intent.succeeded', succeededPayment);
  const payment = Stripe.webhooks.constructEvent(payload, signed(payload)['Stripe-Signature'] ?? '', WEBHOOK_SECRET);

  it('runs an event again after its handler failed, so Stripe’s retry is not lost', async () => {
    const handler = vi.fn().mockRejectedValueOnce(new Error('database down')).mockResolvedValueOnce(undefined);
    const processEvent = createEventProcessor(
      createDatabaseEventStore(() => testDatabase.database),
      { 'payment_intent.succeeded': handler },
    );

    await expect(processEvent(payment)).rejects.toThrow('database down');
    await expect(processEvent(payment)).resolves.toBe(true);
    await expect(processEvent(payment)).resolves.toBe(false);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('claims an event once when two deliveries race, as two instances sharing the database would', async () => {
    const [first, second] = [createDatabaseEventStore(() => testDatabase.database), createDatabaseEventStore(() => testDatabase.database)];
    const claims = await Promise.all([first.claim('evt_raced'), second.claim('evt_raced')]);
    expect(claims.sort()).toEqual([false, true]);
  });

  it('refuses to run behind a JSON body parser, which would break every signature', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const instance = stripePlugin.setup(stripeEnv.parse(stripeSettings('http://127.0.0.1:9')), {
      env: {},
      services: testDatabase.services(),
      plugins: [],
    });
    const app = express();
    app.use(express.json());
    if (instance.router) app.use('/api/payments', instance.router);
    app.use(errorHandler);
    const server = await startMock(app);
    try {
      const payload = webhookEvent('evt_parsed', 'customer.created', { id: 'cus_new', object: 'customer' });
      const response = await fetch(`${server.url}/api/payments/webhooks`, { method: 'POST', headers: signed(payload), body: payload });
      expect(response.status).toBe(500);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('register express.json() after the payments router'));
    } finally {
      errors.mockRestore();
      await server.close();
    }
  });
});

describe('Stripe plugin with invalid settings or out of reach', () => {
  function post(app: RunningServer, body: unknown): Promise<Response> {
    return fetch(`${app.url}/api/payments/create-payment-intent`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('answers 503 rather than hand a secret key given as the publishable key to browsers', async () => {
    const app = await startApp(
      { ...stripeSettings('http://127.0.0.1:9'), STRIPE_PUBLISHABLE_KEY: SECRET_KEY },
      { plugins: [stripePlugin] },
    );
    try {
      const response = await post(app, { amount: 2000, currency: 'usd' });
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(text).toContain('STRIPE_PUBLISHABLE_KEY is a secret key: use the publishable key (pk_...)');
      expect(text).not.toContain(SECRET_KEY);
    } finally {
      await app.close();
    }
  });

  it('answers 503 explaining a publishable key given as the secret key', async () => {
    const app = await startApp(
      { ...stripeSettings('http://127.0.0.1:9'), STRIPE_SECRET_KEY: PUBLISHABLE_KEY },
      { plugins: [stripePlugin] },
    );
    try {
      const response = await post(app, { amount: 2000, currency: 'usd' });
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('STRIPE_SECRET_KEY is a publishable key (pk_...): use the secret key (sk_...)');
    } finally {
      await app.close();
    }
  });

  it('answers 503 when Stripe cannot be reached', async () => {
    const closed = await startMock((_req, res) => res.end());
    await closed.close();
    const app = await startApp(stripeSettings(closed.url), { plugins: [stripePlugin] });
    try {
      const response = await fetch(`${app.url}/api/payments/invoices?customerId=cus_mock`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toBe('Stripe could not be reached. Try again later.');
    } finally {
      await app.close();
    }
  });
});
