// Integrity errors describe an unreadable stored file (what, where, size, sha256) but never quote its content.
import { IntegrityError, InvalidArtifactError, type DatasetVersion } from '@mlops/core';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresModelStore } from '../postgres/postgres-store';
import { parseAliasHistory } from '../records/alias-record';
import { decodeStoredDataset } from '../records/dataset-record';
import { checkStoredArtifact } from '../records/stored-artifact';
import type { StoredVersionRecord } from '../records/version-record';
import { FileSystemModelStore } from '../filesystem/file-system-store';
import { parseJsonSafely } from './safe-parse';

const SECRET = 'hunter2-AKIAIOSFODNN7EXAMPLE';
const unreadable = [`${SECRET}`, `{"token": ${SECRET}}`, `{"a": 1 ${SECRET}`, `["${SECRET}",`, `\u0000${SECRET}`];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Awaits `call` and returns what it threw (fails when it resolves). */
async function thrown(call: () => unknown): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

function expectNoEcho(message: string): void {
  expect(message).not.toContain('hunter2');
  expect(message).not.toContain('AKIA');
}

const artifact = { format: 'linear', formatVersion: 1, featureNames: ['a', 'b'], params: {}, payload: [1, 2] };

describe('unreadable stored JSON is described, never quoted', () => {
  it('parse failures give size, sha256 and position, not content', () => {
    for (const text of unreadable) {
      const parsed = parseJsonSafely(text);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) continue;
      expectNoEcho(parsed.reason);
      expect(parsed.reason).toContain(`${Buffer.byteLength(text)} bytes, sha256 ${sha256(text).slice(0, 16)}`);
    }
    expect(parseJsonSafely('{"a": 1 x}')).toEqual({
      ok: false,
      reason: expect.stringContaining('syntax error at character 8'),
    });
    const deep = parseJsonSafely(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(!deep.ok && deep.reason).toContain('nested too deeply to read');
  });

  it('artifact, dataset and alias-history checks do not quote unreadable content', () => {
    for (const text of unreadable) {
      const bytes = Buffer.from(text);
      const digest = { sha256: sha256(text), bytes: bytes.length };
      const record = {
        name: 'iris',
        version: 1,
        artifact: { format: 'linear', formatVersion: 1, ...digest },
      } as unknown as StoredVersionRecord;
      const artifactError = (() => {
        try {
          checkStoredArtifact(record, bytes);
        } catch (error) {
          return error as Error;
        }
      })();
      expect(InvalidArtifactError.isInstance(artifactError)).toBe(true);
      expectNoEcho(artifactError!.message);

      const dataset = { name: 'train', version: 2, data: digest } as unknown as DatasetVersion;
      expect(() => decodeStoredDataset(dataset, bytes)).toThrow(IntegrityError);
      expect(() => decodeStoredDataset(dataset, bytes)).not.toThrow(/hunter2|AKIA/);

      const { problems } = parseAliasHistory(`${text}\n`);
      expect(problems).toHaveLength(1);
      expectNoEcho(problems[0]!.problem);
    }
  });

  it('filesystem: a corrupt version record or alias file gives an IntegrityError without its content', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mlops-no-echo-'));
    try {
      const store = new FileSystemModelStore({ root });
      await store.register('iris', { artifact });
      await store.register('iris', { artifact });
      await store.setAlias('iris', 'production', 2);
      await writeFile(join(root, 'models', 'iris', 'versions', '1', 'version.json'), `{"description": ${SECRET}}`);
      await writeFile(join(root, 'models', 'iris', 'aliases', 'production.json'), SECRET);
      const recordError = await thrown(() => store.getVersion('iris', 1));
      expect(IntegrityError.isInstance(recordError)).toBe(true);
      expectNoEcho(recordError.message);
      const aliasError = await thrown(() => store.getAlias('iris', 'production'));
      expect(IntegrityError.isInstance(aliasError)).toBe(true);
      expectNoEcho(aliasError.message);
      expectNoEcho(JSON.stringify((await store.verify()).problems));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  const url = process.env.MLOPS_PG_URL;
  describe.skipIf(!url)('postgresql', () => {
    const schema = `no_echo_${randomBytes(4).toString('hex')}`;
    const admin = url ? new pg.Pool({ connectionString: url, max: 1 }) : undefined;
    const store = url ? new PostgresModelStore({ connectionString: url, schema }) : undefined;
    afterAll(async () => {
      await store?.close();
      await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin?.end();
    });

    it('a corrupt version record gives an IntegrityError without its content', async () => {
      await store!.migrate();
      await store!.register('iris', { artifact });
      await admin!.query(`UPDATE "${schema}".versions SET record = $1 WHERE name = 'iris' AND version = 1`, [
        `${SECRET} {"description": 1}`,
      ]);
      const error = await thrown(() => store!.getVersion('iris', 1));
      expect(IntegrityError.isInstance(error)).toBe(true);
      expectNoEcho(error.message);
      expectNoEcho(JSON.stringify((await store!.verify()).problems));
    });
  });
});
