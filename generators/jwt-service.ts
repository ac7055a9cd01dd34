import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'jwt-service',
  name: 'JWT',
  category: 'auth',
  description: 'Sign and verify JSON Web Tokens, plus a requireAuth middleware for protected routes',
  docsUrl: 'https://github.com/auth0/node-jsonwebtoken#readme',
  dependencies: { jsonwebtoken: '^9.0.3' },
  devDependencies: { '@types/jsonwebtoken': '^9.0.10' },
  env: [
    {
      name: 'JWT_SECRET',
      required: true,
      secret: true,
      description: 'HMAC secret, at least 32 characters. Generate one with `openssl rand -base64 48`',
    },
    { name: 'JWT_EXPIRES_IN', required: false, example: '1h', description: 'Token lifetime, e.g. 15m, 1h, 7d (default 1h)' },
    { name: 'JWT_MAX_AGE', required: false, example: '1d', description: 'Longest lifetime (exp) of a token this app accepts (default 1d)' },
  ],
  endpoints: [],
  providesAuth: true,
});
