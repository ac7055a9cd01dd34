import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';
import express, { Router } from 'express';
import type { MockInstance } from 'vitest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connection, Queryable } from '../src/database/database.js';
import { databaseEnv, getDatabase, probeOnceOpen } from '../src/database/database.js';
import { migrate } from '../src/database/migrate.js';
import { migrations } from '../src/database/migrations.js';
import { openInBackground, waitForOpen } from '../src/database/opening.js';
import { asyncHandler } from '../src/lib/async-handler.js';
import type { ProviderPlugin } from '../src/lib/plugin.js';
import { definePlugin } from '../src/lib/plugin.js';
import { createPluginRouter } from '../src/lib/plugin-router.js';
import { ServiceRegistry } from '../src/lib/services.js';
import type { TestDatabase } from './helpers/database.js';
import { createTestDatabase } from './helpers/database.js';
import type { RunningServer } from './helpers/http.js';
import { startMock } from './helpers/http.js';

// PGlite takes a few seconds to start when test files run in parallel.
const STARTUP_TIMEOUT_MS = 60_000;

let testDatabase: TestDatabase;
beforeAll(async () => {
  testDatabase = await createTestDatabase();
}, STARTUP_TIMEOUT_MS);
afterAll(() => testDatabase.close());

describe('database migrations', () => {
  it('applies each migration once, even when two instances start at the same time', async () => {
    // Back to an empty schema: the test database was migrated when it opened.
    const tables = await testDatabase.database.query<{ name: string }>(
      'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()',
    );
    await testDatabase.database.exec(`DROP TABLE ${tables.map((table) => table.name).join(', ')} CASCADE`);
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
    expect(tables.map((table) => table.name)).toEqual([
      'api_key_usage',
      'api_keys',
      'schema_migrations',
      'stripe_processed_events',
      'usage_events',
    ]);
  });
});

describe('getDatabase', () => {
  it('gives every plugin of an app, and every app of the process, the same database', async () => {
    const services = new ServiceRegistry();
    const database = getDatabase(services, testDatabase.config);

    expect(getDatabase(services, testDatabase.config)).toBe(database);
    await database.query("INSERT INTO usage_events (provider, latency_ms) VALUES ('openai', 1)");
    expect(await testDatabase.database.query('SELECT provider FROM usage_events')).toEqual([{ provider: 'openai' }]);
    await testDatabase.truncate();
  });

  it('answers 503 naming why PostgreSQL cannot be reached, and logs where without the password', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const database = getDatabase(new ServiceRegistry(), {
        DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:1/app',
        DATABASE_READY_TIMEOUT_SECONDS: 60,
      });

      await expect(database.query('SELECT 1')).rejects.toMatchObject({
        status: 503,
        message: 'The database could not be opened: connect ECONNREFUSED 127.0.0.1:1. Try again later.',
      });
      expect(String(logged.mock.calls[0]?.[0])).toContain('PostgreSQL at 127.0.0.1:1/app');
      expect(logged.mock.calls.join('\n')).not.toContain('hunter2');
    } finally {
      logged.mockRestore();
    }
  });
});

