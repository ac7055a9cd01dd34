import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { RouteAccess } from '../src/lib/access.js';
import { accessOf, authenticatorKey, createAuthorizer, readBearerToken } from '../src/lib/access.js';
import { HttpError } from '../src/lib/errors.js';
import type { PluginSummary } from '../src/lib/plugin.js';
import { ServiceRegistry } from '../src/lib/services.js';

const API_TOKEN = 'a-server-token-of-at-least-32-characters';

function requestWith(headers: Record<string, string>, url = '/'): IncomingMessage {
  return { headers, url } as unknown as IncomingMessage;
}

async function refusal(attempt: () => Promise<unknown>): Promise<{ status: number; message: string } | undefined> {
  try {
    await attempt();
    return undefined;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, message: error.message };
  }
}

describe('accessOf', () => {
  const rules: RouteAccess[] = [
    { method: 'POST', path: '/api/payments/webhooks', access: 'public' },
    { method: 'GET', path: '/api/files/:key', access: 'user' },
    { method: 'DELETE', path: '/api/files/:key', access: 'admin' },
    { method: 'GET', path: '/api/files/:key/meta', access: 'public' },
  ];

  it('needs a token for anything no rule lists', () => {
    expect(accessOf(rules, 'GET', '/api/payments/webhooks')).toBe('user');
    expect(accessOf(rules, 'POST', '/api/payments/webhooks/extra')).toBe('user');
    expect(accessOf([], 'GET', '/anything')).toBe('user');
  });

  it('matches as Express routes: any case, an optional trailing slash, HEAD as GET', () => {
    expect(accessOf(rules, 'POST', '/API/Payments/WEBHOOKS/')).toBe('public');
    expect(accessOf(rules, 'HEAD', '/api/files/a.txt')).toBe('user');
  });

  it('lets a parameter span slashes and picks the strictest rule that matches', () => {
    expect(accessOf(rules, 'DELETE', '/api/files/users/42/a.txt')).toBe('admin');
    // `/api/files/x/meta` is matched by both GET rules: the stricter one wins.
    expect(accessOf(rules, 'GET', '/api/files/x/meta')).toBe('user');
  });
});

describe('the server token (no auth plugin installed)', () => {
  const authorize = createAuthorizer({ services: new ServiceRegistry(), plugins: [] }, { API_TOKEN });

  it('lets public routes through without credentials', async () => {
    expect(await authorize(requestWith({}), 'public')).toBeUndefined();
  });

  it('takes Authorization: Bearer <API_TOKEN> as the operator, an admin', async () => {
    expect(await authorize(requestWith({ authorization: `Bearer ${API_TOKEN}` }), 'admin')).toEqual({ id: 'api-token', role: 'admin' });
    expect(await authorize(requestWith({ authorization: `bearer ${API_TOKEN}` }), 'user')).toEqual({ id: 'api-token', role: 'admin' });
  });

  it('answers 401 without a token or with another one', async () => {
    expect(await refusal(() => authorize(requestWith({}), 'user'))).toMatchObject({
      status: 401,
      message: expect.stringContaining('Bearer <API_TOKEN>'),
    });
    expect(await refusal(() => authorize(requestWith({ authorization: `Bearer ${API_TOKEN}x` }), 'user'))).toMatchObject({ status: 401 });
    expect(await refusal(() => authorize(requestWith({ authorization: `Basic ${API_TOKEN}` }), 'user'))).toMatchObject({ status: 401 });
  });

  it('refuses every private route with 503 while API_TOKEN is missing or too short to be safe', async () => {
    const unset = createAuthorizer({ services: new ServiceRegistry(), plugins: [] }, {});
    expect(await refusal(() => unset(requestWith({ authorization: 'Bearer ' }), 'user'))).toMatchObject({
      status: 503,
      message: expect.stringContaining('API_TOKEN is not set'),
    });
    const short = createAuthorizer({ services: new ServiceRegistry(), plugins: [] }, { API_TOKEN: 'short' });
    expect(await refusal(() => short(requestWith({ authorization: 'Bearer short' }), 'user'))).toMatchObject({
      status: 503,
      message: expect.stringContaining('at least 32 characters'),
    });
  });
});

describe('with an auth plugin', () => {
  const services = new ServiceRegistry();
  services.provide(authenticatorKey, (req) => {
    if (req.headers.authorization === 'Bearer alice') return { id: 'alice', role: 'user' };
    if (req.headers.authorization === 'Bearer root') return { id: 'root', role: 'admin' };
    throw new HttpError(401, 'The token is invalid.');
  });
  const authorize = createAuthorizer({ services, plugins: [] }, { API_TOKEN });

  it('takes its tokens, and API_TOKEN no longer', async () => {
    expect(await authorize(requestWith({ authorization: 'Bearer alice' }), 'user')).toEqual({ id: 'alice', role: 'user' });
    expect(await refusal(() => authorize(requestWith({ authorization: `Bearer ${API_TOKEN}` }), 'user'))).toMatchObject({ status: 401 });
  });

  it('answers 403 to a user on an admin route', async () => {
    expect(await refusal(() => authorize(requestWith({ authorization: 'Bearer alice' }), 'admin'))).toMatchObject({ status: 403 });
    expect(await authorize(requestWith({ authorization: 'Bearer root' }), 'admin')).toEqual({ id: 'root', role: 'admin' });
  });

  it('refuses with 503 naming the variables while the auth plugin is installed but not configured', async () => {
    const jwt: PluginSummary = {
      id: 'jwt-service',
      name: 'JWT',
      configured: false,
      providesAuth: true,
      missing: ['JWT_SECRET'],
      invalid: [],
    };
    const unconfigured = createAuthorizer({ services: new ServiceRegistry(), plugins: [jwt] }, { API_TOKEN });
    expect(await refusal(() => unconfigured(requestWith({ authorization: `Bearer ${API_TOKEN}` }), 'user'))).toEqual({
      status: 503,
      message: expect.stringContaining('Private routes need JWT, which is not configured: missing JWT_SECRET.'),
    });
  });
});

describe('readBearerToken', () => {
  it('reads the Authorization header, and ?access_token= only on WebSocket upgrades (browsers cannot set headers there)', () => {
    expect(readBearerToken(requestWith({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(readBearerToken(requestWith({}, '/x?access_token=abc'))).toBeUndefined();
    expect(readBearerToken(requestWith({ upgrade: 'websocket' }, '/x?access_token=abc'))).toBe('abc');
  });
});
