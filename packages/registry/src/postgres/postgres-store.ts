import {
  type Clock,
  type Registry,
  type VerifyProblem,
  type VerifyOptions,
  type VerifyReport,
  type VersionPage,
  type VersionQuery,
  systemClock,
  IntegrityError,
  InvalidInputError,
  NotFoundError,
  type AliasMove,
  type ModelArtifact,
  type ModelVersion,
  type RegisterModelInput,
  type RollbackOptions,
  type SetAliasOptions,
  type VersionChangeOptions,
  type VersionRef,
  type VersionStatus,
} from '@mlops/core';
import { lazyModule } from '@mlops/core/internal';
import type pg from 'pg';
import { failpoint } from '../failpoint';
import { parseChecked } from '../json/safe-parse';
import { assertValidName, assertVersionNumber, LATEST, quoteName } from '../names/names';
import { rollbackTarget } from '../records/alias-record';
import { readStoredArtifact } from '../records/stored-artifact';
import {
  assertAliasExpectation,
  checkAliasRequest,
  checkRegisterRequest,
  checkRollbackRequest,
  modelLabel,
  checkChangeRequest,
  nothingToRollBack,
  resolveFeatureTypes,
} from '../records/requests';
import { buildVersionRecord, describeVersionRecordProblem, type StoredVersionRecord } from '../records/version-record';
import { assertAliasable, assertNoAliases, deletedVersionError } from '../records/version-state';
import { checkQuery } from '../search/search';
import { migrateSchema, tableExists } from './migrations';
import {
  assertArtifactStorage,
  checkArtifactStorage,
  ObjectUploads,
  recordedStorage,
  foreignStorage,
  readStored,
  type StoredRow,
  sweepOrphans,
} from './object-uploads';
import type { ObjectStore } from '../objects/object-store';
import { PostgresDatasetStore } from './postgres-dataset-store';
import { PostgresDecisionLog } from './postgres-decision-log';
import { PostgresImport } from './registry-import';
import { transactionRunner, type Transaction } from './transaction';

/** Options of {@link PostgresModelStore}. */
export interface PostgresModelStoreOptions {
  /** `postgres://user:password@host:port/database`, or an existing pool. */
  readonly connectionString?: string;
  /** A `pg` pool to use instead of a connection string (not closed by `close()`). */
  readonly pool?: pg.Pool;
  /** Schema holding the registry tables (default `mlops`); letters, digits and `_` only. */
  readonly schema?: string;
  /** Clock for `createdAt` and alias moves (default the system clock; `ManualClock` from `@mlops/core` in tests). */
  readonly clock?: Pick<Clock, 'now'>;
  /**
   * Where artifacts and dataset snapshots go instead of `bytea` columns (e.g. `new S3ObjectStore({ url: 's3://…' })`):
   * uploaded before their row commits, content-addressed, verified on every load. Rows stored before keep their bytes.
   */
  readonly artifacts?: ObjectStore;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

const label = modelLabel;

type Row = { record: string; status: VersionStatus };

/** `pg`, loaded when the first PostgreSQL store is created: filesystem-only apps never load or bundle it. */
const loadPg = lazyModule<typeof pg>(import.meta.url, 'pg');

/**
 * A `ModelStore` in PostgreSQL for teams: version records and artifacts (bytea, sha256-checked on every
 * load) in constrained tables. A version number and its row are written in one transaction under a row
 * lock on the model, so concurrent writers get 1, 2, 3… with no gap and nothing half-visible; alias moves,
 * archiving and deletion are transactions under the same lock, alias moves compare-and-set with a history row.
 */
export class PostgresModelStore implements Registry {
  /** The dataset versions kept in the same schema; model lineage naming a dataset version is checked against it. */
  readonly datasets: PostgresDatasetStore;
  /** The lifecycle decision log kept in the same schema. */
  readonly decisions: PostgresDecisionLog;
  /** The writing side of `migrateRegistry` and `moveArtifactsToObjectStorage`. @internal */
  readonly importer: PostgresImport;
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly schemaSql: string;
  private readonly now: () => Date;
  private readonly transaction: Transaction;
  private readonly uploads: ObjectUploads | undefined;
  private indexedSearch = false;

