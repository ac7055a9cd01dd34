import { z } from 'zod';
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

const serverEnv = z.object({
  PORT: z.string().refine((port) => /^\d{1,5}$/.test(port) && Number(port) <= 65535, 'must be a port number from 0 to 65535').optional(),
  HOST: z.string().optional(),
  NODE_ENV: z.string().optional(),
});

/** Settings of the server itself; throws a SettingsError naming each invalid variable. */
export function readServerEnv(env: EnvSource): { PORT: number; HOST: string } {
  const result = serverEnv.safeParse(withoutBlankValues(env));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message} (it is "${env[String(issue.path[0])]}")`);
    throw new SettingsError(`Invalid server settings: ${problems.join('; ')}.`);
  }
  const { PORT, HOST, NODE_ENV } = result.data;
  // Only a deployment should be reachable from other machines; in development the server stays on this one.
  return { PORT: Number(PORT ?? 3000), HOST: HOST ?? (NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1') };
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
