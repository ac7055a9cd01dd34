import type { RequestHandler } from 'express';
import express, { Router } from 'express';
import { asyncHandler } from '../lib/async-handler.js';
import { validate } from '../lib/validate.js';
import { type SendBody, sendBody } from './email-schemas.js';

/** What every email service does: send one message, answering with what the provider said. */
export interface EmailSender {
  send(body: SendBody): Promise<unknown>;
}

/**
 * An email plugin's router with what every one of them has: the rate limit, JSON bodies of up to
 * 1 MB, and `POST /send`, answered 202 because the provider queues the message. The plugin adds
 * its own routes to it.
 */
export function createEmailRouter(service: EmailSender, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));

  router.post(
    '/send',
    asyncHandler(async (req, res) => {
      res.status(202).json(await service.send(validate(sendBody, req.body)));
    }),
  );

  return router;
}
