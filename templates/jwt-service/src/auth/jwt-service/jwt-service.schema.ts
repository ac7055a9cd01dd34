import * as z from 'zod';

/** A token lifetime: whole seconds, or minutes, hours or days with an m, h or d suffix. */
export const JWT_DURATION = /^([1-9]\d*)([smhd]?)$/;

const duration = z.string().regex(JWT_DURATION, 'must be a duration such as 15m, 1h, 7d or 3600 (seconds)');

/** The defaults of JWT_EXPIRES_IN and JWT_MAX_AGE. */
export const DEFAULT_LIFETIME = '1h';
export const DEFAULT_MAX_AGE = '1d';

/** Settings read from the environment; other plugins read them too, with `readPluginEnv(jwtServiceEnv, env)`. */
export const jwtServiceEnv = z
  .object({
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
    // The defaults live in createJwtService: a zod .default() makes the schema's input type differ
    // from its output, which `ProviderPlugin.env` (z.ZodType<Config>) rejects under zod 3.
    JWT_EXPIRES_IN: duration.optional(),
    JWT_MAX_AGE: duration.optional(),
  })
  // Verification refuses tokens that live longer than JWT_MAX_AGE, so the app must not issue any.
  // Written as `!(a > b)`: a duration that is not one (NaN) is already reported by its own field.
  .refine(
    (config) => !(durationInSeconds(config.JWT_EXPIRES_IN ?? DEFAULT_LIFETIME) > durationInSeconds(config.JWT_MAX_AGE ?? DEFAULT_MAX_AGE)),
    { path: ['JWT_EXPIRES_IN'], message: `must not be longer than JWT_MAX_AGE (default ${DEFAULT_MAX_AGE})` },
  );

const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/**
 * A duration such as 15m, 1h, 7d in seconds; bare digits are seconds. jsonwebtoken would read a
 * digit-only string as milliseconds, hence seconds as a number. NaN when it is not a duration.
 */
export function durationInSeconds(value: string): number {
  const [, amount, unit] = JWT_DURATION.exec(value) ?? [];
  return Number(amount) * (SECONDS_PER_UNIT[unit || 's'] ?? Number.NaN);
}

export type JwtServiceConfig = z.infer<typeof jwtServiceEnv>;

/** What this app's tokens say about the user; `sub` is the user's id. Kept small: every request carries it. */
export const tokenClaimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  name: z.string().optional(),
  roles: z.array(z.string()).optional(),
});

export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

// `requireAuth` puts the verified claims in `res.locals.auth`. Declaring the property here types it
// for every handler and view without a cast or `any`; it stays optional because routes that skip
// `requireAuth` have no claims. Handlers behind `requireAuth` read them with `getAuth(res)`.
declare global {
  namespace Express {
    interface Locals {
      auth?: TokenClaims;
    }
  }
}
