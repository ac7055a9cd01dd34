import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EnvSource } from '../src/env.js';
import { paypalPlugin } from '../src/payments/paypal/index.js';
import { paypalEnv } from '../src/payments/paypal/paypal.schema.js';
import { createPayPalService } from '../src/payments/paypal/paypal.service.js';
import { useAppWithMock } from './helpers/app-with-mock.js';
import { startApp, startMock } from './helpers/http.js';
import type { PayPalMock } from './mocks/paypal.mock.js';
import { startPayPalMock, TOKEN_LIFETIME_SECONDS } from './mocks/paypal.mock.js';

const CLIENT_ID = 'AaMockClientId0123456789';
const CLIENT_SECRET = 'EEmockClientSecret-do-not-leak-0123456789';
const BASIC_AUTH = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

function paypalSettings(baseUrl: string): EnvSource {
  return { PAYPAL_CLIENT_ID: CLIENT_ID, PAYPAL_CLIENT_SECRET: CLIENT_SECRET, PAYPAL_BASE_URL: baseUrl };
}

interface ErrorBody {
  error: { message: string; details?: unknown };
}

describe('PayPal plugin', () => {
  const running = useAppWithMock(
    () => startPayPalMock(CLIENT_ID, CLIENT_SECRET),
    (mock) => startApp(paypalSettings(mock.url), { plugins: [paypalPlugin] }),
  );
  const api = () => `${running.app.url}/api/payments/paypal`;

  function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${api()}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  }

  async function createOrder(body: unknown = { amount: '10.00' }): Promise<string> {
    const response = await post('/create-order', body);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  const ordersCalls = () => running.mock.requests.filter((request) => request.path.startsWith('/v2/'));

  it('creates an order with a Bearer token obtained by Basic auth, and forwards the Idempotency-Key', async () => {
    const response = await post(
      '/create-order',
      { amount: '10.00', currency: 'eur', description: 'Blue mug' },
      { 'Idempotency-Key': 'cart-7-checkout' },
    );

    expect(response.status).toBe(201);
    const order = (await response.json()) as { id: string };
    expect(order).toEqual({ id: order.id, status: 'CREATED', approveUrl: `https://www.sandbox.paypal.com/checkoutnow?token=${order.id}` });
    expect(running.mock.orders.get(order.id)?.amount).toEqual({ currency_code: 'EUR', value: '10.00' });

    const [create] = ordersCalls();
    expect(`${create?.method} ${create?.path}`).toBe('POST /v2/checkout/orders');
    expect(create?.headers.authorization).toBe(`Bearer ${running.mock.tokens.at(-1)}`);
    expect(create?.headers['paypal-request-id']).toBe('cart-7-checkout');
    expect(JSON.parse(create?.body ?? '')).toEqual({
      intent: 'CAPTURE',
      purchase_units: [{ amount: { currency_code: 'EUR', value: '10.00' }, description: 'Blue mug' }],
    });
  });

  it('asks for one token by the client credentials grant with Basic auth, and reuses it', async () => {
    const fresh = await startApp(paypalSettings(running.mock.url), { plugins: [paypalPlugin] });
    try {
      for (const amount of ['1.00', '2.00']) {
        const response = await fetch(`${fresh.url}/api/payments/paypal/create-order`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ amount }),
        });
        expect(response.status).toBe(201);
      }
    } finally {
      await fresh.close();
    }

    expect(running.mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/oauth2/token',
      'POST /v2/checkout/orders',
      'POST /v2/checkout/orders',
    ]);
    const [token, ...orders] = running.mock.requests;
    expect(token?.headers.authorization).toBe(BASIC_AUTH);
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(token?.body).toBe('grant_type=client_credentials');
    expect(orders.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${running.mock.tokens.at(-1)}`,
      `Bearer ${running.mock.tokens.at(-1)}`,
    ]);
  });

  it('retries once with a new token when PayPal refuses the cached one', async () => {
    await createOrder();
    const issued = running.mock.tokens.length;
    running.mock.revokeTokens();
    running.mock.requests.length = 0;

    const response = await post('/create-order', { amount: '3.00' }, { 'Idempotency-Key': 'after-revocation' });

    expect(response.status).toBe(201);
    expect(running.mock.tokens).toHaveLength(issued + 1);
    expect(running.mock.requests.map((request) => request.path)).toEqual([
      '/v2/checkout/orders',
      '/v1/oauth2/token',
      '/v2/checkout/orders',
    ]);
    expect(ordersCalls().map((request) => request.headers['paypal-request-id'])).toEqual(['after-revocation', 'after-revocation']);
    expect(ordersCalls()[1]?.headers.authorization).toBe(`Bearer ${running.mock.tokens.at(-1)}`);
  });

  it('sends a new PayPal-Request-Id for each order created without an Idempotency-Key', async () => {
    await createOrder();
    await createOrder();

    const ids = ordersCalls().map((request) => request.headers['paypal-request-id']);
    expect(ids).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('passes return and cancel URLs as the experience context and returns the payer-action link', async () => {
    const response = await post('/create-order', {
      amount: '25.50',
      returnUrl: 'https://shop.example/paid',
      cancelUrl: 'https://shop.example/cart',
    });

    expect(response.status).toBe(201);
    const order = (await response.json()) as { id: string; status: string; approveUrl: string };
    expect(order.status).toBe('PAYER_ACTION_REQUIRED');
    expect(order.approveUrl).toBe(`https://www.sandbox.paypal.com/checkoutnow?token=${order.id}`);
    expect(JSON.parse(ordersCalls()[0]?.body ?? '')).toEqual({
      intent: 'CAPTURE',
      purchase_units: [{ amount: { currency_code: 'USD', value: '25.50' } }],
      payment_source: {
        paypal: { experience_context: { return_url: 'https://shop.example/paid', cancel_url: 'https://shop.example/cart' } },
      },
    });
  });

  it('captures an approved order', async () => {
    const orderId = await createOrder({ amount: '10.00' });
    running.mock.approve(orderId);

    const response = await post('/capture-order', { orderId }, { 'Idempotency-Key': 'capture-once' });

    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      id: orderId,
      status: 'COMPLETED',
      captureId: `CAPTURE-${orderId}`,
      captureStatus: 'COMPLETED',
      amount: { value: '10.00', currency: 'USD' },
    });
    expect(text).not.toContain('buyer@example.com');
    const capture = ordersCalls().at(-1);
    expect(`${capture?.method} ${capture?.path}`).toBe(`POST /v2/checkout/orders/${orderId}/capture`);
    expect(capture?.headers['paypal-request-id']).toBe('capture-once');
    expect(capture?.headers.prefer).toBe('return=representation');
  });

  it('answers 409 with PayPal’s issue code when the buyer has not approved the order', async () => {
    const orderId = await createOrder();

    const response = await post('/capture-order', { orderId });

    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        message:
          "PayPal cannot do this in the order's current state. ORDER_NOT_APPROVED: Payer has not yet approved the Order for payment.",
        details: { issue: 'ORDER_NOT_APPROVED' },
      },
    });
  });

  it('answers 409 when the order was captured already', async () => {
    const orderId = await createOrder();
    running.mock.approve(orderId);
    expect((await post('/capture-order', { orderId })).status).toBe(200);

    const again = await post('/capture-order', { orderId });
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.message).toContain('ORDER_ALREADY_CAPTURED');
  });

  it('answers 402 when PayPal declines the buyer’s payment method', async () => {
    const orderId = await createOrder();
    running.mock.approve(orderId);
    running.mock.failNext(422, 'INSTRUMENT_DECLINED');

    const response = await post('/capture-order', { orderId });

    expect(response.status).toBe(402);
    expect(((await response.json()) as ErrorBody).error).toEqual({
      message: "PayPal declined the buyer's payment method. INSTRUMENT_DECLINED: Mock failure with status 422.",
      details: { issue: 'INSTRUMENT_DECLINED' },
    });
  });

  it('answers 400 with PayPal’s issue code for other unprocessable requests', async () => {
    await createOrder();
    running.mock.failNext(422, 'CURRENCY_NOT_SUPPORTED');
    const response = await post('/create-order', { amount: '10.00', currency: 'XTS' });

    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toBe(
      'PayPal rejected the request. CURRENCY_NOT_SUPPORTED: Mock failure with status 422.',
    );
  });

  it('answers 404 for an order PayPal does not know', async () => {
    const response = await post('/capture-order', { orderId: 'NOSUCHORDER123' });

    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).error.message).toContain('INVALID_RESOURCE_ID');
  });

  it.each([
    ['an amount given as a number', { amount: 10 }, 'amount'],
    ['an amount with three decimals', { amount: '10.001' }, 'amount'],
    ['a negative amount', { amount: '-5.00' }, 'amount'],
    ['a zero amount', { amount: '0.00' }, 'amount'],
    ['a currency that is not a code', { amount: '10.00', currency: 'dollars' }, 'currency'],
    ['a description over 127 characters', { amount: '10.00', description: 'x'.repeat(128) }, 'description'],
    ['a return URL that is not a URL', { amount: '10.00', returnUrl: 'shop/paid' }, 'returnUrl'],
  ])('answers 400 for %s without calling PayPal', async (_, body, path) => {
    const response = await post('/create-order', body);

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { details: { path: string }[] } };
    expect(error.details.map((issue) => issue.path)).toContain(path);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('answers 400 for an order id that could reach another path, without calling PayPal', async () => {
    for (const orderId of ['../../v1/oauth2/token', '', 'A'.repeat(37)]) {
      expect((await post('/capture-order', { orderId })).status).toBe(400);
    }
    expect((await post('/create-order', { amount: '1.00' }, { 'Idempotency-Key': 'k'.repeat(109) })).status).toBe(400);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('maps a rate limit to 429 and an outage to 502', async () => {
    await createOrder();
    running.mock.failNext(429);
    expect((await post('/create-order', { amount: '1.00' })).status).toBe(429);
    running.mock.failNext(503);
    expect((await post('/create-order', { amount: '1.00' })).status).toBe(502);
  });

  it('probes by asking for a fresh token on GET /health?probe=1', async () => {
    await createOrder();
    running.mock.requests.length = 0;

    const response = await fetch(`${running.app.url}/health?probe=1`);
    const body = (await response.json()) as { plugins: { id: string; status: string }[] };

    expect(body.plugins.find((plugin) => plugin.id === 'paypal')?.status).toBe('ok');
    expect(running.mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v1/oauth2/token']);
  });

  it('maps rejected credentials to 502 without leaking the secret', async () => {
    const wrongSecret = 'EEwrong-secret-fedcba9876543210';
    const misconfigured = await startApp(
      { ...paypalSettings(running.mock.url), PAYPAL_CLIENT_SECRET: wrongSecret },
      { plugins: [paypalPlugin] },
    );
    try {
      const response = await fetch(`${misconfigured.url}/api/payments/paypal/create-order`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ amount: '10.00' }),
      });

      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).toContain('PayPal rejected the credentials');
      expect(text).not.toContain(wrongSecret);
      expect(text).not.toContain(CLIENT_ID);
      expect(ordersCalls()).toHaveLength(0);
    } finally {
      await misconfigured.close();
    }
  });
});

