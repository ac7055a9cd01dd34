import { z } from 'zod';

/** A token lifetime: whole seconds, or minutes, hours or days with an m, h or d suffix. */
export const JWT_DURATION = /^([1-9]\d*)([smhd]?)$/;

/** Settings read from the environment; other plugins read them too, with `readPluginEnv(jwtServiceEnv, env)`. */
export const jwtServiceEnv = z.object({
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  // The 1h default lives in createJwtService: a zod .default() makes the schema's input type differ
  // from its output, which `ProviderPlugin.env` (z.ZodType<Config>) rejects under zod 3.
  JWT_EXPIRES_IN: z.string().regex(JWT_DURATION, 'must be a duration such as 15m, 1h, 7d or 3600 (seconds)').optional(),
});

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