  constructor(options: PostgresModelStoreOptions) {
    const schema = options.schema ?? 'mlops';
    if (!SCHEMA_PATTERN.test(schema))
      throw new InvalidInputError(`schema ${JSON.stringify(schema)} must match ${SCHEMA_PATTERN}`);
    if (!options.pool && !options.connectionString)
      throw new InvalidInputError('PostgresModelStore needs a connectionString or a pool');
    this.pool = options.pool ?? new (loadPg().Pool)({ connectionString: options.connectionString, max: 4 });
    this.ownsPool = !options.pool;
    this.schemaSql = `"${schema}"`;
    const clock = options.clock ?? systemClock;
    this.now = () => new Date(clock.now());
    this.transaction = transactionRunner(this.pool);
    this.uploads = options.artifacts && new ObjectUploads(this.pool, options.artifacts, schema);
    this.datasets = new PostgresDatasetStore(this.pool, this.schemaSql, this.transaction, this.now, this.uploads);
    this.decisions = new PostgresDecisionLog(this.pool, this.schemaSql, schema);
    this.importer = new PostgresImport(this.schemaSql, this.transaction, this.uploads);
  }

  /**
   * Creates the schema and tables if missing and applies the migrations this version has and the database
   * lacks, recorded in `schema_version` (idempotent; safe to run from several processes).
   */
  async migrate(): Promise<void> {
    await migrateSchema(this.transaction, this.schemaSql);
  }

  /** Whether the registry's tables exist (`migrate()` creates them), in any schema version. */
  async exists(): Promise<boolean> {
    return tableExists(this.pool, this.schemaSql, 'models');
  }

  /**
   * Refuses (`InvalidInputError` naming the right one) when this store's artifact storage is not the one the registry
   * recorded, or is another registry's, and fails (`StorageError`) when it does not answer as S3 (a missing bucket, an
   * endpoint that is no S3 API), as a write would: for work that ends in a write (training), checked before it starts.
   */
  async checkArtifactStorage(): Promise<void> {
    const what = 'cannot write to this registry';
    await checkArtifactStorage(this.pool, this.schemaSql, this.uploads?.objects.location, what);
    if (this.uploads === undefined) return;
    const { mine, owner } = await this.uploads.ownership();
    if (!mine && owner !== undefined)
      throw new InvalidInputError(`${what}: ${foreignStorage(this.uploads.objects.location, owner).message}`);
  }

