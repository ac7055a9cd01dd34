import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppOptions } from '../../src/app.js';
import { createServer as createAppServer } from '../../src/app.js';
import type { EnvSource } from '../../src/env.js';
import type { ProviderPlugin } from '../../src/lib/plugin.js';

/** A server listening on a free local port. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Who a test calls the app as: its operator (an admin), a signed-in user, or nobody. */
export type TestCaller = 'admin' | 'user' | 'anonymous';

/** The app a test talks to: the plugins it loads and the settings they read. */
export interface TestApp {
  plugins: readonly ProviderPlugin<unknown>[];
  env: EnvSource;
}

/** What startApp loads and whom it calls as, besides what the app itself lets a test replace. */
export interface StartAppOptions extends AppOptions {
  plugins: ProviderPlugin<unknown>[];
  as?: TestCaller;
}

/** Credentials every test app accepts, unless a test's own environment replaces them. */
export const TEST_AUTH_ENV = {
  API_TOKEN: 'test-api-token-0123456789abcdefghijklmnopqrstuvwxyz',
  JWT_SECRET: 'test-jwt-secret-0123456789abcdefghijklmnopqrstuvwxyz',
};

// A deployment gives up on a live probe after 5 s. A busy machine can take that long to load a
// provider's SDK on the first call, so tests give probes as long as a test takes (vitest.config.ts).
const TEST_PROBE_TIMEOUT_MS = 60_000;

/**
 * The environment of a test app: `env` over the test credentials, with an embedded database (when
 * a plugin uses one) in memory and the request log silent, unless `env` says otherwise.
 */
export function testEnv(env: EnvSource): EnvSource {
  return { ...TEST_AUTH_ENV, PGLITE_DATA_DIR: 'memory://', NODE_ENV: 'test', ...env };
}

/**
 * Starts the real app, WebSocket endpoints included, with only the given plugins (a plugin's
 * tests load that plugin and what it works with, not every installed one) and `testEnv(env)`:
 * nothing is read from .env. Requests without an Authorization header are sent `as` the given
 * caller (default: the operator), so a plugin's tests are about the plugin;
 * tests/access.test.ts is about who may call what.
 */
export function startApp(env: EnvSource, { plugins, as = 'admin', ...options }: StartAppOptions): Promise<RunningServer> {
  const settings = testEnv(env);
  const server = createAppServer(plugins, settings, { probeTimeoutMs: TEST_PROBE_TIMEOUT_MS, ...options });
  const authorization = authorizationFor(as, { plugins, env: settings });
  if (authorization !== undefined) {
    const addCredentials = (req: IncomingMessage) => {
      if (req.headers.authorization === undefined) req.headers.authorization = authorization;
    };
    server.prependListener('request', addCredentials);
    server.prependListener('upgrade', addCredentials);
  }
  return listen(server);
}

/** The Authorization header of a caller of `app`, or undefined for `anonymous`. */
export function authorizationFor(caller: TestCaller, { env }: TestApp): string | undefined {
  if (caller === 'anonymous') return undefined;
  // Without an auth plugin the only credential is API_TOKEN, and its holder is the operator.
  if (caller === 'user') throw new Error("A user token needs an auth plugin (jwt-service): API_TOKEN is the operator's.");
  return `Bearer ${env['API_TOKEN']}`;
}

/** Starts a stand-in for a provider's API, so tests never leave the machine. */
export function startMock(handler: RequestListener): Promise<RunningServer> {
  return listen(createServer(handler));
}

/** Reads a whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function listen(server: Server): Promise<RunningServer> {
  // No idle timeout at all: a client that reuses a connection just as the server closes it gets
  // ECONNRESET, and a busy machine can make a test that slow. close() ends every connection.
  server.keepAliveTimeout = 0;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => {
          server.closeAllConnections();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}