describe('opening in the background', () => {
  // A stand-in for the plugins that keep data, so these tests hold whichever of them are installed.
  const notesPlugin = definePlugin({
    id: 'notes',
    name: 'Notes',
    mountPath: '/api/notes',
    routes: [{ method: 'GET', path: '/api/notes', access: 'public' }],
    env: databaseEnv,
    setup(config, { services }) {
      const database = getDatabase(services, config);
      const router = Router().get(
        '/',
        asyncHandler(async (_req, res) => {
          res.json(await database.query('SELECT 1 AS one'));
        }),
      );
      const probe = probeOnceOpen(database, async () => {
        await database.query('SELECT 1');
      });
      return { router, probe };
    },
  }) as ProviderPlugin<unknown>;

  const servers: RunningServer[] = [];
  let postgres: SilentPostgres;
  // Databases that cannot be opened say why in the server log: kept out of the test output.
  let logged: MockInstance<typeof console.error>;
  beforeEach(async () => {
    logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    postgres = await startSilentPostgres();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await postgres.close();
    // Closing failed the opening; once that is logged, nothing is left running.
    const database = getDatabase(new ServiceRegistry(), { DATABASE_URL: postgres.url, DATABASE_READY_TIMEOUT_SECONDS: 60 });
    await database.query('SELECT 1').catch(() => undefined);
    logged.mockRestore();
  });

  async function serve(env: Record<string, string>): Promise<string> {
    const server = await startMock(express().use(createPluginRouter([notesPlugin], env).router));
    servers.push(server);
    return server.url;
  }

  it('starts opening when the app is set up, before any request', async () => {
    createPluginRouter([notesPlugin], { DATABASE_URL: postgres.url });

    await postgres.connected;
  });

  it('answers a request with 503 and Retry-After while the database is still opening', async () => {
    const url = await serve({ DATABASE_URL: postgres.url, DATABASE_READY_TIMEOUT_SECONDS: '0' });

    const response = await fetch(`${url}/api/notes`);

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ error: { message: 'The database is still opening. Try again in 5 seconds.' } });
  });

  it('answers /health?probe=1 at once while the database is opening, and says it is', async () => {
    const url = await serve({ DATABASE_URL: postgres.url });

    const response = await fetch(`${url}/health?probe=1`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      resources: { database: 'opening' },
      plugins: [{ id: 'notes', status: 'ok' }],
    });
  });

  it('reports a database that could not be opened on /health', async () => {
    const url = await serve({ DATABASE_URL: 'postgres://app@127.0.0.1:1/notes', DATABASE_READY_TIMEOUT_SECONDS: '60' });

    expect((await fetch(`${url}/api/notes`)).status).toBe(503);
    const health = await fetch(`${url}/health?probe=1`);

    expect(await health.json()).toMatchObject({
      status: 'degraded',
      resources: { database: 'failed' },
      plugins: [{ id: 'notes', status: 'failing' }],
    });
  });

  it('waits for the database to open, then runs the query', async () => {
    const connection = fakeConnection();
    let opened: (connection: Connection) => void = () => undefined;
    const connecting = new Promise<Connection>((resolve) => (opened = resolve));
    const opening = openInBackground(() => connecting, 'the test database');
    const database = waitForOpen(opening, 60);

    const rows = database.query('SELECT 1');
    expect(opening.state()).toEqual({ status: 'opening' });
    opened(connection);

    expect(await rows).toEqual([]);
    expect(opening.state()).toEqual({ status: 'ready' });
    expect(connection.statements).toContain('SELECT 1');
  });

  it('answers 503 naming why opening failed, fails probes at once, and tries again on the next request', async () => {
    const connect = vi
      .fn<() => Promise<Connection>>()
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED 10.0.0.5:5432'))
      .mockResolvedValue(fakeConnection());
    const opening = openInBackground(connect, 'PostgreSQL at 10.0.0.5:5432/app');
    const database = waitForOpen(opening, 60);
    const check = vi.fn(async () => undefined);

    const failure = {
      status: 503,
      message: 'The database could not be opened: connect ECONNREFUSED 10.0.0.5:5432. Try again later.',
      headers: { 'Retry-After': '5' },
    };
    await expect(database.query('SELECT 1')).rejects.toMatchObject(failure);
    await expect(probeOnceOpen(database, check)(new AbortController().signal)).rejects.toMatchObject(failure);
    expect(check).not.toHaveBeenCalled();
    expect(logged).toHaveBeenCalledWith(
      'Database: could not open PostgreSQL at 10.0.0.5:5432/app: Error: connect ECONNREFUSED 10.0.0.5:5432',
    );

    await expect(database.query('SELECT 1')).resolves.toEqual([]);
    expect(connect).toHaveBeenCalledTimes(2);
    expect(opening.state()).toEqual({ status: 'ready' });
  });
});

/** A server that accepts PostgreSQL connections and never answers: a database that is still opening, for as long as a test needs. */
interface SilentPostgres {
  url: string;
  /** Resolves once a client has connected. */
  connected: Promise<void>;
  close(): Promise<void>;
}

async function startSilentPostgres(): Promise<SilentPostgres> {
  const sockets = new Set<Socket>();
  let connected: () => void = () => undefined;
  const firstConnection = new Promise<void>((resolve) => (connected = resolve));
  const server = createServer((socket) => {
    sockets.add(socket);
    connected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `postgres://app@127.0.0.1:${port}/app`,
    connected: firstConnection,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A connection that answers every query with no rows and remembers what it ran. */
function fakeConnection(): Connection & { statements: string[] } {
  const statements: string[] = [];
  const connection = {
    statements,
    query: async <Row>(sql: string): Promise<Row[]> => {
      statements.push(sql);
      return [];
    },
    exec: async (script: string) => void statements.push(script),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => work(connection),
    close: async () => undefined,
  };
  return connection;
}
