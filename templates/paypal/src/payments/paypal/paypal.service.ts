import * as z from 'zod';
import { timeoutSignal } from '../../lib/abort-signals.js';
import { HttpError, providerError } from '../../lib/errors.js';
import type { Schema } from '../../lib/validate.js';
import type { CapturedOrder, CreatedOrder, CreateOrderRequest, PayPalConfig } from './paypal.schema.js';

const PROVIDER = 'PayPal';
const BASE_URLS = { sandbox: 'https://api-m.sandbox.paypal.com', live: 'https://api-m.paypal.com' };
const REQUEST_TIMEOUT_MS = 15_000;
// Renewed this long before PayPal says it expires, so a token never lapses on its way to PayPal.
const TOKEN_RENEWAL_MARGIN_MS = 60_000;
// Issues with the order's state rather than with the request: resending the same request cannot fix them (409).
const ORDER_STATE_ISSUES = new Set([
  'ORDER_NOT_APPROVED',
  'ORDER_ALREADY_CAPTURED',
  'ORDER_ALREADY_AUTHORIZED',
  'ORDER_COMPLETED_OR_VOIDED',
  'ORDER_EXPIRED',
]);

/** The PayPal calls the routes make; API and connection errors come out as `HttpError`s. */
export interface PayPalService {
  /** `requestId` becomes PayPal-Request-Id: PayPal answers a repeat with the first result instead of acting twice. */
  createOrder(request: CreateOrderRequest, requestId: string): Promise<CreatedOrder>;
  captureOrder(orderId: string, requestId: string): Promise<CapturedOrder>;
  /** Asks for a new access token: proves the client id and secret work. */
  checkCredentials(signal: AbortSignal): Promise<void>;
}

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number() });

const orderResponse = z.object({
  id: z.string(),
  status: z.string(),
  links: z.array(z.object({ href: z.string(), rel: z.string() })).optional(),
});

const captureResponse = z.object({
  id: z.string(),
  status: z.string(),
  purchase_units: z
    .array(
      z.object({
        payments: z.object({
          captures: z
            .array(z.object({ id: z.string(), status: z.string(), amount: z.object({ currency_code: z.string(), value: z.string() }) }))
            .min(1),
        }),
      }),
    )
    .min(1),
});

const errorResponse = z.object({
  message: z.string().optional(),
  details: z.array(z.object({ issue: z.string(), description: z.string().optional() })).optional(),
});

/**
 * The three REST calls of PayPal Checkout, made with fetch: the official SDK cannot be pointed at
 * another host (a proxy, or the mock the tests use). PAYPAL_BASE_URL wins over PAYPAL_MODE.
 */
