import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { ciEnv, cliPath } from '../helpers/cli.js';

// The real thing: create with every plugin, install from the registry, then use the project
// the way its README says. Single-plugin projects reuse that install to stay fast.
const root = mkdtempSync(path.join(tmpdir(), 'cpa-e2e-'));
const allDir = path.join(root, 'all-plugins');
const projectEnv = { ...ciEnv, NODE_ENV: 'test' };

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, env: projectEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

function expectSuccess(result: { status: number | null; output: string }): void {
  if (result.status !== 0) throw new Error(`exit ${result.status}:\n${result.output.slice(-4000)}`);
}

describe('a generated project with every plugin', () => {
  beforeAll(() => {
    const ids = registry.map((plugin) => plugin.id).join(',');
    expectSuccess(run(process.execPath, [cliPath, 'all-plugins', '--plugins', ids, '--no-git', '--pm', 'npm'], root));
  });

  it('typechecks', () => expectSuccess(run('npm', ['run', 'typecheck'], allDir)), 120_000);

  it('passes its own tests offline', () => expectSuccess(run('npm', ['test'], allDir)), 300_000);

  describe('built and started', () => {
    let server: ChildProcess;
    let url: string;
    beforeAll(async () => {
      expectSuccess(run('npm', ['run', 'build'], allDir));
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      server = spawn(process.execPath, ['dist/server.js'], { cwd: allDir, env: { ...projectEnv, PORT: String(port) }, stdio: 'pipe' });
      await waitForServer(url);
    }, 120_000);
    afterAll(() => {
      server.kill('SIGTERM');
    });

    it('reports every plugin on GET /health, not configured without env', async () => {
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(200);
      const health = (await response.json()) as { plugins: { id: string; status: string; missing: string[] }[] };
      expect(health.plugins.map((plugin) => plugin.id)).toEqual(registry.map((plugin) => plugin.id));
      for (const plugin of health.plugins) {
        const required = registry.find((entry) => entry.id === plugin.id)?.env.filter((v) => v.required).map((v) => v.name);
        expect(plugin).toMatchObject({ status: 'not_configured', missing: required });
      }
    });

    it.each(registry.flatMap((plugin) => plugin.endpoints.filter((e) => e.method !== 'WS').map((e) => [`${e.method} ${e.path}`, e, plugin] as const)))(
      '%s answers 503 naming the missing variables',
      async (_name, endpoint, plugin) => {
        const response = await fetch(`${url}${endpoint.path.replaceAll(/:(\w+)/g, 'example')}`, {
          method: endpoint.method,
          headers: { 'content-type': 'application/json' },
          body: endpoint.method === 'GET' || endpoint.method === 'DELETE' ? undefined : '{}',
        });
        expect(response.status).toBe(503);
        const body = (await response.json()) as { error: { message: string } };
        for (const variable of plugin.env.filter((v) => v.required)) expect(body.error.message).toContain(variable.name);
      },
    );
  });
});

describe.each([...registry.map((plugin) => [plugin.id]), ['none']])('a generated project with only %s', (id) => {
  const dir = path.join(root, `only-${id}`);
  beforeAll(() => {
    expectSuccess(run(process.execPath, [cliPath, `only-${id}`, '--plugins', id, '--no-install', '--no-git'], root));
    symlinkSync(path.join(allDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  });

  it('typechecks and passes its own tests', () => {
    expectSuccess(run('npm', ['run', 'typecheck'], dir));
    expectSuccess(run('npm', ['test'], dir));
  }, 300_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForServer(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await fetch(`${url}/health`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`The server did not start at ${url}.`);
}
