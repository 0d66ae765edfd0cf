import { InvalidInputError, NotFoundError } from '@mlops/core';
import pg from 'pg';
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

  it.runIf(process.env.MLOPS_PG_URL)('with create: false, refuses a missing schema and creates nothing', async () => {
    const url = process.env.MLOPS_PG_URL!;
    const schema = `open_missing_${process.pid}`;
    const where = new URL(url);
    const missing = openRegistry(url, { schema, create: false });
    await expect(missing).rejects.toThrow(NotFoundError);
    await expect(missing).rejects.toThrow(
      `no registry in schema "${schema}" of postgres://${where.host}${where.pathname} (its first write creates it; is the schema right?)`,
    );
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const exists = async () =>
        (await pool.query('SELECT to_regnamespace($1) IS NOT NULL AS found', [schema])).rows[0].found as boolean;
      expect(await exists()).toBe(false);
      await (await openRegistry(url, { schema })).close(); // created by default
      const existing = await openRegistry(url, { schema, create: false });
      expect(await existing.listModels()).toEqual([]);
      await existing.close();
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  });
});
