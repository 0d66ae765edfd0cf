import { InvalidInputError, type Registry } from '@mlops/core';
import { FileSystemModelStore } from './filesystem/file-system-store';
import { PostgresModelStore } from './postgres/postgres-store';

/** Options of {@link openRegistry}. */
export interface OpenRegistryOptions {
  /** PostgreSQL schema holding the registry tables (default `mlops`). */
  readonly schema?: string;
}

/**
 * Opens a registry by location: a `postgres://` (or `postgresql://`) URL opens {@link PostgresModelStore} and creates
 * its tables if missing; anything else is a directory for {@link FileSystemModelStore} (created on the first write).
 * Call `close()` when done.
 */
export async function openRegistry(location: string, options: OpenRegistryOptions = {}): Promise<Registry> {
  if (typeof location !== 'string' || location.trim() === '') {
    throw new InvalidInputError('a registry location is needed: a directory or a postgres:// URL');
  }
  if (/^postgres(ql)?:\/\//.test(location)) {
    const store = new PostgresModelStore({ connectionString: location, schema: options.schema ?? 'mlops' });
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }
  return new FileSystemModelStore({ root: location });
}
