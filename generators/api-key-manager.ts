import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'api-key-manager',
  name: 'API key manager',
  category: 'core',
  description: 'Provider API keys encrypted at rest (AES-256-GCM), with usage and monthly limits per key; JWT-protected with jwt-service',
  docsUrl: 'https://nodejs.org/api/crypto.html#class-cipher',
  env: [
    { name: 'API_KEY_ENCRYPTION_KEY', required: true, secret: true, description: '32 random bytes, base64: `openssl rand -base64 32`. Losing it makes stored keys unreadable' },
  ],
  mountPath: '/api/keys',
  endpoints: [
    { method: 'GET', path: '/api/keys', description: 'List keys (masked), newest first; `provider` filters' },
    { method: 'POST', path: '/api/keys', description: 'Store a key; the only response that shows it in full' },
    { method: 'GET', path: '/api/keys/:id', description: 'One key (masked) with its usage and limits' },
    { method: 'PATCH', path: '/api/keys/:id', description: 'Rename, change limits, enable or disable' },
    { method: 'DELETE', path: '/api/keys/:id', description: 'Delete a key' },
  ],
  layers: ['database'],
});
