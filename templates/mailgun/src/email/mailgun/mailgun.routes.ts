import type { RequestHandler, Router } from 'express';
import { asyncHandler } from '../../lib/async-handler.js';
import { validate } from '../../lib/validate.js';
import { createEmailRouter } from '../email-router.js';
import { validateBody } from './mailgun.schema.js';
import type { MailgunService } from './mailgun.service.js';

/** The plugin's HTTP API, mounted at /api/email/mailgun; every route is rate limited. */
export function createMailgunRouter(service: MailgunService, rateLimit: RequestHandler): Router {
  const router = createEmailRouter(service, rateLimit);

  router.post(
    '/validate',
    asyncHandler(async (req, res) => {
      const { address } = validate(validateBody, req.body);
      res.json(await service.validate(address));
    }),
  );

  return router;
}
