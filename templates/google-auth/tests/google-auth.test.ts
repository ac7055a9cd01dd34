import jwt from 'jsonwebtoken';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { googleAuthPlugin } from '../src/auth/google-auth/index.js';
import { jwtServicePlugin } from '../src/auth/jwt-service/index.js';
import { useAppWithMock } from './helpers/app-with-mock.js';
import type { RunningServer } from './helpers/http.js';
import { startApp } from './helpers/http.js';
import { ACCESS_TOKEN, AUTHORIZATION_CODE, DEFAULT_PROFILE, startGoogleMock } from './mocks/google-auth.mock.js';

const CLIENT_ID = '1234-mock.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-mock-client-secret';
const JWT_SECRET = 'a-test-secret-of-at-least-32-characters';
const STATE_COOKIE = 'google_oauth_state';
// What Google is told to redirect to; the tests call the callback on the app's own port instead.
const CALLBACK_URL = 'http://localhost:3000/auth/google/callback';
// Google sign-in hands out jwt-service's tokens, which then open the private routes.
const plugins = [jwtServicePlugin, googleAuthPlugin];

interface ErrorBody {
  error: { message: string; details?: unknown };
}

/** A sign-in started at /auth/google: where it sent the browser, and the cookie it set. */
interface StartedSignIn {
  location: URL;
  state: string;
  cookie: string;
}

const settings = (root: string) => ({
  GOOGLE_CLIENT_ID: CLIENT_ID,
  GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
  GOOGLE_CALLBACK_URL: CALLBACK_URL,
  GOOGLE_AUTH_BASE_URL: root,
  JWT_SECRET,
});

