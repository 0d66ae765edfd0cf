import { InvalidInputError, type Registry } from '@mlops/core';
import { isPostgresLocation, openRegistry, parseS3Url, PostgresModelStore } from '@mlops/registry';

/** The `--artifacts` option of every command that opens a registry. */
export const ARTIFACTS_ARG = {
  type: 'string',
  description: 'Artifact storage of a postgres:// registry: s3://bucket/prefix (or MLOPS_ARTIFACTS; AWS_* variables)',
} as const;

/**
 * Opens `--registry` (or `MLOPS_REGISTRY`): a directory, or a `postgres://` URL (schema `MLOPS_PG_SCHEMA`, default
 * `mlops`) with its artifacts in `--artifacts` (or `MLOPS_ARTIFACTS`) when given. Only commands that write pass
 * `create`: for the others a missing PostgreSQL schema is an error (a typo), not a new empty registry.
 */
export function openCliRegistry(
  location: string | undefined,
  artifacts?: string,
  options: { create?: boolean } = {},
): Promise<Registry> {
  const { where, storage } = checkRegistryArgs(location, artifacts);
  return openRegistry(where, {
    schema: process.env.MLOPS_PG_SCHEMA || 'mlops',
    create: options.create === true,
    ...(storage === undefined ? {} : { artifacts: storage }),
  });
}

/**
 * The registry location and artifact storage a command will open, checked before any work (so `mlops train` does
 * not train a forest to be refused at the end): `InvalidInputError` naming what is wrong.
 */
function checkRegistryArgs(
  location: string | undefined,
  artifacts: string | undefined,
): { where: string; storage: string | undefined } {
  const where = location ?? process.env.MLOPS_REGISTRY;
  if (!where) throw new InvalidInputError('no registry: pass --registry <dir|postgres://…> or set MLOPS_REGISTRY');
  const storage = artifacts ?? (process.env.MLOPS_ARTIFACTS || undefined);
  if (storage !== undefined) {
    if (!isPostgresLocation(where))
      throw new InvalidInputError(
        `${artifacts === undefined ? 'MLOPS_ARTIFACTS' : '--artifacts'} ${storage} goes with a postgres:// registry, not ${where}`,
      );
    parseS3Url(storage);
  }
  return { where, storage };
}

/**
 * {@link checkRegistryArgs}, and for a PostgreSQL registry that its recorded artifact storage is the one given: what a
 * registration at the end of a long command (training) would be refused for, found before the work starts.
 */
export async function checkWritableRegistry(
  location: string | undefined,
  artifacts: string | undefined,
): Promise<void> {
  const { where } = checkRegistryArgs(location, artifacts);
  if (!isPostgresLocation(where)) return;
  const store = await openCliRegistry(location, artifacts, { create: true });
  try {
    await checkWritable(store);
  } finally {
    await store.close();
  }
}

/** {@link checkWritableRegistry} for a registry already open. */
export async function checkWritable(store: Registry): Promise<void> {
  if (store instanceof PostgresModelStore) await store.checkArtifactStorage();
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
