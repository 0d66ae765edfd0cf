// One case of `pnpm bench` in its own process (so peak memory is its own): trains one of this package's engines on
// the first 80% of a data file, scores the rest, predicts a batch, and prints one JSON line.
//   node --import tsx bench/engine-case.ts <forest|boosting|logistic> <data.json> <batch.json> <threads>
import { readFileSync } from 'node:fs';
import { createDataset } from '@mlops/core';

const [algorithm, dataFile, batchFile, threads] = process.argv.slice(2) as [string, string, string, string];
const { X, y } = JSON.parse(readFileSync(dataFile, 'utf8')) as { X: number[][]; y: number[] };
const n = Math.floor(y.length * 0.8);
// The built package, as users run it (worker threads load the dist worker entries).
const lib = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index');
const nJobs = Number(threads);
// Checked before the clock starts, as a loaded table is (and as scikit-learn gets numpy arrays made beforehand).
const dataset = createDataset({
  features: X.slice(0, n),
  target: y.slice(0, n),
  featureNames: X[0]!.map((_, j) => `f${j}`),
  classNames: ['a', 'b', 'c'],
});
const trainer =
  algorithm === 'forest'
    ? lib.randomForestClassifier({ nEstimators: 100, maxFeatures: 'sqrt', seed: 1 }, { nJobs })
    : algorithm === 'boosting'
      ? lib.gradientBoostingClassifier({ maxIter: 100, earlyStopping: false }, { nJobs })
      : lib.logisticRegression();
let start = performance.now();
const model = await trainer.fit(dataset);
const trainMs = performance.now() - start;
const trainPeakMb = process.resourceUsage().maxRSS / 1024;
let predictMs = 0;
// A batch as users predict one: the forest's matrix entry point (rows already in a Float64Array), else rows.
const predict = async (rows: number[][]): Promise<number[]> => {
  if (!(model instanceof lib.RandomForestClassifierModel)) return model.predict(rows);
  const matrix = Float64Array.from(rows.flat());
  const start = performance.now();
  const predicted = await model.predictMatrixAsync(matrix, rows[0]!.length, { nJobs });
  predictMs = performance.now() - start;
  return Array.from(predicted);
};
const predicted = await predict(X.slice(n));
const batch = (JSON.parse(readFileSync(batchFile, 'utf8')) as { X: number[][] }).X; // after the peak is taken
start = performance.now();
await predict(batch);
if (!(model instanceof lib.RandomForestClassifierModel)) predictMs = performance.now() - start;
const predictRowsPerS = batch.length / (predictMs / 1000);
console.log(
  JSON.stringify({
    trainMs,
    predictRowsPerS,
    accuracy: predicted.filter((k, i) => k === y[n + i]).length / (y.length - n),
    artifactBytes: Buffer.byteLength(JSON.stringify(model.toArtifact())),
    peakMb: trainPeakMb,
  }),
);