describe('PayPal access token', () => {
  let mock: PayPalMock;
  beforeAll(async () => {
    mock = await startPayPalMock(CLIENT_ID, CLIENT_SECRET);
  });
  afterAll(() => mock.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const service = () => createPayPalService(paypalEnv.parse(paypalSettings(mock.url)));

  it('is renewed shortly before PayPal says it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const paypal = service();
    await paypal.createOrder({ amount: '1.00', currency: 'USD' }, 'first');
    vi.setSystemTime(Date.now() + (TOKEN_LIFETIME_SECONDS - 120) * 1000);
    await paypal.createOrder({ amount: '1.00', currency: 'USD' }, 'second');
    expect(mock.tokens).toHaveLength(1);

    vi.setSystemTime(Date.now() + 90 * 1000);
    await paypal.createOrder({ amount: '1.00', currency: 'USD' }, 'third');
    expect(mock.tokens).toHaveLength(2);
    expect(mock.requests.at(-1)?.headers.authorization).toBe(`Bearer ${mock.tokens[1]}`);
  });

  it('is requested once for concurrent calls', async () => {
    mock.tokens.length = 0;
    const paypal = service();
    await Promise.all([1, 2, 3].map((n) => paypal.createOrder({ amount: '1.00', currency: 'USD' }, `concurrent-${n}`)));
    expect(mock.tokens).toHaveLength(1);
  });
});

