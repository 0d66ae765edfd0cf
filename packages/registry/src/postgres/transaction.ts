import type pg from 'pg';

/** Runs `work` in one transaction on a pooled client: COMMIT when it resolves, ROLLBACK when it throws. */
export type Transaction = <T>(work: (db: pg.PoolClient) => Promise<T>) => Promise<T>;

/** A {@link Transaction} runner over `pool`. */
export function transactionRunner(pool: pg.Pool): Transaction {
  return async (work) => {
    const db = await pool.connect();
    try {
      await db.query('BEGIN');
      const result = await work(db);
      await db.query('COMMIT');
      return result;
    } catch (error) {
      await db.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      db.release();
    }
  };
}