  /** Closes the pool it created. */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  /** Stores a new version: numbers 1, 2, 3… per name, gap-free across concurrent writers. */
  async register(name: string, input: RegisterModelInput): Promise<ModelVersion> {
    const { bytes, digest } = checkRegisterRequest(name, input);
    const featureTypes = await resolveFeatureTypes(name, input, (dataset, version) =>
      this.datasets.getVersion(dataset, version),
    );
    const cannot = `cannot register ${label(name)}`;
    const createdAt = this.now().toISOString();
    const insert = async (db: pg.PoolClient, artifact: Buffer | null, key: string | null) => {
      await assertArtifactStorage(db, this.schemaSql, this.uploads?.objects.location, cannot);
      await db.query(`INSERT INTO ${this.schemaSql}.models (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
      const { rows } = await db.query<{ latest_version: number }>(
        `SELECT latest_version FROM ${this.schemaSql}.models WHERE name = $1 FOR UPDATE`,
        [name],
      );
      const latest = rows[0]!.latest_version;
      if (input.parentVersion !== undefined && input.parentVersion > latest) {
        throw new NotFoundError(`${cannot}: parent version ${input.parentVersion} does not exist`, {
          name,
          version: input.parentVersion,
        });
      }
      const version = latest + 1;
      const record = buildVersionRecord(name, version, input, featureTypes, digest, createdAt);
      const recordJson = JSON.stringify(record);
      // `artifact` without object storage: a column every schema version has.
      await db.query(
        `INSERT INTO ${this.schemaSql}.versions (name, version, record, ${key === null ? 'artifact' : 'artifact_key'}, sha256) VALUES ($1, $2, $3, $4, $5)`,
        [name, version, recordJson, artifact ?? key, digest.sha256],
      );
      await db.query(`UPDATE ${this.schemaSql}.models SET latest_version = $2 WHERE name = $1`, [name, version]);
      return { ...(JSON.parse(recordJson) as StoredVersionRecord), status: 'active' as const };
    };
    const registered = this.uploads
      ? await this.uploads.uploadThenCommit(cannot, digest.sha256, bytes, (db, key) => insert(db, null, key))
      : await this.transaction((db) => insert(db, bytes.whole(), null));
    failpoint('register:committed');
    return registered;
  }

  private async resolveRef(name: string, ref: VersionRef): Promise<number> {
    if (typeof ref === 'number') {
      assertVersionNumber(ref);
      return ref;
    }
    if (typeof ref !== 'string') {
      throw new InvalidInputError(`a version ref must be a version number, an alias or "latest", got ${typeof ref}`, {
        name,
      });
    }
    if (ref === LATEST) {
      const { rows } = await this.pool.query<{ latest: number | null; known: boolean }>(
        `SELECT (SELECT version FROM ${this.schemaSql}.versions WHERE name = $1 AND status = 'active' ORDER BY version DESC LIMIT 1) AS latest,
                EXISTS (SELECT 1 FROM ${this.schemaSql}.models WHERE name = $1) AS known`,
        [name],
      );
      const { latest, known } = rows[0]!;
      if (latest === null)
        throw new NotFoundError(`${label(name)} ${known ? 'has no active versions' : 'does not exist'}`, { name });
      return latest;
    }
    const version = await this.getAlias(name, ref);
    if (version === undefined) {
      const known = await this.pool.query(`SELECT 1 FROM ${this.schemaSql}.models WHERE name = $1`, [name]);
      throw new NotFoundError(
        `${label(name)} ${known.rowCount ? `has no alias ${quoteName(ref)}` : 'does not exist'}`,
        { name },
      );
    }
    return version;
  }

  private parseRecord(name: string, version: number, row: Row): ModelVersion {
    const parsed = parseChecked<StoredVersionRecord>(row.record, describeVersionRecordProblem);
    if (!parsed.ok)
      throw new IntegrityError(`version record of ${label(name, version)} is corrupt: ${parsed.reason}`, {
        name,
        version,
      });
    if (parsed.value.name !== name || parsed.value.version !== version) {
      throw new IntegrityError(`version record of ${label(name, version)} contradicts its row`, { name, version });
    }
    return { ...parsed.value, status: row.status };
  }

  /** The NotFoundError for a version without a row: deleted, never registered, or an unknown model. */
  private async missing(
    name: string,
    version: number,
    db: pg.Pool | pg.PoolClient = this.pool,
  ): Promise<NotFoundError> {
    const { rows } = await db.query<{ known: boolean; deleted: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${this.schemaSql}.models WHERE name = $1) AS known,
              EXISTS (SELECT 1 FROM ${this.schemaSql}.deleted_versions WHERE name = $1 AND version = $2) AS deleted`,
      [name, version],
    );
    if (rows[0]!.deleted) return deletedVersionError(name, version);
    return new NotFoundError(`${label(name)} ${rows[0]!.known ? `has no version ${version}` : 'does not exist'}`, {
      name,
      version,
    });
  }

  private async record(
    name: string,
    version: number,
    db: pg.Pool | pg.PoolClient = this.pool,
    lock = false,
  ): Promise<ModelVersion> {
    const { rows } = await db.query<Row>(
      `SELECT record, status FROM ${this.schemaSql}.versions WHERE name = $1 AND version = $2${lock ? ' FOR UPDATE' : ''}`,
      [name, version],
    );
    if (!rows[0]) throw await this.missing(name, version, db);
    return this.parseRecord(name, version, rows[0]);
  }

  /** Metadata of a version by number, alias or `latest` (the newest active version). */
  async getVersion(name: string, ref: VersionRef): Promise<ModelVersion> {
    assertValidName(name, 'model');
    return this.record(name, await this.resolveRef(name, ref));
  }

  /** Loads an artifact and verifies its sha256 (`IntegrityError`) and shape (`InvalidArtifactError`). */
  async loadArtifact(name: string, ref: VersionRef): Promise<{ version: ModelVersion; artifact: ModelArtifact }> {
    assertValidName(name, 'model');
    const version = await this.resolveRef(name, ref);
    const { rows } = await this.pool.query<Row & { artifact: Buffer | null; artifact_key: string | null }>(
      `SELECT record, status, ${this.artifactColumns()} FROM ${this.schemaSql}.versions WHERE name = $1 AND version = $2`,
      [name, version],
    );
    if (!rows[0]) throw await this.missing(name, version);
    const record = this.parseRecord(name, version, rows[0]);
    const artifact = await readStored(this.storedArtifact(name, version, rows[0]), (chunks) =>
      readStoredArtifact(record, chunks),
    );
    return { version: record, artifact };
  }

  /** All versions of a model that were not deleted, oldest first; `[]` for an unknown model. */
  async listVersions(name: string): Promise<ModelVersion[]> {
    assertValidName(name, 'model');
    const { rows } = await this.pool.query<Row & { version: number }>(
      `SELECT version, record, status FROM ${this.schemaSql}.versions WHERE name = $1 ORDER BY version`,
      [name],
    );
    return rows.map((r) => this.parseRecord(name, r.version, r));
  }

  /** Names of all models with at least one version, sorted. */
  async listModels(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT name FROM ${this.schemaSql}.models WHERE latest_version > 0 ORDER BY name COLLATE "C"`,
    );
    return rows.map((r) => r.name);
  }

  /** Points `alias` at an existing active version; with `expectedVersion` a compare-and-set (`ConflictError`). */
  async setAlias(name: string, alias: string, version: number, options: SetAliasOptions = {}): Promise<void> {
    checkAliasRequest(name, alias, version, options);
    await this.transaction(async (db) => {
      await db.query(`SELECT 1 FROM ${this.schemaSql}.models WHERE name = $1 FOR UPDATE`, [name]);
      assertAliasable(await this.record(name, version, db), alias);
      const current = await this.aliasIn(db, name, alias);
      assertAliasExpectation(name, alias, current, options.expectedVersion);
      await this.moveAlias(db, name, {
        alias,
        version,
        previousVersion: current ?? null,
        kind: 'set',
        reason: options.reason ?? '',
      });
    });
    failpoint('alias:placed');
  }

  /** Moves `alias` back to where it pointed before its latest move not yet rolled back (`ConflictError` if nowhere). */
  async rollback(name: string, alias: string, options: RollbackOptions = {}): Promise<AliasMove> {
    checkRollbackRequest(name, alias, options);
    const move = await this.transaction(async (db) => {
      await db.query(`SELECT 1 FROM ${this.schemaSql}.models WHERE name = $1 FOR UPDATE`, [name]);
      const current = await this.aliasIn(db, name, alias);
      if (options.expectedVersion !== undefined) assertAliasExpectation(name, alias, current, options.expectedVersion);
      const target = rollbackTarget(await this.historyIn(db, name, alias));
      if (current === undefined || target === undefined || target === null)
        throw nothingToRollBack(name, alias, current);
      assertAliasable(await this.record(name, target, db), alias);
      return this.moveAlias(db, name, {
        alias,
        version: target,
        previousVersion: current,
        kind: 'rollback',
        reason: options.reason ?? 'rollback',
      });
    });
    failpoint('alias:placed');
    return move;
  }

  /** Archives a version no alias points at: still loadable by number, skipped by `latest`, not aliasable. */
  async archiveVersion(name: string, version: number, options: VersionChangeOptions = {}): Promise<ModelVersion> {
    return this.changeStatus(name, version, 'archived', options);
  }

  /** Makes an archived version active again. */
  async restoreVersion(name: string, version: number, options: VersionChangeOptions = {}): Promise<ModelVersion> {
    return this.changeStatus(name, version, 'active', options);
  }

  /** Deletes a version no alias points at; its number stays taken and later lookups say it was deleted. */
  async deleteVersion(name: string, version: number, options: VersionChangeOptions = {}): Promise<void> {
    const reason = checkChangeRequest(name, version, options);
    await this.transaction(async (db) => {
      await db.query(`SELECT 1 FROM ${this.schemaSql}.models WHERE name = $1 FOR UPDATE`, [name]);
      await this.record(name, version, db, true);
      assertNoAliases(name, version, await this.aliasesAt(db, name, version), 'delete');
      await db.query(`DELETE FROM ${this.schemaSql}.versions WHERE name = $1 AND version = $2`, [name, version]);
      await db.query(
        `INSERT INTO ${this.schemaSql}.deleted_versions (name, version, deleted_at, reason) VALUES ($1, $2, $3, $4)`,
        [name, version, this.now().toISOString(), reason],
      );
    });
  }

  private async changeStatus(
    name: string,
    version: number,
    status: VersionStatus,
    options: VersionChangeOptions,
  ): Promise<ModelVersion> {
    const reason = checkChangeRequest(name, version, options);
    return this.transaction(async (db) => {
      await db.query(`SELECT 1 FROM ${this.schemaSql}.models WHERE name = $1 FOR UPDATE`, [name]);
      const record = await this.record(name, version, db, true);
      if (record.status === status) return record;
      if (status === 'archived') assertNoAliases(name, version, await this.aliasesAt(db, name, version), 'archive');
      await db.query(
        `UPDATE ${this.schemaSql}.versions SET status = $3, status_reason = $4 WHERE name = $1 AND version = $2`,
        [name, version, status, reason],
      );
      return { ...record, status };
    });
  }

  private async aliasIn(db: pg.PoolClient, name: string, alias: string): Promise<number | undefined> {
    const { rows } = await db.query<{ version: number }>(
      `SELECT version FROM ${this.schemaSql}.aliases WHERE name = $1 AND alias = $2`,
      [name, alias],
    );
    return rows[0]?.version;
  }

  private async aliasesAt(db: pg.PoolClient, name: string, version: number): Promise<string[]> {
    const { rows } = await db.query<{ alias: string }>(
      `SELECT alias FROM ${this.schemaSql}.aliases WHERE name = $1 AND version = $2 ORDER BY alias COLLATE "C"`,
      [name, version],
    );
    return rows.map((r) => r.alias);
  }

  private async moveAlias(db: pg.PoolClient, name: string, move: Omit<AliasMove, 'at'>): Promise<AliasMove> {
    const at = this.now().toISOString();
    await db.query(
      `INSERT INTO ${this.schemaSql}.aliases (name, alias, version, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name, alias) DO UPDATE SET version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
      [name, move.alias, move.version, at],
    );
    await db.query(
      `INSERT INTO ${this.schemaSql}.alias_history (name, alias, version, previous_version, kind, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [name, move.alias, move.version, move.previousVersion, move.kind, move.reason, at],
    );
    return { ...move, at };
  }

  private async historyIn(db: pg.Pool | pg.PoolClient, name: string, alias?: string): Promise<AliasMove[]> {
    const { rows } = await db.query<{
      alias: string;
      version: number;
      previous_version: number | null;
      kind: AliasMove['kind'];
      reason: string;
      at: string;
    }>(
      `SELECT alias, version, previous_version, kind, reason, at FROM ${this.schemaSql}.alias_history
       WHERE name = $1 AND ($2::text IS NULL OR alias = $2) ORDER BY id`,
      [name, alias ?? null],
    );
    return rows.map((r) => ({
      alias: r.alias,
      version: r.version,
      previousVersion: r.previous_version,
      kind: r.kind,
      reason: r.reason,
      at: r.at,
    }));
  }

  /** The version an alias points to, or `undefined`. */
  async getAlias(name: string, alias: string): Promise<number | undefined> {
    assertValidName(name, 'model');
    assertValidName(alias, 'alias');
    const { rows } = await this.pool.query<{ version: number }>(
      `SELECT version FROM ${this.schemaSql}.aliases WHERE name = $1 AND alias = $2`,
      [name, alias],
    );
    return rows[0]?.version;
  }

  /** Every move of the model's aliases (or of one alias), oldest first. */
  async aliasHistory(name: string, alias?: string): Promise<AliasMove[]> {
    assertValidName(name, 'model');
    if (alias !== undefined) assertValidName(alias, 'alias');
    return this.historyIn(this.pool, name, alias);
  }

  /** Versions matching a query (name, tags, metric bounds), newest first, one page at a time. */
  async searchVersions(query: VersionQuery = {}): Promise<VersionPage> {
    const { limit, offset } = checkQuery(query);
    const indexed = await this.searchIndexed();
    const createdAt = indexed ? 'created_at' : `(record::jsonb ->> 'createdAt')`;
    const tags = indexed ? 'tags' : `(record::jsonb -> 'tags')`;
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (value: unknown) => `$${args.push(value)}`;
    if (query.name !== undefined) where.push(`name = ${arg(query.name)}`);
    if (query.tags && Object.keys(query.tags).length > 0)
      where.push(`${tags} @> ${arg(JSON.stringify(query.tags))}::jsonb`);
    const m = query.metric;
    if (m) {
      const value = `(record::jsonb -> 'metrics' ->> ${arg(m.name)})::float8`;
      where.push(`${value} IS NOT NULL`);
      if (m.min !== undefined) where.push(`${value} >= ${arg(m.min)}`);
      if (m.max !== undefined) where.push(`${value} <= ${arg(m.max)}`);
    }
    if (query.status !== undefined) where.push(`status = ${arg(query.status)}`);
    if (query.dataset) where.push(`record::jsonb -> 'dataset' @> ${arg(JSON.stringify(query.dataset))}::jsonb`);
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // The page walks an index newest first; the count is a second query (a window count would read every match).
    const [{ rows }, total] = await Promise.all([
      this.pool.query<Row & { name: string; version: number }>(
        `SELECT name, version, record, status FROM ${this.schemaSql}.versions ${filter}
         ORDER BY ${createdAt} DESC, name COLLATE "C" DESC, version DESC LIMIT ${arg(limit)} OFFSET ${arg(offset)}`,
        args,
      ),
      this.searchCount(filter, args.slice(0, -2)),
    ]);
    return { versions: rows.map((r) => this.parseRecord(r.name, r.version, r)), total };
  }

  /** Whether migration 4 (the search columns and indexes) has run: until then search reads every row's record. */
  private async searchIndexed(): Promise<boolean> {
    if (this.indexedSearch) return true;
    const { rows } = await this.pool.query<{ found: boolean }>(`SELECT to_regprocedure($1) IS NOT NULL AS found`, [
      `${this.schemaSql}.record_created_at(text)`,
    ]);
    this.indexedSearch = rows[0]!.found;
    return this.indexedSearch;
  }

  private async searchCount(filter: string, args: unknown[]): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.schemaSql}.versions ${filter}`,
      args,
    );
    return Number(rows[0]!.n);
  }

