import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'google-auth',
  name: 'Google sign-in',
  category: 'auth',
  description: 'Google OAuth 2.0 sign-in (passport) that issues a JWT through jwt-service',
  docsUrl: 'https://developers.google.com/identity/protocols/oauth2/web-server',
  dependencies: { passport: '^0.7.0', 'passport-google-oauth20': '^2.0.0' },
  devDependencies: { '@types/passport': '^1.0.17', '@types/passport-google-oauth20': '^2.0.16' },
  env: [
    {
      name: 'GOOGLE_CLIENT_ID',
      required: true,
      example: '1234-abc.apps.googleusercontent.com',
      description: 'OAuth client id from https://console.cloud.google.com/apis/credentials',
    },
    { name: 'GOOGLE_CLIENT_SECRET', required: true, secret: true, description: 'OAuth client secret of the same client' },
    {
      name: 'GOOGLE_CALLBACK_URL',
      required: true,
      example: 'http://localhost:3000/auth/google/callback',
      description: 'Redirect URI registered on the OAuth client: the public URL of GET /auth/google/callback',
    },
    {
      name: 'GOOGLE_SUCCESS_REDIRECT',
      required: false,
      example: 'http://localhost:5173/signed-in',
      description:
        'Where the callback sends the browser after sign-in, with the token in the URL fragment (#token=...); without it the callback answers JSON',
    },
    {
      name: 'GOOGLE_AUTH_BASE_URL',
      required: false,
      example: 'http://localhost:4000',
      description: "Replaces the scheme and host of Google's OAuth endpoints (keeping their paths), for a proxy or a local mock",
    },
    {
      name: 'ADMIN_EMAILS',
      required: false,
      example: 'you@example.com',
      description: "Comma-separated e-mail addresses whose tokens say admin (`roles: ['admin']`), once Google has verified the address",
    },
    {
      name: 'GOOGLE_ALLOWED_DOMAINS',
      required: false,
      example: 'example.com',
      description:
        'Comma-separated domains whose verified addresses may sign in; with this or GOOGLE_ALLOWED_EMAILS set, other accounts get 403 (admins always may)',
    },
    {
      name: 'GOOGLE_ALLOWED_EMAILS',
      required: false,
      example: 'ada@example.org',
      description: 'Comma-separated verified addresses that may sign in, besides GOOGLE_ALLOWED_DOMAINS',
    },
  ],
  mountPath: '/auth',
  endpoints: [
    {
      method: 'GET',
      path: '/google',
      description: 'Redirect to Google sign-in (with a state nonce, kept in a short-lived signed cookie)',
      access: 'public',
    },
    {
      method: 'GET',
      path: '/google/callback',
      description:
        'Google redirects here; answers `{ token, user }` with a JWT from jwt-service (admin for ADMIN_EMAILS), or redirects to GOOGLE_SUCCESS_REDIRECT; 403 for an account the allow-lists leave out',
      access: 'public',
      input: { query: 'callbackQuery' },
    },
    { method: 'POST', path: '/logout', description: 'Sign out: 204 (JWTs are stateless; the client drops its token)', access: 'public' },
  ],
  requires: ['jwt-service'],
});
