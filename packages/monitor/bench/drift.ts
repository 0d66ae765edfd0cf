// Drift benchmark: 1,000,000 vs 1,000,000 rows × 10 numeric features, KS on every feature, exact and on
// sketches; each mode runs in its own child process so its peak memory is its own. Where Python with
// scipy is available, scipy's ks_2samp runs on the very same data (written to a temporary file) for a ratio.
//   pnpm bench [rows]        (node --import tsx bench/drift.ts [rows])
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectDrift, sketchDataset, type DriftMethod } from '../src/index';

const FEATURES = 10;
const here = fileURLToPath(import.meta.url);
const [modeArg, rowsArg] = process.argv.slice(2);
const rows = Number((modeArg?.startsWith('--') ? rowsArg : modeArg) ?? 1_000_000);
const featureNames = Array.from({ length: FEATURES }, (_, j) => `f${j}`);
const methods = Object.fromEntries(featureNames.map((name) => [name, 'ks' as DriftMethod]));

/** Seeded normals (mulberry32 + Box–Muller); feature j of the current data is shifted by 0.002·j. */
function columns(seed: number, shifted: boolean): Record<string, Float64Array> {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return Object.fromEntries(
    featureNames.map((name, j) => {
      const values = new Float64Array(rows);
      for (let i = 0; i < rows; i++)
        values[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()) + (shifted ? 0.002 * j : 0);
      return [name, values];
    }),
  );
}

function child(mode: string): void {
  const reference = columns(1, false);
  const current = columns(2, true);
  const start = performance.now();
  let drifted = 0;
  if (mode === 'exact') drifted = detectDrift(reference, current, { featureNames, methods }).driftedCount;
  if (mode === 'sketch') {
    const report = detectDrift(sketchDataset(reference, { featureNames }), sketchDataset(current, { featureNames }), {
      featureNames,
      methods,
    });
    drifted = report.driftedCount;
  }
  if (mode === 'write') {
    const dir = process.env.BENCH_DIR!;
    for (const [which, data] of [
      ['reference', reference],
      ['current', current],
    ] as const) {
      for (const name of featureNames)
        writeFileSync(join(dir, `${which}-${name}.f64`), Buffer.from(data[name]!.buffer));
    }
  }
  const ms = performance.now() - start;
  process.stdout.write(JSON.stringify({ ms, drifted, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

function run(mode: string, env: NodeJS.ProcessEnv = process.env): { ms: number; drifted: number; maxRssMB: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', here, `--${mode}`, String(rows)], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as { ms: number; drifted: number; maxRssMB: number };
}

function scipy(dir: string): number | undefined {
  const script = `
import sys, time, numpy as np
from scipy.stats import ks_2samp
d, names = sys.argv[1], sys.argv[2].split(',')
ref = [np.fromfile(f"{d}/reference-{n}.f64", dtype="<f8") for n in names]
cur = [np.fromfile(f"{d}/current-{n}.f64", dtype="<f8") for n in names]
t = time.perf_counter()
for a, b in zip(ref, cur): ks_2samp(a, b)
print((time.perf_counter() - t) * 1000)
`;
  for (const python of ['/usr/bin/python3', 'python3']) {
    const result = spawnSync(python, ['-c', script, dir, featureNames.join(',')], { encoding: 'utf8' });
    if (result.status === 0) return Number(result.stdout.trim());
  }
  return undefined;
}

if (modeArg?.startsWith('--')) {
  child(modeArg.slice(2));
} else {
  console.log(
    `${rows.toLocaleString('en-US')} vs ${rows.toLocaleString('en-US')} rows × ${FEATURES} features, KS on every feature`,
  );
  const baseline = run('none');
  const exact = run('exact');
  const sketch = run('sketch');
  const dir = mkdtempSync(join(tmpdir(), 'mlops-drift-bench-'));
  let scipyMs: number | undefined;
  try {
    run('write', { ...process.env, BENCH_DIR: dir });
    scipyMs = scipy(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const row = (name: string, r: { ms: number; drifted: number; maxRssMB: number }, target: number) =>
    `| ${name} | ${(r.ms / 1000).toFixed(2)} | ${target} | ${r.drifted} | ${r.maxRssMB.toFixed(0)} | ${(r.maxRssMB - baseline.maxRssMB).toFixed(0)} | ${scipyMs ? `${(r.ms / scipyMs).toFixed(2)}×` : 'n/a'} |`;
  console.log('\n| mode | seconds | target s | drifted features | peak RSS MB | over the data MB | time vs scipy |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  console.log(row('exact KS', exact, 5));
  console.log(row('sketch KS (build both sketches + test)', sketch, 1.5));
  console.log(
    `\nbaseline (data only): peak RSS ${baseline.maxRssMB.toFixed(0)} MB; scipy ks_2samp on the same data: ${scipyMs ? `${(scipyMs / 1000).toFixed(2)} s` : 'not available'}`,
  );
}
