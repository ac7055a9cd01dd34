import type { ApiKeyService } from './api-key-manager.service.js';

/** Live check for `GET /health?probe=1`: reads the database and decrypts the newest key with API_KEY_ENCRYPTION_KEY. */
export function probeApiKeyManager(service: ApiKeyService): (signal: AbortSignal) => Promise<void> {
  return async () => {
    await service.checkEncryptionKey();
  };
}
