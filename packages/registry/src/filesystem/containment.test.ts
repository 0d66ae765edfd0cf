import { cp, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDataset, IntegrityError, MlopsError } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { ARTIFACT, snapshot, tempDir } from './__fixtures__/temp-root';
import { FileSystemModelStore } from './file-system-store';

const dataset = (shift: number) =>
  createDataset({
    features: [
      [1 + shift, 2],
      [3, 4],
    ],
    target: [0, 1],
    featureNames: ['a', 'b'],
    classNames: ['no', 'yes'],
  });

/** A registry with two versions, an alias, a decision and a dataset, beside an `outside/` directory. */
async function populated() {
  const parent = await tempDir();
  const root = join(parent, 'registry');
  const outside = join(parent, 'outside');
  await mkdir(outside);
  const store = new FileSystemModelStore({ root });
  await store.register('iris', { artifact: ARTIFACT });
  await store.register('iris', { artifact: ARTIFACT });
  await store.setAlias('iris', 'production', 1);
  await store.decisions.append({
    model: 'iris',
    runId: 'r1',
    phase: 'started',
    at: '2024-01-01T00:00:00.000Z',
    trigger: 'bootstrap',
  });
  await store.datasets.register('flowers', { dataset: dataset(0) });
  await mkdir(join(root, 'tmp'), { recursive: true });
  return { root, outside, store };
}

/** Replaces `entry` (relative to the root) by a symbolic link to a copy of it under `outside/`. */
async function linkOut(root: string, outside: string, entry: string): Promise<string> {
  const target = join(outside, entry.replaceAll('/', '_'));
  await cp(join(root, entry), target, { recursive: true }).catch(async () => writeFile(target, ''));
  await rm(join(root, entry), { recursive: true, force: true });
  await symlink(target, join(root, entry));
  return target;
}

/** Every write and delete the store offers, each allowed to fail only with a typed error. */
async function everyWrite(store: FileSystemModelStore): Promise<string[]> {
  const errors: string[] = [];
  const calls: [string, () => Promise<unknown>][] = [
    ['register', () => store.register('iris', { artifact: ARTIFACT })],
    ['setAlias', () => store.setAlias('iris', 'production', 2)],
    ['setAlias new', () => store.setAlias('iris', 'staging', 2)],
    ['rollback', () => store.rollback('iris', 'production')],
    ['archive', () => store.archiveVersion('iris', 2)],
    ['delete', () => store.deleteVersion('iris', 2)],
    [
      'decision',
      () =>
        store.decisions.append({
          model: 'iris',
          runId: 'r2',
          phase: 'started',
          at: '2024-01-01T00:00:00.000Z',
          trigger: 'manual',
        }),
    ],
    ['dataset', () => store.datasets.register('flowers', { dataset: dataset(1) })],
  ];
  for (const [what, call] of calls) {
    try {
      await call();
    } catch (error) {
      if (!MlopsError.isInstance(error)) throw new Error(`${what} threw a raw error: ${String(error)}`);
      errors.push(`${what}: ${error.code}`);
    }
  }
  return errors;
}

const LINKABLE = [
  'models',
  'models/iris',
  'models/iris/versions',
  'models/iris/versions/2',
  'models/iris/aliases',
  'models/iris/aliases/production.json',
  'models/iris/alias-history.ndjson',
  'models/iris/decisions.ndjson',
  'tmp',
  'datasets/flowers',
  'datasets/flowers/versions',
];

