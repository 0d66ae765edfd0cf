import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FileSystemModelStore } from './file-system-store';
import { ARTIFACT, tempDir } from './__fixtures__/temp-root';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, '__fixtures__', 'register-worker.ts');
const packageDir = join(here, '..', '..');

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
    expect(await store.verify()).toEqual({ ok: true, checkedVersions: 20, problems: [], removedTempEntries: [] });
  });

  it('gives 4 processes × 10 registers exactly versions 1..40', async () => {
    const root = await tempDir();
    // tsx runs the TypeScript worker straight from src/, so the test does not depend on a build.
    const outputs = await Promise.all(
      range(4).map((id) => run(process.execPath, ['--import', 'tsx', worker, root, 'iris', '10', `w${id}`], { cwd: packageDir })),
    );
    const perWorker = outputs.map((output) => JSON.parse(output.stdout) as number[]);
    for (const versions of perWorker) {
      expect(versions).toHaveLength(10);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions); // each worker's own versions increase
    }
    expect(perWorker.flat().sort((a, b) => a - b)).toEqual(range(40));

    const store = new FileSystemModelStore({ root });
    const listed = await store.listVersions('iris');
    expect(listed.map((v) => v.version)).toEqual(range(40));
    const writers = listed.map((v) => `${v.tags.workerId}:${v.tags.i}`).sort();
    expect(new Set(writers).size).toBe(40);
    for (const record of listed) {
      const { artifact } = await store.loadArtifact('iris', record.version);
      expect(artifact.payload).toEqual({ workerId: record.tags.workerId, i: Number(record.tags.i) });
    }
    expect(await store.verify()).toEqual({ ok: true, checkedVersions: 40, problems: [], removedTempEntries: [] });
  });
});
