import { performance } from 'node:perf_hooks';
import { Router } from 'express';
import type { EnvProblems } from '../env.js';
import { timeoutSignal } from './abort-signals.js';
import { asyncHandler } from './async-handler.js';
import { describeError, HttpError } from './errors.js';
import { createHealthPageRouter } from './health-ui.js';
import type { PluginDemo, PluginInstance } from './plugin.js';

const PROBE_TIMEOUT_MS = 5_000;

/** What start-up learned about one plugin. */
export type PluginStatus = { id: string; name: string; mountPath?: string; demo?: PluginDemo } & (
  | { configured: true; instance: PluginInstance }
  | ({ configured: false } & EnvProblems)
);

/**
 * `GET /health`: configuration of every plugin, no network calls, so it is cheap enough for
 * load balancers. `GET /health?probe=1` also runs each configured plugin's live probe, all at
 * once, each bounded by `probeTimeoutMs`. `GET /health/ui` is the page that shows both, with the demos.
 */
export function createHealthRouter(statuses: PluginStatus[], { probeTimeoutMs = PROBE_TIMEOUT_MS } = {}): Router {
  const router = Router();
  router.get('/', asyncHandler(async (req, res) => {
    const probeTimeout = req.query['probe'] === '1' ? probeTimeoutMs : undefined;
    const plugins = await Promise.all(statuses.map((status) => describePlugin(status, probeTimeout)));
    const healthy = plugins.every((plugin) => plugin.status === 'ok');
    res.set('Cache-Control', 'no-store').json({ status: healthy ? 'ok' : 'degraded', plugins });
  }));
  router.use('/ui', createHealthPageRouter());
  return router;
}

// Probes run only when a timeout is given.
async function describePlugin(status: PluginStatus, probeTimeoutMs: number | undefined) {
  const about = { id: status.id, name: status.name, mountPath: status.mountPath, demo: demoOf(status) };
  // `=== false`, not `!status.configured`: without strictNullChecks TypeScript only narrows a union on a comparison.
  if (status.configured === false) {
    return { ...about, status: 'not_configured' as const, missing: status.missing, invalid: status.invalid };
  }
  if (probeTimeoutMs === undefined || !status.instance.probe) return { ...about, status: 'ok' as const };
  return { ...about, ...(await runProbe(status.name, status.instance.probe, probeTimeoutMs)) };
}

// The page calls the route as given, so the endpoint is reported in full.
function demoOf({ mountPath = '', demo }: PluginStatus) {
  return demo && { widget: demo.widget, endpoint: `${mountPath}${demo.endpoint ?? ''}` };
}

async function runProbe(name: string, probe: NonNullable<PluginInstance['probe']>, timeoutMs: number) {
  const started = performance.now();
  try {
    await probe(timeoutSignal(timeoutMs));
    return { status: 'ok' as const, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    console.error(`Health probe of ${name} failed: ${describeError(error)}`);
    return { status: 'failing' as const, latencyMs: Math.round(performance.now() - started), message: probeFailureMessage(name, error) };
  }
}

// /health answers anyone, so the details stay in the server log. An HttpError is written for
// clients (bad credentials, a missing bucket) and is passed on, except a provider out of reach
// (503): local providers name their address there. Anything else may quote one, e.g. `connect
// ECONNREFUSED 10.0.0.5:11434`.
function probeFailureMessage(name: string, error: unknown): string {
  if (error instanceof HttpError && error.status !== 503) return error.message;
  return `Could not reach ${name}: check its settings and network; details are in the server log.`;
}
