import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPluginEnv } from '../src/env.js';
import { plugins } from '../src/plugins.js';
import type { RunningServer } from './helpers/http.js';
import { startApp, testEnv } from './helpers/http.js';

// Every installed plugin that needs settings, and what it lacks in an app given none but the test
// credentials: from each plugin's own `env` schema, so a plugin added to src/plugins.ts is covered
// here without anyone listing it.
const unconfigured = plugins.flatMap((plugin) => {
  const settings = readPluginEnv(plugin.env, testEnv({}));
  return settings.ok === false ? [{ plugin, missing: settings.missing }] : [];
});

// `:key`, `:id` ... stand for any value: the plugin refuses before a route reads it.
const concrete = (path: string) => path.replace(/:\w+/g, 'x');

interface ErrorBody {
  error: { message: string };
}

let app: RunningServer;
beforeAll(async () => {
  app = await startApp({}, { plugins });
});
afterAll(() => app.close());

/** The status a WebSocket upgrade is refused with, or 101 when it is accepted. */
function upgradeStatus(path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const headers = {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    };
    const req = request(`${app.url}${path}`, { headers });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

for (const { plugin, missing } of unconfigured) {
  describe(`${plugin.name} without its settings`, () => {
    for (const { method, path } of plugin.routes ?? []) {
      if (method === 'WS') {
        it(`refuses the WebSocket upgrade of ${path} with 503`, async () => {
          expect(await upgradeStatus(concrete(path))).toBe(503);
        });
      } else {
        it(`answers ${method} ${path} with 503 naming ${missing.join(', ')}`, async () => {
          const response = await fetch(`${app.url}${concrete(path)}`, { method, redirect: 'manual' });

          expect(response.status).toBe(503);
          const { error } = (await response.json()) as ErrorBody;
          for (const name of missing) expect(error.message).toContain(name);
        });
      }
    }
  });
}

describe('GET /health in an app without settings', () => {
  it('names the same missing variables for each of them', async () => {
    const response = await fetch(`${app.url}/health`);
    expect(response.status).toBe(200);
    const { plugins: reports } = (await response.json()) as { plugins: { id: string; status: string; missing?: string[] }[] };

    for (const { plugin, missing } of unconfigured) {
      expect(
        reports.find((report) => report.id === plugin.id),
        plugin.id,
      ).toMatchObject({ status: 'not_configured', missing });
    }
  });
});
