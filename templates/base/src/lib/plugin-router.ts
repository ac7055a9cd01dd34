import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { Router } from 'express';
import type { EnvSource } from '../env.js';
import { readPluginEnv } from '../env.js';
import type { Authorize, Caller, RouteAccess } from './access.js';
import { accessOf, createAuthorizer, runAs } from './access.js';
import { errorHandler, HttpError, notConfiguredError } from './errors.js';
import type { PluginStatus } from './health.js';
import { createHealthRouter, sharedResources } from './health.js';
import type { PluginContext, PluginSummary, ProviderPlugin, UpgradeHandler } from './plugin.js';
import { sharedRedis } from './redis.js';
import { ServiceRegistry } from './services.js';

/** Every installed plugin on one router, ready to mount on an app. */
export interface PluginRouter {
  /** The plugins' routes, `/health`, and an error handler for both. */
  router: Router;
  /** WebSocket endpoints by full path. */
  upgrades: Map<string, UpgradeHandler>;
  /** Mount paths of plugins missing settings: their WebSocket paths answer 503 too. */
  unconfiguredMounts: string[];
  /** The access policy, which WebSocket upgrades go through as well. */
  authorize: Authorize;
  /** Every plugin's routes and who may call them. */
  routes: RouteAccess[];
}

/**
 * Sets up each plugin from `env`; one with missing settings gets routes that answer 503 naming them.
 * Every route goes through the access policy (src/lib/access.ts) first: it needs a token unless
 * the plugin's `routes` mark it public, so an app that mounts this router gets the policy with it.
 * `probeTimeoutMs` bounds each live probe of `GET /health?probe=1` (default 5 s).
 */
export function createPluginRouter(
  plugins: ProviderPlugin<unknown>[],
  env: EnvSource,
  { probeTimeoutMs }: { probeTimeoutMs?: number } = {},
): PluginRouter {
  const router = Router();
  const upgrades = new Map<string, UpgradeHandler>();
  const summaries: PluginSummary[] = [];
  const context: PluginContext = { env, services: new ServiceRegistry(), plugins: summaries };
  const redis = sharedRedis(env['REDIS_URL']);
  if (redis) context.services.provide(sharedResources, { name: 'redis', status: redis.state });
  const authorize = createAuthorizer(context, env);
  const routes = plugins.flatMap((plugin) => plugin.routes ?? []);
  const mounts: { path: string; handler: RequestHandler[] }[] = [];

  const statuses = plugins.map((plugin): PluginStatus => {
    const about = { id: plugin.id, name: plugin.name, mountPath: plugin.mountPath, demo: plugin.demo, localServer: plugin.localServer };
    const summary = { id: plugin.id, name: plugin.name, providesAuth: plugin.providesAuth ?? false };
    const guard = guardRoutes(authorize, plugin.mountPath ?? '', plugin.routes ?? []);
    const settings = readPluginEnv(plugin.env, env);
    // `=== false`, not `!settings.ok`: without strictNullChecks TypeScript only narrows a union on a comparison.
    if (settings.ok === false) {
      const problems = { missing: settings.missing, invalid: settings.invalid };
      summaries.push({ ...summary, configured: false, ...problems });
      if (plugin.mountPath)
        mounts.push({ path: plugin.mountPath, handler: [guard, (_req, _res, next) => next(notConfiguredError(plugin.name, problems))] });
      return { ...about, configured: false, ...problems };
    }
    summaries.push({ ...summary, configured: true, missing: [], invalid: [] });
    const instance = plugin.setup(settings.config, context);
    if (plugin.mountPath && instance.router) mounts.push({ path: plugin.mountPath, handler: [guard, instance.router] });
    for (const [path, handler] of Object.entries(instance.upgrades ?? {})) upgrades.set(`${plugin.mountPath ?? ''}${path}`, handler);
    return { ...about, configured: true, instance };
  });

  // Deeper mount paths first, so /api/payments/paypal is answered by PayPal even when the plugin
  // at /api/payments is not configured (or has a catch-all route).
  // Errors are answered here only for requests that reached a plugin: one raised by middleware the
  // app runs before these routes passes through, to the app's own error handler.
  const reached = new WeakSet<object>();
  const reach: RequestHandler = (req, _res, next) => {
    reached.add(req);
    next();
  };
  for (const mount of mounts.sort((a, b) => depth(b.path) - depth(a.path))) router.use(mount.path, reach, ...mount.handler);
  router.use(
    '/health',
    reach,
    guardHealth(authorize, env),
    createHealthRouter(statuses, { services: context.services, probeTimeoutMs, sharedState: redis ? 'redis' : 'memory' }),
  );
  const answerReached: ErrorRequestHandler = (error, req, res, next) =>
    reached.has(req) ? errorHandler(error, req, res, next) : next(error);
  router.use(answerReached);
  const unconfiguredMounts = plugins
    .filter((plugin, index) => plugin.mountPath && !statuses[index]?.configured)
    .map((plugin) => `${plugin.mountPath}/`);
  return { router, upgrades, unconfiguredMounts, authorize, routes };
}

/** Lets a request through to a plugin's routes only if its caller may call the route it asks for. */
function guardRoutes(authorize: Authorize, mountPath: string, routes: readonly RouteAccess[]): RequestHandler {
  // Promises handled here rather than by Express: Express 4 apps (`add`) ignore a rejected handler.
  return (req, res, next) => {
    authorize(req, accessOf(routes, req.method, `${mountPath}${req.path}`)).then((caller) => {
      if (caller === undefined) return next();
      res.locals.caller = caller;
      runAs(caller, next);
    }, next);
  };
}

/**
 * The `/health` summary is public, for load balancers. Live probes (many outbound calls each) and
 * the status page (demo forms) are an admin's, except from this machine in development, where
 * the demos are for. The socket's own address, not `req.ip`, which a proxy header could set.
 */
function guardHealth(authorize: Authorize, env: EnvSource): RequestHandler {
  const development = env['NODE_ENV'] !== 'production';
  return (req, _res, next) => {
    const summaryOnly = req.path === '/' && req.query['probe'] === undefined;
    if (summaryOnly || (development && isLoopback(req.socket.remoteAddress))) return next();
    authorize(req, 'admin').then(() => next(), next);
  };
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/**
 * Answers a WebSocket upgrade aimed at a plugin: its handler, or 503 while the plugin is not
 * configured. Returns false for any other path, which is the app's to answer.
 */
export function handlePluginUpgrade(plugged: PluginRouter, req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const handler = plugged.upgrades.get(path);
  const unconfigured = plugged.unconfiguredMounts.some((mount) => path.startsWith(mount));
  if (!handler && !unconfigured) return false;
  plugged.authorize(req, accessOf(plugged.routes, 'WS', path)).then(
    (caller?: Caller) => {
      if (!handler) refuseUpgrade(socket, '503 Service Unavailable');
      else if (caller === undefined) handler(req, socket, head);
      else runAs(caller, () => handler(req, socket, head));
    },
    async (error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      // Imported on a refusal, not at start-up (src/app.ts says why).
      const { STATUS_CODES } = await import('node:http');
      refuseUpgrade(socket, `${status} ${STATUS_CODES[status] ?? ''}`);
    },
  );
  return true;
}

/** Ends an upgrade request with a plain HTTP status. */
export function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function depth(mountPath: string): number {
  return mountPath.split('/').length;
}
