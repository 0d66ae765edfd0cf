// `pnpm bench`: this package's forest, gradient boosting and logistic regression against scikit-learn 1.2 (Debian's
// /usr/bin/python3 with python3-sklearn), on ../shared/bench data (`gen-classification.mjs N 20 1`, first 80% train),
// on 1 and 2 threads, every case in its own process and all of them in this one run. Prints a markdown table with
// train ms (median of 3 runs at ≤ 2,000 rows), predict rows/s on a 100,000-row batch, accuracy, artifact bytes and
// peak RSS, and the ratio each target of issue 16 is judged by. Runs the built package (build first).
//   node --import tsx bench/engines.ts [--sizes 2000,20000,100000] [--algorithms forest,boosting,logistic]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

type Measured = { trainMs: number; predictRowsPerS: number; accuracy: number; artifactBytes: number; peakMb: number };
type Algorithm = 'forest' | 'boosting' | 'logistic';

const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return (at >= 0 ? process.argv[at + 1]! : fallback).split(',');
};
const sizes = option('--sizes', '2000,20000,100000').map(Number);
const algorithms = option('--algorithms', 'forest,boosting,logistic') as Algorithm[];
const here = import.meta.dirname;
const generator = join(here, '../../../../shared/bench/gen-classification.mjs');
const dir = mkdtempSync(join(tmpdir(), 'mlops-bench-'));

/** What each target compares: ours on t threads against scikit-learn on 1 thread, or on the same t. */
const TARGETS: Record<Algorithm, (rows: number, threads: number) => { against: number; target: string }> = {
  forest: (rows, threads) => ({
    against: 1,
    target: rows === 2000 ? '≤ 0.45' : rows === 100000 ? (threads === 1 ? '≤ 0.25' : '≤ 0.15') : '< 1',
  }),
  boosting: (rows, threads) => ({ against: threads, target: rows === 100000 ? '≤ 1' : '–' }),
  logistic: (rows) => ({ against: 1, target: rows === 100000 ? '≤ 2' : '–' }),
};

function generate(rows: number): string {
  const file = join(dir, `${rows}.json`);
  writeFileSync(file, execFileSync(process.execPath, [generator, String(rows), '20', '1'], { maxBuffer: 1 << 30 }));
  return file;
}

function run(ours: boolean, algorithm: Algorithm, data: string, batch: string, threads: number): Measured {
  const args = [algorithm, data, batch, String(threads)];
  const out = ours
    ? spawnSync(process.execPath, ['--import', 'tsx', join(here, 'engine-case.ts'), ...args], { encoding: 'utf8' })
    : spawnSync('/usr/bin/python3', [join(here, 'engine-case.py'), ...args], {
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) },
      });
  if (out.status !== 0 || out.error) throw new Error(`${ours ? 'ours' : 'scikit-learn'} ${args} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Measured;
}

/** The run of median train time among `runs` (so every figure of a row comes from one run). */
function median(runs: Measured[]): Measured {
  return runs.slice().sort((a, b) => a.trainMs - b.trainMs)[runs.length >> 1]!;
}

const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sklearn = spawnSync('/usr/bin/python3', ['-c', 'import sklearn; print(sklearn.__version__)'], {
  encoding: 'utf8',
});
if (sklearn.status !== 0) {
  console.error('scikit-learn is missing: apt-get install -y python3-sklearn (for /usr/bin/python3)');
  process.exit(1);
}
try {
  const batch = generate(100000);
  console.log(
    `${new Date().toISOString().slice(0, 10)} · ${cpus().length} cores · Node ${process.versions.node} · scikit-learn ${sklearn.stdout.trim()}`,
  );
  console.log('');
  console.log(
    '| data | algorithm | threads | train ms: @mlops / scikit-learn | ratio (vs scikit-learn on n threads) | target | predict rows/s: @mlops / scikit-learn | accuracy: @mlops / scikit-learn | artifact bytes: @mlops / pickle | peak RSS MB: @mlops / scikit-learn |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const rows of sizes) {
    const data = rows === 100000 ? batch : generate(rows);
    const repeats = rows <= 2000 ? 3 : 1;
    for (const algorithm of algorithms) {
      const sk: Record<number, Measured> = {};
      for (const threads of [1, 2]) {
        const ours: Measured[] = [];
        const theirs: Measured[] = [];
        for (let r = 0; r < repeats; r++) {
          ours.push(run(true, algorithm, data, batch, threads));
          theirs.push(run(false, algorithm, data, batch, threads));
        }
        const a = median(ours);
        sk[threads] = median(theirs);
        const b = sk[threads]!;
        const { against, target } = TARGETS[algorithm](rows, threads);
        const ratio = a.trainMs / sk[against]!.trainMs;
        console.log(
          `| ${fmt(rows)} × 20 | ${algorithm} | ${threads} | ${fmt(a.trainMs)} / ${fmt(b.trainMs)} | ${ratio.toFixed(2)}× (vs ${against}) | ${target} | ${fmt(a.predictRowsPerS)} / ${fmt(b.predictRowsPerS)} | ${a.accuracy.toFixed(4)} / ${b.accuracy.toFixed(4)} | ${fmt(a.artifactBytes)} / ${fmt(b.artifactBytes)} | ${fmt(a.peakMb)} / ${fmt(b.peakMb)} |`,
        );
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
