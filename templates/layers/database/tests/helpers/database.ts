import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express from 'express';
import type { Connection, Database, DatabaseLocation, SharedDatabase } from '../../src/database/database.js';
import { connectDatabase, databaseKey, getDatabase } from '../../src/database/database.js';
import type { EnvSource } from '../../src/env.js';
import { readPluginEnv } from '../../src/env.js';
import type { Caller } from '../../src/lib/access.js';
import { runAs } from '../../src/lib/access.js';
import { errorHandler, notFoundHandler } from '../../src/lib/errors.js';
import type { PluginSummary, ProviderPlugin } from '../../src/lib/plugin.js';
import { ServiceRegistry } from '../../src/lib/services.js';
import type { RunningServer } from './http.js';
import { startMock } from './http.js';

// PGlite can take many times its usual second or two to start while other test files run.
const READY_TIMEOUT_SECONDS = 60;

/**
 * One test file's database: PostgreSQL in a schema of its own when DATABASE_URL is set (as in CI),
 * else PGlite in memory. Either way the apps a test starts with `config` use the same database as
 * the test, opened once per test file; tests empty it with `truncate()` rather than open another.
 */
export interface TestDatabase {
  /** Settings that point a plugin or `startApp` at this database. */
  config: DatabaseLocation;
  /** The database as plugins get it, migrated. */
  database: SharedDatabase;
  /** Another connection to the same data, without migrations; PGlite has only one, so it is `database`. */
  connect(): Promise<Database>;
  /** A registry that already holds `database`, so plugins set up with it use the test's connection. */
  services(): ServiceRegistry;
  /** Empties every table but schema_migrations. */
  truncate(): Promise<void>;
  /** Closes the extra connections and drops the PostgreSQL schema; the in-memory PGlite lasts as long as the test file. */
  close(): Promise<void>;
}

/** The test file's database, open and migrated; call `close()` after the tests. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const databaseUrl = process.env['DATABASE_URL'];
  const testDatabase = databaseUrl ? await createPostgresSchema(databaseUrl) : inMemoryPglite();
  // The first query waits until the database is open: tests start once it is.
  await testDatabase.database.query('SELECT 1');
  return testDatabase;
}

async function createPostgresSchema(databaseUrl: string): Promise<TestDatabase> {
  const schema = `test_${randomUUID().replaceAll('-', '')}`;
  const admin = await connectDatabase({ DATABASE_URL: databaseUrl });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  // Every connection of this test file starts in its own schema, so test files can run in parallel.
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const config = { DATABASE_URL: url.toString() };
  const connections: Connection[] = [];
  const connect = async () => {
    const connection = await connectDatabase(config);
    connections.push(connection);
    return connection;
  };
  return describeTestDatabase(config, connect, async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  });
}

function inMemoryPglite(): TestDatabase {
  const config = { PGLITE_DATA_DIR: 'memory://' };
  return describeTestDatabase(
    config,
    async (database) => database,
    async () => undefined,
  );
}

function describeTestDatabase(
  config: DatabaseLocation,
  connect: (database: SharedDatabase) => Promise<Database>,
  close: () => Promise<void>,
): TestDatabase {
  // The one apps started with `config` get too: there is one per location and process.
  const database = getDatabase(new ServiceRegistry(), { ...config, DATABASE_READY_TIMEOUT_SECONDS: READY_TIMEOUT_SECONDS });
  return {
    config,
    database,
    connect: () => connect(database),
    services() {
      const services = new ServiceRegistry();
      services.provide(databaseKey, database);
      return services;
    },
    async truncate() {
      const tables = await database.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'",
      );
      await database.exec(`TRUNCATE ${tables.map((table) => table.name).join(', ')}`);
    },
    close,
  };
}

/** Who `startPlugin`'s requests come from unless they name another caller with `callerHeaders`. */
export const TEST_ADMIN: Caller = { id: 'test-admin', role: 'admin' };

const CALLER_HEADER = 'x-test-caller';

/** Headers that make a request to `startPlugin`'s server come from `caller`. */
export function callerHeaders(caller: Caller): Record<string, string> {
  return { [CALLER_HEADER]: `${caller.role}:${caller.id}` };
}

/**
 * Serves one plugin on its own, set up with `services` (e.g. from `TestDatabase.services()`), so
 * the test reads and writes the same database as the plugin. `plugins` is what it sees installed.
 * Each request runs as the access policy would run it, as TEST_ADMIN or the caller its headers name;
 * tests/access.test.ts covers the policy itself.
 */
export function startPlugin<Config>(
  plugin: ProviderPlugin<Config>,
  env: EnvSource,
  services: ServiceRegistry,
  plugins: PluginSummary[] = [],
): Promise<RunningServer> {
  const settings = readPluginEnv(plugin.env, env);
  if (!settings.ok) throw new Error(`${plugin.name} is not configured: ${JSON.stringify(settings)}`);
  const { router } = plugin.setup(settings.config, { env, services, plugins });
  const app = express();
  app.use((req, _res, next) => runAs(namedCaller(req) ?? TEST_ADMIN, next));
  if (plugin.mountPath && router) app.use(plugin.mountPath, router);
  app.use(notFoundHandler, errorHandler);
  return startMock(app);
}

function namedCaller(req: IncomingMessage): Caller | undefined {
  const [role, id] = String(req.headers[CALLER_HEADER] ?? '').split(':');
  return (role === 'user' || role === 'admin') && id ? { id, role } : undefined;
}
