import { InvalidInputError } from '@mlops/core';
import { FileSystemModelStore, PostgresModelStore } from '@mlops/registry';

/** Either registry backend. */
export type Registry = FileSystemModelStore | PostgresModelStore;

/** An opened registry and how to release it. */
export interface OpenedRegistry {
  /** The store. */
  readonly store: Registry;
  /** Closes its connections (PostgreSQL); nothing to do for a directory. */
  readonly close: () => Promise<void>;
}

/** Opens `--registry`: a directory, or a `postgres://` URL (tables created if missing). */
export async function openRegistry(location: string | undefined): Promise<OpenedRegistry> {
  const where = location ?? process.env.MLOPS_REGISTRY;
  if (!where) throw new InvalidInputError('no registry: pass --registry <dir|postgres://…> or set MLOPS_REGISTRY');
  if (/^postgres(ql)?:\/\//.test(where)) {
    const store = new PostgresModelStore({ connectionString: where, schema: process.env.MLOPS_PG_SCHEMA ?? 'mlops' });
    await store.migrate();
    return { store, close: () => store.close() };
  }
  return { store: new FileSystemModelStore({ root: where }), close: async () => {} };
}

/** Splits `name@ref` (`iris@production`, `iris@3`, `iris`) into a name and a version ref (default `latest`). */
export function parseModelRef(text: string): { name: string; ref: string | number } {
  const at = text.lastIndexOf('@');
  const name = at === -1 ? text : text.slice(0, at);
  const raw = at === -1 ? 'latest' : text.slice(at + 1);
  if (name === '' || raw === '')
    throw new InvalidInputError(`model must be <name>[@<version|alias>], got ${JSON.stringify(text)}`);
  return { name, ref: /^[0-9]+$/.test(raw) ? Number(raw) : raw };
}
