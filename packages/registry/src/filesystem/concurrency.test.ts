import { describe, expect, it } from 'vitest';
import { FileSystemModelStore } from './file-system-store';
import { ARTIFACT, tempDir } from './__fixtures__/temp-root';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('concurrent registration', () => {
  it('gives 20 concurrent in-process registers exactly versions 1..20', async () => {
    const store = new FileSystemModelStore({ root: await tempDir() });
    const registered = await Promise.all(
      range(20).map((i) => store.register('iris', { artifact: ARTIFACT, tags: { writer: String(i) } })),
    );
    expect(registered.map((r) => r.version).sort((a, b) => a - b)).toEqual(range(20));
    const listed = await store.listVersions('iris');
    expect(listed.map((v) => v.version)).toEqual(range(20));
    // Each record landed in the directory of its own number, with its own writer's tag.
    expect(listed.map((v) => v.tags.writer).sort((a, b) => Number(a) - Number(b))).toEqual(range(20).map(String));
    for (const record of registered) expect(listed[record.version - 1]).toEqual(record);
    expect(await store.verify()).toEqual({
      ok: true,
      checkedVersions: 20,
      checkedDatasetVersions: 0,
      problems: [],
      removedTempEntries: [],
      repairs: [],
    });
  });
  // Multi-process registration (8 × 50) and alias claims run for every backend in src/conformance/.
});
