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

const serverEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
});

/** Settings of the server itself. */
export function readServerEnv(env: EnvSource): z.infer<typeof serverEnv> {
  const result = serverEnv.safeParse(withoutBlankValues(env));
  if (!result.success) {
    throw new Error(`Invalid server settings: ${result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  }
  return result.data;
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
