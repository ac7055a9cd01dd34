import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import express from 'express';
import helmet from 'helmet';
import type { DestinationStream } from 'pino';
import { API_REFERENCE_PATH, createApiReferenceRouter } from './api-reference.js';
import type { EnvSource, ServerSettings } from './env.js';
import { readServerEnv } from './env.js';
import { healthUi } from './health-ui.js';
import { errorHandler, notFoundHandler } from './lib/errors.js';
import type { ProviderPlugin } from './lib/plugin.js';
import type { PluginRouter } from './lib/plugin-router.js';
import { createPluginRouter, handlePluginUpgrade, refuseUpgrade } from './lib/plugin-router.js';
import { sharedRedis } from './lib/redis.js';
import { corsPolicy, globalRateLimit, probeRateLimit, requestLogger } from './middleware.js';
import { createOpenApiRouter } from './openapi.js';

// Not `import ... from 'node:http'`: as an ES module, node:http loads Node's fetch implementation
// (undici) for exports nobody here uses, tens of milliseconds. getBuiltinModule gives it as require does.
const { createServer: createHttpServer } = process.getBuiltinModule('node:http');

const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** What a test may replace: where the request log goes (stdout by default), how long a live probe may take. */
export interface AppOptions {
  logDestination?: DestinationStream;
  probeTimeoutMs?: number;
}

/**
 * The HTTP server: the app plus the WebSocket endpoints of plugins that stream (e.g. live
 * transcription). src/server.ts passes every installed plugin (src/plugins.ts); a test, the few it is about.
 */
export function createServer(plugins: ProviderPlugin<unknown>[], env: EnvSource = process.env, options: AppOptions = {}): Server {
  const settings = readServerEnv(env);
  const plugged = createPluginRouter(plugins, env, options);
  const server = createHttpServer(buildApp(plugins, plugged, settings, env, options));
  // An idle connection stays open longer than clients and load balancers keep theirs (Node's fetch:
  // 4 s, AWS's load balancers: 60 s), so it is always the client that closes it. With Node's 5 s, a
  // request can arrive on a connection the server is just closing: a reset, or a 502 from the balancer.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    if (!handlePluginUpgrade(plugged, req, socket, head)) refuseUpgrade(socket, '404 Not Found');
  });
  return server;
}

/** The Express app alone (no WebSocket endpoints), e.g. for supertest; `env` is injectable for tests. */
export function createApp(plugins: ProviderPlugin<unknown>[], env: EnvSource = process.env, options: AppOptions = {}): Express {
  const settings = readServerEnv(env);
  return buildApp(plugins, createPluginRouter(plugins, env, options), settings, env, options);
}

// The order is the policy: each line sees only the requests that the lines above let through.
// There is no app-wide body parser: each route parses its own body with its own limit (JSON, uploads),
// and the Stripe webhook needs the raw bytes to check their signature.
function buildApp(
  plugins: ProviderPlugin<unknown>[],
  { router }: PluginRouter,
  settings: ServerSettings,
  env: EnvSource,
  { logDestination }: AppOptions,
): Express {
  const app = express();
  app.set('trust proxy', settings.TRUST_PROXY);
  app.use(helmet());
  app.use(corsPolicy(settings.CORS_ORIGINS));
  app.use(requestLogger(settings.LOG_LEVEL, logDestination));
  // With REDIS_URL, every instance counts against the same limits.
  const redis = sharedRedis(settings.REDIS_URL);
  app.use(globalRateLimit(settings.RATE_LIMIT_GLOBAL_PER_MINUTE, redis));
  app.use('/health', probeRateLimit(settings.RATE_LIMIT_PROBES_PER_MINUTE, redis));
  // The API contract is public, like the /health summary; the page that renders it is for development.
  app.use(createOpenApiRouter(plugins));
  if (env['NODE_ENV'] !== 'production') app.use(API_REFERENCE_PATH, createApiReferenceRouter());
  // The plugins' routes and /health, behind everything above and the access policy (src/lib/access.ts):
  // every route needs a token unless its plugin marks it public. README.md lists who may call what.
  app.use(router);
  // The status page, optional (delete this line to go without it). After the router, whose /health
  // guard decides who may open it.
  app.use('/health/ui', healthUi());
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
