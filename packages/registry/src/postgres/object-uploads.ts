import { IntegrityError, InvalidInputError, StorageError } from '@mlops/core';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { failpoint } from '../failpoint';
import type { ObjectBody, ObjectStore, StorageOwner, StoredObject } from '../objects/object-store';
import { describeChecksumMismatch, type ArtifactDigest } from '../records/version-record';
import { tableExists } from './migrations';
import { inTransaction } from './transaction';

/**
 * Bytes of a PostgreSQL registry kept in object storage. An upload happens before the row that references it commits,
 * under a shared advisory lock (per schema) that orphan cleanup takes exclusively: cleanup never deletes an object
 * whose row is about to commit, and a crash (the session ends, the lock with it) leaves at worst an orphan.
 */
export class ObjectUploads {
  private claimed: Promise<void> | undefined;
  private recorded: string | undefined;
  /** This registry's identity, read once: it never changes. */
  private self: StorageOwner | undefined;
  private readonly lockName: string;

  constructor(
    private readonly pool: pg.Pool,
    readonly objects: ObjectStore,
    private readonly schema: string,
  ) {
    this.lockName = `mlops-objects:${schema}`;
  }

  /** Uploads `body` (content-addressed by `sha256`), then runs `commit` with the key in one transaction. */
  uploadThenCommit<T>(
    what: string,
    sha256: string,
    body: ObjectBody,
    commit: (db: pg.PoolClient, key: string) => Promise<T>,
  ): Promise<T> {
    return this.locked('shared', async (db) => {
      await this.claimStorage().catch((error: unknown) => {
        // A storage failure, another registry's marker, an unreadable one: named with what it stopped.
        for (const ErrorClass of [StorageError, InvalidInputError, IntegrityError])
          if (ErrorClass.isInstance(error)) throw new ErrorClass(`${what}: ${error.message}`, { cause: error });
        throw error;
      });
      const key = await inStorageContext(this.objects.put(sha256, body), what);
      failpoint('objects:uploaded');
      return inTransaction(db, (client) => commit(client, key));
    });
  }

  /**
   * Checks an object by streaming its size and sha256 against `expected`: `IntegrityError` naming `what` and the key
   * when it is missing or differs.
   */
  async checkObject(
    key: string,
    expected: ArtifactDigest,
    what: string,
    context: { name?: string; version?: number },
  ): Promise<void> {
    const found = await this.objects.digest(key);
    if (found === undefined) throw new IntegrityError(`${what} is missing (object ${key})`, context);
    const mismatch = describeChecksumMismatch(expected, found);
    if (mismatch) throw new IntegrityError(`${what} ${mismatch} in object ${key}`, context);
  }

  /**
   * Makes sure the object storage belongs to this registry: its marker names this registry, or there is none and this
   * registry claims it. Another registry's marker is an `InvalidInputError` naming it (two registries under one prefix
   * would take each other's objects for orphans). Checked once per process; without conditional writes, two
   * registries claiming one new prefix at the same moment can both succeed.
   */
  claimStorage(): Promise<void> {
    this.claimed ??= this.claim().catch((error: unknown) => {
      this.claimed = undefined;
      throw error;
    });
    return this.claimed;
  }

  private async claim(): Promise<void> {
    const { mine, owner, self } = await this.ownership();
    if (mine) return;
    if (owner !== undefined) throw foreignStorage(this.objects.location, owner);
    await this.objects.writeOwner(self);
  }

  /**
   * Refuses a read from storage other than the one the registry recorded (`InvalidInputError` naming it): an object's
   * key holds its prefix, but the bucket and endpoint are this store's. Looked up once per process.
   */
  async checkReadable(what: string, context: { name: string; version: number }): Promise<void> {
    this.recorded ??= await recordedStorage(this.pool, `"${this.schema}"`);
    if (this.recorded === undefined || this.recorded === this.objects.location) return;
    throw new InvalidInputError(
      `${what}: this registry keeps its artifacts in ${this.recorded}, not ${this.objects.location}: open it with that artifact storage`,
      context,
    );
  }

