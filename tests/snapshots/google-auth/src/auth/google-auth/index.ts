import type { EnvSource } from '../../env.js';
import { readPluginEnv } from '../../env.js';
import { HttpError, setInEnvFile } from '../../lib/errors.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { loadOnce } from '../../lib/load-once.js';
import { definePlugin } from '../../lib/plugin.js';
import { sharedRedis } from '../../lib/redis.js';
import { jwtServiceEnv } from '../jwt-service/jwt-service.schema.js';
import { createAccountPolicy } from './google-auth.accounts.js';
import type { TokenIssuer } from './google-auth.schema.js';
import { googleAuthEnv } from './google-auth.schema.js';
import { createOAuthState } from './google-auth.state.js';

/**
 * Google sign-in under /auth: redirects to Google, and answers the callback with a JWT from
 * jwt-service, whose `roles` include `admin` for ADMIN_EMAILS. GOOGLE_ALLOWED_DOMAINS and
 * GOOGLE_ALLOWED_EMAILS limit who may sign in.
 */
export const googleAuthPlugin = definePlugin({
  id: 'google-auth',
  name: 'Google sign-in',
  mountPath: '/auth',
  routes: [
    {
      method: 'GET',
      path: '/auth/google',
      access: 'public',
      summary: 'Redirect to Google sign-in (with a state nonce, kept in a short-lived signed cookie)',
    },
    {
      method: 'GET',
      path: '/auth/google/callback',
      access: 'public',
      summary:
        'Google redirects here; answers `{ token, user }` with a JWT from jwt-service (admin for ADMIN_EMAILS), or redirects to GOOGLE_SUCCESS_REDIRECT; 403 for an account the allow-lists leave out',
      input: { query: 'callbackQuery' },
    },
    { method: 'POST', path: '/auth/logout', access: 'public', summary: 'Sign out: 204 (JWTs are stateless; the client drops its token)' },
  ],
  demo: { widget: 'sign-in', endpoint: '/google' },
  env: googleAuthEnv,
  schemas: () => import('./google-auth.schema.js'),
  setup(config, { env }) {
    // The service brings passport: both load on the first request or probe, not at start-up.
    const service = loadOnce(async () => (await import('./google-auth.service.js')).createGoogleAuthService(config));
    const router = routerOnFirstUse(async () => {
      const { createGoogleAuthRouter } = await import('./google-auth.routes.js');
      return createGoogleAuthRouter(
        await service(),
        createOAuthState(config, sharedRedis(env['REDIS_URL'])),
        await tokenIssuer(env),
        createAccountPolicy(config),
        config,
      );
    });
    // Sign-in needs a user, so the probe sends a made-up code to Google's token endpoint instead.
    // Google checks the client first: `invalid_grant` means the client id and secret are right (only
    // the code is not), `invalid_client` means they are wrong.
    return { router, probe: async (signal) => (await service()).checkClient(signal) };
  },
});

// The tokens are jwt-service's: same settings, so its requireAuth accepts them. Its service is
// loaded here, with the routes, so that jsonwebtoken is not loaded at start-up.
async function tokenIssuer(env: EnvSource): Promise<TokenIssuer> {
  const settings = readPluginEnv(jwtServiceEnv, env);
  // `=== true`, not a truthiness test: without strictNullChecks TypeScript would not narrow the failure below.
  if (settings.ok === true) {
    const { createJwtService } = await import('../jwt-service/jwt-service.service.js');
    return { ok: true, jwt: createJwtService(settings.config) };
  }
  const problems = [
    ...(settings.missing.length > 0 ? [`missing ${settings.missing.join(', ')}`] : []),
    ...settings.invalid.map((problem) => `${problem.name} ${problem.message}`),
  ];
  const message = `Google sign-in issues its tokens through jwt-service, which is not configured: ${problems.join('; ')}. ${setInEnvFile()}`;
  return { ok: false, error: new HttpError(503, message, { missing: settings.missing, invalid: settings.invalid }) };
}
