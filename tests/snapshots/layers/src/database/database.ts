import { z } from 'zod';
import { HttpError } from '../lib/errors.js';
import { serviceKey } from '../lib/services.js';
import type { ServiceRegistry } from '../lib/services.js';
import { migrate } from './migrate.js';
import { connectPglite } from './pglite.js';
import { connectPostgres } from './postgres.js';

const DEFAULT_PGLITE_DATA_DIR = './data/pglite';

/** What plugins can do with the database, on a connection or inside a transaction. */
export interface Queryable {
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of one or more statements, without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/**
 * The app's database: PostgreSQL when DATABASE_URL is set, else PGlite (PostgreSQL compiled to
 * WebAssembly, in-process), so the same SQL runs on both.
 */
export interface Database extends Queryable {
  /** Runs `work` on one connection between BEGIN and COMMIT; rolls back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The one database every plugin that keeps data shares; see `getDatabase`. */
export const databaseKey = serviceKey<Database>('database');

/** Where the data lives; each plugin that keeps data includes these in its own settings. */
export const databaseEnv = z.object({
  DATABASE_URL: z.string().refine(isPostgresUrl, 'must be a postgres:// or postgresql:// connection string').optional(),
  /** `memory://` keeps everything in memory, for tests. */
  PGLITE_DATA_DIR: z.string().optional(),
});

export type DatabaseConfig = z.infer<typeof databaseEnv>;

/**
 * The app's database: the first plugin to ask creates it, later ones get the same one, so all
 * share one connection pool (or PGlite instance). It stays open until the process exits: plugins have no shutdown hook, and
 * neither driver needs one (PostgreSQL drops the connections, PGlite has committed every write).
 */
export function getDatabase(services: ServiceRegistry, config: DatabaseConfig): Database {
  const [shared] = services.all(databaseKey);
  if (shared) return shared;
  const database = openOnFirstUse(() => connectDatabase(config), describeLocation(config));
  services.provide(databaseKey, database);
  return database;
}

/** A connection as configured, without migrations. */
export function connectDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.DATABASE_URL) return connectPostgres(config.DATABASE_URL);
  return connectPglite(config.PGLITE_DATA_DIR ?? DEFAULT_PGLITE_DATA_DIR);
}

/**
 * Connects and applies pending migrations on the first query, not at start-up: an app that never
 * touches the database never opens it (PGlite takes a second or two and some memory to start).
 * A failed attempt is retried on the next query, so the app recovers once the database is back.
 */
export function openOnFirstUse(connect: () => Promise<Database>, location: string): Database {
  let opening: Promise<Database> | undefined;

  function open(): Promise<Database> {
    opening ??= connectAndMigrate(connect).catch((error: unknown) => {
      opening = undefined;
      console.error(`Database: could not open ${location}: ${describe(error)}`);
      throw new HttpError(503, 'The database is unavailable. Try again later.');
    });
    return opening;
  }

  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await open()).query<Row>(sql, params),
    exec: async (script) => (await open()).exec(script),
    transaction: async <T>(work: (tx: Queryable) => Promise<T>) => (await open()).transaction(work),
    async close() {
      const database = await opening?.catch(() => undefined);
      opening = undefined;
      await database?.close();
    },
  };
}

async function connectAndMigrate(connect: () => Promise<Database>): Promise<Database> {
  const database = await connect();
  try {
    await migrate(database);
    return database;
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

// A failed parse rather than URL.canParse, which TypeScript's DOM lib only declares from 5.3 on.
function isPostgresUrl(value: string): boolean {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

// For log lines: where the data is, without the password of a connection string.
function describeLocation(config: DatabaseConfig): string {
  if (!config.DATABASE_URL) return `the embedded database in ${config.PGLITE_DATA_DIR ?? DEFAULT_PGLITE_DATA_DIR}`;
  const url = new URL(config.DATABASE_URL);
  return `PostgreSQL at ${url.host}${url.pathname}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
