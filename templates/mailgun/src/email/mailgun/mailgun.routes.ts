import type { RequestHandler } from 'express';
import express, { Router } from 'express';
import { asyncHandler } from '../../lib/async-handler.js';
import { validate } from '../../lib/validate.js';
import { sendBody, validateBody } from './mailgun.schema.js';
import type { MailgunService } from './mailgun.service.js';

/** The plugin's HTTP API, mounted at /api/email/mailgun; every route is rate limited. */
export function createMailgunRouter(service: MailgunService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));

  router.post(
    '/send',
    asyncHandler(async (req, res) => {
      res.status(202).json(await service.send(validate(sendBody, req.body)));
    }),
  );

  router.post(
    '/validate',
    asyncHandler(async (req, res) => {
      const { address } = validate(validateBody, req.body);
      res.json(await service.validate(address));
    }),
  );

  return router;
}
