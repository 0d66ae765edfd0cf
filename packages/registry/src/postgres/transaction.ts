import type pg from 'pg';

/** Runs `work` in one transaction on a pooled client: COMMIT when it resolves, ROLLBACK when it throws. */
export type Transaction = <T>(work: (db: pg.PoolClient) => Promise<T>) => Promise<T>;

/** Runs `work` in one transaction on the client `db`: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(db: pg.PoolClient, work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  await db.query('BEGIN');
  try {
    const result = await work(db);
    await db.query('COMMIT');
    return result;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** A {@link Transaction} runner over `pool`. */
export function transactionRunner(pool: pg.Pool): Transaction {
  return async (work) => {
    const db = await pool.connect();
    try {
      return await inTransaction(db, work);
    } finally {
      db.release();
    }
  };
}
