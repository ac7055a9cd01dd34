import { Router } from 'express';
import { asyncHandler } from '../../lib/async-handler.js';
import { HttpError } from '../../lib/errors.js';
import { validate } from '../../lib/validate.js';
import type { UsageTracker } from './usage-tracker.service.js';
import { usageQuery } from './usage-tracker.types.js';
import type { UsageQuery, UsageRange } from './usage-tracker.types.js';

const DEFAULT_DAYS = 30;

/** `GET /api/usage?from&to&provider`: totals by provider and by day, the last 30 days unless asked otherwise. */
export function createUsageTrackerRouter(tracker: UsageTracker): Router {
  const router = Router();

  router.get('/', asyncHandler(async (req, res) => {
    const range = resolveRange(validate(usageQuery, req.query), new Date());
    res.json({ ...range, ...(await tracker.summarize(range)) });
  }));

  return router;
}

// Missing ends default to a 30-day window ending today (or ending at `to`).
function resolveRange(query: UsageQuery, now: Date): UsageRange {
  const to = query.to ?? toDay(now);
  const from = query.from ?? toDay(new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000));
  if (from > to) throw new HttpError(400, 'Invalid request.', [{ path: 'from', message: `must not be after ${to}` }]);
  return { from, to, provider: query.provider };
}

function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
