import { setImmediate as nextTurn } from 'node:timers/promises';
import { describeError, HttpError } from '../lib/errors.js';
import type { Connection, Database, Queryable, SharedDatabase } from './database.js';
import { migrate } from './migrate.js';

// How long a client turned away while the database opens should wait before it asks again.
const RETRY_AFTER_SECONDS = 5;

/** Where opening the database stands; reading it never waits. */
export type DatabaseState = { status: 'opening' } | { status: 'ready' } | { status: 'failed'; error: HttpError };

/** A database being opened in the background; see `openInBackground`. */
export interface Opening {
  state(): DatabaseState;
  /** The open, migrated database, once it is; a 503 naming the cause if it could not be opened. */
  open(): Promise<Connection>;
}

/**
 * Connects and applies pending migrations now, in the background: only requests that need the
 * database wait for it, and the first of them finds it open or nearly (PGlite takes a second or
 * two to start, several times that on a busy machine or to create its folder; it runs on this
 * thread, so other requests are slowed while it starts, but none waits for it). After a failure
 * the next `open()` tries again, so the app recovers once the database is back.
 */
export function openInBackground(connect: () => Promise<Connection>, location: string): Opening {
  let state: DatabaseState;
  let attempt = start();

  function start(): Promise<Connection> {
    state = { status: 'opening' };
    // Begun in the next turn of the event loop, so the app finishes setting up and starts listening
    // before PGlite's first and longest stretch of work on this thread.
    const opened = nextTurn()
      .then(() => connectAndMigrate(connect))
      .catch((cause: unknown) => {
        console.error(`Database: could not open ${location}: ${describeError(cause)}`);
        const reason = cause instanceof Error ? cause.message : String(cause);
        throw new HttpError(503, `The database could not be opened: ${reason}. Try again later.`, undefined, retryAfter());
      });
    // Also marks a failure as handled: nothing may be waiting for this attempt when it fails.
    opened.then(
      () => {
        state = { status: 'ready' };
      },
      (error: HttpError) => {
        state = { status: 'failed', error };
      },
    );
    return opened;
  }

  return {
    state: () => state,
    open() {
      if (state.status === 'failed') attempt = start();
      return attempt;
    },
  };
}

/**
 * The database as requests use it: each query waits for the database to open for at most
 * `readyTimeoutSeconds`, then fails with a 503 and Retry-After rather than leave the client
 * hanging while PGlite starts.
 */
export function waitForOpen(opening: Opening, readyTimeoutSeconds: number): SharedDatabase {
  async function opened(): Promise<Database> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stillOpening = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new HttpError(503, `The database is still opening. Try again in ${RETRY_AFTER_SECONDS} seconds.`, undefined, retryAfter()));
      }, readyTimeoutSeconds * 1000);
    });
    try {
      return await Promise.race([opening.open(), stillOpening]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    state: opening.state,
    query: async <Row>(sql: string, params?: unknown[]) => (await opened()).query<Row>(sql, params),
    exec: async (script) => (await opened()).exec(script),
    transaction: async <T>(work: (tx: Queryable) => Promise<T>) => (await opened()).transaction(work),
  };
}

function retryAfter(): Record<string, string> {
  return { 'Retry-After': String(RETRY_AFTER_SECONDS) };
}

async function connectAndMigrate(connect: () => Promise<Connection>): Promise<Connection> {
  const connection = await connect();
  try {
    await migrate(connection);
    return connection;
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
