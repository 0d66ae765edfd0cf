import {
  ConflictError,
  IntegrityError,
  type AliasMove,
  type DatasetVersion,
  type DecisionRecord,
  type ModelVersion,
} from '@mlops/core';
import type pg from 'pg';
import { failpoint } from '../failpoint';
import { bodyOf } from '../objects/object-store';
import { datasetLabel } from '../records/dataset-record';
import { modelLabel } from '../records/requests';
import { describeChecksumMismatch, digestOf } from '../records/version-record';
import type { Tombstone } from '../records/version-state';
import { assertArtifactStorage, checkArtifactStorage, type ObjectUploads } from './object-uploads';
import type { Transaction } from './transaction';

/** What one import step did: wrote the item, or found it already there (a resumed migration). */
export type ImportOutcome = 'copied' | 'present';

/** A row whose bytes are still in a `bytea` column, as {@link PostgresImport.moveToObjects} moves it. */
export interface ByteaRow {
  readonly kind: 'model' | 'dataset';
  readonly name: string;
  readonly version: number;
}

/**
 * The writing side of a registry migration into a `PostgresModelStore`: versions, tombstones, alias history and
 * decisions keep their numbers, times and reasons. Each step is one transaction (after its upload, with object
 * storage) that first looks for its own earlier result, so a migration cut short anywhere resumes where it stopped;
 * a target holding something else under the same number is a `ConflictError` and is left untouched.
 */
export class PostgresImport {
  constructor(
    private readonly schemaSql: string,
    private readonly transaction: Transaction,
    private readonly uploads: ObjectUploads | undefined,
  ) {}

  /** Whether the target keeps bytes in object storage. */
  get hasObjectStorage(): boolean {
    return this.uploads !== undefined;
  }

  /**
   * Refuses a target that keeps its artifacts elsewhere, and claims its object storage for it (a missing bucket is a
   * `StorageError` now, before any item is written; another registry's storage an `InvalidInputError`). Items record
   * the storage as they commit.
   */
  async checkStorage(what: string): Promise<void> {
    await this.transaction((db) => checkArtifactStorage(db, this.schemaSql, this.uploads?.objects.location, what));
    await this.uploads?.claimStorage(); // the bucket exists, and no other registry keeps its artifacts there
  }

  /** Records the object storage, as the first committed item does (for a move with nothing left to move). */
  async recordStorage(what: string): Promise<void> {
    await this.transaction((db) => assertArtifactStorage(db, this.schemaSql, this.uploads?.objects.location, what));
  }

  /** Rows whose bytes are already in object storage: model versions and dataset versions. */
  async objectRows(): Promise<{ versions: number; datasetVersions: number }> {
    const { rows } = await this.transaction((db) =>
      db.query<{ versions: number; datasets: number }>(
        `SELECT (SELECT count(*)::int FROM ${this.schemaSql}.versions WHERE artifact IS NULL AND artifact_key IS NOT NULL) AS versions,
                (SELECT count(*)::int FROM ${this.schemaSql}.dataset_versions WHERE data IS NULL AND data_key IS NOT NULL) AS datasets`,
      ),
    );
    return { versions: rows[0]!.versions, datasetVersions: rows[0]!.datasets };
  }

