import Stripe from 'stripe';
import { HttpError, providerError } from '../../lib/errors.js';
import type {
  InvoiceList,
  InvoicesRequest,
  PaymentIntentRequest,
  PaymentIntentResult,
  StripeConfig,
  SubscriptionRequest,
  SubscriptionResult,
} from './stripe.schema.js';

const PROVIDER = 'Stripe';
// The SDK takes no AbortSignal, so the probe bounds itself, inside the 5 s that /health gives it.
const PROBE_TIMEOUT_MS = 4_000;

/** The Stripe calls the routes make; API and connection errors come out as `HttpError`s. */
export interface StripeService {
  createPaymentIntent(request: PaymentIntentRequest, idempotencyKey?: string): Promise<PaymentIntentResult>;
  createSubscription(request: SubscriptionRequest, idempotencyKey?: string): Promise<SubscriptionResult>;
  listInvoices(request: InvoicesRequest): Promise<InvoiceList>;
  /** The event a webhook delivery carries, once its `Stripe-Signature` header is verified; 400 when it is not. */
  verifyWebhook(payload: Buffer, signature: string): Stripe.Event;
  /** Retrieves the balance: cheap, and proves the key works. */
  checkAccount(): Promise<void>;
}

/** Wraps the official SDK; STRIPE_API_BASE points it at stripe-mock or a proxy instead of api.stripe.com. */
export function createStripeService(config: StripeConfig): StripeService {
  // No apiVersion: the SDK sends the version its types describe.
  const stripe = new Stripe(config.STRIPE_SECRET_KEY, {
    ...apiLocation(config.STRIPE_API_BASE),
    maxNetworkRetries: config.STRIPE_MAX_RETRIES,
  });

  return {
    createPaymentIntent: (request, idempotencyKey) =>
      call(async () => {
        const intent = await stripe.paymentIntents.create(
          {
            amount: request.amount,
            currency: request.currency,
            // Stripe offers the payment methods enabled in the Dashboard that suit the amount and currency.
            automatic_payment_methods: { enabled: true },
            customer: request.customerId,
            metadata: request.metadata,
            receipt_email: request.receiptEmail,
          },
          { idempotencyKey },
        );
        return { id: intent.id, clientSecret: intent.client_secret, status: intent.status, publishableKey: config.STRIPE_PUBLISHABLE_KEY };
      }),

    createSubscription: (request, idempotencyKey) =>
      call(async () => {
        // default_incomplete: the subscription waits for the first payment, which the browser confirms
        // with the client secret of the first invoice.
        const subscription = await stripe.subscriptions.create(
          {
            customer: request.customerId,
            items: [{ price: request.priceId }],
            payment_behavior: 'default_incomplete',
            payment_settings: { save_default_payment_method: 'on_subscription' },
            expand: ['latest_invoice.confirmation_secret'],
          },
          { idempotencyKey },
        );
        const invoice = subscription.latest_invoice;
        const clientSecret = typeof invoice === 'object' ? invoice?.confirmation_secret?.client_secret : undefined;
        return { subscriptionId: subscription.id, status: subscription.status, ...(clientSecret ? { clientSecret } : {}) };
      }),

    listInvoices: (request) =>
      call(async () => {
        const page = await stripe.invoices.list({
          customer: request.customerId,
          limit: request.limit,
          starting_after: request.startingAfter,
        });
        return {
          invoices: page.data.map((invoice) => ({
            id: invoice.id,
            number: invoice.number,
            status: invoice.status,
            currency: invoice.currency,
            total: invoice.total,
            amountDue: invoice.amount_due,
            amountPaid: invoice.amount_paid,
            created: new Date(invoice.created * 1000).toISOString(),
            hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
            invoicePdf: invoice.invoice_pdf ?? null,
          })),
          hasMore: page.has_more,
        };
      }),

    verifyWebhook(payload, signature) {
      const secret = config.STRIPE_WEBHOOK_SECRET;
      let event: Stripe.Event | null;
      try {
        event = stripe.webhooks.constructEvent(payload, signature, secret);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
          // A signature that matches once its age is ignored (tolerance 0) is genuine but old: a replay or a skewed clock.
          if (signatureMatches(payload, signature, secret)) {
            throw new HttpError(
              400,
              'The event is too old (check the clock / replay): its Stripe-Signature timestamp is outside the tolerance.',
            );
          }
          throw new HttpError(400, 'The Stripe-Signature header does not match the payload: check STRIPE_WEBHOOK_SECRET.');
        }
        // The signature is checked before the body is parsed, so these bytes are signed but are not JSON.
        if (error instanceof SyntaxError) throw notAnEvent();
        throw error;
      }
      if (typeof event?.id !== 'string' || typeof event.type !== 'string') throw notAnEvent();
      return event;
    },

    checkAccount: () =>
      call(async () => {
        await stripe.balance.retrieve({}, { timeout: PROBE_TIMEOUT_MS, maxNetworkRetries: 0 });
      }),
  };
}

function signatureMatches(payload: Buffer, signature: string, secret: string): boolean {
  try {
    return Stripe.webhooks.signature?.verifyHeader(payload, signature, secret, 0) === true;
  } catch {
    return false;
  }
}

function notAnEvent(): HttpError {
  return new HttpError(400, 'The webhook payload is not a valid Stripe event: it is empty or not an event in JSON.');
}

// The SDK wants the parts of the URL separately.
function apiLocation(base: string | undefined): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (base === undefined) return {};
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
}

async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toHttpError(error);
  }
}

function toHttpError(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  // A declined card is the customer's problem, not the account's: Stripe writes these messages to be shown to them.
  if (error instanceof Stripe.errors.StripeCardError) {
    return new HttpError(402, `The card was declined: ${error.message}`, { code: error.code, declineCode: error.decline_code });
  }
  // statusCode is undefined when Stripe could not be reached. providerError passes the message on only for
  // request mistakes (400, 404): an authentication error quotes part of the key.
  return providerError(PROVIDER, error.statusCode, error.message);
}
