import { randomUUID } from 'node:crypto';
import type { Database } from '../../database/database.js';
import type { Caller } from '../../lib/access.js';
import { currentCaller } from '../../lib/access.js';
import type { ApiKeyStore } from '../../lib/api-keys.js';
import { HttpError } from '../../lib/errors.js';
import type { KeyCipher } from './api-key-manager.crypto.js';
import { maskKey } from './api-key-manager.crypto.js';
import type { ApiKey, CreateKeyBody, UpdateKeyBody } from './api-key-manager.schema.js';

/**
 * Stored provider keys: what the routes manage, and the `ApiKeyStore` provider plugins use. A key
 * is its owner's: only they and admins see and manage it, and it serves only their calls. A shared
 * key (no owner, stored by an admin) is managed by admins and serves every caller without a key of their own.
 */
export interface ApiKeyService extends ApiKeyStore {
  /** Newest first, masked: the caller's own keys, or every key for an admin; optionally one provider's only. */
  list(caller: Caller, provider?: string): Promise<ApiKey[]>;
  /** Encrypts and stores a key owned by the caller, or shared (admins only); the result is the only one that shows it in full. */
  create(caller: Caller, input: CreateKeyBody): Promise<ApiKey>;
  /** Throws a 404 HttpError for an unknown id and a 403 for a key the caller may not manage, as do `update` and `remove`. */
  get(caller: Caller, id: string): Promise<ApiKey>;
  update(caller: Caller, id: string, changes: UpdateKeyBody): Promise<ApiKey>;
  remove(caller: Caller, id: string): Promise<void>;
  /** Decrypts the newest stored key: proves API_KEY_ENCRYPTION_KEY is the one the keys were stored with. */
  checkEncryptionKey(): Promise<void>;
}

interface KeyRow {
  id: string;
  owner: string | null;
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
  SELECT k.id, k.owner, k.provider, k.label, k.key_hint, k.monthly_call_limit, k.enabled, k.last_used_at, k.created_at,
    coalesce(sum(u.calls), 0)::int AS calls,
    coalesce(sum(u.calls) FILTER (WHERE u.month = ${CURRENT_MONTH}), 0)::int AS calls_this_month
  FROM api_keys k LEFT JOIN api_key_usage u ON u.key_id = k.id`;

/** Keys live in `api_keys`, encrypted with `cipher`; their calls per month in `api_key_usage`. */
export function createApiKeyService(database: Database, cipher: KeyCipher): ApiKeyService {
  function decrypt(row: SealedKeyRow): string {
    try {
      return cipher.open(
        { ciphertext: Buffer.from(row.key_ciphertext), iv: Buffer.from(row.key_iv), authTag: Buffer.from(row.key_auth_tag) },
        row.id,
      );
    } catch {
      throw new HttpError(
        503,
        `Stored API key ${row.id} cannot be decrypted: API_KEY_ENCRYPTION_KEY is not the key it was stored with. Restore the previous one.`,
      );
    }
  }

  // 404 for a key that does not exist, 403 for one that does but is not the caller's to manage.
  async function get(caller: Caller, id: string): Promise<ApiKey> {
    const [row] = await database.query<KeyRow>(`${SELECT_KEYS} WHERE k.id = $1 GROUP BY k.id`, [id]);
    if (!row) throw notFound(id);
    if (!mayManage(caller, row.owner)) throw notYours(row);
    return toApiKey(row);
  }

  return {
    async list(caller, provider) {
      const owner = caller.role === 'admin' ? null : caller.id;
      const rows = await database.query<KeyRow>(
        `${SELECT_KEYS} WHERE ($1::text IS NULL OR k.provider = $1) AND ($2::text IS NULL OR k.owner = $2)
         GROUP BY k.id ORDER BY k.created_at DESC`,
        [provider ?? null, owner],
      );
      return rows.map(toApiKey);
    },

    async create(caller, { provider, key, label, limits, enabled, shared }) {
      if (shared === true && caller.role !== 'admin') {
        throw new HttpError(403, 'Only an admin may store a shared key. Leave out `shared` to store a key of your own.');
      }
      const id = randomUUID();
      const owner = shared === true ? null : caller.id;
      const { ciphertext, iv, authTag } = cipher.seal(key, id);
      await database.query(
        `INSERT INTO api_keys (id, owner, provider, label, key_hint, key_ciphertext, key_iv, key_auth_tag, monthly_call_limit, enabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [id, owner, provider, label ?? provider, maskKey(key), ciphertext, iv, authTag, limits?.monthlyCallLimit ?? null, enabled ?? true],
      );
      return { ...(await get(caller, id)), key };
    },

    get,

    async update(caller, id, { label, limits, enabled }) {
      await get(caller, id);
      const updated = await database.query(
        `UPDATE api_keys SET
           label = coalesce($2, label),
           enabled = coalesce($3, enabled),
           monthly_call_limit = CASE WHEN $4 THEN $5::integer ELSE monthly_call_limit END
         WHERE id = $1 RETURNING id`,
        [id, label ?? null, enabled ?? null, limits !== undefined, limits?.monthlyCallLimit ?? null],
      );
      if (updated.length === 0) throw notFound(id);
      return get(caller, id);
    },

    async remove(caller, id) {
      await get(caller, id);
      const deleted = await database.query('DELETE FROM api_keys WHERE id = $1 RETURNING id', [id]);
      if (deleted.length === 0) throw notFound(id);
    },

    // The caller's own key first (false sorts before true), then a shared one; never another user's.
    // Calls without a caller (public routes) get shared keys only.
    async getActiveKey(provider) {
      const [row] = await database.query<SealedKeyRow>(
        `SELECT k.id, k.key_ciphertext, k.key_iv, k.key_auth_tag
         FROM api_keys k LEFT JOIN api_key_usage u ON u.key_id = k.id AND u.month = ${CURRENT_MONTH}
         WHERE k.provider = $1 AND (k.owner IS NULL OR k.owner = $2) AND k.enabled
           AND (k.monthly_call_limit IS NULL OR coalesce(u.calls, 0) < k.monthly_call_limit)
         ORDER BY k.owner IS NULL, k.created_at DESC LIMIT 1`,
        [provider, currentCaller()?.id ?? null],
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
    owner: row.owner,
    key: row.key_hint,
    usage: { calls: row.calls, callsThisMonth: row.calls_this_month, lastUsedAt: row.last_used_at?.toISOString() ?? null },
    limits: { monthlyCallLimit: row.monthly_call_limit },
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
  };
}

// Admins manage every key, shared ones included; users only their own.
function mayManage(caller: Caller, owner: string | null): boolean {
  return caller.role === 'admin' || owner === caller.id;
}

function notFound(id: string): HttpError {
  return new HttpError(404, `No API key with id ${id}.`);
}

function notYours({ id, owner }: KeyRow): HttpError {
  const whose = owner === null ? 'is shared: only an admin may manage it' : 'belongs to another user';
  return new HttpError(403, `API key ${id} ${whose}.`);
}
