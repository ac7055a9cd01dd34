import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { HttpError } from '../src/lib/errors.js';
import type { PluginStatus } from '../src/lib/health.js';
import { createHealthRouter } from '../src/lib/health.js';
import type { PluginInstance, ProviderPlugin } from '../src/lib/plugin.js';
import { definePlugin } from '../src/lib/plugin.js';
import { createPluginRouter } from '../src/lib/plugin-router.js';
import { plugins } from '../src/plugins.js';
import type { RunningServer } from './helpers/http.js';
import { startApp, startMock } from './helpers/http.js';

interface PluginReport {
  id: string;
  name: string;
  status: 'ok' | 'failing' | 'not_running' | 'not_configured';
  mountPath?: string;
  demo?: { widget: string; endpoint: string };
  latencyMs?: number;
  message?: string;
  missing?: string[];
  invalid?: { name: string; message: string }[];
}

interface HealthReport {
  status: 'ok' | 'degraded';
  plugins: PluginReport[];
}

describe('GET /health with no provider configured', () => {
  let app: RunningServer;
  beforeAll(async () => {
    app = await startApp({}, { plugins });
  });
  afterAll(() => app.close());

  it('lists every installed plugin with its mount path and demo', async () => {
    const response = await fetch(`${app.url}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as HealthReport;
    expect(body.plugins.map((plugin) => plugin.id)).toEqual(plugins.map((plugin) => plugin.id));
    for (const [index, plugin] of plugins.entries()) {
      const report = body.plugins[index];
      expect(report?.mountPath).toBe(plugin.mountPath);
      expect(report?.demo).toEqual(
        plugin.demo && { widget: plugin.demo.widget, endpoint: `${plugin.mountPath ?? ''}${plugin.demo.endpoint ?? ''}` },
      );
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${app.url}/no-such-route`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { message: 'No route for GET /no-such-route.' } });
  });
});

// Stand-in plugins, so the behaviour of /health does not depend on which plugins are installed.
function fakePlugin(id: string, instance: PluginInstance, extra: Partial<ProviderPlugin<unknown>> = {}): ProviderPlugin<unknown> {
  return definePlugin<unknown>({ id, name: `Plugin ${id}`, env: z.object({}), setup: () => instance, ...extra });
}

const needsKey = definePlugin({
  id: 'needs-key',
  name: 'Needs a key',
  mountPath: '/api/needs-key',
  demo: { widget: 'email', endpoint: '/send' },
  env: z.object({ NEEDS_KEY_API_KEY: z.string().min(1) }),
  setup: () => ({}),
}) as ProviderPlugin<unknown>;

