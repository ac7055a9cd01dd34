import { getDatabase, probeOnceOpen } from '../../database/database.js';
import { apiKeyStoreKey } from '../../lib/api-keys.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { createKeyCipher } from './api-key-manager.crypto.js';
import { createApiKeyService } from './api-key-manager.service.js';
import { apiKeyManagerEnv } from './api-key-manager.schema.js';

/**
 * Provider API keys, encrypted at rest, under /api/keys; provider plugins take the caller's own key,
 * else a shared one, from the `apiKeyStoreKey` service.
 */
export const apiKeyManagerPlugin = definePlugin({
  id: 'api-key-manager',
  name: 'API key manager',
  mountPath: '/api/keys',
  routes: [
    { method: 'GET', path: '/api/keys', access: 'user' },
    { method: 'POST', path: '/api/keys', access: 'user' },
    { method: 'GET', path: '/api/keys/:id', access: 'user' },
    { method: 'PATCH', path: '/api/keys/:id', access: 'user' },
    { method: 'DELETE', path: '/api/keys/:id', access: 'user' },
  ],
  demo: { widget: 'api-keys' },
  env: apiKeyManagerEnv,
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
