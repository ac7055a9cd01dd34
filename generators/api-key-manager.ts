import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'api-key-manager',
  name: 'API key manager',
  category: 'core',
  description: 'Provider API keys encrypted at rest (AES-256-GCM), per user or shared, with usage and monthly limits per key',
  docsUrl: 'https://nodejs.org/api/crypto.html#class-cipher',
  env: [
    {
      name: 'API_KEY_ENCRYPTION_KEY',
      required: true,
      secret: true,
      description: '32 random bytes, base64: `openssl rand -base64 32`. Losing it makes stored keys unreadable',
    },
  ],
  mountPath: '/api/keys',
  endpoints: [
    {
      method: 'GET',
      path: '',
      description: "List keys (masked), newest first: the caller's own, or every key with its `owner` for an admin; `provider` filters",
      input: { query: 'listQuery' },
    },
    {
      method: 'POST',
      path: '',
      description:
        "Store a key as the caller's own, or for everyone with `shared: true` (admins only); the only response that shows it in full",
      input: { body: 'createKeyBody' },
    },
    {
      method: 'GET',
      path: '/:id',
      description: "One key (masked) with its usage and limits; 403 unless it is the caller's or the caller is an admin",
    },
    {
      method: 'PATCH',
      path: '/:id',
      description: 'Rename, change limits, enable or disable (owner or admin)',
      input: { body: 'updateKeyBody' },
    },
    { method: 'DELETE', path: '/:id', description: 'Delete a key (owner or admin)' },
  ],
  layers: ['database'],
});
