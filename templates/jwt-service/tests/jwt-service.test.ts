import express from 'express';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtServicePlugin } from '../src/auth/jwt-service/index.js';
import { createJwtService, getAuth } from '../src/auth/jwt-service/jwt-service.service.js';
import type { EnvSource } from '../src/env.js';
import { errorHandler } from '../src/lib/errors.js';
import type { RunningServer } from './helpers/http.js';
import { startApp, startMock } from './helpers/http.js';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const jwtService = createJwtService({ JWT_SECRET: SECRET });

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function lifetimeOf(token: string): number {
  const payload = jwt.decode(token);
  if (payload === null || typeof payload === 'string' || payload.exp === undefined || payload.iat === undefined) {
    throw new Error('token has no exp/iat');
  }
  return payload.exp - payload.iat;
}

describe('requireAuth', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const app = express();
    app.get('/me', jwtService.requireAuth, (_req, res) => {
      res.json(getAuth(res));
    });
    app.get('/unguarded', (_req, res) => {
      res.json(getAuth(res));
    });
    app.use(errorHandler);
    server = await startMock(app);
  });
  afterAll(() => server.close());

  function getMe(authorization?: string): Promise<Response> {
    return fetch(`${server.url}/me`, { headers: authorization === undefined ? {} : { authorization } });
  }

  async function expectInvalidToken(response: Response, message: string): Promise<void> {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await response.json()).toEqual({ error: { message } });
  }

  it('answers 401 with WWW-Authenticate: Bearer when there is no Authorization header', async () => {
    const response = await getMe();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({
      error: { message: 'Authentication required: send an Authorization: Bearer <token> header.' },
    });
  });

  it('answers 401 with WWW-Authenticate: Bearer for a header that is not a bearer token', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer two tokens']) {
      const response = await getMe(header);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('refuses a garbage token without echoing it', async () => {
    const response = await getMe('Bearer not-a-real-token');
    await expectInvalidToken(response, 'The token is invalid.');
  });

  it('refuses an expired token with its own message', async () => {
    const expired = jwt.sign({ sub: 'user-1', exp: Math.floor(Date.now() / 1000) - 60 }, SECRET, { algorithm: 'HS256' });
    await expectInvalidToken(await getMe(`Bearer ${expired}`), 'The token has expired. Sign in again.');
  });

  it('refuses a token without an expiry', async () => {
    const endless = jwt.sign({ sub: 'user-1' }, SECRET, { algorithm: 'HS256' });
    await expectInvalidToken(await getMe(`Bearer ${endless}`), 'The token has no expiry (exp). Sign in again.');
  });

  it('refuses a token that lives longer than JWT_MAX_AGE (1 day by default)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const day = 86_400;
    const message = 'The token lives longer than this app allows (JWT_MAX_AGE). Sign in again.';
    const longLived = jwt.sign({ sub: 'user-1', iat: now, exp: now + 2 * day }, SECRET, { algorithm: 'HS256' });
    await expectInvalidToken(await getMe(`Bearer ${longLived}`), message);
    const tenYearsWithoutIat = jwt.sign({ sub: 'user-1', exp: now + 3650 * day }, SECRET, { algorithm: 'HS256', noTimestamp: true });
    await expectInvalidToken(await getMe(`Bearer ${tenYearsWithoutIat}`), message);
    const backdated = jwt.sign({ sub: 'user-1', iat: now - day, exp: now + day / 2 }, SECRET, { algorithm: 'HS256' });
    await expectInvalidToken(await getMe(`Bearer ${backdated}`), message);
    const withinADay = jwt.sign({ sub: 'user-1', iat: now, exp: now + day }, SECRET, { algorithm: 'HS256' });
    expect((await getMe(`Bearer ${withinADay}`)).status).toBe(200);
  });

  it('refuses a token signed with another secret', async () => {
    const otherService = createJwtService({ JWT_SECRET: 'another-secret-that-is-also-32-characters', JWT_EXPIRES_IN: '1h' });
    await expectInvalidToken(await getMe(`Bearer ${otherService.signToken({ sub: 'user-1' })}`), 'The token is invalid.');
  });

  it('refuses an unsigned `alg: none` token', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'admin' })}.`;
    await expectInvalidToken(await getMe(`Bearer ${unsigned}`), 'The token is invalid.');
  });

  it('refuses a token signed with the right secret but another algorithm', async () => {
    const hs512 = jwt.sign({ sub: 'user-1' }, SECRET, { algorithm: 'HS512' });
    await expectInvalidToken(await getMe(`Bearer ${hs512}`), 'The token is invalid.');
  });

  it('lets a valid token through and gives the handler its claims', async () => {
    const claims = { sub: 'user-1', email: 'ada@example.com', name: 'Ada', roles: ['admin'] };
    const response = await getMe(`bearer ${jwtService.signToken(claims)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(claims);
  });

  it('refuses getAuth on a route that is not behind requireAuth', async () => {
    const response = await fetch(`${server.url}/unguarded`, {
      headers: { authorization: `Bearer ${jwtService.signToken({ sub: 'user-1' })}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { message: 'Authentication required.' } });
  });
});

describe('createJwtService', () => {
  it('signs with HS256, valid for 1h by default', () => {
    const token = jwtService.signToken({ sub: 'user-1' });
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('HS256');
    expect(lifetimeOf(token)).toBe(3_600);
  });

  it('reads JWT_EXPIRES_IN units, and bare digits as seconds rather than milliseconds', () => {
    const lifetimes = ['15m', '7d', '3600', '90s'].map((duration) =>
      lifetimeOf(createJwtService({ JWT_SECRET: SECRET, JWT_EXPIRES_IN: duration }).signToken({ sub: 'user-1' })),
    );
    expect(lifetimes).toEqual([900, 604_800, 3_600, 90]);
  });

  it('refuses, with JWT_MAX_AGE, tokens another service issued for longer', () => {
    const strict = createJwtService({ JWT_SECRET: SECRET, JWT_EXPIRES_IN: '10m', JWT_MAX_AGE: '30m' });
    expect(strict.verifyToken(strict.signToken({ sub: 'user-1' }))).toEqual({ sub: 'user-1' });
    expect(() => strict.verifyToken(jwtService.signToken({ sub: 'user-1' }))).toThrow(
      'The token lives longer than this app allows (JWT_MAX_AGE). Sign in again.',
    );
  });

  it('puts only the claims in the token, not other properties of the object passed in', () => {
    const user = { sub: 'user-1', name: 'Ada', passwordHash: 'never-in-a-token' };
    const payload = jwt.decode(jwtService.signToken(user));
    expect(payload).toEqual({ sub: 'user-1', name: 'Ada', iat: expect.any(Number), exp: expect.any(Number) });
  });

  it('verifies its own tokens and strips the registered claims', () => {
    expect(jwtService.verifyToken(jwtService.signToken({ sub: 'user-1', roles: [] }))).toEqual({ sub: 'user-1', roles: [] });
  });
});

describe('jwt-service on /health', () => {
  async function jwtServiceHealth(env: EnvSource, query = ''): Promise<unknown> {
    const app = await startApp(env, { plugins: [jwtServicePlugin] });
    try {
      const response = await fetch(`${app.url}/health${query}`);
      const body = (await response.json()) as { plugins: { id: string }[] };
      return body.plugins.find((plugin) => plugin.id === 'jwt-service');
    } finally {
      await app.close();
    }
  }

  it('is not configured without JWT_SECRET', async () => {
    expect(await jwtServiceHealth({ JWT_SECRET: '' })).toEqual({
      id: 'jwt-service',
      name: 'JWT',
      status: 'not_configured',
      missing: ['JWT_SECRET'],
      invalid: [],
    });
  });

  it('names a secret that is too short', async () => {
    expect(await jwtServiceHealth({ JWT_SECRET: 'short' })).toMatchObject({
      status: 'not_configured',
      missing: [],
      invalid: [{ name: 'JWT_SECRET', message: 'must be at least 32 characters' }],
    });
  });

  it('names a lifetime that is not a duration', async () => {
    expect(await jwtServiceHealth({ JWT_SECRET: SECRET, JWT_EXPIRES_IN: '1 week' })).toMatchObject({
      status: 'not_configured',
      invalid: [{ name: 'JWT_EXPIRES_IN', message: 'must be a duration such as 15m, 1h, 7d or 3600 (seconds)' }],
    });
  });

  it('names a lifetime longer than JWT_MAX_AGE, whose tokens it would refuse', async () => {
    expect(await jwtServiceHealth({ JWT_SECRET: SECRET, JWT_EXPIRES_IN: '7d' })).toMatchObject({
      status: 'not_configured',
      invalid: [{ name: 'JWT_EXPIRES_IN', message: 'must not be longer than JWT_MAX_AGE (default 1d)' }],
    });
    expect(await jwtServiceHealth({ JWT_SECRET: SECRET, JWT_EXPIRES_IN: '7d', JWT_MAX_AGE: '7d' })).toMatchObject({ status: 'ok' });
  });

  it('is configured with a good secret, and its probe signs and verifies a token', async () => {
    expect(await jwtServiceHealth({ JWT_SECRET: SECRET })).toEqual({ id: 'jwt-service', name: 'JWT', status: 'ok' });
    expect(await jwtServiceHealth({ JWT_SECRET: SECRET }, '?probe=1')).toEqual({
      id: 'jwt-service',
      name: 'JWT',
      status: 'ok',
      latencyMs: expect.any(Number),
    });
  });
});
