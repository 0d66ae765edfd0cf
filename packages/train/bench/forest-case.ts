// One benchmark case in its own process (so peak memory is its own): prints one JSON line.
import { readFileSync } from 'node:fs';
import { RandomForestClassifier } from 'ml-random-forest';

const [kind, dataFile, batchFile, jobs = '1'] = process.argv.slice(2) as [string, string, string, string?];
const { X, y } = JSON.parse(readFileSync(dataFile, 'utf8')) as { X: number[][]; y: number[] };
const batch = (JSON.parse(readFileSync(batchFile, 'utf8')) as { X: number[][] }).X;
const n = Math.floor(y.length * 0.8);
const cols = X[0]!.length;
const flat = (rows: number[][]) => Float64Array.from(rows.flat());
const accuracyOf = (p: ArrayLike<number>) => Array.from(p).filter((v, i) => v === y[n + i]).length / (y.length - n);
const seconds = (start: number) => (performance.now() - start) / 1000;

let result: Record<string, unknown>;
let trainPeakMb: number | undefined;
if (kind === 'ours') {
  // The built package, as users run it (worker threads load dist/forest-worker.js).
  const lib = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index');
  const featureNames = Array.from({ length: cols }, (_, j) => `f${j}`);
  const dataset = { features: X.slice(0, n), target: y.slice(0, n), featureNames, classNames: ['a', 'b', 'c'] };
  const nJobs = Number(jobs);
  let t = performance.now();
  const model = (await lib
    .randomForestClassifier({ nEstimators: 100, maxFeatures: 'sqrt', seed: 1 }, { nJobs })
    .fit(dataset)) as InstanceType<typeof lib.RandomForestClassifierModel>;
  const trainMs = seconds(t) * 1000;
  trainPeakMb = process.resourceUsage().maxRSS / 1024;
  const xTest = flat(X.slice(n));
  t = performance.now();
  const predicted = await model.predictMatrixAsync(xTest, cols, { nJobs });
  const testRowsPerS = (y.length - n) / seconds(t);
  const xBatch = flat(batch);
  t = performance.now();
  await model.predictMatrixAsync(xBatch, cols, { nJobs });
  const batchRowsPerS = batch.length / seconds(t);
  const text = JSON.stringify(model.toArtifact());
  t = performance.now();
  lib.randomForestCodec.decode(JSON.parse(text));
  const loadMs = seconds(t) * 1000;
  result = {
    trainMs,
    testRowsPerS,
    batchRowsPerS,
    accuracy: accuracyOf(predicted),
    artifactBytes: Buffer.byteLength(text),
    loadMs,
  };
} else {
  let t = performance.now();
  const forest = new RandomForestClassifier({
    nEstimators: 100,
    maxFeatures: Math.floor(Math.sqrt(cols)),
    replacement: false,
    useSampleBagging: true,
    seed: 1,
    noOOB: true,
  });
  forest.train(X.slice(0, n), y.slice(0, n));
  const trainMs = seconds(t) * 1000;
  trainPeakMb = process.resourceUsage().maxRSS / 1024;
  t = performance.now();
  const predicted = forest.predict(X.slice(n));
  const testRowsPerS = (y.length - n) / seconds(t);
  t = performance.now();
  forest.predict(batch);
  const batchRowsPerS = batch.length / seconds(t);
  const text = JSON.stringify(forest.toJSON());
  t = performance.now();
  RandomForestClassifier.load(JSON.parse(text));
  const loadMs = seconds(t) * 1000;
  result = {
    trainMs,
    testRowsPerS,
    batchRowsPerS,
    accuracy: accuracyOf(predicted),
    artifactBytes: Buffer.byteLength(text),
    loadMs,
  };
}
console.log(JSON.stringify({ ...result, trainPeakMb, peakMb: process.resourceUsage().maxRSS / 1024 }));
