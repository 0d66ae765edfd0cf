// Gradient boosting against scikit-learn's HistGradientBoostingClassifier(max_iter=100, early_stopping=False) on one
// thread (OMP_NUM_THREADS=1; Debian's /usr/bin/python3 with python3-sklearn), on ../shared/bench data, both measured
// in this one run. Usage: node --import tsx bench/boosting.ts [rows…] (default 2000 20000 100000). Prints a table.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradientBoostingClassifier } from '../src/index';

const generator = join(import.meta.dirname, '../../../../shared/bench/gen-classification.mjs');
const sizes = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'mlops-bench-boosting-'));
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

const SKLEARN = `
import json, sys, time
from sklearn.ensemble import HistGradientBoostingClassifier
d = json.load(open(sys.argv[1])); X, y = d["X"], d["y"]; n = int(len(y) * 0.8)
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); m = HistGradientBoostingClassifier(max_iter=100, early_stopping=False).fit(X[:n], y[:n]); times.append(time.perf_counter() - t)
times.sort()
print(json.dumps({"trainMs": times[len(times) // 2] * 1000, "accuracy": m.score(X[n:], y[n:])}))
`;

try {
  console.log('| rows × 20 | @mlops train ms | scikit-learn train ms (1 thread) | ratio | accuracy (ours / sklearn) |');
  console.log('|---|---|---|---|---|');
  for (const rows of sizes.length ? sizes : [2000, 20000, 100000]) {
    const runs = rows <= 20000 ? 3 : 1;
    const file = join(dir, `${rows}.json`);
    writeFileSync(
      file,
      spawnSync(process.execPath, [generator, String(rows), '20', '1'], { maxBuffer: 1 << 30 }).stdout,
    );
    const { X, y } = JSON.parse(readFileSync(file, 'utf8')) as { X: number[][]; y: number[] };
    const n = Math.floor(y.length * 0.8);
    const dataset = {
      features: X.slice(0, n),
      target: y.slice(0, n),
      featureNames: X[0]!.map((_, j) => `f${j}`),
      classNames: ['a', 'b', 'c'],
    };
    const trainer = gradientBoostingClassifier({ earlyStopping: false });
    const times: number[] = [];
    let model = await trainer.fit(dataset);
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      model = await trainer.fit(dataset);
      times.push(performance.now() - start);
    }
    const accuracy = model.predict(X.slice(n)).filter((k, i) => k === y[n + i]).length / (y.length - n);
    const python = spawnSync('/usr/bin/python3', ['-c', SKLEARN, file, String(runs)], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    if (python.status !== 0) throw new Error(`scikit-learn failed: ${python.stderr}`);
    const sk = JSON.parse(python.stdout) as { trainMs: number; accuracy: number };
    const ours = median(times);
    console.log(
      `| ${rows.toLocaleString('en')} | ${ours.toFixed(0)} | ${sk.trainMs.toFixed(0)} | ${(ours / sk.trainMs).toFixed(2)}× | ${accuracy.toFixed(4)} / ${sk.accuracy.toFixed(4)} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
