import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createAppServer } from '../../src/app.js';
import type { EnvSource } from '../../src/env.js';

/** A server listening on a free local port. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the real app, WebSocket endpoints included, with the given environment (nothing is read
 * from .env). An embedded database, when a plugin uses one, lives in memory unless a test says otherwise.
 */
export function startApp(env: EnvSource): Promise<RunningServer> {
  return listen(createAppServer({ PGLITE_DATA_DIR: 'memory://', ...env }));
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
