import { getDatabase, probeOnceOpen } from '../../database/database.js';
import { apiKeyStoreKey } from '../../lib/api-keys.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createKeyCipher } from './api-key-manager.crypto.js';
import { apiKeyManagerEnv } from './api-key-manager.schema.js';
import { createApiKeyService } from './api-key-manager.service.js';

/**
 * Provider API keys, encrypted at rest, under /api/keys; provider plugins take the caller's own key,
 * else a shared one, from the `apiKeyStoreKey` service.
 */
export const apiKeyManagerPlugin = definePlugin({
  id: 'api-key-manager',
  name: 'API key manager',
  mountPath: '/api/keys',
  routes: [
    {
      method: 'GET',
      path: '/api/keys',
      access: 'user',
      summary: "List keys (masked), newest first: the caller's own, or every key with its `owner` for an admin; `provider` filters",
      input: { query: 'listQuery' },
    },
    {
      method: 'POST',
      path: '/api/keys',
      access: 'user',
      summary:
        "Store a key as the caller's own, or for everyone with `shared: true` (admins only); the only response that shows it in full",
      input: { body: 'createKeyBody' },
    },
    {
      method: 'GET',
      path: '/api/keys/:id',
      access: 'user',
      summary: "One key (masked) with its usage and limits; 403 unless it is the caller's or the caller is an admin",
    },
    {
      method: 'PATCH',
      path: '/api/keys/:id',
      access: 'user',
      summary: 'Rename, change limits, enable or disable (owner or admin)',
      input: { body: 'updateKeyBody' },
    },
    { method: 'DELETE', path: '/api/keys/:id', access: 'user', summary: 'Delete a key (owner or admin)' },
  ],
  demo: { widget: 'api-keys' },
  env: apiKeyManagerEnv,
  schemas: () => import('./api-key-manager.schema.js'),
  setup(config, { services }) {
    const database = getDatabase(services, config);
    const service = createApiKeyService(database, createKeyCipher(config.API_KEY_ENCRYPTION_KEY));
    services.provide(apiKeyStoreKey, service);
    return {
      router: routerOnFirstUse(async () => (await import('./api-key-manager.routes.js')).createApiKeyManagerRouter(service)),
      // Reads the database and decrypts the newest key with API_KEY_ENCRYPTION_KEY.
      probe: probeOnceOpen(database, () => service.checkEncryptionKey()),
    };
  },
});
