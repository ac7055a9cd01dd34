import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import * as z from 'zod';
import type { EnvSource } from '../env.js';
import { SettingsError } from '../env.js';
import { HttpError } from './errors.js';
import { rateLimitLogger, rateLimitStore } from './rate-limit-store.js';
import { sharedRedis } from './redis.js';

const rateLimitEnv = z.object({
  RATE_LIMIT_PER_MINUTE: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a whole number above 0')
    .optional(),
  RATE_LIMIT_FAIL_OPEN: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
});

/**
 * Limits each client IP to RATE_LIMIT_PER_MINUTE requests a minute (default 60) on the routes
 * it guards: AI, voice and email calls cost money per request. Each plugin's routes have their own
 * counter. With REDIS_URL the counters live in Redis, shared by every instance; while Redis is out
 * of reach these routes answer 503, unless RATE_LIMIT_FAIL_OPEN=true lets them through uncounted.
 */
export function createRateLimit(env: EnvSource): RequestHandler {
  const parsed = rateLimitEnv.safeParse({
    RATE_LIMIT_PER_MINUTE: env['RATE_LIMIT_PER_MINUTE'] || undefined,
    RATE_LIMIT_FAIL_OPEN: env['RATE_LIMIT_FAIL_OPEN'] || undefined,
  });
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const name = String(issue?.path[0] ?? 'RATE_LIMIT_PER_MINUTE');
    throw new SettingsError(`${name} ${issue?.message ?? 'is invalid'} (it is "${env[name]}").`);
  }
  const limit = Number(parsed.data.RATE_LIMIT_PER_MINUTE ?? 60);
  return rateLimit({
    windowMs: 60_000,
    limit,
    // The mount path keeps the plugins' counters apart when they share one store (Redis).
    keyGenerator: (req) => `${req.baseUrl}:${ipKeyGenerator(req.ip ?? '')}`,
    store: rateLimitStore(sharedRedis(env['REDIS_URL']), 'paid'),
    // Closed by default: a route that spends a provider account stays shut rather than unlimited.
    passOnStoreError: parsed.data.RATE_LIMIT_FAIL_OPEN === 'true',
    logger: rateLimitLogger,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, `Too many requests: the limit is ${limit} a minute per client. Retry later.`)),
  });
}