  /** One model version with its record, status and artifact bytes (already verified against the record). */
  async version(record: ModelVersion, statusReason: string, bytes: Buffer): Promise<ImportOutcome> {
    const { status, ...stored } = record;
    const { name, version } = record;
    const recordJson = JSON.stringify(stored);
    const what = `cannot copy ${modelLabel(name, version)}`;
    const present = (db: pg.PoolClient) => this.versionPresent(db, record, recordJson);
    return this.write(what, record.artifact.sha256, bytes, present, async (db, artifact, key) => {
      await db.query(`INSERT INTO ${this.schemaSql}.models (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
      await db.query(
        `INSERT INTO ${this.schemaSql}.versions (name, version, record, ${key === null ? 'artifact' : 'artifact_key'}, sha256, status, status_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [name, version, recordJson, artifact ?? key, record.artifact.sha256, status, statusReason],
      );
      await this.raiseLatest(db, 'models', name, version);
    });
  }

  private async versionPresent(db: pg.PoolClient, record: ModelVersion, recordJson: string): Promise<boolean> {
    const { name, version } = record;
    const { rows } = await db.query<{ record: string; status: string }>(
      `SELECT record, status FROM ${this.schemaSql}.versions WHERE name = $1 AND version = $2`,
      [name, version],
    );
    if (rows[0]) {
      if (rows[0].record === recordJson && rows[0].status === record.status) return true;
      throw this.conflict(`${modelLabel(name, version)} is already there with other contents`, name, version);
    }
    if (await this.exists(db, 'deleted_versions', name, version))
      throw this.conflict(`${modelLabel(name, version)} is deleted there`, name, version);
    return false;
  }

  /** A deleted version's number, time and reason. */
  async tombstone(tombstone: Tombstone): Promise<ImportOutcome> {
    const { name, version } = tombstone;
    return this.transaction(async (db) => {
      await this.lockModel(db, name);
      const { rows } = await db.query<{ deleted_at: string; reason: string }>(
        `SELECT deleted_at, reason FROM ${this.schemaSql}.deleted_versions WHERE name = $1 AND version = $2`,
        [name, version],
      );
      if (rows[0]) {
        if (rows[0].deleted_at === tombstone.deletedAt && rows[0].reason === tombstone.reason) return 'present';
        throw this.conflict(`${modelLabel(name, version)} was deleted there at another time`, name, version);
      }
      if (await this.exists(db, 'versions', name, version))
        throw this.conflict(`${modelLabel(name, version)} is there but deleted in the source`, name, version);
      await db.query(
        `INSERT INTO ${this.schemaSql}.deleted_versions (name, version, deleted_at, reason) VALUES ($1, $2, $3, $4)`,
        [name, version, tombstone.deletedAt, tombstone.reason],
      );
      await this.raiseLatest(db, 'models', name, version);
      return 'copied';
    });
  }

  /**
   * A model's alias history, where its aliases point now, and its lifecycle decisions, in one transaction: all of it
   * is copied, or (when a previous run did) found there, or it conflicts with what the target already has.
   */
  async modelState(
    name: string,
    history: readonly AliasMove[],
    aliases: ReadonlyMap<string, number>,
    decisions: readonly DecisionRecord[],
  ): Promise<ImportOutcome> {
    return this.transaction(async (db) => {
      const [movesThere, decisionsThere] = await Promise.all([
        this.countFor(db, 'alias_history', 'name', name),
        this.countFor(db, 'decisions', 'model', name),
      ]);
      if (movesThere === history.length && decisionsThere === decisions.length) return 'present';
      if (movesThere !== 0 || decisionsThere !== 0)
        throw this.conflict(
          `${modelLabel(name)} already has ${movesThere} alias move(s) and ${decisionsThere} decision(s) there, the source ${history.length} and ${decisions.length}`,
          name,
        );
      for (const move of history)
        await db.query(
          `INSERT INTO ${this.schemaSql}.alias_history (name, alias, version, previous_version, kind, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [name, move.alias, move.version, move.previousVersion, move.kind, move.reason, move.at],
        );
      for (const [alias, version] of aliases) {
        const at = history.findLast((move) => move.alias === alias)?.at ?? new Date().toISOString();
        await db.query(
          `INSERT INTO ${this.schemaSql}.aliases (name, alias, version, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (name, alias) DO UPDATE SET version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
          [name, alias, version, at],
        );
      }
      for (const decision of decisions)
        await db.query(`INSERT INTO ${this.schemaSql}.decisions (model, record) VALUES ($1, $2)`, [
          name,
          JSON.stringify(decision),
        ]);
      return 'copied';
    });
  }

  /** One dataset version with its record and snapshot bytes (already verified against the record). */
  async datasetVersion(record: DatasetVersion, bytes: Buffer): Promise<ImportOutcome> {
    const { name, version } = record;
    const recordJson = JSON.stringify(record);
    const present = async (db: pg.PoolClient) => {
      const { rows } = await db.query<{ record: string }>(
        `SELECT record FROM ${this.schemaSql}.dataset_versions WHERE name = $1 AND version = $2`,
        [name, version],
      );
      if (!rows[0]) return false;
      if (rows[0].record === recordJson) return true;
      throw this.conflict(`${datasetLabel(name, version)} is already there with other contents`, name, version);
    };
    return this.write(
      `cannot copy ${datasetLabel(name, version)}`,
      record.data.sha256,
      bytes,
      present,
      async (db, data, key) => {
        await db.query(`INSERT INTO ${this.schemaSql}.dataset_names (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [
          name,
        ]);
        await db.query(
          `INSERT INTO ${this.schemaSql}.dataset_versions (name, version, fingerprint, record, ${key === null ? 'data' : 'data_key'}, sha256)
         VALUES ($1, $2, $3, $4, $5, $6)`,
          [name, version, record.fingerprint, recordJson, data ?? key, record.data.sha256],
        );
        await this.raiseLatest(db, 'dataset_names', name, version);
      },
    );
  }

  /** Rows whose bytes are still in `bytea` columns, models first, in name and version order. */
  async byteaRows(): Promise<ByteaRow[]> {
    const rows: ByteaRow[] = [];
    await this.transaction(async (db) => {
      const models = await db.query<{ name: string; version: number }>(
        `SELECT name, version FROM ${this.schemaSql}.versions WHERE artifact IS NOT NULL ORDER BY name COLLATE "C", version`,
      );
      const datasets = await db.query<{ name: string; version: number }>(
        `SELECT name, version FROM ${this.schemaSql}.dataset_versions WHERE data IS NOT NULL ORDER BY name COLLATE "C", version`,
      );
      rows.push(...models.rows.map((r) => ({ kind: 'model' as const, ...r })));
      rows.push(...datasets.rows.map((r) => ({ kind: 'dataset' as const, ...r })));
    });
    return rows;
  }

  /**
   * Moves one row's `bytea` to object storage: its bytes are checked against the row's sha256, uploaded, read back
   * (size and sha256, streamed), and only then does the row trade its bytes for the object's key. Returns the bytes
   * moved (0 when another run moved it meanwhile); `IntegrityError` when the row's bytes do not match its checksum.
   */
  async moveToObjects(row: ByteaRow): Promise<number> {
    const uploads = this.uploads!;
    const { table, bytesColumn, keyColumn } = row.kind === 'model' ? MODEL_COLUMNS : DATASET_COLUMNS;
    const label = row.kind === 'model' ? modelLabel(row.name, row.version) : datasetLabel(row.name, row.version);
    const context = { name: row.name, version: row.version };
    const { rows } = await this.transaction((db) =>
      db.query<{ bytes: Buffer; sha256: string }>(
        `SELECT ${bytesColumn} AS bytes, sha256 FROM ${this.schemaSql}.${table} WHERE name = $1 AND version = $2 AND ${bytesColumn} IS NOT NULL`,
        [row.name, row.version],
      ),
    );
    if (!rows[0]) return 0;
    const { bytes, sha256 } = rows[0];
    const mismatch = describeChecksumMismatch({ sha256, bytes: bytes.length }, digestOf(bytes));
    if (mismatch) throw new IntegrityError(`the stored bytes of ${label} ${mismatch}: not moved`, context);
    const moved = await uploads.uploadThenCommit(`cannot move ${label}`, sha256, bodyOf(bytes), async (db, key) => {
      await uploads.checkObject(key, { sha256, bytes: bytes.length }, `the uploaded copy of ${label}`, context); // read back
      await assertArtifactStorage(db, this.schemaSql, uploads.objects.location, `cannot move ${label}`);
      const updated = await db.query(
        `UPDATE ${this.schemaSql}.${table} SET ${bytesColumn} = NULL, ${keyColumn} = $3 WHERE name = $1 AND version = $2 AND ${bytesColumn} IS NOT NULL`,
        [row.name, row.version, key],
      );
      return updated.rowCount === 0 ? 0 : bytes.length;
    });
    failpoint('migrate:item'); // committed
    return moved;
  }

  /**
   * Stores `bytes` (an object uploaded and read back first, with object storage; else the `bytea`) and runs `insert`
   * in the same transaction, unless `present` finds the item there already.
   */
  private async write(
    what: string,
    sha256: string,
    bytes: Buffer,
    present: (db: pg.PoolClient) => Promise<boolean>,
    insert: (db: pg.PoolClient, bytes: Buffer | null, key: string | null) => Promise<void>,
  ): Promise<ImportOutcome> {
    const location = this.uploads?.objects.location;
    const commit = async (db: pg.PoolClient, stored: Buffer | null, key: string | null): Promise<ImportOutcome> => {
      await assertArtifactStorage(db, this.schemaSql, location, what);
      if (await present(db)) return 'present';
      await insert(db, stored, key);
      return 'copied';
    };
    const uploads = this.uploads;
    let outcome: ImportOutcome;
    if (!uploads) outcome = await this.transaction((db) => commit(db, bytes, null));
    else if (await this.transaction(present))
      return 'present'; // spares the upload of what a previous run copied
    else
      outcome = await uploads.uploadThenCommit(what, sha256, bodyOf(bytes), async (db, key) => {
        await uploads.checkObject(key, { sha256, bytes: bytes.length }, `${what}: the uploaded copy`, {}); // read back
        return commit(db, null, key);
      });
    failpoint('migrate:item'); // committed
    return outcome;
  }

  private async raiseLatest(db: pg.PoolClient, table: 'models' | 'dataset_names', name: string, version: number) {
    await db.query(
      `UPDATE ${this.schemaSql}.${table} SET latest_version = GREATEST(latest_version, $2) WHERE name = $1`,
      [name, version],
    );
  }

  private async lockModel(db: pg.PoolClient, name: string): Promise<void> {
    await db.query(`INSERT INTO ${this.schemaSql}.models (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
    await db.query(`SELECT 1 FROM ${this.schemaSql}.models WHERE name = $1 FOR UPDATE`, [name]);
  }

  private async exists(
    db: pg.PoolClient,
    table: 'versions' | 'deleted_versions',
    name: string,
    version: number,
  ): Promise<boolean> {
    const { rowCount } = await db.query(`SELECT 1 FROM ${this.schemaSql}.${table} WHERE name = $1 AND version = $2`, [
      name,
      version,
    ]);
    return (rowCount ?? 0) > 0;
  }

  private async countFor(
    db: pg.PoolClient,
    table: 'alias_history' | 'decisions',
    column: 'name' | 'model',
    name: string,
  ): Promise<number> {
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.schemaSql}.${table} WHERE ${column} = $1`,
      [name],
    );
    return Number(rows[0]!.n);
  }

  private conflict(problem: string, name: string, version?: number): ConflictError {
    return new ConflictError(
      `cannot migrate: ${problem} (migrate into an empty registry, or one an earlier run of this migration filled)`,
      {
        name,
        ...(version === undefined ? {} : { version }),
      },
    );
  }
}

const MODEL_COLUMNS = { table: 'versions', bytesColumn: 'artifact', keyColumn: 'artifact_key' } as const;
const DATASET_COLUMNS = { table: 'dataset_versions', bytesColumn: 'data', keyColumn: 'data_key' } as const;
