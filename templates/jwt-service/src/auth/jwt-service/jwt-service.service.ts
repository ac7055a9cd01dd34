import type { RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import type { Authenticate, Caller } from '../../lib/access.js';
import { readBearerToken, unauthorized } from '../../lib/access.js';
import { HttpError } from '../../lib/errors.js';
import type { JwtServiceConfig, TokenClaims } from './jwt-service.schema.js';
import { DEFAULT_LIFETIME, DEFAULT_MAX_AGE, durationInSeconds, tokenClaimsSchema } from './jwt-service.schema.js';

// Pinned when signing and when verifying, so a token cannot choose its own algorithm (`none`, or another HMAC).
const ALGORITHM = 'HS256';

/** Signs and verifies this app's tokens. */
export interface JwtService {
  /** A token carrying `claims`, valid for JWT_EXPIRES_IN (default 1h). */
  signToken(claims: TokenClaims): string;
  /** The claims of a token this app signed; throws a 401 HttpError when it is expired, invalid or outlives JWT_MAX_AGE. */
  verifyToken(token: string): TokenClaims;
  /** The caller of a request with `Authorization: Bearer <valid token>`: admin when the token's `roles` include `admin`. */
  authenticate: Authenticate;
  /** For routes of your own: answers 401 unless the request carries a valid token; read the claims with `getAuth(res)`. */
  requireAuth: RequestHandler;
}

/** Builds the JWT service; other plugins call it with the settings they read from `jwtServiceEnv`. */
export function createJwtService(config: JwtServiceConfig): JwtService {
  const secret = config.JWT_SECRET;
  const expiresIn = toSeconds('JWT_EXPIRES_IN', config.JWT_EXPIRES_IN ?? DEFAULT_LIFETIME);
  const maxAge = toSeconds('JWT_MAX_AGE', config.JWT_MAX_AGE ?? DEFAULT_MAX_AGE);

  function signToken(claims: TokenClaims): string {
    // Parsing drops any extra property of the object passed in, so nothing but the claims ends up in the token.
    return jwt.sign(tokenClaimsSchema.parse(claims), secret, { algorithm: ALGORITHM, expiresIn });
  }

  function verifyToken(token: string): TokenClaims {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, secret, { algorithms: [ALGORITHM] });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new HttpError(401, 'The token has expired. Sign in again.');
      if (error instanceof jwt.JsonWebTokenError) throw new HttpError(401, 'The token is invalid.');
      throw error;
    }
    // A token that never expires, or far in the future, stays usable long after it leaks.
    if (typeof payload === 'string' || payload.exp === undefined) throw new HttpError(401, 'The token has no expiry (exp). Sign in again.');
    const now = Math.floor(Date.now() / 1000);
    if (payload.exp - Math.min(payload.iat ?? now, now) > maxAge) {
      throw new HttpError(401, 'The token lives longer than this app allows (JWT_MAX_AGE). Sign in again.');
    }
    const claims = tokenClaimsSchema.safeParse(payload);
    if (claims.success) return claims.data;
    throw new HttpError(401, 'The token is invalid.');
  }

  function claimsOf(token: string | undefined): TokenClaims {
    if (token === undefined) throw unauthorized('Authentication required: send an Authorization: Bearer <token> header.', false);
    try {
      return verifyToken(token);
    } catch (error) {
      throw error instanceof HttpError && error.status === 401 ? unauthorized(error.message, true) : error;
    }
  }

  const authenticate: Authenticate = (req) => callerOf(claimsOf(readBearerToken(req)));

  const requireAuth: RequestHandler = (req, res, next) => {
    res.locals.auth = claimsOf(readBearerToken(req));
    next();
  };

  return { signToken, verifyToken, authenticate, requireAuth };
}

function callerOf(claims: TokenClaims): Caller {
  return { id: claims.sub, role: claims.roles?.includes('admin') ? 'admin' : 'user' };
}

/** The verified claims of a request that passed `requireAuth`; anywhere else it refuses with 401 rather than run unauthenticated. */
export function getAuth(res: Response): TokenClaims {
  const { auth } = res.locals;
  if (auth === undefined) throw new HttpError(401, 'Authentication required.');
  return auth;
}

function toSeconds(name: string, duration: string): number {
  const seconds = durationInSeconds(duration);
  if (Number.isNaN(seconds)) throw new Error(`${name} "${duration}" is not a duration such as 15m, 1h, 7d or 3600.`);
  return seconds;
}
