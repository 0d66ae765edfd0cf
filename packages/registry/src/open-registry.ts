import { InvalidInputError, type Registry } from '@mlops/core';
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
    const store = new PostgresModelStore({
      connectionString: location,
      schema: options.schema ?? 'mlops',
      ...(artifacts === undefined
        ? {}
        : { artifacts: typeof artifacts === 'string' ? new S3ObjectStore({ url: artifacts }) : artifacts }),
    });
    try {
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