describe('GET /health over stand-in plugins', () => {
  const servers: RunningServer[] = [];
  // Failing probes are logged, local servers not running too: kept here, out of the test output, for the tests to read.
  const serverLog: string[] = [];
  beforeAll(() => {
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void serverLog.push(String(line)));
    vi.spyOn(console, 'warn').mockImplementation((line: unknown) => void serverLog.push(String(line)));
  });
  afterEach(async () => {
    serverLog.length = 0;
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  async function serve(pluginList: ProviderPlugin<unknown>[]): Promise<string> {
    const app = express().use(createPluginRouter(pluginList, {}).router);
    const server = await startMock(app);
    servers.push(server);
    return server.url;
  }

  async function health(url: string, query = ''): Promise<HealthReport> {
    const response = await fetch(`${url}/health${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return (await response.json()) as HealthReport;
  }

  it('reports the demo endpoint in full and names the missing variables, without probing', async () => {
    let probes = 0;
    const url = await serve([
      fakePlugin('storage', { probe: async () => void probes++ }, { mountPath: '/api/files', demo: { widget: 'storage' } }),
      needsKey,
    ]);

    expect(await health(url)).toEqual({
      status: 'degraded',
      // Without REDIS_URL, rate-limit counters and other state shared by requests stay in this process.
      sharedState: 'memory',
      resources: {},
      plugins: [
        {
          id: 'storage',
          name: 'Plugin storage',
          status: 'ok',
          mountPath: '/api/files',
          demo: { widget: 'storage', endpoint: '/api/files' },
        },
        {
          id: 'needs-key',
          name: 'Needs a key',
          status: 'not_configured',
          mountPath: '/api/needs-key',
          demo: { widget: 'email', endpoint: '/api/needs-key/send' },
          missing: ['NEEDS_KEY_API_KEY'],
          invalid: [],
        },
      ],
    });
    expect(probes).toBe(0);
  });

  it('runs the probes with ?probe=1, all at once, and reports their latency and failures', async () => {
    // Each probe waits until both have started: run one after the other, they would never finish.
    let started = 0;
    let release: () => void = () => undefined;
    const bothStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    const waitForTheOther = async () => {
      started += 1;
      if (started === 2) release();
      await bothStarted;
    };
    const url = await serve([
      fakePlugin('up', { probe: waitForTheOther }),
      fakePlugin('down', {
        probe: async () => {
          await waitForTheOther();
          throw new HttpError(401, 'Plugin down rejected the credentials. Check the API key.');
        },
      }),
      fakePlugin('no-probe', {}),
      needsKey,
    ]);

    const report = await health(url, '?probe=1');

    expect(report.status).toBe('degraded');
    const [up, down, noProbe, unconfigured] = report.plugins;
    expect(up).toMatchObject({ id: 'up', status: 'ok', latencyMs: expect.any(Number) });
    expect(down).toMatchObject({
      id: 'down',
      status: 'failing',
      message: 'Plugin down rejected the credentials. Check the API key.',
      latencyMs: expect.any(Number),
    });
    expect(noProbe).toEqual({ id: 'no-probe', name: 'Plugin no-probe', status: 'ok' });
    expect(unconfigured).toMatchObject({ id: 'needs-key', status: 'not_configured' });
  });

  it('keeps addresses out of probe failures: generic message to the caller, details in the server log', async () => {
    const url = await serve([
      fakePlugin('refused', {
        probe: async () => {
          throw new Error('connect ECONNREFUSED 10.0.0.5:11434');
        },
      }),
      fakePlugin('local', {
        probe: async () => {
          throw new HttpError(503, 'Plugin local is not reachable at http://10.0.0.5:11434.');
        },
      }),
    ]);

    const report = await health(url, '?probe=1');

    expect(report.plugins.map(({ id, status, message }) => ({ id, status, message }))).toEqual([
      {
        id: 'refused',
        status: 'failing',
        message: 'Could not reach Plugin refused: check its settings and network; details are in the server log.',
      },
      {
        id: 'local',
        status: 'failing',
        message: 'Could not reach Plugin local: check its settings and network; details are in the server log.',
      },
    ]);
    expect(serverLog.sort()).toEqual([
      'Health probe of Plugin local failed: HttpError: Plugin local is not reachable at http://10.0.0.5:11434.',
      'Health probe of Plugin refused failed: Error: connect ECONNREFUSED 10.0.0.5:11434',
    ]);
  });

  describe('a local server (Ollama, LM Studio) that nothing answers for', () => {
    const notStarted = new HttpError(503, 'Plugin local is not reachable at http://localhost:11434. Start it.');
    const local = (probe: PluginInstance['probe']) => fakePlugin('local', { probe }, { localServer: true });

    it('is not running, a neutral state with its own message, and the address goes to the server log only', async () => {
      const url = await serve([
        local(async () => {
          throw notStarted;
        }),
        // The same answer from a provider elsewhere is an outage.
        fakePlugin('remote', {
          probe: async () => {
            throw notStarted;
          },
        }),
      ]);

      const report = await health(url, '?probe=1');

      expect(report.plugins.map(({ id, status, message }) => ({ id, status, message }))).toEqual([
        { id: 'local', status: 'not_running', message: 'Plugin local is not running. Start it, or check its address in .env.' },
        {
          id: 'remote',
          status: 'failing',
          message: 'Could not reach Plugin remote: check its settings and network; details are in the server log.',
        },
      ]);
      expect(serverLog).toContain(
        'Health probe: Plugin local is not running: HttpError: Plugin local is not reachable at http://localhost:11434. Start it.',
      );
    });

    it('is failing when it answers with an error, or lets the probe time out', async () => {
      const statuses: PluginStatus[] = [
        {
          id: 'erring',
          name: 'Erring',
          localServer: true,
          configured: true,
          instance: { probe: () => Promise.reject(new HttpError(502, 'Erring failed (status 500): out of memory')) },
        },
        {
          id: 'stuck',
          name: 'Stuck',
          localServer: true,
          configured: true,
          instance: {
            // What a provider SDK makes of the aborted probe: the same 503 as a server that is not there.
            probe: (signal) =>
              new Promise((_resolve, reject) =>
                signal.addEventListener('abort', () => reject(new HttpError(503, 'Stuck could not be reached. Try again later.'))),
              ),
          },
        },
      ];
      const server = await startMock(express().use('/health', createHealthRouter(statuses, { probeTimeoutMs: 50 })));
      servers.push(server);

      const report = await health(server.url, '?probe=1');

      expect(report.plugins.map(({ id, status }) => ({ id, status }))).toEqual([
        { id: 'erring', status: 'failing' },
        { id: 'stuck', status: 'failing' },
      ]);
    });
  });

  describe('a plugin that serves through others (the shared AI chat, the default storage)', () => {
    const through = (servedBy: () => string[]) => fakePlugin('shared', { servedBy }, { mountPath: '/api/shared' });
    const notStarted = async () => {
      throw new HttpError(503, 'Plugin local is not reachable.');
    };

    it('is not configured while none of them is, with the reason its routes give', async () => {
      const url = await serve([
        through(() => {
          throw new HttpError(503, 'No provider is configured. Set the API key of one in .env and restart.');
        }),
      ]);

      expect((await health(url)).plugins).toEqual([
        {
          id: 'shared',
          name: 'Plugin shared',
          mountPath: '/api/shared',
          status: 'not_configured',
          missing: [],
          invalid: [],
          message: 'No provider is configured. Set the API key of one in .env and restart.',
        },
      ]);
    });

    it('is as live as the best of them once they are probed', async () => {
      const url = await serve([
        fakePlugin('up', { probe: async () => undefined }),
        fakePlugin('down', { probe: () => Promise.reject(new HttpError(502, 'Plugin down rejected the credentials. Check the API key.')) }),
        fakePlugin('local', { probe: notStarted }, { localServer: true }),
        fakePlugin('up-and-local', { servedBy: () => ['local', 'up'] }),
        fakePlugin('local-only', { servedBy: () => ['local'] }),
        fakePlugin('down-and-local', { servedBy: () => ['down', 'local'] }),
        fakePlugin('down-only', { servedBy: () => ['down'] }),
      ]);

      const unprobed = await health(url);
      expect(unprobed.plugins.slice(3).map(({ id, status }) => ({ id, status }))).toEqual([
        { id: 'up-and-local', status: 'ok' },
        { id: 'local-only', status: 'ok' },
        { id: 'down-and-local', status: 'ok' },
        { id: 'down-only', status: 'ok' },
      ]);
      const probed = await health(url, '?probe=1');
      expect(probed.plugins.slice(3).map(({ id, status, message }) => ({ id, status, message }))).toEqual([
        { id: 'up-and-local', status: 'ok', message: undefined },
        { id: 'local-only', status: 'not_running', message: 'None of the plugins it serves through is up: Plugin local is not running.' },
        {
          id: 'down-and-local',
          status: 'not_running',
          message: 'None of the plugins it serves through is up: Plugin down is failing; Plugin local is not running.',
        },
        { id: 'down-only', status: 'failing', message: 'None of the plugins it serves through is up: Plugin down is failing.' },
      ]);
    });
  });

  it('reports ok overall when every probe passes', async () => {
    const url = await serve([fakePlugin('up', { probe: async () => undefined })]);
    expect((await health(url, '?probe=1')).status).toBe('ok');
  });

  it('gives up on a probe that outlives its timeout', async () => {
    const hanging: PluginInstance = {
      probe: (signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('The probe timed out.')));
        }),
    };
    const statuses: PluginStatus[] = [{ id: 'hanging', name: 'Hanging', configured: true, instance: hanging }];
    const server = await startMock(express().use('/health', createHealthRouter(statuses, { probeTimeoutMs: 50 })));
    servers.push(server);

    // The probe never settles by itself: only the timeout's abort ends it, whatever the machine's speed.
    const report = await health(server.url, '?probe=1');

    expect(report.plugins[0]).toMatchObject({
      status: 'failing',
      message: 'Could not reach Hanging: check its settings and network; details are in the server log.',
    });
    expect(serverLog).toEqual(['Health probe of Hanging failed: Error: The probe timed out.']);
  });
});
