import { InvalidInputError } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { tempDir } from './filesystem/__fixtures__/temp-root';
import { FileSystemModelStore } from './filesystem/file-system-store';
import { openRegistry } from './open-registry';
import { PostgresModelStore } from './postgres/postgres-store';

describe('openRegistry', () => {
  it('opens a directory as a filesystem registry', async () => {
    const root = await tempDir();
    const registry = await openRegistry(root);
    expect(registry).toBeInstanceOf(FileSystemModelStore);
    expect((await registry.verify()).ok).toBe(true);
    await registry.close();
  });

  it('rejects an empty location with a typed error', async () => {
    await expect(openRegistry('  ')).rejects.toThrow(InvalidInputError);
    await expect(openRegistry(undefined as unknown as string)).rejects.toThrow(
      'a registry location is needed: a directory or a postgres:// URL',
    );
  });

  it('refuses artifact storage for a directory, and a malformed s3:// URL, before connecting', async () => {
    await expect(openRegistry(await tempDir(), { artifacts: 's3://models/x' })).rejects.toThrow(
      'artifact storage (artifacts: s3://…) goes with a postgres:// registry, not a directory',
    );
    await expect(openRegistry('postgres://127.0.0.1:9/x', { artifacts: 'models/x' })).rejects.toThrow(
      'artifact storage must be an s3://bucket/prefix URL, got "models/x"',
    );
  });

  it.runIf(process.env.MLOPS_PG_URL)('opens a postgres:// URL as a PostgreSQL registry with its tables', async () => {
    const registry = await openRegistry(process.env.MLOPS_PG_URL!, { schema: `open_${process.pid}` });
    try {
      expect(registry).toBeInstanceOf(PostgresModelStore);
      expect(await registry.listModels()).toEqual([]);
    } finally {
      await registry.close();
    }
  });
});
