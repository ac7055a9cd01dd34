import { mkdir } from 'node:fs/promises';
import type { Transaction } from '@electric-sql/pglite';
import type { Connection, Queryable } from './database.js';

/**
 * The embedded database: PostgreSQL compiled to WebAssembly, running inside this process with its
 * files in `dataDir` (`memory://` keeps them in memory). One process at a time may use a folder.
 */
export async function connectPglite(dataDir: string): Promise<Connection> {
  // Loaded on demand: apps that use PostgreSQL never pay for loading PGlite.
  const { PGlite } = await import('@electric-sql/pglite');
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir).catch((error: unknown) => {
    // File-system failures arrive as bare objects such as { name: 'ErrnoError', errno: 20 }.
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    // `cause` assigned rather than passed: the two-argument Error constructor needs the ES2022 lib.
    throw Object.assign(new Error(`PGlite could not start in ${dataDir} (is another process using it?): ${reason}`), { cause: error });
  });
  return {
    ...queryable(db),
    // PGlite has one connection: its transaction() holds back other queries until COMMIT.
    transaction: (work) => db.transaction((tx) => work(queryable(tx))),
    close: () => db.close(),
  };
}

function queryable(target: Pick<Transaction, 'query' | 'exec'>): Queryable {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      return (await target.query<Row>(sql, params)).rows;
    },
    async exec(script) {
      await target.exec(script);
    },
  };
}
