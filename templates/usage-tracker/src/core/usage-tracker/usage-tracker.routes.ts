import { Router } from 'express';
import type { Caller } from '../../lib/access.js';
import { requireCaller } from '../../lib/access.js';
import { asyncHandler } from '../../lib/async-handler.js';
import { HttpError } from '../../lib/errors.js';
import { validate } from '../../lib/validate.js';
import type { UsageQuery, UsageRange } from './usage-tracker.schema.js';
import { usageQuery } from './usage-tracker.schema.js';
import type { UsageTracker } from './usage-tracker.service.js';

const DEFAULT_DAYS = 30;

/**
 * `GET /api/usage?from&to&provider&user`: totals by provider and by day, the last 30 days unless
 * asked otherwise. A user gets their own calls; an admin everyone's, or one user's with `user`.
 */
export function createUsageTrackerRouter(tracker: UsageTracker): Router {
  const router = Router();

  router.get(
    '/',
    asyncHandler(async (req, res) => {
      const query = validate(usageQuery, req.query);
      const user = whoseUsage(requireCaller(), query.user);
      const range: UsageRange = { ...resolveDays(query, new Date()), provider: query.provider, user };
      res.json({ ...range, ...(await tracker.summarize(range)) });
    }),
  );

  return router;
}

// Missing ends default to a 30-day window ending today (or ending at `to`).
function resolveDays(query: UsageQuery, now: Date): Pick<UsageRange, 'from' | 'to'> {
  const to = query.to ?? toDay(now);
  const from = query.from ?? toDay(new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000));
  if (from > to) throw new HttpError(400, 'Invalid request.', [{ path: 'from', message: `must not be after ${to}` }]);
  return { from, to };
}

// What a user spends is theirs to see; totals across users, and other users' calls, are an admin's.
function whoseUsage(caller: Caller, asked: string | undefined): string | null {
  if (caller.role === 'admin') return asked ?? null;
  if (asked !== undefined && asked !== caller.id) throw new HttpError(403, "Only an admin may see another user's usage.");
  return caller.id;
}

function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
