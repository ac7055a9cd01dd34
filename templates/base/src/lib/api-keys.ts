import type { ServiceRegistry } from './services.js';
import { serviceKey } from './services.js';

/** A stored key, decrypted, ready to send to its provider. */
export interface ActiveKey {
  id: string;
  key: string;
}

/** Provider keys kept at runtime (the api-key-manager plugin provides this when installed). */
export interface ApiKeyStore {
  /**
   * The key for a call made by currentCaller(): their own newest enabled key of the provider that is
   * under its monthly call limit, else such a shared key, if any; never another user's.
   */
  getActiveKey(provider: string): Promise<ActiveKey | undefined>;
  /** Counts one call against the key's usage and monthly limit. Never rejects: a failure is logged. */
  recordUse(id: string): Promise<void>;
}

export const apiKeyStoreKey = serviceKey<ApiKeyStore>('api-key-store');

/** A key to use for one call instead of the one from the environment, and how to count its use. */
export interface StoredKey {
  key: string;
  used(): void;
}

/**
 * The key a provider plugin should use for its next call: a stored one when the key store has
 * an active key for it, else undefined (and the plugin uses its env variable). Looked up per
 * call, so keys added, disabled or over their limit take effect at once.
 */
export async function storedKeyFor(services: ServiceRegistry, provider: string): Promise<StoredKey | undefined> {
  const [store] = services.all(apiKeyStoreKey);
  const active = await store?.getActiveKey(provider);
  if (!store || !active) return undefined;
  return { key: active.key, used: () => void store.recordUse(active.id) };
}
