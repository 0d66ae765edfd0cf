// Test helpers: throwaway registry directories on the real filesystem, and a small artifact.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelArtifact } from '@mlops/core';
import { afterEach } from 'vitest';

const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh empty directory, removed after the current test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-registry-'));
  created.push(dir);
  return dir;
}

/** A small classifier artifact: its canonical JSON is 201 bytes (sha256 `eeaba217…`). */
export const ARTIFACT: ModelArtifact = {
  format: 'test-linear',
  formatVersion: 1,
  featureNames: ['sepal length (cm)', 'petal width (cm)'],
  classNames: ['setosa', 'versicolor'],
  params: { alpha: 0.5 },
  payload: { weights: [0.25, -1.5], bias: 2 },
};

/** sha256 of `JSON.stringify(ARTIFACT)`, computed with Python's hashlib. */
export const ARTIFACT_SHA256 = 'eeaba217758179d4a6a7ab97891dd615b396cba89bc93512e59d1e28f90a091e';

/** A fixed clock. */
export const FIXED_CLOCK = { now: (): number => Date.parse('2024-05-06T07:08:09.000Z') };

/** Every file under `dir` (relative path → sha256 of its content, or `dir` for directories), for before/after comparisons. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    result[entry] = (await stat(path)).isDirectory()
      ? 'dir'
      : createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
  }
  return result;
}

/** The pid of a process that has already exited. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn node');
  return child.pid;
}
