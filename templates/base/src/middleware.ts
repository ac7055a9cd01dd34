import cors from 'cors';
import type { Request, RequestHandler, Response } from 'express';
import type { Store } from 'express-rate-limit';
import { rateLimit } from 'express-rate-limit';
import type { DestinationStream, SerializedRequest, SerializedResponse } from 'pino';
import { pinoHttp } from 'pino-http';
import type { ServerSettings } from './env.js';
import { HttpError } from './lib/errors.js';
import { rateLimitLogger, rateLimitStore } from './lib/rate-limit-store.js';
import type { SharedRedis } from './lib/redis.js';

/**
 * Lets pages from `origins` call the API from a browser. With none, no CORS header is sent at all
 * and browsers keep every other site out. With some, the preflights (OPTIONS) of any origin are
 * answered here, before the rate limits and access checks that follow, so they never count.
 */
export function corsPolicy(origins: ServerSettings['CORS_ORIGINS']): RequestHandler {
  // Without credentials: the API reads its tokens from headers, so no cookie needs to cross origins.
  return cors({ origin: origins === '*' || origins.length > 0 ? origins : false });
}

// Credentials a request may carry in a header. Responses are logged by status alone, so their
// Set-Cookie headers never reach the log.
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'];
// Query parameters that hold a credential: tokens, keys, OAuth codes, signatures.
const SECRET_PARAMETER = /token|key|secret|password|signature|^code$|^sig$/i;

/**
 * One JSON line per request (method, URL, headers, status, duration) at `level`, to stdout unless
 * `destination` is given. Credentials in headers and in the query string are replaced by [Redacted].
 */
export function requestLogger(level: string, destination?: DestinationStream): RequestHandler {
  return pinoHttp<Request, Response>(
    {
      level,
      redact: SECRET_HEADERS.map((name) => `req.headers["${name}"]`),
      serializers: {
        req: (req: SerializedRequest) => ({ id: req.id, method: req.method, url: withoutSecrets(req.url), headers: req.headers }),
        res: (res: SerializedResponse) => ({ statusCode: res.statusCode }),
      },
      // The client's address as the rate limits see it, which behind a proxy depends on TRUST_PROXY.
      customProps: (req) => ({ ip: req.ip }),
    },
    destination,
  );
}

/** `/callback?code=abc&page=2` → `/callback?code=[Redacted]&page=2`. */
function withoutSecrets(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const pairs = url.slice(start + 1).split('&');
  return `${url.slice(0, start)}?${pairs.map((pair) => (isSecret(pair) ? `${pair.split('=')[0]}=[Redacted]` : pair)).join('&')}`;
}

// The name as the app's query parser reads it: `acc%65ss_token` is an access_token too.
function isSecret(pair: string): boolean {
  const [name = ''] = new URLSearchParams(pair).keys();
  return SECRET_PARAMETER.test(name);
}

/**
 * At most `perMinute` requests a minute from each client IP, whatever the route; counted in `redis`
 * across all instances when there is one.
 */
export function globalRateLimit(perMinute: number, redis?: SharedRedis): RequestHandler {
  return perClientLimit(perMinute, () => false, rateLimitStore(redis, 'global'));
}

/**
 * At most `perMinute` live checks (`GET /health?probe=1`) a minute from each client IP: each one
 * calls every configured provider. Mounted at /health; other requests there pass uncounted.
 */
export function probeRateLimit(perMinute: number, redis?: SharedRedis): RequestHandler {
  return perClientLimit(perMinute, (req) => !(req.path === '/' && req.query['probe'] === '1'), rateLimitStore(redis, 'probes'));
}

// Keyed by `req.ip` (express-rate-limit's default), so by the client behind a trusted proxy. The
// paid routes' stricter limit (lib/rate-limit.ts) comes with the plugins that need it, also into
// apps that `add` them; these two belong to this app, hence to this file rather than to that layer.
// They let requests through uncounted while Redis is out of reach: otherwise /health, which says
// so, and every free route would go down with it.
function perClientLimit(limit: number, skip: (req: Request) => boolean, store: Store | undefined): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    skip,
    store,
    passOnStoreError: true,
    logger: rateLimitLogger,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, `Too many requests: the limit is ${limit} a minute per client. Retry later.`)),
  });
}
