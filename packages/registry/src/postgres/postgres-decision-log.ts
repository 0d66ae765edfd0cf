import { IntegrityError, InvalidInputError, type DecisionLog, type DecisionRecord } from '@mlops/core';
import type pg from 'pg';
import { failpoint } from '../failpoint';
import { parseChecked } from '../json/safe-parse';
import { assertValidName } from '../names/names';
import { checkedDecision, describeDecisionProblem } from '../records/decision-record';
import { modelLabel } from '../records/requests';

/**
 * Lifecycle decisions in the `decisions` table of a `PostgresModelStore`'s schema, one row per record (validated
 * before it is written and again when read); the run lease is a PostgreSQL advisory lock.
 */
export class PostgresDecisionLog implements DecisionLog {
  /**
   * Created by the model store of the same schema (`store.decisions`): `schemaSql` is the quoted identifier
   * used in queries, `schema` the bare name that scopes the run lease. @internal
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly schemaSql: string,
    private readonly schema: string,
  ) {}

  /** Appends one record (validated first). */
  async append(record: DecisionRecord): Promise<void> {
    const problem = describeDecisionProblem(record);
    if (problem) throw new InvalidInputError(`cannot record a decision: ${problem}`);
    assertValidName(record.model, 'model');
    await this.pool.query(`INSERT INTO ${this.schemaSql}.decisions (model, record) VALUES ($1, $2)`, [
      record.model,
      JSON.stringify(checkedDecision(record)),
    ]);
    failpoint(`decision:${record.phase}`); // committed (one autocommitted INSERT)
  }

  /** Every record of a model, oldest first (`[]` when none); a corrupt row is an `IntegrityError`. */
  async list(model: string): Promise<DecisionRecord[]> {
    assertValidName(model, 'model');
    const { rows } = await this.pool.query<{ id: string; record: string }>(
      `SELECT id, record FROM ${this.schemaSql}.decisions WHERE model = $1 ORDER BY id`,
      [model],
    );
    return rows.map((r) => {
      const parsed = parseChecked<DecisionRecord>(r.record, describeDecisionProblem);
      if (!parsed.ok)
        throw new IntegrityError(`decision ${r.id} of ${modelLabel(model)} is corrupt: ${parsed.reason}`, {
          name: model,
        });
      return parsed.value;
    });
  }

  /**
   * Runs `work` holding the model's lifecycle lease. A session-level advisory lock on a dedicated connection:
   * released on unlock, or by PostgreSQL when the holder's session ends (a crashed process), so an interrupted
   * run is resumed once, by the next holder.
   */
  async withRunLease<T>(model: string, work: () => Promise<T>): Promise<T> {
    assertValidName(model, 'model');
    const db = await this.pool.connect();
    const key = [this.schema, model];
    try {
      await db.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', key);
      try {
        return await work();
      } finally {
        await db.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', key);
      }
    } finally {
      db.release();
    }
  }
}
