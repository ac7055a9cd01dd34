import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDatabase } from '../src/database/database.js';
import { migrate } from '../src/database/migrate.js';
import { migrations } from '../src/database/migrations.js';
import { ServiceRegistry } from '../src/lib/services.js';
import { createTestDatabase } from './helpers/database.js';
import type { TestDatabase } from './helpers/database.js';

// PGlite takes a few seconds to start when test files run in parallel.
const STARTUP_TIMEOUT_MS = 60_000;

describe('database migrations', () => {
  let testDatabase: TestDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  }, STARTUP_TIMEOUT_MS);
  afterAll(() => testDatabase.close());

  it('applies each migration once, even when two instances start at the same time', async () => {
    const [first, second] = await Promise.all([testDatabase.connect(), testDatabase.connect()]);

    const applied = await Promise.all([migrate(first), migrate(second)]);

    expect(applied.flat().sort()).toEqual(migrations.map((migration) => migration.id));
    const recorded = await first.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(recorded.map((row) => row.id)).toEqual(migrations.map((migration) => migration.id));
  });

  it('applies nothing on the next start', async () => {
    const connection = await testDatabase.connect();
    await migrate(connection);
    const before = await connection.query<{ id: string; applied_at: Date }>('SELECT id, applied_at FROM schema_migrations ORDER BY id');

    expect(await migrate(connection)).toEqual([]);
    expect(await connection.query('SELECT id, applied_at FROM schema_migrations ORDER BY id')).toEqual(before);
  });

  it('creates the tables of usage-tracker and api-key-manager', async () => {
    const connection = await testDatabase.connect();
    await migrate(connection);
    const tables = await connection.query<{ name: string }>(
      'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
    );
    expect(tables.map((table) => table.name)).toEqual(['api_key_usage', 'api_keys', 'schema_migrations', 'usage_events']);
  });
});

describe('getDatabase', () => {
  it('gives every plugin of an app the same database', () => {
    const services = new ServiceRegistry();
    const config = { PGLITE_DATA_DIR: 'memory://' };
    expect(getDatabase(services, config)).toBe(getDatabase(services, config));
  });

  it('answers 503 when PostgreSQL cannot be reached, and logs where without the password', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const database = getDatabase(new ServiceRegistry(), { DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:1/app' });

      await expect(database.query('SELECT 1')).rejects.toMatchObject({ status: 503, message: 'The database is unavailable. Try again later.' });
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0]?.[0])).toContain('PostgreSQL at 127.0.0.1:1/app');
      expect(String(logged.mock.calls[0]?.[0])).not.toContain('hunter2');
    } finally {
      logged.mockRestore();
    }
  });
});
