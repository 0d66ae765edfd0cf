import { InvalidInputError, NotFoundError, type Registry } from '@mlops/core';
import { FileSystemModelStore } from './filesystem/file-system-store';
import type { ObjectStore } from './objects/object-store';
import { S3ObjectStore } from './objects/s3-object-store';
import { PostgresModelStore } from './postgres/postgres-store';

/** Options of {@link openRegistry}. */
export interface OpenRegistryOptions {
  /** PostgreSQL schema holding the registry tables (default `mlops`). */
  readonly schema?: string;
  /**
   * Artifact storage of a PostgreSQL registry: `s3://bucket/prefix` (endpoint, region and credentials from the
   * standard AWS environment variables; see {@link S3ObjectStore}) or any {@link ObjectStore}.
   */
  readonly artifacts?: string | ObjectStore;
  /**
   * Whether a PostgreSQL registry that does not exist yet is created (its schema and tables; default `true`). With
   * `false`, for work that only reads, a missing one is a `NotFoundError` naming the schema: a mistyped schema does not
   * quietly become a new, empty registry.
   */
  readonly create?: boolean;
}

/** Whether `location` names a PostgreSQL registry (`postgres://` or `postgresql://`) rather than a directory. */
export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/**
 * Opens a registry by location: a `postgres://` (or `postgresql://`) URL opens {@link PostgresModelStore} and creates
 * its tables if missing (with `artifacts`, artifacts and snapshots go to object storage); anything else is a directory for {@link FileSystemModelStore} (created on the first write).
 * Call `close()` when done.
 */
export async function openRegistry(location: string, options: OpenRegistryOptions = {}): Promise<Registry> {
  if (typeof location !== 'string' || location.trim() === '') {
    throw new InvalidInputError('a registry location is needed: a directory or a postgres:// URL');
  }
  const { artifacts } = options;
  if (isPostgresLocation(location)) {
    const schema = options.schema ?? 'mlops';
    const store = new PostgresModelStore({
      connectionString: location,
      schema,
      ...(artifacts === undefined
        ? {}
        : { artifacts: typeof artifacts === 'string' ? new S3ObjectStore({ url: artifacts }) : artifacts }),
    });
    try {
      if (options.create === false && !(await store.exists()))
        throw new NotFoundError(
          `no registry in schema ${JSON.stringify(schema)} of ${describeDatabase(location)} (its first write creates it; is the schema right?)`,
        );
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }
  if (artifacts !== undefined)
    throw new InvalidInputError(
      'artifact storage (artifacts: s3://…) goes with a postgres:// registry, not a directory',
    );
  return new FileSystemModelStore({ root: location });
}

/** A database URL for messages: host, port and database, never the user or password. */
function describeDatabase(location: string): string {
  try {
    const url = new URL(location);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return 'the database';
  }
}
