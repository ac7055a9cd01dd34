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
    { name: 'GOOGLE_CLIENT_ID', required: true, example: '1234-abc.apps.googleusercontent.com', description: 'OAuth client id from https://console.cloud.google.com/apis/credentials' },
    { name: 'GOOGLE_CLIENT_SECRET', required: true, secret: true, description: 'OAuth client secret of the same client' },
    { name: 'GOOGLE_CALLBACK_URL', required: true, example: 'http://localhost:3000/auth/google/callback', description: 'Redirect URI registered on the OAuth client' },
  ],
  mountPath: '/auth',
  endpoints: [
    { method: 'GET', path: '/auth/google', description: 'Redirect to Google sign-in' },
    { method: 'GET', path: '/auth/google/callback', description: 'Google redirects here; answers with a JWT' },
    { method: 'POST', path: '/auth/logout', description: 'Sign out' },
  ],
  requires: ['jwt-service'],
});
