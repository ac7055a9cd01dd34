import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createAppServer } from '../../src/app.js';
import type { AppOptions } from '../../src/app.js';
import type { EnvSource } from '../../src/env.js';

/** A server listening on a free local port. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Who a test calls the app as: its operator (an admin), a signed-in user, or nobody. */
export type TestCaller = 'admin' | 'user' | 'anonymous';

/** Credentials every test app accepts, unless a test's own environment replaces them. */
export const TEST_AUTH_ENV = {
  API_TOKEN: 'test-api-token-0123456789abcdefghijklmnopqrstuvwxyz',
  JWT_SECRET: 'test-jwt-secret-0123456789abcdefghijklmnopqrstuvwxyz',
};

/**
 * Starts the real app, WebSocket endpoints included, with the given environment (nothing is read
 * from .env). An embedded database, when a plugin uses one, lives in memory unless a test says
 * otherwise; the request log is silent unless LOG_LEVEL says otherwise. Requests without an
 * Authorization header are sent `as` the given caller (default: the operator), so a plugin's tests
 * are about the plugin; tests/access.test.ts is about who may call what.
 */
export function startApp(env: EnvSource, { as = 'admin', ...options }: AppOptions & { as?: TestCaller } = {}): Promise<RunningServer> {
  const settings = { ...TEST_AUTH_ENV, PGLITE_DATA_DIR: 'memory://', NODE_ENV: 'test', ...env };
  const server = createAppServer(settings, options);
  const authorization = authorizationFor(as, settings);
  if (authorization !== undefined) {
    const addCredentials = (req: IncomingMessage) => {
      if (req.headers.authorization === undefined) req.headers.authorization = authorization;
    };
    server.prependListener('request', addCredentials);
    server.prependListener('upgrade', addCredentials);
  }
  return listen(server);
}

/** The Authorization header of a caller, or undefined for `anonymous`. */
export function authorizationFor(caller: TestCaller, env: EnvSource): string | undefined {
  if (caller === 'anonymous') return undefined;
  // Without an auth plugin the only credential is API_TOKEN, and its holder is the operator.
  if (caller === 'user') throw new Error('A user token needs an auth plugin (jwt-service): API_TOKEN is the operator\'s.');
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
  // Node closes a kept-alive connection after 5 idle seconds, and a client that reuses it at that
  // moment gets ECONNRESET: on a busy machine a test can be that slow. close() ends every connection.
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
