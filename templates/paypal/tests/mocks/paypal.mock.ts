import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { readBody, startMock } from '../helpers/http.js';

/** What the mock received in one request. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body: form-encoded for the token, JSON for orders. */
  body: string;
}

/** An order as the mock keeps it. */
export interface MockOrder {
  id: string;
  amount: { currency_code: string; value: string };
  /** Set by `approve`, as when the buyer clicks "Pay" on PayPal. */
  approved: boolean;
  captured: boolean;
}

/** A local stand-in for PayPal's OAuth2 and Orders v2 REST API. */
export interface PayPalMock {
  /** Base URL for PAYPAL_BASE_URL. */
  url: string;
  requests: RecordedRequest[];
  orders: Map<string, MockOrder>;
  /** Access tokens issued so far. */
  tokens: string[];
  /** Makes PayPal refuse every token issued so far, as it does when it revokes them early. */
  revokeTokens(): void;
  /** The buyer approves the order on PayPal. */
  approve(orderId: string): void;
  /** Answers the next request with this status and a PayPal-style error body naming `issue`. */
  failNext(status: number, issue?: string): void;
  close(): Promise<void>;
}

/** Seconds a token lives, as PayPal says in `expires_in` (about nine hours in reality). */
export const TOKEN_LIFETIME_SECONDS = 32_400;

/** Starts the mock; the token endpoint accepts only HTTP Basic auth with this client id and secret. */
export async function startPayPalMock(clientId: string, clientSecret: string): Promise<PayPalMock> {
  const requests: RecordedRequest[] = [];
  const orders = new Map<string, MockOrder>();
  const tokens: string[] = [];
  const validTokens = new Set<string>();
  let nextFailure: { status: number; issue: string } | undefined;

  const server = await startMock(async (req, res) => {
    const body = (await readBody(req)).toString('utf8');
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

    if (nextFailure) {
      const { status, issue } = nextFailure;
      nextFailure = undefined;
      sendIssue(res, status, 'MOCK_FAILURE', issue, `Mock failure with status ${status}.`);
      return;
    }
    if (req.method === 'POST' && path === '/v1/oauth2/token') {
      issueToken(req.headers, body, res);
      return;
    }
    if (!validTokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
      sendJson(res, 401, { error: 'invalid_token', error_description: 'Token signature verification failed' });
      return;
    }
    const capture = /^\/v2\/checkout\/orders\/([^/]+)\/capture$/.exec(path);
    if (req.method === 'POST' && path === '/v2/checkout/orders') {
      createOrder(JSON.parse(body) as OrderBody, res);
    } else if (req.method === 'POST' && capture?.[1]) {
      captureOrder(decodeURIComponent(capture[1]), res);
    } else {
      sendJson(res, 404, { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.' });
    }
  });

  function issueToken(headers: IncomingHttpHeaders, body: string, res: ServerResponse): void {
    const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    if (headers.authorization !== expected || body !== 'grant_type=client_credentials') {
      sendJson(res, 401, { error: 'invalid_client', error_description: 'Client Authentication failed' });
      return;
    }
    const token = `A21AA-mock-token-${tokens.length + 1}`;
    tokens.push(token);
    validTokens.add(token);
    sendJson(res, 200, {
      scope: 'https://uri.paypal.com/services/payments/payment',
      access_token: token,
      token_type: 'Bearer',
      app_id: 'APP-MOCK',
      expires_in: TOKEN_LIFETIME_SECONDS,
      nonce: 'mock',
    });
  }

  function createOrder(body: OrderBody, res: ServerResponse): void {
    const amount = body.purchase_units?.[0]?.amount;
    if (body.intent !== 'CAPTURE' || !amount) {
      sendIssue(res, 400, 'INVALID_REQUEST', 'MISSING_REQUIRED_PARAMETER', 'A required field / parameter is missing.');
      return;
    }
    const id = `MOCK${String(orders.size + 1).padStart(13, '0')}`;
    orders.set(id, { id, amount, approved: false, captured: false });
    // With a payment source the buyer is sent on with a `payer-action` link instead of `approve`.
    const redirected = body.payment_source !== undefined;
    sendJson(res, 201, {
      id,
      status: redirected ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      links: [
        { href: `https://api-m.sandbox.paypal.com/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
        { href: `https://www.sandbox.paypal.com/checkoutnow?token=${id}`, rel: redirected ? 'payer-action' : 'approve', method: 'GET' },
      ],
    });
  }

  function captureOrder(id: string, res: ServerResponse): void {
    const order = orders.get(id);
    if (!order) {
      sendIssue(
        res,
        404,
        'RESOURCE_NOT_FOUND',
        'INVALID_RESOURCE_ID',
        'Specified resource ID does not exist. Please check the resource ID and try again.',
      );
    } else if (order.captured) {
      sendIssue(
        res,
        422,
        'UNPROCESSABLE_ENTITY',
        'ORDER_ALREADY_CAPTURED',
        'Order already captured. Only one capture per order is allowed.',
      );
    } else if (!order.approved) {
      sendIssue(res, 422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED', 'Payer has not yet approved the Order for payment.');
    } else {
      order.captured = true;
      sendJson(res, 201, {
        id,
        status: 'COMPLETED',
        payer: { email_address: 'buyer@example.com', name: { given_name: 'Ada', surname: 'Buyer' } },
        purchase_units: [
          { reference_id: 'default', payments: { captures: [{ id: `CAPTURE-${id}`, status: 'COMPLETED', amount: order.amount }] } },
        ],
      });
    }
  }

  return {
    url: server.url,
    requests,
    orders,
    tokens,
    revokeTokens: () => validTokens.clear(),
    approve: (orderId) => {
      const order = orders.get(orderId);
      if (order) order.approved = true;
    },
    failNext: (status, issue = 'MOCK_FAILURE') => {
      nextFailure = { status, issue };
    },
    close: () => server.close(),
  };
}

interface OrderBody {
  intent?: string;
  purchase_units?: { amount?: { currency_code: string; value: string } }[];
  payment_source?: unknown;
}

function sendIssue(res: ServerResponse, status: number, name: string, issue: string, description: string): void {
  sendJson(res, status, {
    name,
    message: 'The requested action could not be performed.',
    debug_id: 'mock',
    details: [{ issue, description }],
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Paypal-Debug-Id': 'mock' });
  res.end(JSON.stringify(body));
}
