import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecisionRecord } from '@mlops/core';
import { afterAll, describe, expect, it } from 'vitest';

const exampleDir = join(import.meta.dirname, '..');
const worker = join(exampleDir, 'src', '__fixtures__', 'crash-worker.ts');
const dirs: string[] = [];
afterAll(() =>
  dirs.forEach((dir) => {
    rmSync(dir, { recursive: true, force: true });
  }),
);

interface WorkerState {
  resumed: string | null;
  production: number | null;
  versions: { version: number; run: string }[];
  decisions: DecisionRecord[];
  verify: { ok: boolean };
}

function resumeInChild(location: string): Promise<WorkerState> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, 'resume', location], {
      cwd: exampleDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as WorkerState) : reject(new Error(`resume exited ${code}: ${err}`)),
    );
  });
}

const backends: [string, () => string][] = [
  [
    'filesystem',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'mlops-resume-'));
      dirs.push(dir);
      return join(dir, 'registry');
    },
  ],
];
const pgUrl = process.env.MLOPS_PG_URL;
if (pgUrl) backends.push(['postgresql', () => `${pgUrl}#resume_${randomBytes(4).toString('hex')}`]);

describe.each(backends)('two processes resume one interrupted run (%s)', (_backend, newRegistry) => {
  it('registers one challenger and records one outcome: the second process finds the run done', async () => {
    const location = newRegistry();
    const crashed = spawnSync(process.execPath, ['--import', 'tsx', worker, 'ingest-die', location], {
      cwd: exampleDir,
      encoding: 'utf8',
    });
    expect(crashed.signal).toBe('SIGKILL'); // killed when the retrain started training: a started run, no challenger
    const [a, b] = await Promise.all([resumeInChild(location), resumeInChild(location)]);
    expect([a.resumed, b.resumed].sort()).toEqual(['promoted', null].sort());
    const last = a.versions.length >= b.versions.length ? a : b;
    const runs = last.versions.map((v) => v.run);
    expect(runs).toHaveLength(2); // the bootstrap's v1 and exactly one challenger
    expect(new Set(runs).size).toBe(2);
    const interrupted = last.decisions.filter((d) => d.phase === 'started').at(-1)!.runId;
    expect(last.decisions.filter((d) => d.runId === interrupted && d.phase === 'done')).toHaveLength(1);
    expect(last.decisions.filter((d) => d.runId === interrupted && d.phase === 'registered')).toHaveLength(1);
    expect(last.verify.ok).toBe(true);
  }, 120_000);
});
