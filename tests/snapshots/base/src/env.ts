import { isIP } from 'node:net';
import * as z from 'zod';
import type { Schema } from './lib/validate.js';

/** The file developers keep their settings in, named by the messages that ask for one. */
export const ENV_FILE = '.env';

/** Where settings come from: `process.env` in production, a plain object in tests. */
export type EnvSource = Record<string, string | undefined>;

/** Why a plugin's settings were rejected, by variable name. */
export interface EnvProblems {
  missing: string[];
  invalid: { name: string; message: string }[];
}

export type PluginSettings<Config> = { ok: true; config: Config } | ({ ok: false } & EnvProblems);

/** A setting the server cannot start with; `server.ts` prints its message alone, as one line, and exits 1. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const wholeNumberAboveZero = z.string().regex(/^[1-9]\d*$/, 'must be a whole number above 0');

const serverEnv = z.object({
  PORT: z
    .string()
    .refine((port) => /^\d{1,5}$/.test(port) && Number(port) <= 65535, 'must be a port number from 0 to 65535')
    .optional(),
  HOST: z.string().optional(),
  NODE_ENV: z.string().optional(),
  TRUST_PROXY: z
    .string()
    .refine(isTrustProxy, 'must be true, false, a number of proxies, or comma-separated addresses and subnets (e.g. loopback,10.0.0.0/8)')
    .optional(),
  CORS_ORIGINS: z.string().refine(isCorsOrigins, 'must be * alone, or comma-separated origins such as https://app.example.com').optional(),
  RATE_LIMIT_GLOBAL_PER_MINUTE: wholeNumberAboveZero.optional(),
  RATE_LIMIT_PROBES_PER_MINUTE: wholeNumberAboveZero.optional(),
  LOG_LEVEL: z
    .string()
    .refine((level) => LOG_LEVELS.includes(level), `must be one of ${LOG_LEVELS.join(', ')}`)
    .optional(),
  REDIS_URL: z.string().refine(isRedisUrl, 'must be a redis:// or rediss:// URL').optional(),
});

/** The server's own settings, read once at start-up. */
export interface ServerSettings {
  PORT: number;
  HOST: string;
  /** Which proxies to believe about the client's address: Express's `trust proxy` setting. */
  TRUST_PROXY: boolean | number | string[];
  /** Origins whose pages may call the API: `'*'` for any, none when empty. */
  CORS_ORIGINS: '*' | string[];
  /** Requests a client IP may make a minute, on every route. */
  RATE_LIMIT_GLOBAL_PER_MINUTE: number;
  /** `GET /health?probe=1` calls a client IP may make a minute: each one calls every provider. */
  RATE_LIMIT_PROBES_PER_MINUTE: number;
  /** pino's level for the request log. */
  LOG_LEVEL: string;
  /** Where the instances share rate-limit counters and other cross-request state; each keeps its own without it. */
  REDIS_URL: string | undefined;
}

/** Settings of the server itself; throws a SettingsError naming each invalid variable. */
export function readServerEnv(env: EnvSource): ServerSettings {
  const result = serverEnv.safeParse(withoutBlankValues(env));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message} (it is "${env[String(issue.path[0])]}")`);
    throw new SettingsError(`Invalid server settings: ${problems.join('; ')}.`);
  }
  const {
    PORT,
    HOST,
    NODE_ENV,
    TRUST_PROXY,
    CORS_ORIGINS,
    RATE_LIMIT_GLOBAL_PER_MINUTE,
    RATE_LIMIT_PROBES_PER_MINUTE,
    LOG_LEVEL,
    REDIS_URL,
  } = result.data;
  return {
    PORT: Number(PORT ?? 3000),
    // Only a deployment should be reachable from other machines; in development the server stays on this one.
    HOST: HOST ?? (NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    TRUST_PROXY: parseTrustProxy(TRUST_PROXY),
    CORS_ORIGINS: parseCorsOrigins(CORS_ORIGINS),
    RATE_LIMIT_GLOBAL_PER_MINUTE: Number(RATE_LIMIT_GLOBAL_PER_MINUTE ?? 300),
    // Six a minute is a status page refreshed every ten seconds; each probe makes one call per provider.
    RATE_LIMIT_PROBES_PER_MINUTE: Number(RATE_LIMIT_PROBES_PER_MINUTE ?? 6),
    // Tests stay readable: their requests are not logged unless LOG_LEVEL asks for it.
    LOG_LEVEL: LOG_LEVEL ?? (NODE_ENV === 'test' ? 'silent' : 'info'),
    REDIS_URL,
  };
}

// The forms of Express's `trust proxy` that text can spell: a boolean, a hop count, or addresses.
function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

function isTrustProxy(value: string): boolean {
  const parsed = parseTrustProxy(value);
  return !Array.isArray(parsed) || parsed.every(isProxyAddress);
}

// What Express (proxy-addr) accepts, checked here so that a typo is a SettingsError rather than a
// crash at start-up: a name, an address, or a subnet as `address/bits` or `address/netmask`.
function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, range, ...rest] = entry.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isNetmask(range);
}

function isNetmask(mask: string): boolean {
  if (isIP(mask) !== 4) return false;
  const bits = mask
    .split('.')
    .map((octet) => Number(octet).toString(2).padStart(8, '0'))
    .join('');
  return /^1*0*$/.test(bits);
}

// A failed parse rather than URL.canParse, which TypeScript's DOM lib only declares from 5.3 on.
function isRedisUrl(value: string): boolean {
  try {
    return ['redis:', 'rediss:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function parseCorsOrigins(value: string | undefined): '*' | string[] {
  if (value === undefined) return [];
  if (value.trim() === '*') return '*';
  return value.split(',').map((origin) => origin.trim());
}

function isCorsOrigins(value: string): boolean {
  const parsed = parseCorsOrigins(value);
  return parsed === '*' || parsed.every(isOrigin);
}

// Spelled as browsers send the Origin header (scheme, host, port; no path or trailing slash), or it would never match.
function isOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  } catch {
    return false;
  }
}

/**
 * A plugin's `<PREFIX>_MAX_RETRIES`: how often its provider's SDK retries a call that failed for a
 * reason that may pass (no connection, 429, 5xx), with back-off; the SDK's own default when unset.
 * Tests set 0, so that a failure they provoke is the answer and no back-off outlives its test.
 */
export function maxRetriesSetting(sdkDefault: number) {
  return z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').max(5, 'must be at most 5').default(sdkDefault);
}

/**
 * Validates one plugin's variables. Problems are returned, not thrown, so a plugin that is
 * not configured yet leaves the rest of the server running.
 */
export function readPluginEnv<Config>(schema: Schema<Config>, env: EnvSource): PluginSettings<Config> {
  const values = withoutBlankValues(env);
  const result = schema.safeParse(values);
  // `=== true`, not a truthiness test: without strictNullChecks TypeScript would not narrow the failure below.
  if (result.success === true) return { ok: true, config: result.data };

  const problems: EnvProblems = { missing: [], invalid: [] };
  for (const issue of result.error.issues) {
    const name = String(issue.path[0]);
    if (values[name] === undefined) problems.missing.push(name);
    else problems.invalid.push({ name, message: issue.message });
  }
  return { ok: false, ...problems };
}

// `KEY=` in a .env file means "not set yet", not "set to an empty string".
function withoutBlankValues(env: EnvSource): EnvSource {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
}
