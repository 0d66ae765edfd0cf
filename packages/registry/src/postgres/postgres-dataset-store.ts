import { SHA256_HEX } from '../records/shape';
import {
  IntegrityError,
  InvalidInputError,
  NotFoundError,
  type Dataset,
  type DatasetStore,
  type DatasetVersion,
  type RegisterDatasetInput,
} from '@mlops/core';
import type pg from 'pg';
import { parseChecked } from '../json/safe-parse';
import { assertValidName, assertVersionNumber, LATEST } from '../names/names';
import {
  buildDatasetRecord,
  checkDatasetRequest,
  datasetLabel,
  readStoredDataset,
  describeDatasetRecordProblem,
} from '../records/dataset-record';
import { bodyOf } from '../objects/object-store';
import type { Transaction } from './transaction';
import { assertArtifactStorage, type ObjectUploads, readStored, recordedStorage } from './object-uploads';

/**
 * Dataset versions in the tables of a `PostgresModelStore` (`dataset_names`, `dataset_versions`). A
 * registration locks the dataset's row, and `UNIQUE (name, fingerprint)` backs the rule that the same
 * content is one version, stored once.
 */
export class PostgresDatasetStore implements DatasetStore {
  /** Created by the model store of the same root or schema (`store.datasets`). @internal */
  constructor(
    private readonly pool: pg.Pool,
    private readonly schemaSql: string,
    private readonly transaction: Transaction,
    private readonly now: () => Date,
    private readonly uploads?: ObjectUploads,
  ) {}

