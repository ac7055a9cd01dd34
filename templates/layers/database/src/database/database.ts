import * as z from 'zod';
import { sharedResources } from '../lib/health.js';
import type { PluginInstance } from '../lib/plugin.js';
import type { ServiceRegistry } from '../lib/services.js';
import { serviceKey } from '../lib/services.js';
import type { DatabaseState, Opening } from './opening.js';
import { openInBackground, waitForOpen } from './opening.js';
import { connectPglite } from './pglite.js';
import { connectPostgres } from './postgres.js';

const DEFAULT_PGLITE_DATA_DIR = './data/pglite';
// PGlite opens in a second or two, but may take ten or more on a busy machine.
const DEFAULT_READY_TIMEOUT_SECONDS = 10;

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
}

/** A database as a driver opens it, and closes it. */
export interface Connection extends Database {
  close(): Promise<void>;
}

/** The database as plugins share it: it opens in the background, and each query waits for it, up to a bound. */
export interface SharedDatabase extends Database {
  /** Where opening stands, at once: for health probes, which must not wait for it. */
  state(): DatabaseState;
}

/** The one database every plugin that keeps data shares; see `getDatabase`. */
export const databaseKey = serviceKey<SharedDatabase>('database');

/** Where the data lives; each plugin that keeps data includes these in its own settings. */
export const databaseEnv = z.object({
  DATABASE_URL: z.string().refine(isPostgresUrl, 'must be a postgres:// or postgresql:// connection string').optional(),
  /** `memory://` keeps everything in memory, for tests. */
  PGLITE_DATA_DIR: z.string().optional(),
  DATABASE_READY_TIMEOUT_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must be 0 or more seconds')
    .optional(),
});

export type DatabaseConfig = z.infer<typeof databaseEnv>;

/** Where the data is: a PostgreSQL connection string, or PGlite's folder. */
export type DatabaseLocation = Pick<DatabaseConfig, 'DATABASE_URL' | 'PGLITE_DATA_DIR'>;

// One opening per location for the whole process: PGlite lets only one instance use a folder, so
// apps built twice in one process (tests build many) share it, and in-memory ones are shared alike.
const openings = new Map<string, Opening>();

/**
 * The app's database: the first plugin to ask, while the app is set up, starts opening it in the
 * background; later ones get the same one. It stays open until the process exits: plugins have no
 * shutdown hook, and neither driver needs one (PostgreSQL drops the connections, PGlite has
 * committed every write). `/health` reports whether it is opening, ready or failed.
 */
export function getDatabase(services: ServiceRegistry, config: DatabaseConfig): SharedDatabase {
  const [shared] = services.all(databaseKey);
  if (shared) return shared;
  const key = config.DATABASE_URL ?? dataDirOf(config);
  let opening = openings.get(key);
  if (!opening) {
    opening = openInBackground(() => connectDatabase(config), describeLocation(config));
    openings.set(key, opening);
  }
  const database = waitForOpen(opening, config.DATABASE_READY_TIMEOUT_SECONDS ?? DEFAULT_READY_TIMEOUT_SECONDS);
  services.provide(databaseKey, database);
  services.provide(sharedResources, { name: 'database', status: () => database.state().status });
  return database;
}

/** A connection as configured, without migrations. */
export function connectDatabase(location: DatabaseLocation): Promise<Connection> {
  if (location.DATABASE_URL) return connectPostgres(location.DATABASE_URL);
  return connectPglite(dataDirOf(location));
}

type Probe = NonNullable<PluginInstance['probe']>;

/**
 * The health probe of a plugin that keeps data, made never to wait for the database: while it
 * opens there is nothing to check yet, so the probe passes (`/health` lists the database as
 * opening); once opening has failed, it fails with the reason.
 */
export function probeOnceOpen(database: SharedDatabase, probe: Probe): Probe {
  return async (signal) => {
    const state = database.state();
    if (state.status === 'failed') throw state.error;
    if (state.status === 'ready') await probe(signal);
  };
}

// A failed parse rather than URL.canParse, which TypeScript's DOM lib only declares from 5.3 on.
function isPostgresUrl(value: string): boolean {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function dataDirOf(location: DatabaseLocation): string {
  return location.PGLITE_DATA_DIR ?? DEFAULT_PGLITE_DATA_DIR;
}

// For log lines: where the data is, without the password of a connection string.
function describeLocation(location: DatabaseLocation): string {
  if (!location.DATABASE_URL) return `the embedded database in ${dataDirOf(location)}`;
  const url = new URL(location.DATABASE_URL);
  return `PostgreSQL at ${url.host}${url.pathname}`;
}
