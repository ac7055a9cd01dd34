import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { readBody, startMock } from '../helpers/http.js';

/** What the mock received in one request; Stripe's bodies and queries are form-encoded. */
export interface RecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  query: Record<string, string>;
  /** The decoded form body, keys as the SDK flattens them: `metadata[orderId]`, `items[0][price]`. */
  form: Record<string, string>;
}

/** An error as the Stripe API returns it. */
export interface StripeApiError {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error' | 'rate_limit_error';
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
}

/** A local stand-in for the Stripe REST API (the calls the plugin makes). */
export interface StripeMock {
  /** Origin for STRIPE_API_BASE. */
  url: string;
  requests: RecordedRequest[];
  /** Answers the next request with this status and error body. */
  failNext(status: number, error: StripeApiError): void;
  close(): Promise<void>;
}

/** The payment intent every create call returns (amount and currency come from the request). */
export const PAYMENT_INTENT = { id: 'pi_mock_1', client_secret: 'pi_mock_1_secret_mock', status: 'requires_payment_method' };
/** The client secret of the first invoice of every new subscription. */
export const SUBSCRIPTION_CLIENT_SECRET = 'pi_mock_2_secret_mock';
/** An invoice as `GET /v1/invoices` lists it, personal details included, as the real API does. */
export const INVOICE = {
  id: 'in_mock_1',
  object: 'invoice',
  number: 'MOCK-0001',
  status: 'paid',
  currency: 'usd',
  total: 1500,
  amount_due: 1500,
  amount_paid: 1500,
  created: 1767225600,
  customer: 'cus_mock',
  customer_email: 'buyer@example.com',
  customer_name: 'Ada Buyer',
  hosted_invoice_url: 'https://invoice.stripe.com/i/mock',
  invoice_pdf: 'https://pay.stripe.com/invoice/mock/pdf',
};

/** Starts the mock; requests must carry `Authorization: Bearer <secretKey>`, as with the real API. */
export async function startStripeMock(secretKey: string): Promise<StripeMock> {
  const requests: RecordedRequest[] = [];
  let nextFailure: { status: number; error: StripeApiError } | undefined;

  const server = await startMock(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    const raw = (await readBody(req)).toString('utf8');
    const form = Object.fromEntries(new URLSearchParams(raw));
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, headers: req.headers, query: Object.fromEntries(url.searchParams), form });

    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      // The real API quotes (part of) the key it got: the plugin must not pass this on.
      sendError(res, 401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${req.headers.authorization ?? 'none'}` });
      return;
    }
    if (nextFailure) {
      const { status, error } = nextFailure;
      nextFailure = undefined;
      sendError(res, status, error);
      return;
    }

    const route = `${method} ${url.pathname}`;
    if (route === 'POST /v1/payment_intents') {
      sendJson(res, 200, { ...PAYMENT_INTENT, object: 'payment_intent', amount: Number(form['amount']), currency: form['currency'] });
    } else if (route === 'POST /v1/subscriptions') {
      sendJson(res, 200, subscription(form));
    } else if (route === 'GET /v1/invoices') {
      sendJson(res, 200, { object: 'list', url: '/v1/invoices', has_more: true, data: [INVOICE] });
    } else if (route === 'GET /v1/balance') {
      sendJson(res, 200, { object: 'balance', livemode: false, available: [{ amount: 0, currency: 'usd' }], pending: [] });
    } else {
      sendError(res, 404, { type: 'invalid_request_error', message: `Unrecognized request URL (${route}).` });
    }
  });

  return {
    url: server.url,
    requests,
    failNext: (status, error) => {
      nextFailure = { status, error };
    },
    close: () => server.close(),
  };
}

// Like the API, the invoice is only an id unless the request expands it; its confirmation secret
// only appears when expanded by name.
function subscription(form: Record<string, string>) {
  const expand = Object.entries(form)
    .filter(([key]) => key.startsWith('expand['))
    .map(([, value]) => value);
  const invoice = expand.includes('latest_invoice.confirmation_secret')
    ? { id: 'in_mock_2', object: 'invoice', confirmation_secret: { client_secret: SUBSCRIPTION_CLIENT_SECRET, type: 'payment_intent' } }
    : 'in_mock_2';
  return { id: 'sub_mock_1', object: 'subscription', status: 'incomplete', customer: form['customer'], latest_invoice: invoice };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': 'req_mock' });
  res.end(JSON.stringify(body));
}

// Stripe-Should-Retry: false stops the SDK's automatic retry, so a test sees one answer.
function sendError(res: ServerResponse, status: number, error: StripeApiError): void {
  res.setHeader('Stripe-Should-Retry', 'false');
  sendJson(res, status, { error });
}