  /**
   * Checks every model record and artifact checksum and every dataset snapshot; problems as data. With object
   * storage, every referenced object is checked (exists, size, sha256 — streamed) and objects no row references are
   * listed as `orphanedObjects`; `{ repair: true }` deletes those older than the grace period.
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const problems: VerifyProblem[] = [];
    const repairs: string[] = [];
    if (this.uploads === undefined) await checkArtifactStorage(this.pool, this.schemaSql, undefined, 'cannot verify');
    const { rows } = await this.pool.query<{ name: string; version: number }>(
      `SELECT name, version FROM ${this.schemaSql}.versions ORDER BY name COLLATE "C", version`,
    );
    for (const { name, version } of rows) {
      try {
        await this.checkStored(name, version);
      } catch (error) {
        problems.push({ name, version, problem: error instanceof Error ? error.message : String(error) });
      }
    }
    const datasets = await this.datasets.checkAll();
    problems.push(...datasets.problems.map((p) => ({ ...p, kind: 'dataset' as const })));
    let orphanedObjects: VerifyReport['orphanedObjects'];
    if (this.uploads) {
      const grace = options.orphanGraceMs ?? 3_600_000;
      if (!Number.isFinite(grace) || grace < 0) throw new InvalidInputError('orphanGraceMs must be a number ≥ 0');
      try {
        // Only in the storage this registry recorded (none: it has no object yet): another prefix, or the same
        // before this registry wrote there, may hold another registry's objects.
        const recorded = await recordedStorage(this.pool, this.schemaSql);
        if (recorded !== undefined && recorded !== this.uploads.objects.location)
          throw new InvalidInputError(
            `this registry keeps its artifacts in ${recorded}, not ${this.uploads.objects.location}: open it with that storage`,
          );
        // Nor where another registry's marker is (a prefix shared before markers existed); unmarked, a repair of the
        // registry that recorded it claims it.
        const { mine, owner } = await this.uploads.ownership();
        if (!mine && owner !== undefined) throw foreignStorage(this.uploads.objects.location, owner);
        if (!mine && recorded !== undefined && options.repair === true) await this.uploads.claimStorage();
        const { orphans, deleted } =
          recorded === undefined
            ? { orphans: [], deleted: [] }
            : await sweepOrphans(this.uploads, () => this.referencedKeys(), {
                repair: options.repair === true,
                graceMs: grace,
                now: this.now(),
              });
        orphanedObjects = orphans.map((o) => ({
          key: o.key,
          bytes: o.bytes,
          lastModified: o.lastModified.toISOString(),
        }));
        for (const key of deleted) repairs.push(`deleted the orphaned object ${key} (no row references it)`);
      } catch (error) {
        problems.push({
          kind: 'storage',
          name: this.uploads.objects.location,
          problem: `orphaned objects not checked: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    return {
      ok: problems.length === 0,
      checkedVersions: rows.length,
      checkedDatasetVersions: datasets.checked,
      problems,
      removedTempEntries: [],
      repairs,
      ...(orphanedObjects === undefined ? {} : { orphanedObjects }),
    };
  }

  /** Checks one version's stored artifact: a `bytea` fully, an object by streaming its size and sha256. */
  private async checkStored(name: string, version: number): Promise<void> {
    const { rows } = await this.pool.query<Row & { artifact: Buffer | null; artifact_key: string | null }>(
      `SELECT record, status, ${this.artifactColumns()} FROM ${this.schemaSql}.versions WHERE name = $1 AND version = $2`,
      [name, version],
    );
    if (!rows[0]) return; // deleted meanwhile
    const record = this.parseRecord(name, version, rows[0]);
    const { artifact, artifact_key: key } = rows[0];
    if (artifact !== null || key === null || this.uploads === undefined) {
      await readStored(this.storedArtifact(name, version, rows[0]), (chunks) => readStoredArtifact(record, chunks));
      return;
    }
    await this.uploads.checkObject(key, record.artifact, `the artifact of ${label(name, version)}`, { name, version });
  }

  /** Where a version's artifact bytes are, from its row. */
  private storedArtifact(
    name: string,
    version: number,
    row: { artifact: Buffer | null; artifact_key: string | null },
  ): StoredRow {
    return {
      uploads: this.uploads,
      row: { bytes: row.artifact, key: row.artifact_key },
      what: `the artifact of ${label(name, version)}`,
      context: { name, version },
      recordedStorage: () => recordedStorage(this.pool, this.schemaSql),
    };
  }

  /** The stored-bytes columns; without object storage only those every schema version has. */
  private artifactColumns(): string {
    return this.uploads ? 'artifact, artifact_key' : 'artifact, NULL::text AS artifact_key';
  }

  /** Every object key a row references. */
  private async referencedKeys(): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ key: string }>(
      `SELECT artifact_key AS key FROM ${this.schemaSql}.versions WHERE artifact_key IS NOT NULL
       UNION SELECT data_key FROM ${this.schemaSql}.dataset_versions WHERE data_key IS NOT NULL`,
    );
    return new Set(rows.map((row) => row.key));
  }
}
