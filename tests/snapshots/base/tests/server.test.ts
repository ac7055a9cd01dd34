import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readServerEnv } from '../src/env.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs src/server.ts as `npm run dev` would, and resolves with how it exited. */
async function startServer(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: projectRoot, env: { ...process.env, ...env }, timeout: 30_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

describe('server start-up', () => {
  it('exits 1 with one line naming an invalid PORT, not a stack trace', async () => {
    for (const port of ['abc', '70000']) {
      const { code, stderr } = await startServer({ PORT: port });
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(`Invalid server settings: PORT must be a port number from 0 to 65535 (it is "${port}").`);
    }
  });
});

describe('readServerEnv', () => {
  it('listens on this machine only outside production, and on every interface in production', () => {
    expect(readServerEnv({})).toEqual({ PORT: 3000, HOST: '127.0.0.1' });
    expect(readServerEnv({ NODE_ENV: 'production' })).toEqual({ PORT: 3000, HOST: '0.0.0.0' });
  });

  it('reads PORT and HOST', () => {
    expect(readServerEnv({ PORT: '8080', HOST: '::', NODE_ENV: 'production' })).toEqual({ PORT: 8080, HOST: '::' });
  });
});
