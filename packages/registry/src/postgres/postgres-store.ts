import {
  IntegrityError,
  InvalidInputError,
  NotFoundError,
  type ModelArtifact,
  type ModelStore,
  type ModelVersion,
  type RegisterModelInput,
  type SetAliasOptions,
  type VersionRef,
} from '@mlops/core';
import pg from 'pg';
import { parseChecked } from '../json/safe-parse';
import { assertValidName, assertVersionNumber, LATEST, quoteName } from '../names/names';
import type { AliasMove } from '../records/alias-record';
import { checkStoredArtifact } from '../records/stored-artifact';
import { assertAliasExpectation, checkAliasRequest, checkRegisterRequest, modelLabel } from '../records/requests';
import {
  buildVersionRecord,
  describeVersionRecordProblem,
} from '../records/version-record';
import { checkQuery, type VersionPage, type VersionQuery } from '../search/search';
import type { VerifyProblem, VerifyReport } from '../store/options';

/** Options of {@link PostgresModelStore}. */
export interface PostgresModelStoreOptions {
  /** `postgres://user:password@host:port/database`, or an existing pool. */
  readonly connectionString?: string;
  /** A `pg` pool to use instead of a connection string (not closed by `close()`). */
  readonly pool?: pg.Pool;
  /** Schema holding the registry tables (default `mlops`); letters, digits and `_` only. */
  readonly schema?: string;
  /** Clock for `createdAt` and alias moves (default `() => new Date()`). */
  readonly now?: () => Date;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

const label = modelLabel;

/**
 * A `ModelStore` in PostgreSQL for teams: version records and artifacts (bytea, sha256-checked on every
 * load) in constrained tables. A version number and its row are written in one transaction under a row
 * lock on the model, so concurrent writers get 1, 2, 3… with no gap and nothing half-visible; alias moves
 * are compare-and-set in a transaction with a history row.
 */
export class PostgresModelStore implements ModelStore {
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly s: string;
  private readonly now: () => Date;

