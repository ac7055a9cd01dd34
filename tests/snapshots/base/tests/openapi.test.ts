import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { plugins } from '../src/plugins.js';
import { authorizationFor, testEnv } from './helpers/http.js';

// Every plugin configured (no provider is called: the test only asks for routes nobody serves),
// so that each mounts its routes.
const env = testEnv({});

/** A route as Express holds it: a path pattern (a string or, for paths that span slashes, a RegExp) below a mount path. */
interface MountedRoute {
  method: string;
  base: string;
  path: string | RegExp;
}

// What Express 5's router (router 2.3) lists: its own routes, and the routers mounted on it.
interface ListedRoute {
  path: string | RegExp;
  methods?: string[];
  router?: Listable;
}
interface Listable {
  listRoutes(): ListedRoute[];
}

// Pages for people, not API routes: the status page and the API reference.
const pages = ['/health/ui', '/docs'];

const app = createApp(plugins, env);
let server: Server;
let url: string;
let document: { paths: Record<string, Record<string, unknown>> };

beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A plugin builds its routes on the first request that reaches it: one request each builds them all.
  const authorization = authorizationFor('admin', { plugins, env }) ?? '';
  for (const plugin of plugins.filter((entry) => entry.mountPath)) {
    await fetch(`${url}${plugin.mountPath}/no-such-route`, { headers: { authorization } });
  }
  const response = await fetch(`${url}/openapi.json`);
  // A 500 here is logged above: a route's `input` names a schema its plugin does not export.
  expect(response.status).toBe(200);
  document = (await response.json()) as typeof document;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(document).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./) });
  });

  it('documents every route the app serves, and serves every route it documents', () => {
    const mounted = mountedRoutes(app.router as unknown as Listable, '').filter(
      (route) => !pages.some((page) => route.base.startsWith(page)),
    );
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, ':$1') })),
    );
    const undocumented = mounted.filter((route) => !documented.some((entry) => sameRoute(route, entry)));
    const unserved = documented.filter((entry) => !mounted.some((route) => sameRoute(route, entry)));
    expect(undocumented.map((route) => `${route.method} ${route.base}${String(route.path)}`)).toEqual([]);
    expect(unserved.map((entry) => `${entry.method} ${entry.path}`)).toEqual([]);
  });

  it('names who may call each route: public ones need no token, the others the bearer token', () => {
    const security = (method: string, path: string) =>
      (document.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()] as { security?: unknown[] } | undefined)?.security;
    for (const route of plugins.flatMap((plugin) => plugin.routes ?? []).filter((entry) => entry.method !== 'WS')) {
      expect(security(route.method, route.path), `${route.method} ${route.path}`).toEqual(route.access === 'public' ? [] : undefined);
    }
    expect(security('GET', '/health')).toEqual([]);
    expect(document).toMatchObject({
      security: [{ bearer: [] }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    });
  });
});

/** Every route Express would answer, walking the routers mounted on each other; HEAD is GET's. */
function mountedRoutes(router: Listable, base: string): MountedRoute[] {
  return router.listRoutes().flatMap(({ path, methods, router: mountedRouter }): MountedRoute[] => {
    if (mountedRouter) return mountedRoutes(mountedRouter, joinPath(base, String(path)));
    return (methods ?? []).filter((method) => method !== 'HEAD').map((method) => ({ method: method.toUpperCase(), base, path }));
  });
}

function joinPath(base: string, path: string): string {
  return `${base}${path === '/' ? '' : path}`;
}

// `:name` in a documented path may span slashes (src/lib/access.ts), as a RegExp route's match does.
function sameRoute(route: MountedRoute, entry: { method: string; path: string }): boolean {
  if (route.method !== entry.method || !entry.path.startsWith(route.base)) return false;
  const below = entry.path.slice(route.base.length) || '/';
  if (route.path instanceof RegExp) return route.path.test(below.replace(/:\w+/g, 'x'));
  return joinPath(route.base, route.path) === entry.path;
}
