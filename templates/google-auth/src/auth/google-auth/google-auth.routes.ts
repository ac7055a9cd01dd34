import { Router } from 'express';
import { asyncHandler } from '../../lib/async-handler.js';
import { validate } from '../../lib/validate.js';
import type { JwtService } from '../jwt-service/jwt-service.service.js';
import type { AccountPolicy } from './google-auth.accounts.js';
import type { GoogleAuthConfig, SignInResult, TokenIssuer } from './google-auth.schema.js';
import { callbackQuery } from './google-auth.schema.js';
import type { GoogleAuthService } from './google-auth.service.js';
import type { OAuthState } from './google-auth.state.js';

/**
 * Stateless Google sign-in, mounted at /auth. The callback answers `{ token, user }` as JSON, or,
 * when GOOGLE_SUCCESS_REDIRECT is set, redirects there with the token in the URL fragment
 * (`#token=...`), which browsers never send to servers or put in Referer headers. `accounts`
 * decides who may sign in and whose token says admin.
 */
export function createGoogleAuthRouter(
  service: GoogleAuthService,
  oauthState: OAuthState,
  issuer: TokenIssuer,
  accounts: AccountPolicy,
  config: GoogleAuthConfig,
): Router {
  const router = Router();

  function tokens(): JwtService {
    // `=== false`, not `!issuer.ok`: without strictNullChecks TypeScript only narrows a union on a comparison.
    if (issuer.ok === false) throw issuer.error;
    return issuer.jwt;
  }

  router.get('/google', (req, res, next) => {
    // Refused before the user goes to Google, rather than after they have signed in for nothing.
    tokens();
    service.redirectToGoogle(oauthState.issue(res))(req, res, next);
  });

  router.get(
    '/google/callback',
    asyncHandler(async (req, res) => {
      const jwt = tokens();
      const { state } = validate(callbackQuery, req.query);
      await oauthState.verify(req, res, state);
      const user = await service.finishSignIn(req, res);
      const token = jwt.signToken({ sub: user.id, email: user.email, name: user.name, roles: accounts.rolesOf(user) });
      // A response carrying a token must not be kept by the browser or a proxy.
      res.set('Cache-Control', 'no-store');
      if (config.GOOGLE_SUCCESS_REDIRECT) {
        const target = new URL(config.GOOGLE_SUCCESS_REDIRECT);
        target.hash = new URLSearchParams({ token }).toString();
        res.redirect(target.href);
        return;
      }
      const result: SignInResult = { token, user };
      res.json(result);
    }),
  );

  // JWTs are stateless: the server keeps no session to end. Signing out is the client dropping its
  // token, which stays valid until it expires (JWT_EXPIRES_IN); keep that short, or add a denylist
  // where tokens are checked, if they must stop working at once. This clears what the server did
  // set: the state cookie of a sign-in that was started and never finished.
  router.post('/logout', (_req, res) => {
    oauthState.clear(res);
    res.status(204).end();
  });

  return router;
}
