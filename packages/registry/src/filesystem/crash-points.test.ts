import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACT, tempDir } from './__fixtures__/temp-root';
import { FileSystemModelStore } from './file-system-store';

const worker = join(import.meta.dirname, '__fixtures__', 'failpoint-worker.ts');

/** Runs one store call in a child that SIGKILLs itself at `point`; returns how it ended. */
function crashAt(point: string, ...args: string[]): string {
  const child = spawnSync(process.execPath, ['--import', 'tsx', worker, ...args], {
    encoding: 'utf8',
    env: { ...process.env, MLOPS_REGISTRY_FAILPOINT: point },
  });
  if (child.signal !== 'SIGKILL' && child.status !== 0) throw new Error(child.stderr);
  return child.signal === 'SIGKILL' ? 'killed' : 'finished';
}

/** v1..v3 registered, production moved 1 → 2 in this process. */
async function threeVersions() {
  const root = join(await tempDir(), 'registry');
  const store = new FileSystemModelStore({ root });
  for (let i = 0; i < 3; i++) await store.register('iris', { artifact: ARTIFACT });
  await store.setAlias('iris', 'production', 1);
  await store.setAlias('iris', 'production', 2);
  return { root, store };
}

describe('alias moves are crash-consistent (a deterministic SIGKILL at each step)', () => {
  it('killed after the history append, before the alias file: the move is finished by the next writer, rollback goes 3 → 2', async () => {
    const { root, store } = await threeVersions();
    expect(crashAt('alias:history-appended', root, 'setAlias', 'iris', 'production', '3')).toBe('killed');
    expect(await store.getAlias('iris', 'production')).toBe(2); // the alias file was never written
    const move = await store.rollback('iris', 'production'); // takes the lock, finishes the committed move first
    expect([move.previousVersion, move.version]).toEqual([3, 2]);
    expect(await store.getAlias('iris', 'production')).toBe(2);
    expect((await store.rollback('iris', 'production')).version).toBe(1);
    expect((await store.verify()).problems).toEqual([]);
  });

  it('killed after the history append: verify() repairs the alias file and says so', async () => {
    const { root, store } = await threeVersions();
    crashAt('alias:history-appended', root, 'setAlias', 'iris', 'production', '3');
    const report = await store.verify();
    expect(report.repairs).toEqual(['alias "production" of model "iris" set to version 3, as its history records']);
    expect(report.problems).toEqual([]);
    expect(await store.getAlias('iris', 'production')).toBe(3);
    expect((await store.rollback('iris', 'production')).version).toBe(2);
  });

  it('killed before the history append: nothing moved, nothing to repair', async () => {
    const { root, store } = await threeVersions();
    expect(crashAt('alias:before-history', root, 'setAlias', 'iris', 'production', '3')).toBe('killed');
    expect(await store.getAlias('iris', 'production')).toBe(2);
    const report = await store.verify();
    expect([report.repairs, report.problems]).toEqual([[], []]);
    expect((await store.rollback('iris', 'production')).version).toBe(1);
  });

  it('killed after the alias file: the move is whole', async () => {
    const { root, store } = await threeVersions();
    expect(crashAt('alias:placed', root, 'setAlias', 'iris', 'production', '3')).toBe('killed');
    expect(await store.getAlias('iris', 'production')).toBe(3);
    const report = await store.verify();
    expect([report.repairs, report.problems]).toEqual([[], []]);
    expect((await store.rollback('iris', 'production')).version).toBe(2);
  });

  it('a killed rollback is finished the same way', async () => {
    const { root, store } = await threeVersions();
    await store.setAlias('iris', 'production', 3);
    crashAt('alias:history-appended', root, 'rollback', 'iris', 'production');
    expect(await store.getAlias('iris', 'production')).toBe(3);
    expect((await store.verify()).repairs).toEqual([
      'alias "production" of model "iris" set to version 2, as its history records',
    ]);
    expect((await store.rollback('iris', 'production')).version).toBe(1);
  });

  it('a store whose alias file moved without its history line (older versions crashed there) gets the line back', async () => {
    const { root, store } = await threeVersions();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      join(root, 'models/iris/aliases/production.json'),
      JSON.stringify({ alias: 'production', version: 3, updatedAt: '2999-01-01T00:00:00.000Z' }),
    );
    const report = await store.verify();
    expect(report.repairs).toEqual([
      'alias history of model "iris" completed with the move of "production" to version 3',
    ]);
    expect(report.problems).toEqual([]);
    expect((await store.rollback('iris', 'production')).version).toBe(2);
  });
});

describe('locks are created whole (a deterministic SIGKILL while taking one)', () => {
  it('killed after staging its lock, before the rename: no lock is held, the next writer goes straight in', async () => {
    const { root, store } = await threeVersions();
    expect(crashAt('lock:staged', root, 'setAlias', 'iris', 'production', '3')).toBe('killed');
    expect(await readdir(join(root, 'models/iris'))).not.toContain('.lock');
    const started = Date.now();
    await store.setAlias('iris', 'production', 3);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await store.verify()).removedTempEntries).toHaveLength(1); // the dead child's staged lock
  });
});