describe('Google sign-in', () => {
  const running = useAppWithMock(
    () => startGoogleMock({ id: CLIENT_ID, secret: CLIENT_SECRET, redirectUri: CALLBACK_URL }),
    (mock) => startApp(settings(mock.url), { plugins }),
  );
  beforeEach(() => {
    Object.assign(running.mock.profile, DEFAULT_PROFILE);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function startSignIn(server = running.app): Promise<StartedSignIn> {
    const response = await fetch(`${server.url}/auth/google`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    const setCookie = response.headers.getSetCookie().find((header) => header.startsWith(`${STATE_COOKIE}=`)) ?? '';
    return { location, state: location.searchParams.get('state') ?? '', cookie: setCookie.split(';')[0] ?? '' };
  }

  function callback(query: Record<string, string>, cookie?: string, server = running.app): Promise<Response> {
    return fetch(`${server.url}/auth/google/callback?${new URLSearchParams(query)}`, {
      redirect: 'manual',
      headers: cookie === undefined ? {} : { cookie },
    });
  }

  it('redirects to Google with the client id, redirect URI, scopes and a state tied to a cookie', async () => {
    const response = await fetch(`${running.app.url}/auth/google`, { redirect: 'manual' });

    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${running.mock.url}/o/oauth2/v2/auth`);
    expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(location.searchParams.get('redirect_uri')).toBe(CALLBACK_URL);
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('scope')).toBe('profile email');
    const state = location.searchParams.get('state') ?? '';
    expect(state).toMatch(/^[\w-]{43}$/);

    const cookie = response.headers.getSetCookie().find((header) => header.startsWith(`${STATE_COOKIE}=`));
    expect(cookie).toContain(`${STATE_COOKIE}=${state}.`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/auth/google/callback');
    expect(cookie).toContain('Max-Age=600');
    expect(running.mock.requests).toHaveLength(0);
  });

  it('gives every sign-in a state of its own', async () => {
    const first = await startSignIn();
    const second = await startSignIn();
    expect(first.state).not.toBe(second.state);
  });

  it('exchanges the code and answers a JWT signed with JWT_SECRET, and the Google profile', async () => {
    const { state, cookie } = await startSignIn();
    const response = await callback({ state, code: AUTHORIZATION_CODE, scope: 'email profile' }, cookie);

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { token: string; user: unknown };
    expect(body.user).toEqual({
      id: DEFAULT_PROFILE.sub,
      email: DEFAULT_PROFILE.email,
      name: DEFAULT_PROFILE.name,
      picture: DEFAULT_PROFILE.picture,
    });
    expect(jwt.verify(body.token, JWT_SECRET, { algorithms: ['HS256'] })).toMatchObject({
      sub: DEFAULT_PROFILE.sub,
      email: DEFAULT_PROFILE.email,
      name: DEFAULT_PROFILE.name,
    });
    // The state is single-use: the callback clears its cookie.
    expect(response.headers.getSetCookie().find((header) => header.startsWith(`${STATE_COOKIE}=;`))).toContain('Expires=Thu, 01 Jan 1970');

    const [tokenRequest, userInfoRequest] = running.mock.requests;
    expect(`${tokenRequest?.method} ${tokenRequest?.path}`).toBe('POST /token');
    expect(Object.fromEntries(tokenRequest?.form ?? [])).toEqual({
      grant_type: 'authorization_code',
      code: AUTHORIZATION_CODE,
      redirect_uri: CALLBACK_URL,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(`${userInfoRequest?.method} ${userInfoRequest?.path}`).toBe('GET /v1/userinfo');
    expect(userInfoRequest?.query.get('access_token') ?? userInfoRequest?.headers.authorization).toContain(ACCESS_TOKEN);
  });

  it('leaves an email Google has not verified out of the answer and the token', async () => {
    running.mock.profile.email_verified = false;
    const { state, cookie } = await startSignIn();
    const response = await callback({ state, code: AUTHORIZATION_CODE }, cookie);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; user: Record<string, unknown> };
    expect(body.user).not.toHaveProperty('email');
    expect(jwt.verify(body.token, JWT_SECRET)).not.toHaveProperty('email');
  });

  it('refuses a state that does not match the cookie, without asking Google for a token', async () => {
    const { cookie } = await startSignIn();
    const other = await startSignIn();
    const response = await callback({ state: other.state, code: AUTHORIZATION_CODE }, cookie);

    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorBody).error.message).toBe('The sign-in state does not match this browser. Sign in again.');
    expect(running.mock.requests).toHaveLength(0);
  });

  it('refuses a callback without the state cookie, or with a forged one', async () => {
    const { state, cookie } = await startSignIn();
    const [, payload = ''] = cookie.split('=');
    const [nonce, expiresAt, signature] = payload.split('.');
    const forgedLifetime = `${STATE_COOKIE}=${nonce}.${Number(expiresAt) + 86_400_000}.${signature}`;
    const unsigned = `${STATE_COOKIE}=${state}.${expiresAt}.not-a-signature`;

    for (const sent of [undefined, forgedLifetime, unsigned]) {
      const response = await callback({ state, code: AUTHORIZATION_CODE }, sent);
      expect(response.status).toBe(401);
      expect(((await response.json()) as ErrorBody).error.message).toBe(
        'This sign-in expired or was started in another browser. Sign in again.',
      );
    }
    expect(running.mock.requests).toHaveLength(0);
  });

  it('refuses to complete a sign-in twice with the same state and cookie, without asking Google again', async () => {
    const { state, cookie } = await startSignIn();
    expect((await callback({ state, code: AUTHORIZATION_CODE }, cookie)).status).toBe(200);
    running.mock.requests.length = 0;

    const replayed = await callback({ state, code: AUTHORIZATION_CODE }, cookie);
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as ErrorBody).error.message).toBe('This sign-in was already completed. Sign in again.');
    expect(running.mock.requests).toHaveLength(0);
  });

  it('refuses a state cookie older than 10 minutes', async () => {
    const { state, cookie } = await startSignIn();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * 60_000);

    const response = await callback({ state, code: AUTHORIZATION_CODE }, cookie);
    expect(response.status).toBe(401);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('answers 400 for a callback without state, or with neither code nor error', async () => {
    const { state, cookie } = await startSignIn();
    const withoutState = await callback({ code: AUTHORIZATION_CODE }, cookie);
    expect(withoutState.status).toBe(400);
    const withoutCode = await callback({ state }, cookie);
    expect(withoutCode.status).toBe(400);
    expect(running.mock.requests).toHaveLength(0);
  });

  it('answers 401 when the user cancels on Google', async () => {
    const { state, cookie } = await startSignIn();
    const response = await callback({ state, error: 'access_denied' }, cookie);

    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorBody).error.message).toBe('Google sign-in was cancelled.');
    expect(running.mock.requests).toHaveLength(0);
  });

  it('answers 401 when Google refuses the code', async () => {
    const { state, cookie } = await startSignIn();
    const response = await callback({ state, code: 'an-expired-code' }, cookie);

    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorBody).error.message).toContain('Sign in again.');
  });

  it('maps a token endpoint 401 to 401 without leaking the client secret', async () => {
    running.mock.failNextToken(401, 'invalid_client');
    const { state, cookie } = await startSignIn();
    const response = await callback({ state, code: AUTHORIZATION_CODE }, cookie);

    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).toContain('Google rejected the OAuth client');
    expect(text).not.toContain(CLIENT_SECRET);
  });

  it('maps a token endpoint failure to 502', async () => {
    running.mock.failNextToken(500, 'server_error');
    const { state, cookie } = await startSignIn();
    const response = await callback({ state, code: AUTHORIZATION_CODE }, cookie);

    expect(response.status).toBe(502);
  });

  it('redirects to GOOGLE_SUCCESS_REDIRECT with the token in the fragment when it is set', async () => {
    const redirecting = await startApp(
      { ...settings(running.mock.url), GOOGLE_SUCCESS_REDIRECT: 'http://localhost:5173/signed-in' },
      { plugins },
    );
    try {
      const { state, cookie } = await startSignIn(redirecting);
      const response = await callback({ state, code: AUTHORIZATION_CODE }, cookie, redirecting);

      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}${location.search}`).toBe('http://localhost:5173/signed-in');
      const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
      expect(jwt.verify(token, JWT_SECRET)).toMatchObject({ sub: DEFAULT_PROFILE.sub });
    } finally {
      await redirecting.close();
    }
  });

  describe('with ADMIN_EMAILS and allow-lists', () => {
    let restricted: RunningServer;
    beforeAll(async () => {
      restricted = await startApp(
        {
          ...settings(running.mock.url),
          ADMIN_EMAILS: 'grace@example.com',
          GOOGLE_ALLOWED_DOMAINS: 'example.org',
          GOOGLE_ALLOWED_EMAILS: 'alan@elsewhere.net',
        },
        { plugins },
      );
    });
    afterAll(() => restricted.close());

    async function signInAs(email: string, verified = true): Promise<Response> {
      Object.assign(running.mock.profile, { email, email_verified: verified });
      const { state, cookie } = await startSignIn(restricted);
      return callback({ state, code: AUTHORIZATION_CODE }, cookie, restricted);
    }

    async function rolesOf(response: Response): Promise<unknown> {
      expect(response.status).toBe(200);
      const { token } = (await response.json()) as { token: string };
      return (jwt.verify(token, JWT_SECRET) as { roles?: unknown }).roles;
    }

    it('issues a token with the admin role to a verified address in ADMIN_EMAILS, whatever its case or domain', async () => {
      expect(await rolesOf(await signInAs('Grace@Example.com'))).toEqual(['admin']);
      expect(await rolesOf(await signInAs(DEFAULT_PROFILE.email))).toEqual([]);
    });

    it('admits an allowed domain or address, and refuses any other account with 403 before issuing a token', async () => {
      expect(await rolesOf(await signInAs('ada@example.org'))).toEqual([]);
      expect(await rolesOf(await signInAs('alan@elsewhere.net'))).toEqual([]);

      for (const email of ['mallory@evil.test', 'eve@sub.example.org', 'ada@example.org.evil.test']) {
        const refused = await signInAs(email);
        expect(refused.status, email).toBe(403);
        expect(((await refused.json()) as ErrorBody).error.message, email).toBe(
          `The Google account ${email} may not sign in to this app. Sign in with an account it allows, or ask its administrator.`,
        );
      }
    });

    it('counts only addresses Google has verified, for admins and allow-lists alike', async () => {
      const unverified = await signInAs('ada@example.org', false);
      expect(unverified.status).toBe(403);
      expect(((await unverified.json()) as ErrorBody).error.message).toContain(
        'Google has not verified the e-mail address of this account',
      );
      expect((await signInAs('grace@example.com', false)).status).toBe(403);
    });

    it('refuses to start sign-in with a list that is not addresses or domains, naming the variable', async () => {
      const misconfigured = await startApp({ ...settings(running.mock.url), GOOGLE_ALLOWED_DOMAINS: '@example.org' }, { plugins });
      try {
        const response = await fetch(`${misconfigured.url}/auth/google`, { redirect: 'manual' });
        expect(response.status).toBe(503);
        expect(((await response.json()) as ErrorBody).error.message).toContain(
          'GOOGLE_ALLOWED_DOMAINS must be domains separated by commas',
        );
      } finally {
        await misconfigured.close();
      }
    });
  });

  it('signs out with 204, clearing the state cookie', async () => {
    const response = await fetch(`${running.app.url}/auth/logout`, { method: 'POST' });

    expect(response.status).toBe(204);
    const cleared = response.headers.getSetCookie().find((header) => header.startsWith(`${STATE_COOKIE}=;`));
    expect(cleared).toContain('Path=/auth/google/callback');
    expect(cleared).toContain('Expires=Thu, 01 Jan 1970');
  });

  it('probes the client credentials on GET /health?probe=1', async () => {
    const probe = async (server: RunningServer) => {
      const response = await fetch(`${server.url}/health?probe=1`);
      const body = (await response.json()) as { plugins: { id: string; status: string; message?: string }[] };
      return body.plugins.find((plugin) => plugin.id === 'google-auth');
    };
    expect(await probe(running.app)).toMatchObject({ status: 'ok' });
    expect(running.mock.requests.map((request) => `${request.method} ${request.path} ${request.form.get('code')}`)).toEqual([
      'POST /token health-probe',
    ]);

    const wrongSecret = await startApp({ ...settings(running.mock.url), GOOGLE_CLIENT_SECRET: 'GOCSPX-wrong-secret' }, { plugins });
    try {
      expect(await probe(wrongSecret)).toMatchObject({
        status: 'failing',
        message: 'Google rejected the OAuth client. Check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.',
      });
    } finally {
      await wrongSecret.close();
    }
  });
});

describe('Google sign-in without jwt-service configured', () => {
  it('answers 503 naming JWT_SECRET, before sending anyone to Google, when jwt-service is not configured', async () => {
    const app = await startApp(
      {
        GOOGLE_CLIENT_ID: CLIENT_ID,
        GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
        GOOGLE_CALLBACK_URL: CALLBACK_URL,
        JWT_SECRET: '',
      },
      { plugins },
    );
    try {
      for (const path of ['/auth/google', '/auth/google/callback?state=s&code=c']) {
        const response = await fetch(`${app.url}${path}`, { redirect: 'manual' });
        expect(response.status).toBe(503);
        expect(((await response.json()) as ErrorBody).error.message).toContain('missing JWT_SECRET');
      }
    } finally {
      await app.close();
    }
  });
});
