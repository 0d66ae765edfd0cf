import { IntegrityError, InvalidInputError, StorageError } from '@mlops/core';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { failpoint } from '../failpoint';
import type { ObjectBody, ObjectStore, StoredObject } from '../objects/object-store';
import { describeChecksumMismatch, type ArtifactDigest } from '../records/version-record';
import { inTransaction } from './transaction';

/**
 * Bytes of a PostgreSQL registry kept in object storage. An upload happens before the row that references it commits,
 * under a shared advisory lock (per schema) that orphan cleanup takes exclusively: cleanup never deletes an object
 * whose row is about to commit, and a crash (the session ends, the lock with it) leaves at worst an orphan.
 */
export class ObjectUploads {
  constructor(
    private readonly pool: pg.Pool,
    readonly objects: ObjectStore,
    private readonly lockName: string,
  ) {}

  /** Uploads `body` (content-addressed by `sha256`), then runs `commit` with the key in one transaction. */
  uploadThenCommit<T>(
    what: string,
    sha256: string,
    body: ObjectBody,
    commit: (db: pg.PoolClient, key: string) => Promise<T>,
  ): Promise<T> {
    return this.locked('shared', async (db) => {
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

/** `request`, its `StorageError` prefixed with what it was for (e.g. `cannot register model "churn"`). */
function inStorageContext<T>(request: Promise<T>, what: string, context: object = {}): Promise<T> {
  return request.catch((error: unknown) => {
    throw StorageError.isInstance(error)
      ? new StorageError(`${what}: ${error.message}`, { ...context, cause: error })
      : error;
  });
}

/** Where the stored bytes of a row are; the arguments of {@link storedBytes}. */
interface StoredRow {
  readonly uploads: ObjectUploads | undefined;
  readonly row: { bytes: Buffer | null; key: string | null };
  /** What the bytes are, for messages: `the artifact of model "churn" version 3`. */
  readonly what: string;
  readonly context: { name: string; version: number };
  readonly recordedStorage: () => Promise<string | undefined>;
}

/**
 * The stored bytes of a row: its `bytea`, or its object. `IntegrityError` when the object is missing;
 * `InvalidInputError` when the row's bytes are in object storage and the registry was opened without it.
 */
export async function storedBytes(stored: StoredRow): Promise<Buffer> {
  const place = await storedPlace(stored);
  if (Buffer.isBuffer(place)) return place;
  return missingAsIntegrityError(
    stored,
    place,
    await inStorageContext(place.objects.get(place.key), stored.what, stored.context),
  );
}

/**
 * {@link storedBytes} read chunk by chunk with `consume`: an object is streamed, never held whole; a `bytea` is
 * one chunk.
 */
export async function readStored<T>(
  stored: StoredRow,
  consume: (chunks: AsyncIterable<Uint8Array>) => Promise<T>,
): Promise<T> {
  const place = await storedPlace(stored);
  if (Buffer.isBuffer(place)) return consume(Readable.from([place]));
  const read = place.objects.read(place.key, consume);
  return missingAsIntegrityError(stored, place, await inStorageContext(read, stored.what, stored.context));
}

async function storedPlace({ uploads, row, what, context, recordedStorage }: StoredRow) {
  if (row.bytes !== null) return row.bytes;
  if (uploads === undefined) {
    const storage = (await recordedStorage().catch(() => undefined)) ?? 's3://…';
    throw new InvalidInputError(
      `${what} is in object storage: open the registry with its artifact storage (artifacts: '${storage}', --artifacts or MLOPS_ARTIFACTS)`,
      context,
    );
  }
  if (row.key === null) throw new IntegrityError(`${what} has neither stored bytes nor an object key`, context);
  return { objects: uploads.objects, key: row.key };
}

function missingAsIntegrityError<T>(
  { what, context }: StoredRow,
  place: { objects: ObjectStore; key: string },
  found: T | undefined,
): T {
  if (found === undefined)
    throw new IntegrityError(`${what} is missing from ${place.objects.location} (object ${place.key})`, context);
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

/** The artifact storage a registry recorded (`settings`), or `undefined`. */
export async function recordedStorage(db: pg.Pool | pg.PoolClient, schemaSql: string): Promise<string | undefined> {
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
  const { rows: table } = await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    `${schemaSql}.settings`,
  ]);
  if (!table[0]!.found) return; // a schema not migrated yet: nothing recorded
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
