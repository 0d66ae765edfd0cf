import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzStoreCalls } from '../conformance/input-safety-conformance';
import { FileSystemModelStore } from '../filesystem/file-system-store';

describe('filesystem store fuzz: names, refs, tags and aliases', () => {
  let parent: string | undefined;
  afterAll(async () => {
    if (parent) await rm(parent, { recursive: true, force: true });
  });

  it('answers every call with success or an MlopsError and writes nothing outside its root', async () => {
    parent = await mkdtemp(join(tmpdir(), 'mlops-names-fuzz-'));
    const store = new FileSystemModelStore({ root: join(parent, 'root') });
    await store.register('iris', {
      artifact: { format: 'linear', formatVersion: 1, featureNames: ['a', 'b'], params: {}, payload: [1, 2] },
    });
    await fuzzStoreCalls(store, { seed: 4242, numRuns: 400 });
    expect(await readdir(parent)).toEqual(['root']);
    expect((await store.verify()).ok).toBe(true);
  }, 120_000);
});
