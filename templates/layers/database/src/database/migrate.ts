import type { Database } from './database.js';
import { migrations } from './migrations.js';

/**
 * Applies the migrations this database has not had yet, in list order and in one transaction;
 * returns the ids it applied (none when the schema is up to date).
 */
export async function migrate(database: Database): Promise<string[]> {
  return database.transaction(async (tx) => {
    // Two instances starting at once wait here in turn instead of racing to create the same tables.
    // The lock is per schema and ends with the transaction.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.schema_migrations'))");
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const applied = new Set((await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).map((row) => row.id));
    const pending = migrations.filter((migration) => !applied.has(migration.id));
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
    }
    return pending.map((migration) => migration.id);
  });
}
