import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plugins } from '../src/plugins.js';
import type { RunningServer } from './helpers/http.js';
import { authorizationFor, startApp, TEST_AUTH_ENV } from './helpers/http.js';

// Every route of every installed plugin, from the `routes` its definition was rendered with:
// a route added to a plugin is covered here without anyone listing it.
const routes = plugins.flatMap((plugin) => (plugin.routes ?? []).map((route) => ({ ...route, plugin: plugin.id })));
const byPlugin = (access: string) =>
  plugins.map((plugin) => ({ plugin, routes: routes.filter((route) => route.plugin === plugin.id && route.access === access) }));

// `:key`, `:id` ... stand for any value; the policy decides before the route reads it.
const concrete = (path: string) => path.replace(/:\w+/g, 'x');

let anonymous: RunningServer;

beforeAll(async () => {
  // No provider is configured: the policy answers before any plugin could say so.
  anonymous = await startApp({}, { plugins, as: 'anonymous' });
});

afterAll(async () => {
  await anonymous.close();
});

function call(app: RunningServer, method: string, path: string): Promise<Response> {
  return fetch(`${app.url}${concrete(path)}`, { method });
}

/** The status a WebSocket upgrade is refused with, or 101 when it is accepted. */
function upgradeStatus(app: RunningServer, path: string, authorization?: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const headers = {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      ...(authorization ? { authorization } : {}),
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

describe.each(byPlugin('user').filter((entry) => entry.routes.length > 0))(
  '$plugin.name: routes for signed-in callers',
  ({ routes: privateRoutes }) => {
    it.each(privateRoutes.filter((route) => route.method !== 'WS'))(
      '$method $path answers 401 without a token',
      async ({ method, path }) => {
        const response = await call(anonymous, method, path);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      },
    );

    it.each(privateRoutes.filter((route) => route.method === 'WS'))('WS $path refuses an upgrade without a token', async ({ path }) => {
      expect(await upgradeStatus(anonymous, path)).toBe(401);
    });
  },
);

describe.each(byPlugin('admin').filter((entry) => entry.routes.length > 0))('$plugin.name: admin routes', ({ routes: adminRoutes }) => {
  it.each(adminRoutes)('$method $path answers 401 without a token', async ({ method, path }) => {
    expect((await call(anonymous, method, path)).status).toBe(401);
  });
});

describe.each(byPlugin('public').filter((entry) => entry.routes.length > 0))('$plugin.name: public routes', ({ routes: publicRoutes }) => {
  it.each(publicRoutes)('$method $path is not refused for want of a token', async ({ method, path }) => {
    const { status } = await call(anonymous, method, path);
    expect([401, 403]).not.toContain(status);
  });
});

describe('the access policy', () => {
  it('covers every plugin route: each one is listed with who may call it', () => {
    const mounted = plugins.filter((plugin) => plugin.mountPath !== undefined);
    for (const plugin of mounted) expect(plugin.routes?.length, plugin.id).toBeGreaterThan(0);
  });

  it('matches paths as Express does (any case, a trailing slash) and keeps unlisted ones private', async () => {
    const [first] = routes.filter((route) => route.access !== 'public' && route.method === 'GET');
    if (!first) return;
    expect((await call(anonymous, 'GET', `${first.path.toUpperCase()}/`)).status).toBe(401);
    const mount = plugins.find((plugin) => plugin.id === first.plugin)?.mountPath ?? '';
    expect((await call(anonymous, 'GET', `${mount}/no-such-route`)).status).toBe(401);
  });

  it('refuses a token it did not issue', async () => {
    const forged = authorizationFor('admin', { plugins, env: { ...TEST_AUTH_ENV, API_TOKEN: 'x'.repeat(40), JWT_SECRET: 'y'.repeat(40) } });
    const [first] = routes.filter((route) => route.access !== 'public' && route.method !== 'WS');
    if (!first || !forged) return;
    const response = await fetch(`${anonymous.url}${concrete(first.path)}`, { method: first.method, headers: { authorization: forged } });
    expect(response.status).toBe(401);
  });

  it('keeps the /health summary public', async () => {
    expect((await fetch(`${anonymous.url}/health`)).status).toBe(200);
  });
});

describe('live probes', () => {
  it('are open from this machine outside production, where the demos are for', async () => {
    expect((await fetch(`${anonymous.url}/health?probe=1`)).status).toBe(200);
  });

  it("are an admin's in production, even from this machine; the summary stays public", async () => {
    const production = { NODE_ENV: 'production' };
    const [stranger, operator] = await Promise.all([startApp(production, { plugins, as: 'anonymous' }), startApp(production, { plugins })]);
    try {
      expect((await fetch(`${stranger.url}/health`)).status).toBe(200);
      expect((await fetch(`${stranger.url}/health?probe=1`)).status).toBe(401);
      expect((await fetch(`${operator.url}/health?probe=1`)).status).toBe(200);
    } finally {
      await Promise.all([stranger.close(), operator.close()]);
    }
  });
});