  constructor(options: PostgresModelStoreOptions) {
    const schema = options.schema ?? 'mlops';
    if (!SCHEMA_PATTERN.test(schema)) throw new InvalidInputError(`schema ${JSON.stringify(schema)} must match ${SCHEMA_PATTERN}`);
    if (!options.pool && !options.connectionString) throw new InvalidInputError('PostgresModelStore needs a connectionString or a pool');
    this.pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: 4 });
    this.ownsPool = !options.pool;
    this.s = `"${schema}"`;
    this.now = options.now ?? (() => new Date());
  }

  /** Creates the schema and tables if missing (idempotent; safe to run from several processes). */
  async migrate(): Promise<void> {
    const s = this.s;
    await this.transaction(async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('mlops-registry-migrate'))`);
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await db.query(`CREATE TABLE IF NOT EXISTS ${s}.models (
        name text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
        latest_version integer NOT NULL DEFAULT 0 CHECK (latest_version >= 0))`);
      await db.query(`CREATE TABLE IF NOT EXISTS ${s}.versions (
        name text NOT NULL REFERENCES ${s}.models (name),
        version integer NOT NULL CHECK (version > 0),
        record text NOT NULL,
        artifact bytea NOT NULL,
        sha256 char(64) NOT NULL,
        PRIMARY KEY (name, version))`);
      await db.query(`CREATE TABLE IF NOT EXISTS ${s}.aliases (
        name text NOT NULL,
        alias text NOT NULL CHECK (alias ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
        version integer NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (name, alias),
        FOREIGN KEY (name, version) REFERENCES ${s}.versions (name, version))`);
      await db.query(`CREATE TABLE IF NOT EXISTS ${s}.alias_history (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        alias text NOT NULL,
        version integer NOT NULL,
        previous_version integer,
        reason text NOT NULL,
        at text NOT NULL)`);
    });
  }

  /** Closes the pool it created. */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  private async transaction<T>(work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    const db = await this.pool.connect();
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
  }

  /** Stores a new version: numbers 1, 2, 3… per name, gap-free across concurrent writers. */
  async register(name: string, input: RegisterModelInput): Promise<ModelVersion> {
    const { bytes, digest } = checkRegisterRequest(name, input);
    const cannot = `cannot register ${label(name)}`;
    const createdAt = this.now().toISOString();
    return this.transaction(async (db) => {
      await db.query(`INSERT INTO ${this.s}.models (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
      const { rows } = await db.query<{ latest_version: number }>(
        `SELECT latest_version FROM ${this.s}.models WHERE name = $1 FOR UPDATE`,
        [name],
      );
      const latest = rows[0]!.latest_version;
      if (input.parentVersion !== undefined && input.parentVersion > latest) {
        throw new NotFoundError(`${cannot}: parent version ${input.parentVersion} does not exist`, { name, version: input.parentVersion });
      }
      const version = latest + 1;
      const record = buildVersionRecord(name, version, input, input.artifact, digest, createdAt);
      const recordJson = JSON.stringify(record);
      await db.query(`INSERT INTO ${this.s}.versions (name, version, record, artifact, sha256) VALUES ($1, $2, $3, $4, $5)`, [
        name,
        version,
        recordJson,
        bytes,
        digest.sha256,
      ]);
      await db.query(`UPDATE ${this.s}.models SET latest_version = $2 WHERE name = $1`, [name, version]);
      return JSON.parse(recordJson) as ModelVersion;
    });
  }

  private async resolveRef(name: string, ref: VersionRef): Promise<number> {
    if (typeof ref === 'number') {
      assertVersionNumber(ref);
      return ref;
    }
    if (typeof ref !== 'string') {
      throw new InvalidInputError(`a version ref must be a version number, an alias or "latest", got ${typeof ref}`, { name });
    }
    const exists = await this.latest(name);
    if (exists === undefined) throw new NotFoundError(`${label(name)} does not exist`, { name });
    if (ref === LATEST) {
      if (exists === 0) throw new NotFoundError(`${label(name)} has no versions`, { name });
      return exists;
    }
    const version = await this.getAlias(name, ref);
    if (version === undefined) throw new NotFoundError(`${label(name)} has no alias ${quoteName(ref)}`, { name });
    return version;
  }

  private async latest(name: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ latest_version: number }>(`SELECT latest_version FROM ${this.s}.models WHERE name = $1`, [name]);
    return rows[0]?.latest_version;
  }

  private parseRecord(name: string, version: number, text: string): ModelVersion {
    const parsed = parseChecked<ModelVersion>(text, describeVersionRecordProblem);
    if (!parsed.ok) throw new IntegrityError(`version record of ${label(name, version)} is corrupt: ${parsed.reason}`, { name, version });
    if (parsed.value.name !== name || parsed.value.version !== version) {
      throw new IntegrityError(`version record of ${label(name, version)} contradicts its row`, { name, version });
    }
    return parsed.value;
  }

  private async row(name: string, version: number): Promise<{ record: string; artifact: Buffer; sha256: string }> {
    const { rows } = await this.pool.query<{ record: string; artifact: Buffer; sha256: string }>(
      `SELECT record, artifact, sha256 FROM ${this.s}.versions WHERE name = $1 AND version = $2`,
      [name, version],
    );
    if (!rows[0]) {
      const exists = (await this.latest(name)) !== undefined;
      throw new NotFoundError(`${label(name)} ${exists ? `has no version ${version}` : 'does not exist'}`, { name, version });
    }
    return rows[0];
  }

  /** Metadata of a version by number, alias or `latest`. */
  async getVersion(name: string, ref: VersionRef): Promise<ModelVersion> {
    assertValidName(name, 'model');
    const version = await this.resolveRef(name, ref);
    const { rows } = await this.pool.query<{ record: string }>(`SELECT record FROM ${this.s}.versions WHERE name = $1 AND version = $2`, [
      name,
      version,
    ]);
    if (!rows[0]) return (await this.row(name, version)) as never; // throws the NotFoundError
    return this.parseRecord(name, version, rows[0].record);
  }

  /** Loads an artifact and verifies its sha256 (`IntegrityError`) and shape (`InvalidArtifactError`). */
  async loadArtifact(name: string, ref: VersionRef): Promise<{ version: ModelVersion; artifact: ModelArtifact }> {
    assertValidName(name, 'model');
    const version = await this.resolveRef(name, ref);
    const row = await this.row(name, version);
    const record = this.parseRecord(name, version, row.record);
    return { version: record, artifact: checkStoredArtifact(record, row.artifact) };
  }

  /** All versions of a model, oldest first; `[]` for an unknown model. */
  async listVersions(name: string): Promise<ModelVersion[]> {
    assertValidName(name, 'model');
    const { rows } = await this.pool.query<{ version: number; record: string }>(
      `SELECT version, record FROM ${this.s}.versions WHERE name = $1 ORDER BY version`,
      [name],
    );
    return rows.map((r) => this.parseRecord(name, r.version, r.record));
  }

  /** Names of all models with at least one version, sorted. */
  async listModels(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(`SELECT name FROM ${this.s}.models WHERE latest_version > 0 ORDER BY name COLLATE "C"`);
    return rows.map((r) => r.name);
  }

  /** Points `alias` at an existing version; with `expectedVersion` a compare-and-set (`ConflictError`). */
  async setAlias(name: string, alias: string, version: number, options: SetAliasOptions = {}): Promise<void> {
    checkAliasRequest(name, alias, version, options);
    const expected = options.expectedVersion;
    await this.transaction(async (db) => {
      const model = await db.query(`SELECT 1 FROM ${this.s}.models WHERE name = $1 FOR UPDATE`, [name]);
      const exists = await db.query(`SELECT 1 FROM ${this.s}.versions WHERE name = $1 AND version = $2`, [name, version]);
      if (!exists.rowCount) {
        throw new NotFoundError(`${label(name)} ${model.rowCount ? `has no version ${version}` : 'does not exist'}`, { name, version });
      }
      const { rows } = await db.query<{ version: number }>(`SELECT version FROM ${this.s}.aliases WHERE name = $1 AND alias = $2`, [name, alias]);
      const current = rows[0]?.version;
      assertAliasExpectation(name, alias, current, expected);
      const at = this.now().toISOString();
      await db.query(
        `INSERT INTO ${this.s}.aliases (name, alias, version, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name, alias) DO UPDATE SET version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
        [name, alias, version, at],
      );
      await db.query(
        `INSERT INTO ${this.s}.alias_history (name, alias, version, previous_version, reason, at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [name, alias, version, current ?? null, options.reason ?? '', at],
      );
    });
  }

  /** The version an alias points to, or `undefined`. */
  async getAlias(name: string, alias: string): Promise<number | undefined> {
    assertValidName(name, 'model');
    assertValidName(alias, 'alias');
    const { rows } = await this.pool.query<{ version: number }>(`SELECT version FROM ${this.s}.aliases WHERE name = $1 AND alias = $2`, [name, alias]);
    return rows[0]?.version;
  }

  /** Every move of the model's aliases (or of one alias), oldest first. */
  async aliasHistory(name: string, alias?: string): Promise<AliasMove[]> {
    assertValidName(name, 'model');
    if (alias !== undefined) assertValidName(alias, 'alias');
    const { rows } = await this.pool.query<{ alias: string; version: number; previous_version: number | null; reason: string; at: string }>(
      `SELECT alias, version, previous_version, reason, at FROM ${this.s}.alias_history
       WHERE name = $1 AND ($2::text IS NULL OR alias = $2) ORDER BY id`,
      [name, alias ?? null],
    );
    return rows.map((r) => ({ alias: r.alias, version: r.version, previousVersion: r.previous_version, reason: r.reason, at: r.at }));
  }

  /** Versions matching a query (name, tags, metric bounds), newest first, one page at a time. */
  async searchVersions(query: VersionQuery = {}): Promise<VersionPage> {
    const { limit, offset } = checkQuery(query);
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (value: unknown) => `$${args.push(value)}`;
    if (query.name !== undefined) where.push(`name = ${arg(query.name)}`);
    if (query.tags && Object.keys(query.tags).length > 0) where.push(`record::jsonb -> 'tags' @> ${arg(JSON.stringify(query.tags))}::jsonb`);
    const m = query.metric;
    if (m) {
      const value = `(record::jsonb -> 'metrics' ->> ${arg(m.name)})::float8`;
      where.push(`${value} IS NOT NULL`);
      if (m.min !== undefined) where.push(`${value} >= ${arg(m.min)}`);
      if (m.max !== undefined) where.push(`${value} <= ${arg(m.max)}`);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const { rows } = await this.pool.query<{ name: string; version: number; record: string; total: string }>(
      `SELECT name, version, record, count(*) OVER () AS total FROM ${this.s}.versions ${filter}
       ORDER BY record::jsonb ->> 'createdAt' DESC, name COLLATE "C" DESC, version DESC LIMIT ${arg(limit)} OFFSET ${arg(offset)}`,
      args,
    );
    const total = rows[0] ? Number(rows[0].total) : (await this.searchCount(filter, args.slice(0, -2)));
    return { versions: rows.map((r) => this.parseRecord(r.name, r.version, r.record)), total };
  }

  private async searchCount(filter: string, args: unknown[]): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.s}.versions ${filter}`, args);
    return Number(rows[0]!.n);
  }

  /** Checks every record and artifact checksum; problems as data. Nothing to repair: writes are transactional. */
  async verify(): Promise<VerifyReport> {
    const problems: VerifyProblem[] = [];
    const { rows } = await this.pool.query<{ name: string; version: number; record: string; artifact: Buffer }>(
      `SELECT name, version, record, artifact FROM ${this.s}.versions ORDER BY name COLLATE "C", version`,
    );
    for (const row of rows) {
      try {
        checkStoredArtifact(this.parseRecord(row.name, row.version, row.record), row.artifact);
      } catch (error) {
        problems.push({ name: row.name, version: row.version, problem: error instanceof Error ? error.message : String(error) });
      }
    }
    return { ok: problems.length === 0, checkedVersions: rows.length, problems, removedTempEntries: [] };
  }
}
