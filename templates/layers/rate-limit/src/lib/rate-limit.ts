import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { SettingsError } from '../env.js';
import type { EnvSource } from '../env.js';
import { HttpError } from './errors.js';

const rateLimitEnv = z.object({
  RATE_LIMIT_PER_MINUTE: z.string().regex(/^[1-9]\d*$/, 'must be a whole number above 0').optional(),
});

/**
 * Limits each client IP to RATE_LIMIT_PER_MINUTE requests a minute (default 60) on the routes
 * it guards: AI, voice and email calls cost money per request. Each call makes its own counter.
 */
export function createRateLimit(env: EnvSource): RequestHandler {
  const parsed = rateLimitEnv.safeParse({ RATE_LIMIT_PER_MINUTE: env['RATE_LIMIT_PER_MINUTE'] || undefined });
  if (!parsed.success) {
    throw new SettingsError(`RATE_LIMIT_PER_MINUTE ${parsed.error.issues[0]?.message ?? 'is invalid'} (it is "${env['RATE_LIMIT_PER_MINUTE']}").`);
  }
  const limit = Number(parsed.data.RATE_LIMIT_PER_MINUTE ?? 60);
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, `Too many requests: the limit is ${limit} a minute per client. Retry later.`)),
  });
}
