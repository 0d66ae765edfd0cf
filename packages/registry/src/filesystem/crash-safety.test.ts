import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomState } from '@mlops/core';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSystemModelStore } from './file-system-store';

const here = dirname(fileURLToPath(import.meta.url));
const KILLS = 200;
const LANES = 4; // children registering at once, each on its own model name

let work: string;
let bundle: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlops-crash-'));
  bundle = join(work, 'crash-worker.mjs');
  // One bundle, so each of the 200 children starts as plain node in tens of milliseconds.
  await build({
    entryPoints: [join(here, '__fixtures__', 'crash-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'error',
  });
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** Starts a registering child and SIGKILLs it `delayMs` after its first successful register. */
function registerThenKill(root: string, name: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, root, name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let armed = false;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', () => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited with ${code}: ${stderr}`)),
    );
  });
}

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs mid-register: no partial version, verify() clean, next number next`, async () => {
    const root = join(work, 'registry');
    const store = new FileSystemModelStore({ root });
    const random = new RandomState(2026);
    let interrupted = 0;
    for (let round = 0; round < KILLS / LANES; round++) {
      const delays = Array.from({ length: LANES }, () => Math.floor(random.random() * 12));
      await Promise.all(delays.map((delay, lane) => registerThenKill(root, `lane${lane}`, delay)));
      for (let lane = 0; lane < LANES; lane++) {
        const name = `lane${lane}`;
        const versions = (await store.listVersions(name)).map((v) => v.version);
        expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1)); // complete and gap-free
        const last = versions.at(-1)!;
        expect((await store.loadArtifact(name, last)).artifact.format).toBe('crash-test');
      }
      const report = await store.verify(); // also removes the staging entries the killed children left
      expect(report.problems).toEqual([]);
      interrupted += report.removedTempEntries.length;
      if (round % 10 === 9) {
        const before = (await store.getVersion('lane0', 'latest')).version;
        const next = await store.register('lane0', {
          artifact: { format: 'crash-test', formatVersion: 1, featureNames: ['x'], params: {}, payload: null },
        });
        expect(next.version).toBe(before + 1);
      }
    }
    // Some kills landed mid-write (their staging entries were found and removed), so the test bites.
    expect(interrupted).toBeGreaterThan(10);
  }, 120_000);
});
