// Random-forest benchmark: this package's engine vs ml-random-forest vs scikit-learn (when Debian's
// python3 has it), on ../shared/bench data, all measured in this one run. Prints a table and ratios.
// Runs the built package (build first; `pnpm bench` does).
//   node --import tsx bench/forest.ts           2,000 and 20,000 rows
//   node --import tsx bench/forest.ts --full    also 100,000 rows
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitForest, predictForest } from '../src/engine/forest';

const here = dirname(fileURLToPath(import.meta.url));
const generator = join(here, '../../../../shared/bench/gen-classification.mjs');
const work = mkdtempSync(join(tmpdir(), 'mlops-bench-'));
const sizes = process.argv.includes('--full') ? [2000, 20000, 100000] : [2000, 20000];

type Result = {
  trainMs: number;
  testRowsPerS: number;
  batchRowsPerS: number;
  accuracy: number;
  artifactBytes: number;
  loadMs: number;
  peakMb: number;
  trainPeakMb?: number;
};

function generate(rows: number): string {
  const file = join(work, `data-${rows}.json`);
  writeFileSync(file, execFileSync(process.execPath, [generator, String(rows), '20', '1'], { maxBuffer: 1 << 30 }));
  return file;
}

function runCase(kind: 'ours' | 'ml-random-forest', data: string, batch: string, jobs = 1): Result {
  const out = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'forest-case.ts'), kind, data, batch, String(jobs)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  if (out.status !== 0) throw new Error(`${kind} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Result;
}

function runSklearn(data: string, batch: string, jobs: number): Result | undefined {
  const script = `
import json, pickle, resource, sys, time
try:
    from sklearn.ensemble import RandomForestClassifier
except ImportError:
    sys.exit(3)
import numpy as np
d = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
X = np.array(d['X']); y = np.array(d['y']); n = int(len(y) * 0.8)
XB = np.array(b['X'])
m = RandomForestClassifier(n_estimators=100, max_features='sqrt', random_state=1, n_jobs=int(sys.argv[3]))
t = time.perf_counter(); m.fit(X[:n], y[:n]); train = (time.perf_counter() - t) * 1000
m.set_params(n_jobs=1)
t = time.perf_counter(); p = m.predict(X[n:]); test = (len(y) - n) / (time.perf_counter() - t)
t = time.perf_counter(); m.predict(XB); batch = len(XB) / (time.perf_counter() - t)
blob = pickle.dumps(m)
t = time.perf_counter(); pickle.loads(blob); load = (time.perf_counter() - t) * 1000
print(json.dumps(dict(trainMs=train, testRowsPerS=test, batchRowsPerS=batch, accuracy=float((p == y[n:]).mean()),
  artifactBytes=len(blob), loadMs=load, peakMb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
`;
  const out = spawnSync('/usr/bin/python3', ['-c', script, data, batch, String(jobs)], { encoding: 'utf8' });
  if (out.error || out.status === 3) return undefined;
  if (out.status !== 0) throw new Error(`scikit-learn failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim()) as Result;
}

const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rows: string[][] = [];
const ratios: string[] = [];
const batch = generate(100000);
for (const size of sizes) {
  const data = generate(size);
  const results: [string, Result | undefined][] = [
    ['@mlops/train nJobs=1', runCase('ours', data, batch, 1)],
    ['@mlops/train nJobs=2', runCase('ours', data, batch, 2)],
    ['ml-random-forest', size === 2000 ? runCase('ml-random-forest', data, batch) : undefined],
    ['scikit-learn n_jobs=1', runSklearn(data, batch, 1)],
    ['scikit-learn n_jobs=2', runSklearn(data, batch, 2)],
  ];
  for (const [name, r] of results) {
    if (!r) continue;
    rows.push([
      `${fmt(size)} × 20`,
      name,
      fmt(r.trainMs),
      fmt(r.testRowsPerS),
      fmt(r.batchRowsPerS),
      r.accuracy.toFixed(4),
      fmt(r.artifactBytes),
      r.loadMs.toFixed(1),
      r.trainPeakMb === undefined ? '–' : fmt(r.trainPeakMb),
      fmt(r.peakMb),
    ]);
  }
  const ours = results[0]![1]!;
  const ours2 = results[1]![1]!;
  const [, mlrf] = results[2]!;
  const [, sk1] = results[3]!;
  if (mlrf) {
    ratios.push(
      `${fmt(size)}: training ${fmt(mlrf.trainMs / ours.trainMs, 1)}× faster than ml-random-forest (target ≥ 50×)`,
    );
    ratios.push(
      `${fmt(size)}: 100k-batch prediction ${fmt(ours.batchRowsPerS / mlrf.batchRowsPerS, 1)}× (1 thread), ${fmt(ours2.batchRowsPerS / mlrf.batchRowsPerS, 1)}× (2 threads) ml-random-forest (target ≥ 5×)`,
    );
    ratios.push(
      `${fmt(size)}: artifact ${((100 * ours.artifactBytes) / mlrf.artifactBytes).toFixed(1)}% of ml-random-forest's JSON (target ≤ 15%)`,
    );
  }
  if (sk1) {
    ratios.push(
      `${fmt(size)}: training time ${(ours.trainMs / sk1.trainMs).toFixed(2)}× (1 thread), ${(ours2.trainMs / sk1.trainMs).toFixed(2)}× (2 threads) scikit-learn n_jobs=1 (target < 1; ≤ 0.25 at 100,000)`,
    );
    ratios.push(
      `${fmt(size)}: 100k-batch prediction ${(ours.batchRowsPerS / sk1.batchRowsPerS).toFixed(2)}× (1 thread), ${(ours2.batchRowsPerS / sk1.batchRowsPerS).toFixed(2)}× (2 threads) scikit-learn n_jobs=1 rows/s (target ≥ 1)`,
    );
    ratios.push(
      `${fmt(size)}: accuracy ${ours.accuracy.toFixed(4)} vs scikit-learn ${sk1.accuracy.toFixed(4)} (target within 0.01)`,
    );
  }
  ratios.push(
    `${fmt(size)}: load ${ours.loadMs.toFixed(1)} ms (target ≤ 10 ms); peak RSS when training is done ${fmt(ours.trainPeakMb!)} MB (1 thread), ${fmt(ours2.trainPeakMb!)} MB (2 threads) (target ≤ 512 MB at 100,000)`,
  );
}

// Accuracy is noisy on a 400-row test part: compare means over eight seeds too.
{
  const data = generate(2000);
  const { X, y } = JSON.parse(readFileSync(data, 'utf8')) as { X: number[][]; y: number[] };
  const flat = (r: number[][]) => Float64Array.from(r.flat());
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  const ours = seeds.map((seed) => {
    const forest = fitForest(
      flat(X.slice(0, 1600)),
      1600,
      20,
      { kind: 'classification', y: Int32Array.from(y.slice(0, 1600)), classes: 3 },
      { seed },
    );
    return Array.from(predictForest(forest, flat(X.slice(1600)), 400)).filter((v, i) => v === y[1600 + i]).length / 400;
  });
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  ratios.push(`2,000: mean accuracy over seeds 1–8: @mlops/train ${mean(ours).toFixed(4)}`);
  const sk = spawnSync(
    '/usr/bin/python3',
    [
      '-c',
      `
import json, sys
try:
    from sklearn.ensemble import RandomForestClassifier
except ImportError:
    sys.exit(3)
import numpy as np
d = json.load(open(sys.argv[1])); X = np.array(d['X']); y = np.array(d['y'])
print(np.mean([(RandomForestClassifier(random_state=s).fit(X[:1600], y[:1600]).predict(X[1600:]) == y[1600:]).mean() for s in range(1, 9)]))
`,
      data,
    ],
    { encoding: 'utf8' },
  );
  if (sk.status === 0)
    ratios[ratios.length - 1] += `, scikit-learn ${Number(sk.stdout).toFixed(4)} (target within 0.01)`;
}

const header = [
  'data',
  'engine',
  'train ms',
  'test rows/s',
  '100k batch rows/s',
  'accuracy',
  'artifact bytes',
  'load ms',
  'peak MB after training',
  'peak MB',
];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
console.log(table);
console.log('');
for (const line of ratios) console.log(line);
