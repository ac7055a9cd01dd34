import * as z from 'zod';
import { databaseEnv } from '../../database/database.js';
import { maxRetriesSetting } from '../../env.js';

const SECRET_KEY_PREFIX = /^[rs]k_/;

/** The plugin's environment variables, with where the shared database keeps handled webhook events; the three keys are required. */
export const stripeEnv = databaseEnv.extend({
  STRIPE_SECRET_KEY: z
    .string()
    .min(1)
    .refine((key) => !key.startsWith('pk_'), 'is a publishable key (pk_...): use the secret key (sk_...)'),
  // The publishable key is sent to browsers: a secret key here would hand over the account.
  STRIPE_PUBLISHABLE_KEY: z
    .string()
    .min(1)
    .refine((key) => !SECRET_KEY_PREFIX.test(key), 'is a secret key: use the publishable key (pk_...), the one meant for browsers'),
  STRIPE_WEBHOOK_SECRET: z.string().min(1),
  // The SDK takes a host, port and protocol rather than a URL, so a path could not be honoured.
  STRIPE_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^/?#]+\/?$/, 'must be an origin without a path, such as https://api.stripe.com or http://localhost:12111')
    .optional(),
  STRIPE_MAX_RETRIES: maxRetriesSetting(2),
});

/** Validated settings of the Stripe plugin. */
export type StripeConfig = z.infer<typeof stripeEnv>;

const customerId = z.string().regex(/^cus_\w+$/, 'must be a Stripe customer id (cus_...)');

/** The `Idempotency-Key` header a client may send; Stripe accepts up to 255 characters. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(255, 'must be at most 255 characters').optional(),
});

/** Body of `POST /create-payment-intent`; `amount` is in the currency's smallest unit (cents for USD). */
export const paymentIntentBody = z.object({
  amount: z
    .number()
    .int('must be a whole number of the smallest currency unit, e.g. cents')
    .positive('must be greater than 0')
    .max(99_999_999, 'must be at most 99999999, the largest amount Stripe accepts'),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO currency code such as usd')
    .transform((code) => code.toLowerCase()),
  customerId: customerId.optional(),
  // Stripe's limits: 50 keys of up to 40 characters, values of up to 500.
  metadata: z
    .record(z.string().min(1).max(40, 'keys must be at most 40 characters'), z.string().max(500, 'values must be at most 500 characters'))
    .refine((metadata) => Object.keys(metadata).length <= 50, 'must have at most 50 keys')
    .optional(),
  receiptEmail: z.string().email('must be an email address').optional(),
});

export type PaymentIntentRequest = z.infer<typeof paymentIntentBody>;

/** Body of `POST /create-subscription`. */
export const subscriptionBody = z.object({
  customerId,
  priceId: z.string().regex(/^price_\w+$/, 'must be a Stripe price id (price_...)'),
});

export type SubscriptionRequest = z.infer<typeof subscriptionBody>;

/** Query of `GET /invoices`; `startingAfter` is the last invoice id of the previous page. */
export const invoicesQuery = z.object({
  customerId,
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(10),
  startingAfter: z
    .string()
    .regex(/^in_\w+$/, 'must be a Stripe invoice id (in_...)')
    .optional(),
});

export type InvoicesRequest = z.infer<typeof invoicesQuery>;

/** What the browser needs to confirm a payment with Stripe.js. */
export interface PaymentIntentResult {
  id: string;
  clientSecret: string | null;
  status: string;
  publishableKey: string;
}

/** A new subscription; `clientSecret` confirms its first payment and is absent when nothing is due. */
export interface SubscriptionResult {
  subscriptionId: string;
  status: string;
  clientSecret?: string;
}

/** One invoice, without the customer's personal details. */
export interface InvoiceSummary {
  id: string;
  number: string | null;
  status: string | null;
  currency: string;
  total: number;
  amountDue: number;
  amountPaid: number;
  /** ISO 8601. */
  created: string;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
}

/** A page of invoices, newest first. */
export interface InvoiceList {
  invoices: InvoiceSummary[];
  hasMore: boolean;
}
