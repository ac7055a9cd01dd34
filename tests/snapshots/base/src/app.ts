import express from 'express';
import type { Express } from 'express';
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EnvSource } from './env.js';
import { errorHandler, notFoundHandler } from './lib/errors.js';
import { createPluginRouter, handlePluginUpgrade, refuseUpgrade } from './lib/plugin-router.js';
import type { PluginRouter } from './lib/plugin-router.js';
import { plugins } from './plugins.js';

/** The HTTP server: the app plus the WebSocket endpoints of plugins that stream (e.g. live transcription). */
export function createServer(env: EnvSource = process.env): Server {
  const plugged = createPluginRouter(plugins, env);
  const server = createHttpServer(buildApp(plugged));
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    if (!handlePluginUpgrade(plugged, req, socket, head)) refuseUpgrade(socket, '404 Not Found');
  });
  return server;
}

/** The Express app alone (no WebSocket endpoints), e.g. for supertest; `env` is injectable for tests. */
export function createApp(env: EnvSource = process.env): Express {
  return buildApp(createPluginRouter(plugins, env));
}

function buildApp({ router }: PluginRouter): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