  /** Lists the storage's first page of objects: a missing bucket or an endpoint that is no S3 API fails now. */
  private async checkReachable(): Promise<void> {
    for await (const _ of this.objects.list()) break;
  }

  /** Whose the object storage is: this registry's (`mine`), another's (`owner`), or nobody's. */
  async ownership(): Promise<{ mine: boolean; owner: StorageOwner | undefined; self: StorageOwner }> {
    await this.checkReachable(); // an endpoint that is no S3 API could answer the marker's read with a page
    this.self ??= await this.identity();
    const self = this.self;
    const owner = await this.objects.readOwner();
    return { mine: owner?.registry === self.registry, owner, self };
  }

  /** This registry as a marker names it: its id (created in `settings` the first time) and where it is. */
  private async identity(): Promise<StorageOwner> {
    const schemaSql = `"${this.schema}"`;
    await this.pool.query(
      `INSERT INTO ${schemaSql}.settings (key, value) VALUES ('registry_id', $1) ON CONFLICT (key) DO NOTHING`,
      [randomUUID()],
    );
    const { rows } = await this.pool.query<{ id: string; database: string }>(
      `SELECT value AS id, current_database() AS database FROM ${schemaSql}.settings WHERE key = 'registry_id'`,
    );
    return {
      registry: rows[0]!.id,
      description: `schema ${JSON.stringify(this.schema)} of database ${JSON.stringify(rows[0]!.database)}`,
    };
  }

  /** Runs `work` while no upload is in flight (the exclusive side of the lock). */
  exclusively<T>(work: () => Promise<T>): Promise<T> {
    return this.locked('exclusive', () => work());
  }

  /** Runs `work` on a pooled connection holding the schema's upload lock in `mode`. */
  private async locked<T>(mode: 'shared' | 'exclusive', work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    const suffix = mode === 'shared' ? '_shared' : '';
    const db = await this.pool.connect();
    let healthy = true;
    try {
      await db.query(`SELECT pg_advisory_lock${suffix}(hashtext($1))`, [this.lockName]);
      try {
        return await work(db);
      } finally {
        await db.query(`SELECT pg_advisory_unlock${suffix}(hashtext($1))`, [this.lockName]).catch(() => {
          healthy = false; // a connection still holding the lock must not go back to the pool
        });
      }
    } finally {
      db.release(!healthy);
    }
  }
}

/** The refusal to use object storage another registry claimed. */
export function foreignStorage(location: string, owner: StorageOwner): InvalidInputError {
  return new InvalidInputError(
    `${location} holds the artifacts of another registry (${owner.description}, id ${owner.registry}): give each registry its own s3://bucket/prefix`,
  );
}

/** `request`, its `StorageError` prefixed with what it was for (e.g. `cannot register model "churn"`). */
function inStorageContext<T>(request: Promise<T>, what: string, context: object = {}): Promise<T> {
  return request.catch((error: unknown) => {
    throw StorageError.isInstance(error)
      ? new StorageError(`${what}: ${error.message}`, { ...context, cause: error })
      : error;
  });
}

/** Where the stored bytes of a row are, and what to call them in messages. */
export interface StoredRow {
  readonly uploads: ObjectUploads | undefined;
  readonly row: { bytes: Buffer | null; key: string | null };
  /** What the bytes are, for messages: `the artifact of model "churn" version 3`. */
  readonly what: string;
  readonly context: { name: string; version: number };
  readonly recordedStorage: () => Promise<string | undefined>;
}

/**
 * Reads the stored bytes of a row with `consume`: its `bytea` as one chunk, or its object streamed (never held whole).
 * `IntegrityError` when the object is missing; `InvalidInputError` when the row's bytes are in object storage and the
 * registry was opened without it.
 */
