import express, { Router } from 'express';
import { asyncHandler } from '../../lib/async-handler.js';
import { HttpError } from '../../lib/errors.js';
import { validate } from '../../lib/validate.js';
import { idempotencyHeaders, invoicesQuery, paymentIntentBody, subscriptionBody } from './stripe.schema.js';
import type { StripeService } from './stripe.service.js';
import type { StripeEventProcessor } from './stripe.webhooks.js';

/**
 * The plugin's HTTP API, mounted at /api/payments. JSON is parsed per route, not for the whole
 * router: the webhook signature is computed over the exact bytes Stripe sent.
 */
export function createStripeRouter(service: StripeService, processEvent: StripeEventProcessor): Router {
  const router = Router();
  const json = express.json({ limit: '1mb' });

  router.post(
    '/create-payment-intent',
    json,
    asyncHandler(async (req, res) => {
      const request = validate(paymentIntentBody, req.body);
      const { 'idempotency-key': idempotencyKey } = validate(idempotencyHeaders, req.headers);
      res.status(201).json(await service.createPaymentIntent(request, idempotencyKey));
    }),
  );

  router.post(
    '/create-subscription',
    json,
    asyncHandler(async (req, res) => {
      const request = validate(subscriptionBody, req.body);
      const { 'idempotency-key': idempotencyKey } = validate(idempotencyHeaders, req.headers);
      res.status(201).json(await service.createSubscription(request, idempotencyKey));
    }),
  );

  router.get(
    '/invoices',
    asyncHandler(async (req, res) => {
      res.json(await service.listInvoices(validate(invoicesQuery, req.query)));
    }),
  );

  // Whatever the Content-Type, the body stays raw bytes for the signature check.
  router.post(
    '/webhooks',
    express.raw({ type: () => true, limit: '1mb' }),
    asyncHandler(async (req, res) => {
      const signature = req.get('stripe-signature');
      if (!signature) throw new HttpError(400, 'Missing the Stripe-Signature header.');
      if (req.body === undefined || isEmptyObject(req.body)) throw new HttpError(400, 'The webhook request has no body.');
      if (!Buffer.isBuffer(req.body)) {
        throw new Error(
          'The Stripe webhook body was parsed before its signature could be checked: register express.json() after the payments router, not in front of it.',
        );
      }
      const event = service.verifyWebhook(req.body, signature);
      const firstDelivery = await processEvent(event);
      res.json(firstDelivery ? { received: true } : { received: true, duplicate: true });
    }),
  );

  return router;
}

// What Express 4's body parsers leave on a request without a body (Express 5's leave undefined).
function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && Object.keys(value).length === 0;
}