export function createPayPalService(config: PayPalConfig): PayPalService {
  const baseUrl = (config.PAYPAL_BASE_URL ?? BASE_URLS[config.PAYPAL_MODE]).replace(/\/+$/, '');
  const credentials = Buffer.from(`${config.PAYPAL_CLIENT_ID}:${config.PAYPAL_CLIENT_SECRET}`).toString('base64');
  let token: { value: string; renewAt: number } | undefined;
  let tokenRequest: Promise<string> | undefined;

  async function requestToken(signal?: AbortSignal): Promise<string> {
    const { access_token, expires_in } = await send(
      '/v1/oauth2/token',
      {
        headers: { Authorization: `Basic ${credentials}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
        signal,
      },
      tokenResponse,
    );
    token = { value: access_token, renewAt: Date.now() + expires_in * 1000 - TOKEN_RENEWAL_MARGIN_MS };
    return access_token;
  }

  function accessToken(): Promise<string> {
    if (token && Date.now() < token.renewAt) return Promise.resolve(token.value);
    // Requests arriving while a token is on its way wait for that one rather than asking for more.
    tokenRequest ??= requestToken().finally(() => {
      tokenRequest = undefined;
    });
    return tokenRequest;
  }

  async function sendAuthorized<T>(path: string, headers: Record<string, string>, body: unknown, schema: Schema<T>): Promise<T> {
    const postWith = async (bearer: string) =>
      post(path, {
        headers: { ...headers, Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    let response = await postWith(await accessToken());
    if (response.status === 401) {
      // PayPal dropped the token before it expired: one retry with a new token. The retry carries
      // the same PayPal-Request-Id, so PayPal cannot act twice.
      await response.body?.cancel();
      token = undefined;
      response = await postWith(await accessToken());
    }
    return read(response, schema);
  }

  async function send<T>(
    path: string,
    init: { headers: Record<string, string>; body: string; signal?: AbortSignal },
    schema: Schema<T>,
  ): Promise<T> {
    return read(await post(path, init), schema);
  }

  async function post(path: string, init: { headers: Record<string, string>; body: string; signal?: AbortSignal }): Promise<Response> {
    try {
      return await fetch(`${baseUrl}${path}`, { method: 'POST', ...init, signal: init.signal ?? timeoutSignal(REQUEST_TIMEOUT_MS) });
    } catch {
      // Refused connection, DNS failure or timeout: no answer from PayPal at all.
      throw providerError(PROVIDER, undefined);
    }
  }

  async function read<T>(response: Response, schema: Schema<T>): Promise<T> {
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw toHttpError(response.status, body);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new HttpError(502, `${PROVIDER} sent an answer this app does not understand.`);
    return parsed.data;
  }

  return {
    async createOrder(request, requestId) {
      const order = await sendAuthorized(
        '/v2/checkout/orders',
        { 'PayPal-Request-Id': requestId },
        {
          intent: 'CAPTURE',
          purchase_units: [{ amount: { currency_code: request.currency, value: request.amount }, description: request.description }],
          // Only needed for a redirect: the JS SDK's buttons open PayPal in a pop-up and need no return URL.
          ...(request.returnUrl || request.cancelUrl
            ? { payment_source: { paypal: { experience_context: { return_url: request.returnUrl, cancel_url: request.cancelUrl } } } }
            : {}),
        },
        orderResponse,
      );
      // `approve` for a plain order, `payer-action` when the request named a payment source.
      const approveUrl = order.links?.find((link) => link.rel === 'approve' || link.rel === 'payer-action')?.href;
      if (!approveUrl) throw new HttpError(502, `${PROVIDER} returned no approval link for order ${order.id}.`);
      return { id: order.id, status: order.status, approveUrl };
    },

    async captureOrder(orderId, requestId) {
      const order = await sendAuthorized(
        `/v2/checkout/orders/${encodeURIComponent(orderId)}/capture`,
        // The default, minimal answer may leave out the capture.
        { 'PayPal-Request-Id': requestId, Prefer: 'return=representation' },
        {},
        captureResponse,
      );
      const [capture] = order.purchase_units.flatMap((unit) => unit.payments.captures);
      if (!capture) throw new HttpError(502, `${PROVIDER} returned no capture for order ${order.id}.`);
      return {
        id: order.id,
        status: order.status,
        captureId: capture.id,
        captureStatus: capture.status,
        amount: { value: capture.amount.value, currency: capture.amount.currency_code },
      };
    },

    async checkCredentials(signal) {
      await requestToken(signal);
    },
  };
}

// PayPal names the problem in details[0].issue (e.g. ORDER_NOT_APPROVED); that code is what a client can act on.
function toHttpError(status: number, body: unknown): HttpError {
  const parsed = errorResponse.safeParse(body);
  const error = parsed.success ? parsed.data : undefined;
  const issue = error?.details?.[0];
  const detail = issue ? [issue.issue, issue.description].filter(Boolean).join(': ') : error?.message;
  if (status === 422 && issue && ORDER_STATE_ISSUES.has(issue.issue)) {
    return new HttpError(409, `${PROVIDER} cannot do this in the order's current state. ${detail}`, { issue: issue.issue });
  }
  if (status === 422 && issue?.issue === 'INSTRUMENT_DECLINED') {
    return new HttpError(402, `${PROVIDER} declined the buyer's payment method. ${detail}`, { issue: issue.issue });
  }
  return providerError(PROVIDER, status, detail);
}
