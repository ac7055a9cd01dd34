import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDotenv } from 'dotenv';
import { registry } from '../generators/index.js';
import { UserError } from './errors.js';
import { MANIFEST_FILE } from './plan/base-project.js';
import { readManifest } from './plan/manifest.js';

// Run with the project's tsx: doctor-probe.js beside this module once built, doctor-probe.ts when the CLI runs from source.
const PROBE_SCRIPT = fileURLToPath(new URL(`./doctor-probe${path.extname(import.meta.url)}`, import.meta.url));

/** One plugin's state, as `doctor` reports it. */
export interface PluginDiagnosis {
  id: string;
  name: string;
  /** Required variables that are unset or blank. */
  missing: string[];
  /** Variables the project's own code rejected, and why (e.g. `JWT_SECRET`, `must be at least 32 characters`). */
  invalid: { name: string; message: string }[];
  /** `not_running`: a local server (Ollama, LM Studio) that is not started, which is no failure. */
  status: 'ok' | 'failing' | 'not_running' | 'not_configured' | 'not_probed';
  latencyMs?: number;
  message?: string;
}

export interface Diagnosis {
  plugins: PluginDiagnosis[];
  /** Why live probes did not run, when they did not. */
  probesSkipped?: string;
}

/**
 * Checks a project made or extended by create-provider-app: which variables each plugin lacks
 * (from .env and the environment, which wins), then the project's own live probes.
 */
export async function diagnose(root: string, options: { timeoutMs: number }): Promise<Diagnosis> {
  const manifest = readManifest(path.join(root, MANIFEST_FILE));
  if (!manifest)
    throw new UserError(
      `No ${MANIFEST_FILE} in ${root}: doctor works in projects made or extended by create-provider-app. Pass --cwd <project>.`,
    );
  const envFile = path.join(root, '.env');
  const env: Record<string, string | undefined> = { ...(existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {}), ...process.env };

  const plugins = manifest.plugins.map((id): PluginDiagnosis => {
    const definition = registry.find((plugin) => plugin.id === id);
    const missing = (definition?.env ?? [])
      .filter((variable) => variable.required && !env[variable.name]?.trim())
      .map((variable) => variable.name);
    return { id, name: definition?.name ?? id, missing, invalid: [], status: missing.length > 0 ? 'not_configured' : 'not_probed' };
  });

  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  if (!existsSync(tsx)) return { plugins, probesSkipped: 'dependencies are not installed (run the install command first)' };
  const pluginsRoot = manifest.layout === 'existing' ? path.join(manifest.sourceRoot ?? 'src', 'providers') : 'src';
  const probed = await runProbes(tsx, root, pluginsRoot, env, options.timeoutMs);
  if ('error' in probed) return { plugins, probesSkipped: probed.error };

  // Only the project's code can tell an invalid value, so its report has the last word on the variables.
  for (const plugin of plugins) {
    const result = probed.plugins.find((entry) => entry.id === plugin.id);
    if (!result) continue;
    if (result.status === 'not_configured')
      Object.assign(plugin, { status: 'not_configured', missing: result.missing ?? [], invalid: result.invalid ?? [] });
    else if (plugin.status !== 'not_configured')
      Object.assign(plugin, { status: result.status, latencyMs: result.latencyMs, message: result.message });
  }
  return { plugins };
}

/** The answer of the project's `GET /health?probe=1` (src/lib/health.ts), as far as doctor reads it. */
interface HealthReport {
  plugins: {
    id: string;
    status: 'ok' | 'failing' | 'not_running' | 'not_configured';
    latencyMs?: number;
    message?: string;
    /** Given with `not_configured`. */
    missing?: string[];
    invalid?: PluginDiagnosis['invalid'];
  }[];
}

async function runProbes(
  tsx: string,
  root: string,
  pluginsRoot: string,
  env: Record<string, string | undefined>,
  timeoutMs: number,
): Promise<HealthReport | { error: string }> {
  const { execa } = await import('execa');
  // doctor may run beside the app, and PGlite has no lock: its probe process never opens the app's
  // data folder. Probes do not wait for the database anyway (it is "opening" for them).
  const probeEnv = { ...env, PGLITE_DATA_DIR: 'memory://' };
  const result = await execa(tsx, [PROBE_SCRIPT, root, pluginsRoot], {
    cwd: root,
    env: probeEnv,
    extendEnv: false,
    reject: false,
    timeout: timeoutMs,
    stdin: 'ignore',
  });
  if (result.timedOut) return { error: `the probes took longer than ${timeoutMs} ms` };
  try {
    // The project's code may print to stdout too (the Ollama SDK does on some errors): the answer is the last line.
    return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as HealthReport;
  } catch {
    const reason = result.stderr.split('\n').find((line) => line.trim() !== '') ?? `exit code ${result.exitCode}`;
    return { error: `the project's code could not be loaded (${reason.slice(0, 200)})` };
  }
}
