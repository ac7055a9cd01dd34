import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { EnvSource } from '../env.js';
import { describeEnvProblems, HttpError, setInEnvFile } from './errors.js';
import type { PluginContext } from './plugin.js';
import { serviceKey } from './services.js';

/** Who may call a route: anyone, any caller with a valid token, or an admin. */
export type Access = 'public' | 'user' | 'admin';

/** One route and who may call it, as the plugin's definition in create-provider-app lists it. */
export interface RouteAccess {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'WS';
  /** Full path as mounted; `:name` stands for the rest of a path, slashes included. */
  path: string;
  access: Access;
}

/** Who is calling: the token's subject and role. */
export interface Caller {
  /** The token's `sub`, or `api-token` for the holder of API_TOKEN. */
  id: string;
  role: 'user' | 'admin';
}

/**
 * Reads the caller from a request's credentials; throws (or rejects with) a 401 HttpError when they
 * are missing or invalid. It may answer later: jwt-service loads its token library on first use.
 */
export type Authenticate = (req: IncomingMessage) => Caller | Promise<Caller>;

/** An auth plugin (jwt-service) provides its token check under this key; API_TOKEN is then no longer accepted. */
export const authenticatorKey = serviceKey<Authenticate>('authenticator');

/** The shortest API_TOKEN accepted: anything shorter can be guessed. */
export const MIN_API_TOKEN_LENGTH = 32;

const STRICTNESS: Record<Access, number> = { public: 0, user: 1, admin: 2 };
const callers = new AsyncLocalStorage<Caller>();

/** The caller of the request being handled (e.g. whose provider key to use); undefined on public routes. */
export function currentCaller(): Caller | undefined {
  return callers.getStore();
}

/**
 * The caller of a private route, for routes whose answer depends on who asks. Throws a 401 where
 * there is none: a route mounted without the policy refuses rather than answer for nobody.
 */
export function requireCaller(): Caller {
  const caller = callers.getStore();
  if (caller === undefined) throw unauthorized('Authentication required.', false);
  return caller;
}

/** Runs `next` as `caller`: whatever it leads to, however asynchronous, sees them in currentCaller(). */
export function runAs(caller: Caller, next: () => void): void {
  callers.run(caller, next);
}

/**
 * Who may call `method path`: the strictest of the rules that match it, and `user` when none does,
 * so a route that nobody listed is never open. Matching is case-insensitive and ignores a trailing
 * slash, as Express's routing does; HEAD is answered by GET routes.
 */
export function accessOf(rules: readonly RouteAccess[], method: string, path: string): Access {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const matching = rules.filter((rule) => rule.method === wanted && pattern(rule.path).test(path));
  if (matching.length === 0) return 'user';
  return matching.map((rule) => rule.access).reduce((a, b) => (STRICTNESS[a] >= STRICTNESS[b] ? a : b));
}

// Every request is matched against its plugin's rules: each path is compiled once, on first use.
const patterns = new Map<string, RegExp>();

function pattern(path: string): RegExp {
  let compiled = patterns.get(path);
  if (compiled === undefined) {
    compiled = compile(path);
    patterns.set(path, compiled);
  }
  return compiled;
}

function compile(path: string): RegExp {
  const source = path
    .split(/(:\w+)/)
    .map((part) => (part.startsWith(':') ? '.+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`, 'i');
}

/** Checks a request against the access its route needs; returns the caller, or undefined on a public route. */
export type Authorize = (req: IncomingMessage, access: Access) => Promise<Caller | undefined>;

/**
 * The access policy: private routes take a JWT when an auth plugin is installed, else the server
 * token API_TOKEN; admin routes take an admin. Refusals are 401 (no or bad credentials), 403 (not
 * allowed) and 503 (the app cannot check credentials until it is configured).
 */
export function createAuthorizer({ services, plugins }: Pick<PluginContext, 'services' | 'plugins'>, env: EnvSource): Authorize {
  const checkServerToken = serverTokenCheck(env['API_TOKEN']);
  const authenticate: Authenticate = (req) => {
    const [verifyToken] = services.all(authenticatorKey);
    if (verifyToken) return verifyToken(req);
    // Installed but not configured: refusing is safe, falling back to API_TOKEN would surprise.
    const authPlugin = plugins.find((plugin) => plugin.providesAuth);
    if (authPlugin)
      throw new HttpError(
        503,
        `Private routes need ${authPlugin.name}, which is not configured: ${describeEnvProblems(authPlugin)}. ${setInEnvFile()}`,
      );
    return checkServerToken(req);
  };
  return async (req, access) => {
    if (access === 'public') return undefined;
    const caller = await authenticate(req);
    if (access === 'admin' && caller.role !== 'admin') throw new HttpError(403, 'Only an admin may call this route.');
    return caller;
  };
}

function serverTokenCheck(apiToken: string | undefined): Authenticate {
  const token = apiToken?.trim() ?? '';
  return (req) => {
    if (token.length < MIN_API_TOKEN_LENGTH) {
      const problem = token === '' ? 'API_TOKEN is not set' : `API_TOKEN must be at least ${MIN_API_TOKEN_LENGTH} characters`;
      throw new HttpError(
        503,
        `Private routes need a server token: ${problem}. Generate one with \`openssl rand -base64 32\`. ${setInEnvFile()}`,
      );
    }
    const given = readBearerToken(req);
    if (given === undefined) throw unauthorized('Authentication required: send an Authorization: Bearer <API_TOKEN> header.', false);
    if (!sameSecret(given, token)) throw unauthorized('The token is invalid.', true);
    return { id: 'api-token', role: 'admin' };
  };
}

/** A 401 with the challenge RFC 6750 asks for: `invalid_token` when a token was sent and refused. */
export function unauthorized(message: string, tokenSent: boolean): HttpError {
  return new HttpError(401, message, undefined, { 'WWW-Authenticate': tokenSent ? 'Bearer error="invalid_token"' : 'Bearer' });
}

// Hashing first gives both sides one length, which timingSafeEqual needs, and reveals nothing of either.
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The token of `Authorization: Bearer <token>` (the scheme is case-insensitive, RFC 7235). Browsers
 * cannot set headers on a WebSocket, so upgrade requests may send it as `?access_token=` instead.
 */
export function readBearerToken(req: IncomingMessage): string | undefined {
  const fromHeader = req.headers.authorization?.match(/^Bearer +(\S+) *$/i)?.[1];
  if (fromHeader !== undefined || req.headers.upgrade?.toLowerCase() !== 'websocket') return fromHeader;
  return new URL(req.url ?? '/', 'http://localhost').searchParams.get('access_token') ?? undefined;
}
