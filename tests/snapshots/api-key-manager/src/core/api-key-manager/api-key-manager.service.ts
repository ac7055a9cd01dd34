import { randomUUID } from 'node:crypto';
import type { Database } from '../../database/database.js';
import { HttpError } from '../../lib/errors.js';
import { maskKey } from './api-key-manager.crypto.js';
import type { KeyCipher } from './api-key-manager.crypto.js';
import type { ApiKeyStore } from '../../lib/api-keys.js';
import type { ApiKey, CreateKeyBody, UpdateKeyBody } from './api-key-manager.types.js';

/** Stored provider keys: what the routes manage, and the `ApiKeyStore` provider plugins use. */
export interface ApiKeyService extends ApiKeyStore {
  /** Newest first, masked; optionally one provider's only. */
  list(provider?: string): Promise<ApiKey[]>;
  /** Encrypts and stores a key; the result is the only one that shows it in full. */
  create(input: CreateKeyBody): Promise<ApiKey>;
  /** Throws a 404 HttpError for an unknown id, as do `update` and `remove`. */
  get(id: string): Promise<ApiKey>;
  update(id: string, changes: UpdateKeyBody): Promise<ApiKey>;
  remove(id: string): Promise<void>;
  /** Decrypts the newest stored key: proves API_KEY_ENCRYPTION_KEY is the one the keys were stored with. */
  checkEncryptionKey(): Promise<void>;
}

interface KeyRow {
  id: string;
  provider: string;
  label: string;
  key_hint: string;
  monthly_call_limit: number | null;
  enabled: boolean;
  last_used_at: Date | null;
  created_at: Date;
  calls: number;
  calls_this_month: number;
}

interface SealedKeyRow {
  id: string;
  key_ciphertext: Uint8Array;
  key_iv: Uint8Array;
  key_auth_tag: Uint8Array;
}

// Calls are counted per calendar month in UTC, whatever the database's time zone.
const CURRENT_MONTH = `date_trunc('month', now() AT TIME ZONE 'UTC')::date`;

const SELECT_KEYS = `
  SELECT k.id, k.provider, k.label, k.key_hint, k.monthly_call_limit, k.enabled, k.last_used_at, k.created_at,
    coalesce(sum(u.calls), 0)::int AS calls,
    coalesce(sum(u.calls) FILTER (WHERE u.month = ${CURRENT_MONTH}), 0)::int AS calls_this_month
  FROM api_keys k LEFT JOIN api_key_usage u ON u.key_id = k.id`;

/** Keys live in `api_keys`, encrypted with `cipher`; their calls per month in `api_key_usage`. */
export function createApiKeyService(database: Database, cipher: KeyCipher): ApiKeyService {
  function decrypt(row: SealedKeyRow): string {
    try {
      return cipher.open({ ciphertext: Buffer.from(row.key_ciphertext), iv: Buffer.from(row.key_iv), authTag: Buffer.from(row.key_auth_tag) }, row.id);
    } catch {
      throw new HttpError(
        503,
        `Stored API key ${row.id} cannot be decrypted: API_KEY_ENCRYPTION_KEY is not the key it was stored with. Restore the previous one.`,
      );
    }
  }

  async function get(id: string): Promise<ApiKey> {
    const [row] = await database.query<KeyRow>(`${SELECT_KEYS} WHERE k.id = $1 GROUP BY k.id`, [id]);
    if (!row) throw notFound(id);
    return toApiKey(row);
  }

  return {
    async list(provider) {
      const rows = await database.query<KeyRow>(
        `${SELECT_KEYS} WHERE ($1::text IS NULL OR k.provider = $1) GROUP BY k.id ORDER BY k.created_at DESC`,
        [provider ?? null],
      );
      return rows.map(toApiKey);
    },

    async create({ provider, key, label, limits, enabled }) {
      const id = randomUUID();
      const { ciphertext, iv, authTag } = cipher.seal(key, id);
      await database.query(
        `INSERT INTO api_keys (id, provider, label, key_hint, key_ciphertext, key_iv, key_auth_tag, monthly_call_limit, enabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, provider, label ?? provider, maskKey(key), ciphertext, iv, authTag, limits?.monthlyCallLimit ?? null, enabled ?? true],
      );
      return { ...(await get(id)), key };
    },

    get,

    async update(id, { label, limits, enabled }) {
      const updated = await database.query(
        `UPDATE api_keys SET
           label = coalesce($2, label),
           enabled = coalesce($3, enabled),
           monthly_call_limit = CASE WHEN $4 THEN $5::integer ELSE monthly_call_limit END
         WHERE id = $1 RETURNING id`,
        [id, label ?? null, enabled ?? null, limits !== undefined, limits?.monthlyCallLimit ?? null],
      );
      if (updated.length === 0) throw notFound(id);
      return get(id);
    },

    async remove(id) {
      const deleted = await database.query('DELETE FROM api_keys WHERE id = $1 RETURNING id', [id]);
      if (deleted.length === 0) throw notFound(id);
    },

    async getActiveKey(provider) {
      const [row] = await database.query<SealedKeyRow>(
        `SELECT k.id, k.key_ciphertext, k.key_iv, k.key_auth_tag
         FROM api_keys k LEFT JOIN api_key_usage u ON u.key_id = k.id AND u.month = ${CURRENT_MONTH}
         WHERE k.provider = $1 AND k.enabled AND (k.monthly_call_limit IS NULL OR coalesce(u.calls, 0) < k.monthly_call_limit)
         ORDER BY k.created_at DESC LIMIT 1`,
        [provider],
      );
      return row && { id: row.id, key: decrypt(row) };
    },

    async recordUse(id) {
      try {
        await database.query(
          `WITH used AS (UPDATE api_keys SET last_used_at = now() WHERE id = $1 RETURNING id)
           INSERT INTO api_key_usage (key_id, month, calls) SELECT id, ${CURRENT_MONTH}, 1 FROM used
           ON CONFLICT (key_id, month) DO UPDATE SET calls = api_key_usage.calls + 1`,
          [id],
        );
      } catch (error) {
        console.error(`API key manager: could not count a use of key ${id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },

    async checkEncryptionKey() {
      const [row] = await database.query<SealedKeyRow>(
        'SELECT id, key_ciphertext, key_iv, key_auth_tag FROM api_keys ORDER BY created_at DESC LIMIT 1',
      );
      if (row) decrypt(row);
    },
  };
}

function toApiKey(row: KeyRow): ApiKey {
  return {
    id: row.id,
    provider: row.provider,
    label: row.label,
    key: row.key_hint,
    usage: { calls: row.calls, callsThisMonth: row.calls_this_month, lastUsedAt: row.last_used_at?.toISOString() ?? null },
    limits: { monthlyCallLimit: row.monthly_call_limit },
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
  };
}

function notFound(id: string): HttpError {
  return new HttpError(404, `No API key with id ${id}.`);
}
