import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import { HttpError } from '../../lib/errors.js';
import type { SharedRedis } from '../../lib/redis.js';
import type { GoogleAuthConfig } from './google-auth.schema.js';

const COOKIE_NAME = 'google_oauth_state';
const LIFETIME_MS = 10 * 60_000;

/**
 * The OAuth `state` check without a server-side session: sign-in starts by putting a random nonce
 * in a short-lived, signed, HttpOnly cookie and sending the same nonce to Google as `state`; the
 * callback only goes on when both match. Someone who sends a victim to the callback with their own
 * code (login CSRF) cannot plant the matching cookie in the victim's browser.
 */
export interface OAuthState {
  /** Sets a fresh state cookie and returns its nonce, to send to Google as `state`. */
  issue(res: Response): string;
  /** Rejects with a 401 unless `state` matches this browser's unexpired cookie and was not used before. Clears the cookie. */
  verify(req: Request, res: Response, state: string): Promise<void>;
  /** Removes the cookie of a sign-in that was started and never finished. */
  clear(res: Response): void;
}

/**
 * Builds the state check; the cookie is signed with a key derived from the client secret. Used
 * nonces are remembered in `redis` when there is one, so that a replay to another instance fails too.
 */
export function createOAuthState(config: GoogleAuthConfig, redis?: SharedRedis): OAuthState {
  // A key of its own rather than the client secret itself: one key, one purpose.
  const key = createHmac('sha256', config.GOOGLE_CLIENT_SECRET).update('google-auth state cookie').digest();
  const callback = new URL(config.GOOGLE_CALLBACK_URL);
  // Lax, not Strict: the cookie must come back on Google's top-level redirect to the callback, which
  // Strict would withhold. The path keeps it off every other request.
  const options: CookieOptions = { httpOnly: true, sameSite: 'lax', secure: callback.protocol === 'https:', path: callback.pathname };
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  // Clearing the cookie does not stop a copy of it (and of the callback URL) from being replayed, so
  // each nonce is remembered until it expires.
  const useOnce = redis ? useOnceInRedis(redis) : useOnceInMemory();

  // The nonce of a cookie this app signed, and when it expires, unless it has: Max-Age only asks the browser to drop it.
  function validNonce(cookie: string | undefined): { nonce: string; expiresAt: number } | undefined {
    const [nonce, expiresAt, signature, ...rest] = cookie?.split('.') ?? [];
    if (nonce === undefined || expiresAt === undefined || signature === undefined || rest.length > 0) return undefined;
    if (!same(signature, sign(`${nonce}.${expiresAt}`)) || Number(expiresAt) < Date.now()) return undefined;
    return { nonce, expiresAt: Number(expiresAt) };
  }

  return {
    issue(res) {
      const nonce = randomBytes(32).toString('base64url');
      const payload = `${nonce}.${Date.now() + LIFETIME_MS}`;
      res.cookie(COOKIE_NAME, `${payload}.${sign(payload)}`, { ...options, maxAge: LIFETIME_MS });
      return nonce;
    },

    async verify(req, res, state) {
      res.clearCookie(COOKIE_NAME, options);
      const cookie = validNonce(readCookie(req, COOKIE_NAME));
      if (cookie === undefined) throw new HttpError(401, 'This sign-in expired or was started in another browser. Sign in again.');
      if (!same(cookie.nonce, state)) throw new HttpError(401, 'The sign-in state does not match this browser. Sign in again.');
      if (!(await useOnce(cookie.nonce, cookie.expiresAt))) throw new HttpError(401, 'This sign-in was already completed. Sign in again.');
    },

    clear(res) {
      res.clearCookie(COOKIE_NAME, options);
    },
  };
}

/** Records a nonce until it expires; false when it was recorded already (a replay). */
type UseOnce = (nonce: string, expiresAt: number) => Promise<boolean>;

// Each entry lives 10 minutes at most: the map stays small.
function useOnceInMemory(): UseOnce {
  const usedNonces = new Map<string, number>();
  return async (nonce, expiresAt) => {
    const now = Date.now();
    for (const [used, until] of usedNonces) if (until < now) usedNonces.delete(used);
    if (usedNonces.has(nonce)) return false;
    usedNonces.set(nonce, expiresAt);
    return true;
  };
}

// SET NX answers OK to the first caller only, on whichever instance; PXAT lets Redis forget it on
// expiry. While Redis is out of reach, sign-in fails with its 503 rather than skip the check.
function useOnceInRedis(redis: SharedRedis): UseOnce {
  return async (nonce, expiresAt) =>
    (await redis.command(['SET', `google-auth:used-nonce:${nonce}`, '1', 'NX', 'PXAT', String(expiresAt)])) === 'OK';
}

// No cookie-parser dependency for one cookie. Its value needs no decoding: base64url, digits and dots.
function readCookie(req: Request, name: string): string | undefined {
  for (const pair of req.get('cookie')?.split(';') ?? []) {
    const separator = pair.indexOf('=');
    if (separator !== -1 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}

// Constant-time comparison, so the time taken does not tell how much of a guess was right.
function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
