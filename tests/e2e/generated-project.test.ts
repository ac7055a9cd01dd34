import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { layers } from '../../generators/layers.js';
import { everyPluginConfigured } from '../../scripts/provider-settings.mjs';
import { cliPath } from '../helpers/cli.js';
import { projectEnv, projectNode } from '../helpers/generated-project.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { adminAuthorization, JWT_SECRET } from '../helpers/tokens.js';

// The real thing: create with every plugin, install from the registry, then use the project
// the way its README says, on Node 24 (the CLI itself runs on this machine's Node). Single-plugin
// projects reuse that install to stay fast.
const root = mkdtempSync(path.join(tmpdir(), 'cpa-e2e-'));
const allDir = path.join(root, 'all-plugins');

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd, env: { ...projectEnv, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** Like run, but leaves the event loop free (for servers started by the test itself). */
function runAsync(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...projectEnv, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

function expectSuccess(result: { status: number | null; output: string }): void {
  if (result.status !== 0) throw new Error(`exit ${result.status}:\n${result.output.slice(-4000)}`);
}

describe('a generated project with every plugin', () => {
  beforeAll(() => {
    const ids = registry.map((plugin) => plugin.id).join(',');
    expectSuccess(run(process.execPath, [cliPath, 'all-plugins', '--plugins', ids, '--no-git', '--pm', 'npm'], root));
  });

  it('runs its scripts on Node 24, which its engines field accepts', () => {
    // npm runs scripts with the Node it runs on, and names it in their environment.
    const { output } = run('npm', ['run', 'env'], allDir);
    expect(/^NODE=(.*)$/m.exec(output)?.[1]).toBe(projectNode);
    expect(spawnSync(projectNode, ['-p', 'process.version'], { encoding: 'utf8' }).stdout).toMatch(/^v24\./);
    expect(JSON.parse(readFileSync(path.join(allDir, 'package.json'), 'utf8')).engines).toEqual({ node: '>=22.12.0' });
  });

  it('typechecks', () => expectSuccess(run('npm', ['run', 'typecheck'], allDir)), 120_000);

  it('passes its own tests offline', () => expectSuccess(run('npm', ['test'], allDir)), 300_000);

  // tests/setup/postgres.ts starts a real PostgreSQL: the same tests then run against it instead of the
  // embedded database. Without one (no Debian postgresql package) the test says so by being skipped.
  const postgres = inject('databaseUrl');
  it.skipIf(!postgres)(
    'passes its database tests against PostgreSQL',
    () => {
      expectSuccess(
        run(
          'npx',
          [
            'vitest',
            'run',
            'tests/database.test.ts',
            'tests/usage-tracker.test.ts',
            'tests/api-key-manager.test.ts',
            'tests/stripe.test.ts',
          ],
          allDir,
          { DATABASE_URL: postgres },
        ),
      );
    },
    300_000,
  );

  describe('create-provider-app doctor', () => {
    const doctor = (env: Record<string, string>) => runAsync(process.execPath, [cliPath, 'doctor', '--json'], allDir, env);

    it('names missing and invalid variables, and passes with local servers that nobody started', async () => {
      // Nothing listens on port 9 (discard): connections are refused, as when Ollama is not started.
      const { status, stdout } = await doctor({
        OLLAMA_ENDPOINT: 'http://127.0.0.1:9',
        LMSTUDIO_ENDPOINT: 'http://127.0.0.1:9',
        JWT_SECRET: 'too short',
      });
      const report = JSON.parse(stdout) as {
        ok: boolean;
        plugins: { id: string; status: string; missing: string[]; invalid: { name: string; message: string }[] }[];
      };
      expect(report.plugins.find((plugin) => plugin.id === 'stripe')).toMatchObject({
        status: 'not_configured',
        missing: ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET'],
      });
      expect(report.plugins.find((plugin) => plugin.id === 'jwt-service')).toMatchObject({
        status: 'not_configured',
        invalid: [{ name: 'JWT_SECRET', message: 'must be at least 32 characters' }],
      });
      expect(
        report.plugins
          .filter((plugin) => plugin.status === 'not_running')
          .map((plugin) => plugin.id)
          .sort(),
      ).toEqual(['lmstudio', 'ollama']);
      expect(report.ok).toBe(true);
      expect(status).toBe(0);
    });

    it('fails when a configured provider answers with an error', async () => {
      const broken = createHttpServer((_req, res) => {
        res.statusCode = 500;
        res.end('{"error":"out of memory"}');
      });
      await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
      const address = broken.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      try {
        const { status, stdout } = await doctor({ OLLAMA_ENDPOINT: base, LMSTUDIO_ENDPOINT: base });
        const report = JSON.parse(stdout) as { ok: boolean; plugins: { id: string; status: string }[] };
        expect(report.plugins.find((plugin) => plugin.id === 'ollama')).toMatchObject({ status: 'failing' });
        expect(report.ok).toBe(false);
        expect(status).toBe(1);
      } finally {
        broken.close();
      }
    });

    it('passes when every configured plugin answers its probe', async () => {
      // Ollama and LM Studio need no settings, so they are always configured: a stand-in answers both.
      const local = createHttpServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(
          req.url?.startsWith('/api/tags')
            ? '{"models":[]}'
            : '{"object":"list","data":[{"id":"local-model","object":"model","owned_by":"me"}]}',
        );
      });
      await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
      const address = local.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      try {
        const { status, stdout } = await doctor({ OLLAMA_ENDPOINT: base, LMSTUDIO_ENDPOINT: base, JWT_SECRET: 'x'.repeat(40) });
        const report = JSON.parse(stdout) as { ok: boolean; plugins: { id: string; status: string }[] };
        expect(report.plugins.filter((plugin) => plugin.status === 'failing')).toEqual([]);
        expect(report.plugins.find((plugin) => plugin.id === 'jwt-service')?.status).toBe('ok');
        expect(status).toBe(0);
      } finally {
        local.close();
      }
    });
  });

  describe('built and started', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      expectSuccess(run('npm', ['run', 'build'], allDir));
      // JWT_SECRET alone: the access policy can check tokens, and every provider is unconfigured.
      server = await startServerProcess(projectNode, ['dist/server.js'], { cwd: allDir, env: { ...projectEnv, JWT_SECRET } });
    }, 120_000);
    afterAll(() => server?.stop());

    it('reports every plugin on GET /health, not configured without env', async () => {
      const response = await server.fetch('/health');
      expect(response.status).toBe(200);
      const health = (await response.json()) as { plugins: { id: string; status: string; missing: string[] }[] };
      // Shared layers (the AI chat route, the default storage routes) are listed after the plugins.
      const plugins = health.plugins.filter((plugin) => registry.some((entry) => entry.id === plugin.id));
      expect(plugins.map((plugin) => plugin.id)).toEqual(registry.map((plugin) => plugin.id));
      const unconfigured = plugins.filter(
        (entry) => entry.id !== 'jwt-service' && registry.find((definition) => definition.id === entry.id)?.env.some((v) => v.required),
      );
      for (const plugin of unconfigured) {
        const required = registry
          .find((entry) => entry.id === plugin.id)
          ?.env.filter((v) => v.required)
          .map((v) => v.name);
        expect(plugin).toMatchObject({ status: 'not_configured', missing: required });
      }
    });

    it('serves its OpenAPI document from the build, and the API reference page outside production', async () => {
      const document = (await (await server.fetch('/openapi.json')).json()) as {
        openapi: string;
        info: { title: string };
        paths: Record<string, unknown>;
      };
      expect(document).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./), info: { title: 'all-plugins' } });
      expect(Object.keys(document.paths)).toContain('/api/payments/create-payment-intent');
      const page = await server.fetch('/docs/');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('swagger-ui-bundle.js');
    });

    // Plugins without a required variable (usage-tracker, the local LLM servers) are always configured.
    const needSettings = registry.filter((plugin) => plugin.id !== 'jwt-service' && plugin.env.some((variable) => variable.required));
    it.each(
      needSettings.flatMap((plugin) =>
        plugin.endpoints.filter((e) => e.method !== 'WS').map((e) => [`${e.method} ${e.path}`, e, plugin] as const),
      ),
    )('%s answers 503 naming the missing variables', async (_name, endpoint, plugin) => {
      const response = await server.fetch(endpoint.path.replaceAll(/:(\w+)/g, 'example'), {
        method: endpoint.method,
        headers: { 'content-type': 'application/json', authorization: adminAuthorization() },
        body: endpoint.method === 'GET' || endpoint.method === 'DELETE' ? undefined : '{}',
      });
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { message: string } };
      for (const variable of plugin.env.filter((v) => v.required)) expect(body.error.message).toContain(variable.name);
    });
  });

  describe('started with every required variable set and providers unreachable', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServerProcess(projectNode, ['dist/server.js'], {
        cwd: allDir,
        env: { ...projectEnv, ...unreachableProviders() },
      });
    }, 120_000);
    afterAll(() => server?.stop());

    it('starts from its bundle and answers /health without loading a provider SDK, or node:http as an ES module', async () => {
      // Module hooks log every ES module a server of its own loads (an SDK's entry point included, however
      // it is built). Only here: the hooks run on a thread of their own, which the other tests need not.
      const loadLog = path.join(root, 'loaded-modules.txt');
      const hooks = path.join(root, 'log-loads.mjs');
      writeFileSync(
        hooks,
        `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(loadLog)}, url + '\\n'); return next(url, context); }\n`,
      );
      const register = path.join(root, 'register-log-loads.mjs');
      writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
      const logged = await startServerProcess(projectNode, ['--import', pathToFileURL(register).href, 'dist/server.js'], {
        cwd: allDir,
        env: { ...projectEnv, ...unreachableProviders() },
      });
      logged.stop();
      const loaded = readFileSync(loadLog, 'utf8').split('\n');
      const packages = new Set(loaded.map((url) => url.match(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1]));
      // The embedded database is the one dependency that start-up opens, by design (in the background).
      const onFirstUse = [...registry, ...Object.values(layers)]
        .flatMap((part) => Object.keys(part.dependencies ?? {}))
        .filter((name) => name !== '@electric-sql/pglite');
      expect(onFirstUse.filter((name) => packages.has(name))).toEqual([]);
      // The build bundles the framework with our code (scripts/build.mjs): Node loads a few files, not hundreds.
      expect(['express', 'zod', 'pino', 'helmet'].filter((name) => packages.has(name))).toEqual([]);
      expect(loaded.filter((url) => url.includes('/dist/')).length).toBeLessThan(60);
      // As an ES module, node:http loads Node's fetch implementation for exports the app does not use.
      expect(loaded).not.toContain('node:http');
    }, 120_000);

    it('reports every plugin as configured', async () => {
      const health = (await (await server.fetch('/health')).json()) as { plugins: { id: string; status: string }[] };
      expect(health.plugins.filter((plugin) => plugin.status !== 'ok')).toEqual([]);
    });

    const withBody = registry.flatMap((plugin) =>
      plugin.endpoints
        .filter((e) => ['POST', 'PUT', 'PATCH'].includes(e.method) && !ACCEPTS_EMPTY_BODY.has(e.path))
        .map((e) => [`${e.method} ${e.path}`, e] as const),
    );
    it.each(withBody)('%s answers 400 to an invalid body', async (_name, endpoint) => {
      const response = await server.fetch(endpoint.path.replaceAll(/:(\w+)/g, 'example'), {
        method: endpoint.method,
        // The access policy checks the token before the route reads the body.
        headers: { 'content-type': 'application/json', authorization: adminAuthorization() },
        body: JSON.stringify({ unexpected: [1, 2, 3] }),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).not.toMatch(/\n\s+at /);
    });

    const reads = registry.flatMap((plugin) =>
      plugin.endpoints.filter((e) => e.method === 'GET' || e.method === 'DELETE').map((e) => [`${e.method} ${e.path}`, e] as const),
    );
    it.each(reads)('%s never answers 404 or 500 when the provider is down', async (_name, endpoint) => {
      const response = await server.fetch(endpoint.path.replaceAll(/:(\w+)/g, 'example'), {
        method: endpoint.method,
        redirect: 'manual',
        headers: { authorization: adminAuthorization() },
      });
      expect([404, 500]).not.toContain(response.status);
    });
  });
});

// Endpoints whose body is optional by design.
const ACCEPTS_EMPTY_BODY = new Set(['/auth/logout']);

// Every plugin configured, and every provider address a closed local port.
function unreachableProviders(): Record<string, string> {
  return { ...everyPluginConfigured(registry, 'test-value-0123456789abcdef0123456789abcdef'), JWT_SECRET, PGLITE_DATA_DIR: 'memory://' };
}

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
