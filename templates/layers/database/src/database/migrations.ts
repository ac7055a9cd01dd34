/** One step of the schema, applied once by `migrate()`. */
export interface Migration {
  /** Recorded in schema_migrations; never rename one that has been applied. */
  id: string;
  sql: string;
}

/**
 * The schema of every plugin that keeps data, in order, for PostgreSQL and PGlite alike. Append new
 * steps; never edit or reorder applied ones. Tables of plugins that are not installed are created
 * anyway (they stay empty), so adding such a plugin later needs no migration of its own.
 */
export const migrations: Migration[] = [
  {
    // usage-tracker: one row per metered provider call.
    id: '001_create_usage_events',
    sql: `
      CREATE TABLE usage_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        provider text NOT NULL,
        model text,
        input_tokens integer NOT NULL DEFAULT 0,
        output_tokens integer NOT NULL DEFAULT 0,
        seconds double precision NOT NULL DEFAULT 0,
        characters integer NOT NULL DEFAULT 0,
        latency_ms integer NOT NULL,
        -- Estimated from the price table when the call was recorded; NULL when the model has no price.
        cost_usd numeric
      );
      CREATE INDEX usage_events_occurred_at ON usage_events (occurred_at, provider);
    `,
  },
  {
    // api-key-manager: provider keys, encrypted with AES-256-GCM (the IV and auth tag are not secret).
    id: '002_create_api_keys',
    sql: `
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        provider text NOT NULL,
        label text NOT NULL,
        -- The masked form lists show (e.g. sk-…abcd), so listing never needs to decrypt.
        key_hint text NOT NULL,
        key_ciphertext bytea NOT NULL,
        key_iv bytea NOT NULL,
        key_auth_tag bytea NOT NULL,
        monthly_call_limit integer,
        enabled boolean NOT NULL DEFAULT true,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX api_keys_provider ON api_keys (provider, created_at);
    `,
  },
  {
    // api-key-manager: calls per key and calendar month (UTC), for usage and monthly limits.
    id: '003_create_api_key_usage',
    sql: `
      CREATE TABLE api_key_usage (
        key_id uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
        month date NOT NULL,
        calls integer NOT NULL DEFAULT 0,
        PRIMARY KEY (key_id, month)
      );
    `,
  },
  {
    // api-key-manager: whose a key is. NULL is a shared key, which serves every caller; keys stored
    // before keys had owners were the operator's, so they become shared.
    id: '004_add_api_key_owner',
    sql: `
      ALTER TABLE api_keys ADD COLUMN owner text;
      CREATE INDEX api_keys_owner ON api_keys (owner, provider);
    `,
  },
  {
    // usage-tracker: who made each call (the token's subject); NULL for calls made on public routes
    // and for those recorded before callers were.
    id: '005_add_usage_event_caller',
    sql: `
      ALTER TABLE usage_events ADD COLUMN caller_id text;
      CREATE INDEX usage_events_caller_id ON usage_events (caller_id, occurred_at);
    `,
  },
  {
    // stripe: webhook events already handled, so that a redelivery, to this instance or another, is
    // acknowledged without running its handler again.
    id: '006_create_stripe_processed_events',
    sql: `
      CREATE TABLE stripe_processed_events (
        event_id text PRIMARY KEY,
        processed_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
