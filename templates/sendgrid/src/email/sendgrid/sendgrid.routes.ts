import type { RequestHandler, Router } from 'express';
import { asyncHandler } from '../../lib/async-handler.js';
import { validate } from '../../lib/validate.js';
import { createEmailRouter } from '../email-router.js';
import { sendTemplateBody, statsQuery } from './sendgrid.schema.js';
import type { SendGridService } from './sendgrid.service.js';

const DEFAULT_RANGE_DAYS = 7;
const DAY_MS = 86_400_000;

/** The plugin's HTTP API, mounted at /api/email; every route is rate limited. */
export function createSendGridRouter(service: SendGridService, rateLimit: RequestHandler): Router {
  const router = createEmailRouter(service, rateLimit);

  router.post(
    '/send-template',
    asyncHandler(async (req, res) => {
      res.status(202).json(await service.sendTemplate(validate(sendTemplateBody, req.body)));
    }),
  );

  router.get(
    '/stats',
    asyncHandler(async (req, res) => {
      const query = validate(statsQuery, req.query);
      const endDate = query.endDate ?? isoDate(Date.now());
      const startDate = query.startDate ?? isoDate(Date.parse(endDate) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS);
      res.json(await service.stats(startDate, endDate));
    }),
  );

  return router;
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
