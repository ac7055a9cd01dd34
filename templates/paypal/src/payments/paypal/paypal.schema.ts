import * as z from 'zod';

/** The plugin's environment variables; the REST app's client id and secret are required. */
export const paypalEnv = z.object({
  PAYPAL_CLIENT_ID: z.string().min(1),
  PAYPAL_CLIENT_SECRET: z.string().min(1),
  PAYPAL_MODE: z.enum(['sandbox', 'live'], { message: 'must be sandbox or live' }).default('sandbox'),
  PAYPAL_BASE_URL: z.string().url('must be a URL such as https://api-m.sandbox.paypal.com').optional(),
});

/** Validated settings of the PayPal plugin. */
export type PayPalConfig = z.infer<typeof paypalEnv>;

/** The `Idempotency-Key` header a client may send; PayPal takes up to 108 characters as PayPal-Request-Id. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(108, 'must be at most 108 characters').optional(),
});

/** Body of `POST /create-order`; `amount` is a decimal string, as PayPal wants it: "10.00". */
export const createOrderBody = z.object({
  amount: z
    .string()
    .regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be a decimal amount such as "10.00"')
    .refine((amount) => Number(amount) > 0, 'must be greater than 0'),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO currency code such as USD')
    .transform((code) => code.toUpperCase())
    .default('USD'),
  description: z.string().min(1).max(127, 'must be at most 127 characters').optional(),
  returnUrl: z.string().url('must be a URL').optional(),
  cancelUrl: z.string().url('must be a URL').optional(),
});

export type CreateOrderRequest = z.infer<typeof createOrderBody>;

/** Body of `POST /capture-order`. */
export const captureOrderBody = z.object({
  orderId: z.string().regex(/^[A-Za-z0-9-]{1,36}$/, 'must be a PayPal order id such as 5O190127TN364715T'),
});

/** A new order; send the buyer to `approveUrl`, then capture it once they are back. */
export interface CreatedOrder {
  id: string;
  status: string;
  approveUrl: string;
}

/** A captured order. `captureStatus` is PENDING while PayPal holds the money (e.g. an eCheck), DECLINED when refused. */
export interface CapturedOrder {
  id: string;
  status: string;
  captureId: string;
  captureStatus: string;
  amount: { value: string; currency: string };
}
