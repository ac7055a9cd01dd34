import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { readBody, startMock } from '../helpers/http.js';

/** What the mock received in one request; `form` holds a token request's fields. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
}

/** The profile the userinfo endpoint answers, in Google's OpenID Connect shape. */
export interface UserInfo {
  sub: string;
  name: string;
  given_name: string;
  family_name: string;
  picture: string;
  email: string;
  email_verified: boolean;
}

/** A local stand-in for Google's OAuth 2.0 token and OpenID Connect userinfo endpoints. */
export interface GoogleMock {
  /** Base URL for GOOGLE_AUTH_BASE_URL. */
  url: string;
  requests: RecordedRequest[];
  /** What the userinfo endpoint answers; tests may change its fields. */
  profile: UserInfo;
  /** Answers the next token request with this status and OAuth error code. */
  failNextToken(status: number, error: string): void;
  close(): Promise<void>;
}

/** The only authorization code the token endpoint accepts, as if Google had just issued it. */
export const AUTHORIZATION_CODE = '4/0AbCdEf-mock-authorization-code';
export const ACCESS_TOKEN = 'ya29.mock-access-token';

/** The profile every sign-in starts with. */
export const DEFAULT_PROFILE: UserInfo = {
  sub: '109876543210987654321',
  name: 'Ada Lovelace',
  given_name: 'Ada',
  family_name: 'Lovelace',
  picture: 'https://lh3.googleusercontent.com/a/mock-photo',
  email: 'ada@example.org',
  email_verified: true,
};

/** Starts the mock; token requests must carry this client's id and secret and the redirect URI. */
export async function startGoogleMock(client: { id: string; secret: string; redirectUri: string }): Promise<GoogleMock> {
  const requests: RecordedRequest[] = [];
  const profile = { ...DEFAULT_PROFILE };
  let nextTokenFailure: { status: number; error: string } | undefined;

  const server = await startMock(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, form });

    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /token') {
      const failure = nextTokenFailure;
      nextTokenFailure = undefined;
      if (failure) sendOAuthError(res, failure.status, failure.error);
      else if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret)
        sendOAuthError(res, 401, 'invalid_client');
      else if (form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== client.redirectUri)
        sendOAuthError(res, 400, 'invalid_request');
      else if (form.get('code') !== AUTHORIZATION_CODE) sendOAuthError(res, 400, 'invalid_grant');
      else sendJson(res, 200, { access_token: ACCESS_TOKEN, expires_in: 3599, scope: 'openid profile email', token_type: 'Bearer' });
    } else if (route === 'GET /v1/userinfo') {
      // Google takes the token from the Authorization header or the access_token parameter.
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? url.searchParams.get('access_token');
      if (token === ACCESS_TOKEN) sendJson(res, 200, profile);
      else sendOAuthError(res, 401, 'invalid_token');
    } else {
      sendJson(res, 404, { error: 'not_found' });
    }
  });

  return {
    url: server.url,
    requests,
    profile,
    failNextToken: (status, error) => {
      nextTokenFailure = { status, error };
    },
    close: () => server.close(),
  };
}

function sendOAuthError(res: ServerResponse, status: number, error: string): void {
  sendJson(res, status, { error, error_description: `Mock ${error}` });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
