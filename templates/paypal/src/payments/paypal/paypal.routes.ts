import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import express, { Router } from 'express';
import { asyncHandler } from '../../lib/async-handler.js';
import { validate } from '../../lib/validate.js';
import { captureOrderBody, createOrderBody, idempotencyHeaders } from './paypal.schema.js';
import type { PayPalService } from './paypal.service.js';

/** The plugin's HTTP API, mounted at /api/payments/paypal. */
export function createPayPalRouter(service: PayPalService): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.post(
    '/create-order',
    asyncHandler(async (req, res) => {
      const request = validate(createOrderBody, req.body);
      res.status(201).json(await service.createOrder(request, requestIdOf(req)));
    }),
  );

  router.post(
    '/capture-order',
    asyncHandler(async (req, res) => {
      const { orderId } = validate(captureOrderBody, req.body);
      res.json(await service.captureOrder(orderId, requestIdOf(req)));
    }),
  );

  return router;
}

// A client that retries with the same Idempotency-Key gets the first order or capture back, not a
// second one. Without the header each call is new.
function requestIdOf(req: Request): string {
  return validate(idempotencyHeaders, req.headers)['idempotency-key'] ?? randomUUID();
}
