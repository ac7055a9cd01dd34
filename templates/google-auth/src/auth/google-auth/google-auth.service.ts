import type { Request, RequestHandler, Response } from 'express';
import passport from 'passport';
import type { Profile } from 'passport-google-oauth20';
import { Strategy as GoogleStrategy } from 'passport-google-oauth20';
import { HttpError, providerError } from '../../lib/errors.js';
import type { GoogleAuthConfig, GoogleUser } from './google-auth.schema.js';

const PROVIDER = 'Google';
const SCOPES = ['profile', 'email'];
const GOOGLE_ENDPOINTS = {
  authorizationURL: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenURL: 'https://oauth2.googleapis.com/token',
  userProfileURL: 'https://openidconnect.googleapis.com/v1/userinfo',
};
const CLIENT_REJECTED = 'Google rejected the OAuth client. Check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.';

/** The OAuth 2.0 steps of Google sign-in; failures come out as `HttpError`s. */
export interface GoogleAuthService {
  /** Middleware that redirects the browser to Google's consent screen, carrying `state`. */
  redirectToGoogle(state: string): RequestHandler;
  /** On the callback request: exchanges Google's code for a token, then reads the user's profile. */
  finishSignIn(req: Request, res: Response): Promise<GoogleUser>;
  /** Proves the client id and secret work without a user (see probeGoogleAuth). */
  checkClient(signal: AbortSignal): Promise<void>;
}

/** Wraps passport-google-oauth20, without sessions: the caller checks `state` and issues the JWT. */
export function createGoogleAuthService(config: GoogleAuthConfig): GoogleAuthService {
  const endpoints = googleEndpoints(config.GOOGLE_AUTH_BASE_URL);
  const client = { clientID: config.GOOGLE_CLIENT_ID, clientSecret: config.GOOGLE_CLIENT_SECRET, callbackURL: config.GOOGLE_CALLBACK_URL };
  // An authenticator of its own: the default `passport` object is one per process, so two apps
  // in one process (the tests start several) would otherwise share one strategy and its settings.
  const authenticator = new passport.Passport();
  authenticator.use(
    new GoogleStrategy({ ...client, ...endpoints, scope: SCOPES }, (_accessToken, _refreshToken, profile, done) =>
      done(null, toGoogleUser(profile)),
    ),
  );

  return {
    redirectToGoogle: (state) => authenticator.authenticate('google', { session: false, state }),

    finishSignIn: (req, res) =>
      new Promise((resolve, reject) => {
        const finished = (error: unknown, user?: GoogleUser | false) => {
          if (error) reject(toHttpError(error));
          // Passport reports a refused consent (`error=access_denied`) as "no user".
          else if (!user) reject(new HttpError(401, 'Google sign-in was cancelled.'));
          else resolve(user);
        };
        authenticator.authenticate('google', { session: false }, finished)(req, res, reject);
      }),

    async checkClient(signal) {
      const response = await fetch(endpoints.tokenURL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: 'health-probe',
          redirect_uri: client.callbackURL,
          client_id: client.clientID,
          client_secret: client.clientSecret,
        }),
        signal,
      }).catch(() => {
        throw providerError(PROVIDER, undefined);
      });
      const code = oauthErrorCode(await response.json().catch(() => undefined));
      // Google checks the client before the code, so refusing only the made-up code means the client is fine.
      if (code === 'invalid_grant') return;
      if (code === 'invalid_client' || code === 'unauthorized_client') throw new HttpError(401, CLIENT_REJECTED);
      throw providerError(PROVIDER, response.status);
    },
  };
}

// GOOGLE_AUTH_BASE_URL (a mock or a proxy) replaces the scheme and host of every endpoint, keeping the paths.
function googleEndpoints(baseUrl: string | undefined): typeof GOOGLE_ENDPOINTS {
  if (!baseUrl) return GOOGLE_ENDPOINTS;
  const base = baseUrl.replace(/\/+$/, '');
  const moved = (url: string) => `${base}${new URL(url).pathname}`;
  return {
    authorizationURL: moved(GOOGLE_ENDPOINTS.authorizationURL),
    tokenURL: moved(GOOGLE_ENDPOINTS.tokenURL),
    userProfileURL: moved(GOOGLE_ENDPOINTS.userProfileURL),
  };
}

// passport-google-oauth20 copies userinfo's `email_verified` as it came; only a JSON true counts, so
// anything else Google might send (a string, nothing) leaves the address out.
function toGoogleUser(profile: Profile): GoogleUser {
  const email = profile.emails?.find((address) => address.verified === true)?.value;
  return { id: profile.id, email, name: profile.displayName || undefined, picture: profile.photos?.[0]?.value };
}

function oauthErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error } = body as { error?: unknown };
  return typeof error === 'string' ? error : undefined;
}

// passport-oauth2's errors, told apart by name (the package is not a direct dependency):
// TokenError (the token endpoint answered with an OAuth error code), AuthorizationError (Google
// sent the user back with an error), InternalOAuthError (an endpoint failed or could not be reached),
// UserInfoError / GooglePlusAPIError (the profile endpoint answered with an error).
function toHttpError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { code, oauthError } = error as { code?: unknown; oauthError?: unknown };
  switch (error.name) {
    case 'TokenError':
      if (code === 'invalid_grant')
        return new HttpError(401, 'Google did not accept the sign-in code: it has expired or was already used. Sign in again.');
      if (code === 'invalid_client' || code === 'unauthorized_client') return new HttpError(401, CLIENT_REJECTED);
      // The OAuth error code is all that is left of the answer: passport-oauth2 drops its HTTP status.
      if (code === 'server_error' || code === 'temporarily_unavailable')
        return new HttpError(502, `${PROVIDER} failed to answer. Try again later.`);
      return providerError(PROVIDER, 400, error.message);
    case 'AuthorizationError':
      return providerError(PROVIDER, 400, error.message);
    case 'InternalOAuthError':
      return providerError(PROVIDER, statusCodeOf(oauthError));
    case 'UserInfoError':
    case 'GooglePlusAPIError':
      return new HttpError(502, 'Google did not return the profile of the signed-in user. Try again later.');
    default:
      return error;
  }
}

function statusCodeOf(cause: unknown): number | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const { statusCode } = cause as { statusCode?: unknown };
  return typeof statusCode === 'number' ? statusCode : undefined;
}
