import { join } from 'node:path';
import { InvalidNameError, type ModelStore } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { FileSystemModelStore } from './file-system-store';
import { ARTIFACT, snapshot, tempDir } from './__fixtures__/temp-root';

const INVALID_NAMES = [
  '../x',
  '/etc/x',
  '%2e%2e/x',
  '..',
  '.',
  '',
  'a\u0000b',
  'a\\b',
  '..\\..\\x',
  'a/b',
  'x'.repeat(129),
  ' iris',
  'iris\n',
];

/** Every store operation that takes a model name or an alias, with `bad` in that position. */
function operations(store: FileSystemModelStore, bad: string): [string, () => Promise<unknown>][] {
  const asStore: ModelStore = store;
  return [
    ['register', () => asStore.register(bad, { artifact: ARTIFACT })],
    ['getVersion', () => asStore.getVersion(bad, 1)],
    ['getVersion alias', () => asStore.getVersion('iris', bad)],
    ['loadArtifact', () => asStore.loadArtifact(bad, 'latest')],
    ['loadArtifact alias', () => asStore.loadArtifact('iris', bad)],
    ['listVersions', () => asStore.listVersions(bad)],
    ['setAlias model', () => asStore.setAlias(bad, 'production', 1)],
    ['setAlias alias', () => asStore.setAlias('iris', bad, 1)],
    ['getAlias model', () => asStore.getAlias(bad, 'production')],
    ['getAlias alias', () => asStore.getAlias('iris', bad)],
    ['aliasHistory', () => store.aliasHistory(bad)],
  ];
}

describe('name safety', () => {
  it('rejects every invalid name in every position with InvalidNameError and writes nothing anywhere', async () => {
    const parent = await tempDir();
    const store = new FileSystemModelStore({ root: join(parent, 'registry') });
    await store.register('iris', { artifact: ARTIFACT });
    const before = await snapshot(parent);
    for (const bad of INVALID_NAMES) {
      for (const [operation, run] of operations(store, bad)) {
        const error = await run().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(InvalidNameError.isInstance(error), `${operation}(${JSON.stringify(bad)})`).toBe(true);
        expect((error as Error).message).toContain(JSON.stringify(bad.slice(0, 140)));
      }
    }
    expect(await snapshot(parent)).toEqual(before);
  });

  it('resolves the root once and writes only under it', async () => {
    const parent = await tempDir();
    const store = new FileSystemModelStore({ root: join(parent, 'a', '..', 'registry') });
    expect(store.root).toBe(join(parent, 'registry'));
    await store.register('iris', { artifact: ARTIFACT });
    expect(Object.keys(await snapshot(parent)).every((path) => path.startsWith('registry'))).toBe(true);
  });
});