  /** Stores a snapshot as the next version, or returns the existing version with the same fingerprint. */
  async register(name: string, input: RegisterDatasetInput): Promise<DatasetVersion> {
    const checked = checkDatasetRequest(name, input);
    const cannot = `cannot register ${datasetLabel(name)}`;
    const insert = async (db: pg.PoolClient, data: Buffer | null, key: string | null) => {
      await assertArtifactStorage(db, this.schemaSql, this.uploads?.objects.location, cannot);
      await db.query(`INSERT INTO ${this.schemaSql}.dataset_names (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [
        name,
      ]);
      const { rows } = await db.query<{ latest_version: number }>(
        `SELECT latest_version FROM ${this.schemaSql}.dataset_names WHERE name = $1 FOR UPDATE`,
        [name],
      );
      const same = await db.query<{ version: number; record: string }>(
        `SELECT version, record FROM ${this.schemaSql}.dataset_versions WHERE name = $1 AND fingerprint = $2`,
        [name, checked.fingerprint],
      );
      if (same.rows[0]) return this.parseRecord(name, same.rows[0].version, same.rows[0].record);
      const version = rows[0]!.latest_version + 1;
      const record = buildDatasetRecord(name, version, input, checked, this.now().toISOString());
      await db.query(
        `INSERT INTO ${this.schemaSql}.dataset_versions (name, version, fingerprint, record, ${key === null ? 'data' : 'data_key'}, sha256) VALUES ($1, $2, $3, $4, $5, $6)`,
        [name, version, checked.fingerprint, JSON.stringify(record), data ?? key, checked.digest.sha256],
      );
      await db.query(`UPDATE ${this.schemaSql}.dataset_names SET latest_version = $2 WHERE name = $1`, [name, version]);
      return record;
    };
    return this.uploads
      ? this.uploads.uploadThenCommit(cannot, checked.digest.sha256, bodyOf(checked.bytes), (db, key) =>
          insert(db, null, key),
        )
      : this.transaction((db) => insert(db, Buffer.from(checked.bytes), null));
  }

  /** Metadata of a dataset version by number or `latest`. */
  async getVersion(name: string, ref: number | 'latest'): Promise<DatasetVersion> {
    const { version, record } = await this.row(name, ref, false);
    return this.parseRecord(name, version, record);
  }

  /** The version of `name` whose content has this fingerprint, or `undefined` (also for a string no fingerprint can be). */
  async findVersion(name: string, fingerprint: string): Promise<DatasetVersion | undefined> {
    assertValidName(name, 'dataset');
    // Stored fingerprints are 64 hex digits; anything else matches none (as on the filesystem) and may not reach SQL (e.g. U+0000).
    if (typeof fingerprint !== 'string' || !SHA256_HEX.test(fingerprint)) return undefined;
    const { rows } = await this.pool.query<{ version: number; record: string }>(
      `SELECT version, record FROM ${this.schemaSql}.dataset_versions WHERE name = $1 AND fingerprint = $2`,
      [name, fingerprint],
    );
    return rows[0] ? this.parseRecord(name, rows[0].version, rows[0].record) : undefined;
  }

  /** Loads a snapshot; checksum, shape and fingerprint are verified (`IntegrityError`). */
  async load(name: string, ref: number | 'latest'): Promise<{ version: DatasetVersion; dataset: Dataset }> {
    const { version, record, data, data_key } = await this.row(name, ref, true);
    const parsed = this.parseRecord(name, version, record);
    const stored = {
      uploads: this.uploads,
      row: { bytes: data ?? null, key: data_key ?? null },
      what: `the data of ${datasetLabel(name, version)}`,
      context: { name, version },
      recordedStorage: () => recordedStorage(this.pool, this.schemaSql),
    };
    return { version: parsed, dataset: await readStored(stored, (chunks) => readStoredDataset(parsed, chunks)) };
  }

  /** All versions of a dataset, oldest first; `[]` for an unknown name. */
  async listVersions(name: string): Promise<DatasetVersion[]> {
    assertValidName(name, 'dataset');
    const { rows } = await this.pool.query<{ version: number; record: string }>(
      `SELECT version, record FROM ${this.schemaSql}.dataset_versions WHERE name = $1 ORDER BY version`,
      [name],
    );
    return rows.map((r) => this.parseRecord(name, r.version, r.record));
  }

  /** Names of all datasets with at least one version, sorted. */
  async list(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT name FROM ${this.schemaSql}.dataset_names WHERE latest_version > 0 ORDER BY name COLLATE "C"`,
    );
    return rows.map((r) => r.name);
  }

  /**
   * Every stored dataset row, for `verify()`: a `bytea` snapshot loaded and decoded, one in object storage checked by
   * streaming its size and sha256 against its record (bounded memory, as for model artifacts).
   */
  async checkAll(): Promise<{ checked: number; problems: { name: string; version: number; problem: string }[] }> {
    const { rows } = await this.pool.query<{ name: string; version: number; data_key: string | null }>(
      `SELECT name, version, ${this.uploads ? 'CASE WHEN data IS NULL THEN data_key END' : 'NULL::text'} AS data_key
       FROM ${this.schemaSql}.dataset_versions ORDER BY name COLLATE "C", version`,
    );
    const problems: { name: string; version: number; problem: string }[] = [];
    for (const { name, version, data_key: key } of rows) {
      try {
        if (key === null) await this.load(name, version);
        else await this.checkObject(name, version, key);
      } catch (error) {
        problems.push({ name, version, problem: error instanceof Error ? error.message : String(error) });
      }
    }
    return { checked: rows.length, problems };
  }

  private async checkObject(name: string, version: number, key: string): Promise<void> {
    const record = await this.getVersion(name, version);
    await this.uploads!.checkObject(key, record.data, `the data of ${datasetLabel(name, version)}`, { name, version });
  }

  private async row(
    name: string,
    ref: number | 'latest',
    withData: boolean,
  ): Promise<{ version: number; record: string; data?: Buffer | null; data_key?: string | null }> {
    assertValidName(name, 'dataset');
    if (ref !== LATEST) {
      if (typeof ref !== 'number')
        throw new InvalidInputError(`a dataset version ref must be a version number or "latest", got ${String(ref)}`, {
          name,
        });
      assertVersionNumber(ref);
    }
    const { rows } = await this.pool.query<{
      version: number;
      record: string;
      data?: Buffer | null;
      data_key?: string | null;
    }>(
      `SELECT version, record${withData ? (this.uploads ? ', data, data_key' : ', data, NULL::text AS data_key') : ''} FROM ${this.schemaSql}.dataset_versions
       WHERE name = $1 AND version = ${ref === LATEST ? `(SELECT latest_version FROM ${this.schemaSql}.dataset_names WHERE name = $1)` : '$2'}`,
      ref === LATEST ? [name] : [name, ref],
    );
    if (rows[0]) return rows[0];
    const known = await this.pool.query(
      `SELECT 1 FROM ${this.schemaSql}.dataset_names WHERE name = $1 AND latest_version > 0`,
      [name],
    );
    throw new NotFoundError(
      `${datasetLabel(name)} ${known.rowCount && ref !== LATEST ? `has no version ${ref}` : 'does not exist'}`,
      {
        name,
        ...(ref === LATEST ? {} : { version: ref }),
      },
    );
  }

  private parseRecord(name: string, version: number, text: string): DatasetVersion {
    const parsed = parseChecked<DatasetVersion>(text, describeDatasetRecordProblem);
    if (!parsed.ok)
      throw new IntegrityError(`record of ${datasetLabel(name, version)} is corrupt: ${parsed.reason}`, {
        name,
        version,
      });
    if (parsed.value.name !== name || parsed.value.version !== version) {
      throw new IntegrityError(`record of ${datasetLabel(name, version)} contradicts its row`, { name, version });
    }
    return parsed.value;
  }
}