describe('PayPal plugin with invalid settings or out of reach', () => {
  it('answers 503 explaining a PAYPAL_MODE that is neither sandbox nor live', async () => {
    const app = await startApp(
      { PAYPAL_CLIENT_ID: CLIENT_ID, PAYPAL_CLIENT_SECRET: CLIENT_SECRET, PAYPAL_MODE: 'production' },
      { plugins: [paypalPlugin] },
    );
    try {
      const response = await fetch(`${app.url}/api/payments/paypal/create-order`, { method: 'POST' });
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(text).toContain('PAYPAL_MODE must be sandbox or live');
      expect(text).not.toContain(CLIENT_SECRET);
    } finally {
      await app.close();
    }
  });

  it('answers 503 when PayPal cannot be reached', async () => {
    const closed = await startMock((_req, res) => res.end());
    await closed.close();
    const app = await startApp(paypalSettings(closed.url), { plugins: [paypalPlugin] });
    try {
      const response = await fetch(`${app.url}/api/payments/paypal/create-order`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ amount: '10.00' }),
      });
      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).error.message).toBe('PayPal could not be reached. Try again later.');
    } finally {
      await app.close();
    }
  });
});

describe('PayPal base URL', () => {
  it('follows PAYPAL_MODE unless PAYPAL_BASE_URL is set', async () => {
    const hosts: string[] = [];
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      hosts.push(new URL(input instanceof Request ? input.url : input).origin);
      return Response.json({ error: 'invalid_client' }, { status: 401 });
    });
    try {
      for (const mode of [undefined, 'sandbox', 'live']) {
        const service = createPayPalService(
          paypalEnv.parse({ PAYPAL_CLIENT_ID: CLIENT_ID, PAYPAL_CLIENT_SECRET: CLIENT_SECRET, PAYPAL_MODE: mode }),
        );
        await expect(service.checkCredentials(new AbortController().signal)).rejects.toThrow('PayPal rejected the credentials');
      }
    } finally {
      fetchSpy.mockRestore();
    }
    expect(hosts).toEqual(['https://api-m.sandbox.paypal.com', 'https://api-m.sandbox.paypal.com', 'https://api-m.paypal.com']);
  });
});