export async function readStored<T>(
  { uploads, row, what, context, recordedStorage }: StoredRow,
  consume: (chunks: AsyncIterable<Uint8Array>) => Promise<T>,
): Promise<T> {
  if (row.bytes !== null) return consume(Readable.from([row.bytes]));
  if (uploads === undefined) {
    const storage = (await recordedStorage().catch(() => undefined)) ?? 's3://…';
    throw new InvalidInputError(
      `${what} is in object storage: open the registry with its artifact storage (artifacts: '${storage}', --artifacts or MLOPS_ARTIFACTS)`,
      context,
    );
  }
  if (row.key === null) throw new IntegrityError(`${what} has neither stored bytes nor an object key`, context);
  await uploads.checkReadable(what, context);
  const found = await inStorageContext(uploads.objects.read(row.key, consume), what, context);
  if (found === undefined)
    throw new IntegrityError(`${what} is missing from ${uploads.objects.location} (object ${row.key})`, context);
  return found;
}

/** Objects no row references, found while no upload is in flight; those older than `graceMs` are deleted when `repair`. */
export async function sweepOrphans(
  uploads: ObjectUploads,
  referencedKeys: () => Promise<Set<string>>,
  options: { repair: boolean; graceMs: number; now: Date },
): Promise<{ orphans: StoredObject[]; deleted: string[] }> {
  return uploads.exclusively(async () => {
    const referenced = await referencedKeys();
    const orphans: StoredObject[] = [];
    for await (const object of uploads.objects.list()) if (!referenced.has(object.key)) orphans.push(object);
    const deleted: string[] = [];
    if (options.repair) {
      for (const orphan of orphans) {
        if (options.now.getTime() - orphan.lastModified.getTime() < options.graceMs) continue;
        await uploads.objects.delete(orphan.key);
        deleted.push(orphan.key);
      }
    }
    return { orphans, deleted };
  });
}

/** The artifact storage a registry recorded (`settings`), or `undefined` (also for a schema from before `settings`). */
export async function recordedStorage(db: pg.Pool | pg.PoolClient, schemaSql: string): Promise<string | undefined> {
  if (!(await tableExists(db, schemaSql, 'settings'))) return undefined;
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM ${schemaSql}.settings WHERE key = 'artifacts'`);
  return rows[0]?.value;
}

/**
 * Keeps every writer of one registry on the same artifact storage: the first writer with object storage records its
 * location in `settings`; a writer with another location, or with none (which would put bytes back into `bytea`
 * rows), is refused with an `InvalidInputError` naming the right one. Runs in the registration's transaction.
 */
export async function assertArtifactStorage(
  db: pg.PoolClient,
  schemaSql: string,
  location: string | undefined,
  what: string,
): Promise<void> {
  if (!(await tableExists(db, schemaSql, 'settings'))) return; // a schema not migrated yet: nothing recorded
  if (location !== undefined)
    await db.query(
      `INSERT INTO ${schemaSql}.settings (key, value) VALUES ('artifacts', $1) ON CONFLICT (key) DO NOTHING`,
      [location],
    );
  await checkArtifactStorage(db, schemaSql, location, what);
}

/** {@link assertArtifactStorage} without recording anything: refuses a location other than the recorded one. */
export async function checkArtifactStorage(
  db: pg.Pool | pg.PoolClient,
  schemaSql: string,
  location: string | undefined,
  what: string,
): Promise<void> {
  const recorded = await recordedStorage(db, schemaSql);
  if (recorded === undefined || recorded === location) return;
  throw new InvalidInputError(
    location === undefined
      ? `${what}: this registry keeps its artifacts in ${recorded}: open it with that artifact storage (artifacts: '${recorded}', --artifacts or MLOPS_ARTIFACTS)`
      : `${what}: this registry keeps its artifacts in ${recorded}, not ${location}`,
  );
}
