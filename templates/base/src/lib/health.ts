import { performance } from 'node:perf_hooks';
import { Router } from 'express';
import type { EnvProblems } from '../env.js';
import { ENV_FILE } from '../env.js';
import { timeoutSignal } from './abort-signals.js';
import { asyncHandler } from './async-handler.js';
import { describeError, HttpError } from './errors.js';
import type { PluginDemo, PluginInstance } from './plugin.js';
import { ServiceRegistry, serviceKey } from './services.js';

const PROBE_TIMEOUT_MS = 5_000;

/** What start-up learned about one plugin. */
export type PluginStatus = { id: string; name: string; mountPath?: string; demo?: PluginDemo; localServer?: boolean } & (
  | { configured: true; instance: PluginInstance }
  | ({ configured: false } & EnvProblems)
);

/** Something plugins share that opens in the background, such as the database or Redis. */
export interface SharedResource {
  name: string;
  /** Read as it is: /health never waits for a resource to open. */
  status(): 'opening' | 'ready' | 'failed';
}

/** Where shared resources make themselves known, so /health lists them under `resources`. */
export const sharedResources = serviceKey<SharedResource>('shared-resources');

/**
 * A plugin's state on `GET /health`. `not_running` is a local server (Ollama, LM Studio) that
 * nothing answers for: most likely not started yet, so it is neutral, not `failing`.
 */
export type PluginState = 'ok' | 'not_configured' | 'failing' | 'not_running';

/** One plugin in the answer of `GET /health`. */
export interface PluginReport {
  id: string;
  name: string;
  mountPath?: string;
  /** With the endpoint in full, mount path included: the status page calls it as given. */
  demo?: Required<PluginDemo>;
  status: PluginState;
  /** How long its live probe took. */
  latencyMs?: number;
  /** Why it is failing, not running or, when no plugin behind it is configured, not configured. */
  message?: string;
  /** With `not_configured`: its own variables that are unset, and those whose value was rejected. */
  missing?: string[];
  invalid?: EnvProblems['invalid'];
}

/**
 * `GET /health`: configuration of every plugin, no network calls, so it is cheap enough for
 * load balancers. `GET /health?probe=1` also runs each configured plugin's live probe, all at
 * once, each bounded by `probeTimeoutMs`. The status page (`GET /health/ui`, src/health-ui.ts)
 * shows both, with the demos.
 * Both list the state of each shared resource (the database, Redis) as it is, without waiting for
 * it, and where state shared by requests lives: `redis` (every instance sees it) or `memory` (this
 * process alone).
 */
export function createHealthRouter(
  statuses: PluginStatus[],
  {
    probeTimeoutMs = PROBE_TIMEOUT_MS,
    services = new ServiceRegistry(),
    sharedState = 'memory',
  }: { probeTimeoutMs?: number; services?: ServiceRegistry; sharedState?: 'redis' | 'memory' } = {},
): Router {
  const router = Router();
  router.get(
    '/',
    asyncHandler(async (req, res) => {
      const probeTimeout = req.query['probe'] === '1' ? probeTimeoutMs : undefined;
      const described = await Promise.all(statuses.map((status) => describePlugin(status, probeTimeout)));
      const byId = new Map(described.map(({ report }) => [report.id, report]));
      // A plugin that serves through others is as live as the best of them, known once their probes ran.
      const plugins = described.map(({ report, backers }) =>
        backers && probeTimeout !== undefined ? { ...report, ...liveStateOf(backers.map((id) => byId.get(id))) } : report,
      );
      const resources = Object.fromEntries(services.all(sharedResources).map((resource) => [resource.name, resource.status()]));
      const healthy = plugins.every((plugin) => plugin.status === 'ok') && !Object.values(resources).includes('failed');
      res.set('Cache-Control', 'no-store').json({ status: healthy ? 'ok' : 'degraded', sharedState, resources, plugins });
    }),
  );
  return router;
}

// Probes run only when a timeout is given. `backers` are the plugins a plugin serves through.
async function describePlugin(
  status: PluginStatus,
  probeTimeoutMs: number | undefined,
): Promise<{ report: PluginReport; backers?: string[] }> {
  const about = { id: status.id, name: status.name, mountPath: status.mountPath, demo: demoOf(status) };
  // `=== false`, not `!status.configured`: without strictNullChecks TypeScript only narrows a union on a comparison.
  if (status.configured === false) {
    return { report: { ...about, status: 'not_configured', missing: status.missing, invalid: status.invalid } };
  }
  const { probe, servedBy } = status.instance;
  if (servedBy) {
    try {
      return { report: { ...about, status: 'ok' }, backers: servedBy() };
    } catch (error) {
      // What its routes answer: e.g. "No AI provider is configured. Set the API key of one in .env and restart."
      const message = error instanceof HttpError ? error.message : describeError(error);
      return { report: { ...about, status: 'not_configured', missing: [], invalid: [], message } };
    }
  }
  if (probeTimeoutMs === undefined || !probe) return { report: { ...about, status: 'ok' } };
  return { report: { ...about, ...(await runProbe(status, probe, probeTimeoutMs)) } };
}

// The page calls the route as given, so the endpoint is reported in full.
function demoOf({ mountPath = '', demo }: PluginStatus) {
  return demo && { widget: demo.widget, endpoint: `${mountPath}${demo.endpoint ?? ''}` };
}

async function runProbe(
  status: PluginStatus,
  probe: NonNullable<PluginInstance['probe']>,
  timeoutMs: number,
): Promise<Pick<PluginReport, 'status' | 'latencyMs' | 'message'>> {
  const signal = timeoutSignal(timeoutMs);
  const started = performance.now();
  try {
    await probe(signal);
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    // A local server that is out of reach was most likely never started. One that let the probe
    // time out is running but stuck, which is a failure.
    if (status.localServer && isOutOfReach(error) && !signal.aborted) {
      console.warn(`Health probe: ${status.name} is not running: ${describeError(error)}`);
      return { status: 'not_running', latencyMs, message: `${status.name} is not running. Start it, or check its address in ${ENV_FILE}.` };
    }
    console.error(`Health probe of ${status.name} failed: ${describeError(error)}`);
    return { status: 'failing', latencyMs, message: probeFailureMessage(status.name, error) };
  }
}

// Services answer 503 when they cannot reach their provider at all (connection refused, unknown host).
function isOutOfReach(error: unknown): boolean {
  return error instanceof HttpError && error.status === 503;
}

// /health answers anyone, so the details stay in the server log. An HttpError is written for
// clients (bad credentials, a missing bucket) and is passed on, except a provider out of reach
// (503): local providers name their address there. Anything else may quote one, e.g. `connect
// ECONNREFUSED 10.0.0.5:11434`.
function probeFailureMessage(name: string, error: unknown): string {
  if (!(error instanceof HttpError) || isOutOfReach(error))
    return `Could not reach ${name}: check its settings and network; details are in the server log.`;
  return error.message;
}

// Unknown ids (a provider that application code registered itself) count as up: there is no telling.
function liveStateOf(backers: (PluginReport | undefined)[]): Pick<PluginReport, 'status' | 'message'> {
  if (backers.some((backer) => backer === undefined || backer.status === 'ok')) return { status: 'ok' };
  const known = backers.filter((backer): backer is PluginReport => backer !== undefined);
  const states = known.map((backer) => `${backer.name} ${backer.status === 'not_running' ? 'is not running' : 'is failing'}`).join('; ');
  const status = known.some((backer) => backer.status === 'not_running') ? 'not_running' : 'failing';
  return { status, message: `None of the plugins it serves through is up: ${states}.` };
}