describe('the filesystem store never follows a symbolic link out of its root', () => {
  it.each(LINKABLE)(
    'with %s replaced by a link: no write or delete lands outside, verify() reports the link',
    async (entry) => {
      const { root, outside, store } = await populated();
      await linkOut(root, outside, entry);
      const before = await snapshot(outside);
      const errors = await everyWrite(store);
      expect(await snapshot(outside)).toEqual(before);
      expect(errors.length).toBeGreaterThan(0); // the link was met and refused
      const report = await store.verify();
      expect(report.ok).toBe(false);
      expect(report.problems).toContainEqual({
        name: entry,
        problem: `"${entry}" is a symbolic link, which the registry never follows`,
      });
      expect(await snapshot(outside)).toEqual(before); // verify repaired and cleaned nothing through the link
    },
  );

  it('refuses with an IntegrityError naming the entry', async () => {
    const { root, outside, store } = await populated();
    await linkOut(root, outside, 'models/iris/versions');
    await expect(store.register('iris', { artifact: ARTIFACT })).rejects.toThrow(
      new IntegrityError('registry entry "models/iris/versions" is a symbolic link, which the registry never follows'),
    );
  });

  it('accepts a root that is itself a link (the user chose it)', async () => {
    const parent = await tempDir();
    await mkdir(join(parent, 'real'));
    await symlink(join(parent, 'real'), join(parent, 'link'));
    const store = new FileSystemModelStore({ root: join(parent, 'link') });
    await store.register('iris', { artifact: ARTIFACT });
    await store.setAlias('iris', 'production', 1);
    expect((await store.verify()).ok).toBe(true);
  });
});

describe('a damaged layout gives typed errors, and verify() reports it without throwing', () => {
  const FILE_FOR_DIR = [
    'models/iris/aliases',
    'models/iris/versions',
    'models/iris/versions/1',
    'tmp',
    'datasets/flowers/versions',
    'models',
    'datasets',
  ];

  it.each(FILE_FOR_DIR)('with a file where %s belongs', async (entry) => {
    const { root, store } = await populated();
    await rm(join(root, entry), { recursive: true, force: true });
    await writeFile(join(root, entry), 'not a directory');
    const reads: [string, () => Promise<unknown>][] = [
      ['getVersion', () => store.getVersion('iris', 1)],
      ['latest', () => store.getVersion('iris', 'latest')],
      ['alias', () => store.getVersion('iris', 'production')],
      ['load', () => store.loadArtifact('iris', 1)],
      ['list', () => store.listVersions('iris')],
      ['models', () => store.listModels()],
      ['history', () => store.aliasHistory('iris')],
      ['search', () => store.searchVersions({})],
      ['dataset', () => store.datasets.load('flowers', 1)],
      ['datasets', () => store.datasets.list()],
      ['decisions', () => store.decisions.list('iris')],
    ];
    for (const [what, read] of reads) {
      await read().catch((error: unknown) => {
        if (!MlopsError.isInstance(error)) throw new Error(`${what} threw a raw error: ${String(error)}`);
      });
    }
    await everyWrite(store);
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
  });

  it('reports a stray file in models/ or datasets/ instead of throwing', async () => {
    const { root, store } = await populated();
    await writeFile(join(root, 'models', 'README.md'), '# notes');
    await writeFile(join(root, 'datasets', 'notes.txt'), 'x');
    const report = await store.verify();
    expect(report.problems).toEqual([
      { name: 'README.md', problem: 'unexpected entry "README.md" in models/' },
      { kind: 'dataset', name: 'notes.txt', problem: 'unexpected entry "notes.txt" in datasets/' },
    ]);
    expect(await store.listModels()).toEqual(['iris']);
  });

  it('names the entry in the error', async () => {
    const { root, store } = await populated();
    await rm(join(root, 'models/iris/aliases'), { recursive: true });
    await writeFile(join(root, 'models/iris/aliases'), '');
    await expect(store.getAlias('iris', 'production')).rejects.toThrow(
      new IntegrityError(
        'registry entry "models/iris/aliases/production.json" runs through a file where a directory belongs',
      ),
    );
    await rename(join(root, 'models/iris/aliases'), join(root, 'x'));
    await mkdir(join(root, 'models/iris/aliases/production.json'), { recursive: true });
    await expect(store.getAlias('iris', 'production')).rejects.toThrow(
      new IntegrityError('registry entry "models/iris/aliases/production.json" is a directory where a file belongs'),
    );
  });
});
