import type { RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import { HttpError } from '../../lib/errors.js';
import { JWT_DURATION, tokenClaimsSchema } from './jwt-service.types.js';
import type { JwtServiceConfig, TokenClaims } from './jwt-service.types.js';

// Pinned when signing and when verifying, so a token cannot choose its own algorithm (`none`, or another HMAC).
const ALGORITHM = 'HS256';

const DEFAULT_LIFETIME = '1h';
const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** Signs and verifies this app's tokens. */
export interface JwtService {
  /** A token carrying `claims`, valid for JWT_EXPIRES_IN (default 1h). */
  signToken(claims: TokenClaims): string;
  /** The claims of a token this app signed; throws a 401 HttpError when it is expired or invalid. */
  verifyToken(token: string): TokenClaims;
  /** Answers 401 unless the request carries `Authorization: Bearer <valid token>`; read the claims with `getAuth(res)`. */
  requireAuth: RequestHandler;
}

/** Builds the JWT service; other plugins call it with the settings they read from `jwtServiceEnv`. */
export function createJwtService(config: JwtServiceConfig): JwtService {
  const secret = config.JWT_SECRET;
  const expiresIn = toSeconds(config.JWT_EXPIRES_IN ?? DEFAULT_LIFETIME);

  function signToken(claims: TokenClaims): string {
    // Parsing drops any extra property of the object passed in, so nothing but the claims ends up in the token.
    return jwt.sign(tokenClaimsSchema.parse(claims), secret, { algorithm: ALGORITHM, expiresIn });
  }

  function verifyToken(token: string): TokenClaims {
    try {
      const claims = tokenClaimsSchema.safeParse(jwt.verify(token, secret, { algorithms: [ALGORITHM] }));
      if (claims.success) return claims.data;
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new HttpError(401, 'The token has expired. Sign in again.');
      if (!(error instanceof jwt.JsonWebTokenError)) throw error;
    }
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

// jsonwebtoken reads a digit-only string such as '3600' as milliseconds, so it is given seconds as a number.
function toSeconds(duration: string): number {
  const [, amount, unit] = JWT_DURATION.exec(duration) ?? [];
  const secondsPerUnit = SECONDS_PER_UNIT[unit || 's'];
  if (amount === undefined || secondsPerUnit === undefined) {
    throw new Error(`JWT_EXPIRES_IN "${duration}" is not a duration such as 15m, 1h, 7d or 3600.`);
  }
  return Number(amount) * secondsPerUnit;
}
