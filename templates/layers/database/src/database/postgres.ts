import type { Pool, PoolClient } from 'pg';
import type { Connection, Queryable } from './database.js';

/** PostgreSQL through a connection pool; connections are made on first use. */
export async function connectPostgres(connectionString: string): Promise<Connection> {
  const { Pool } = await import('pg');
  // allowExitOnIdle: idle connections alone do not keep the process (or a test run) alive.
  const pool = new Pool({ connectionString, allowExitOnIdle: true });
  // An idle connection the server closed (restart, failover) must not crash the process; the pool replaces it.
  pool.on('error', (error) => console.error(`Database: lost an idle PostgreSQL connection: ${error.message}`));
  return {
    ...queryable(pool),
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        // A connection that could not roll back is discarded rather than reused mid-transaction.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

function queryable(target: Pool | PoolClient): Queryable {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await target.query(sql, params);
      // The SQL decides the columns; the driver cannot check them against Row.
      return result.rows as Row[];
    },
    async exec(script) {
      await target.query(script);
    },
  };
}
