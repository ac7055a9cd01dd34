import type { RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import { HttpError } from '../../lib/errors.js';
import { DEFAULT_LIFETIME, DEFAULT_MAX_AGE, durationInSeconds, tokenClaimsSchema } from './jwt-service.types.js';
import type { JwtServiceConfig, TokenClaims } from './jwt-service.types.js';

// Pinned when signing and when verifying, so a token cannot choose its own algorithm (`none`, or another HMAC).
const ALGORITHM = 'HS256';

/** Signs and verifies this app's tokens. */
export interface JwtService {
  /** A token carrying `claims`, valid for JWT_EXPIRES_IN (default 1h). */
  signToken(claims: TokenClaims): string;
  /** The claims of a token this app signed; throws a 401 HttpError when it is expired, invalid or outlives JWT_MAX_AGE. */
  verifyToken(token: string): TokenClaims;
  /** Answers 401 unless the request carries `Authorization: Bearer <valid token>`; read the claims with `getAuth(res)`. */
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

  const requireAuth: RequestHandler = (req, res, next) => {
    const token = readBearerToken(req.get('authorization'));
    if (token === undefined) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'Authentication required: send an Authorization: Bearer <token> header.');
    }
    try {
      res.locals.auth = verifyToken(token);
    } catch (error) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw error;
    }
    next();
  };

  return { signToken, verifyToken, requireAuth };
}

/** The verified claims of a request that passed `requireAuth`; anywhere else it refuses with 401 rather than run unauthenticated. */
export function getAuth(res: Response): TokenClaims {
  const { auth } = res.locals;
  if (auth === undefined) throw new HttpError(401, 'Authentication required.');
  return auth;
}

// The scheme is case-insensitive (RFC 7235); a header without exactly one token counts as no credentials.
function readBearerToken(header: string | undefined): string | undefined {
  return header?.match(/^Bearer +(\S+) *$/i)?.[1];
}

function toSeconds(name: string, duration: string): number {
  const seconds = durationInSeconds(duration);
  if (Number.isNaN(seconds)) throw new Error(`${name} "${duration}" is not a duration such as 15m, 1h, 7d or 3600.`);
  return seconds;
}
