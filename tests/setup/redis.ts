import { spawn, spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { freePort } from '../helpers/net.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A throwaway Redis for the tests of several instances; empty when none could start. */
    redisUrl: string;
  }
}

/** A redis-server started by a test, and how to stop it. */
export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Whether Debian's redis-server (as .ci/system-packages.sh installs it) is on the PATH. */
export const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Starts redis-server on `port` (a free one by default), in memory only, and resolves once it
 * accepts connections. A test may stop it and start another on the same port to play an outage.
 */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const listenOn = port ?? (await freePort());
  const server = spawn('redis-server', ['--port', String(listenOn), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${output.slice(-2000)}`)));
  });
  return {
    url: `redis://127.0.0.1:${listenOn}`,
    port: listenOn,
    async stop() {
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Starts a throwaway Redis for the end-to-end tests and stops it afterwards. TEST_REDIS_URL
 * points at an existing server instead.
 */
export default async function startRedis(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env['TEST_REDIS_URL'];
  if (given || !hasRedisServer) {
    project.provide('redisUrl', given ?? '');
    return undefined;
  }
  const server = await startRedisServer();
  project.provide('redisUrl', server.url);
  return () => server.stop();
}
