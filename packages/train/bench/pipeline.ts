// Pipeline benchmark: is encoding raw records the bottleneck of prediction? Times, on 100,000 raw records,
// (a) the bare forest on rows encoded once beforehand, (b) the pipeline on records as a parsed CSV gives them
// (every value text, blanks as '') and (c) the pipeline on JS-typed records (numbers as numbers, null for
// missing), plus the encoder alone on both. All in this one run, interleaved (a warm-up round, then each round
// starts at another case); prints medians and the ratios against (a). Target: (b)/(a) ≤ 1.3, judged on this
// process's CPU time (user + system), which other processes on a shared machine do not inflate; wall-time
// ratios are printed next to it. Exits non-zero when the predictions of (a), (b) and (c) differ (never on
// timings). Uses core and data from their dist (build them first).
//   node --import tsx bench/pipeline.ts [--rounds 7] [--verbose]
import { availableParallelism, loadavg } from 'node:os';
import { createPipeline, type RawRecord } from '@mlops/core';
import { loadCsv } from '../../data/dist/index.js';
import { randomForestClassifier } from '../src/index';

const TOTAL = 100_000;
const TRAIN = 20_000;
const TARGET_RATIO = 1.3;
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 7;

const loadAtStart = loadavg()[0]!;

// Seeded data (mulberry32, as ../shared/bench/gen-classification.mjs).
let s = 42;
const rnd = () => {
  s = (s + 0x6d2b79f5) >>> 0;
  return (((s ^ (s >>> 15)) * (1 | s)) >>> 0) / 4294967296;
};
const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const blank = (p: number, text: string) => (rnd() < p ? '' : text);

const REGIONS = [
  'north',
  'south',
  'east',
  'west',
  'central',
  'coast',
  'mountain',
  'lakes',
  'plains',
  'islands',
  'metro',
  'rural',
];
const PLANS = ['basic', 'standard', 'premium'];
const CHANNELS = ['web', 'app', 'store', 'phone', 'partner'];
const NUMERIC = ['age', 'income', 'balance', 'tenure_months', 'utilization', 'num_products'];
const CATEGORY = ['region', 'plan', 'channel'];
const HEADER = ['customer_id', ...NUMERIC, ...CATEGORY, 'churned'];

/** One CSV row as text cells (header order): ~5% blank numbers, ~3% blank categories, a churn label. */
function row(i: number): string[] {
  const age = 18 + Math.floor(rnd() * 72);
  const income = Math.exp(10.5 + 0.6 * gauss());
  const balance = 2000 * gauss() + 500;
  const tenure = Math.floor(rnd() * 121);
  const utilization = rnd();
  const products = 1 + Math.floor(rnd() * 6);
  const region = pick(REGIONS);
  const plan = pick(PLANS);
  const channel = pick(CHANNELS);
  const logit =
    -0.5 +
    1.8 * (utilization - 0.5) -
    0.02 * (tenure - 60) +
    0.4 * (products === 1 ? 1 : 0) -
    0.3 * Math.log(income / 36000) +
    (plan === 'basic' ? 0.6 : plan === 'premium' ? -0.5 : 0) +
    (channel === 'partner' ? 0.5 : 0) +
    (REGIONS.indexOf(region) % 3) * 0.2 +
    0.8 * gauss();
  return [
    `c${String(100000 + i)}`,
    blank(0.05, String(age)),
    blank(0.05, income.toFixed(2)),
    blank(0.05, balance.toFixed(2)),
    blank(0.05, String(tenure)),
    blank(0.05, utilization.toFixed(4)),
    blank(0.05, String(products)),
    blank(0.03, region),
    blank(0.03, plan),
    blank(0.03, channel),
    logit > 0 ? 'yes' : 'no',
  ];
}

const cells = Array.from({ length: TOTAL }, (_, i) => row(i));
const csv = [HEADER, ...cells.slice(0, TRAIN)].map((r) => r.join(',')).join('\n');
// (b)'s input: what csv-parse with `columns: true` gives (every value text, blanks as '').
const textRecords: RawRecord[] = cells.map((r) => {
  const rec: Record<string, string> = {};
  for (let j = 0; j < HEADER.length; j++) rec[HEADER[j]!] = r[j]!;
  return rec;
});
// (c)'s input: JS-typed values, as a JSON request body would carry them.
const numeric = new Set(NUMERIC);
const typedRecords: RawRecord[] = cells.map((r) => {
  const rec: Record<string, string | number | null> = {};
  for (let j = 0; j < HEADER.length; j++) {
    const name = HEADER[j]!;
    const v = r[j]!;
    rec[name] = v === '' ? null : numeric.has(name) ? Number(v) : v;
  }
  return rec;
});

let t = performance.now();
const { dataset, preprocessing } = await loadCsv(
  { text: csv },
  { target: 'churned', exclude: ['customer_id'], missing: 'impute' },
);
const loadMs = performance.now() - t;
t = performance.now();
const estimator = await randomForestClassifier({ nEstimators: 100, seed: 42 }).fit(dataset);
const fitMs = performance.now() - t;
const pipeline = createPipeline(preprocessing, estimator);
const encodedRows = pipeline.encode(textRecords);

const problems: string[] = [];
const sameRows = (x: readonly (readonly number[])[], y: readonly (readonly number[])[]) =>
  x.length === y.length && x.every((r, i) => r.length === y[i]!.length && r.every((v, j) => Object.is(v, y[i]![j])));
if (!sameRows(dataset.features, encodedRows.slice(0, TRAIN)))
  problems.push("the pipeline's encoding of the training records differs from loadCsv's dataset");
if (!sameRows(encodedRows, pipeline.encode(typedRecords))) problems.push('text and typed records encode differently');

type Case = { key: string; label: string; run: () => unknown };
const cases: Case[] = [
  { key: 'a', label: '(a) forest.predict(encoded rows)', run: () => estimator.predict(encodedRows) },
  { key: 'b', label: '(b) pipeline.predict(text records)', run: () => pipeline.predict(textRecords) },
  { key: 'c', label: '(c) pipeline.predict(typed records)', run: () => pipeline.predict(typedRecords) },
  { key: 'eb', label: '    encode only, text records', run: () => pipeline.encode(textRecords) },
  { key: 'ec', label: '    encode only, typed records', run: () => pipeline.encode(typedRecords) },
];
// Wall time and this process's CPU time (user + system: other processes on a shared machine do not count).
const wall = new Map<string, number[]>(cases.map((c) => [c.key, []]));
const cpu = new Map<string, number[]>(cases.map((c) => [c.key, []]));
const predictions = new Map<string, number[]>();
// One warm-up round (not counted), then ROUNDS rounds, each starting at a different case.
for (let round = -1; round < ROUNDS; round++) {
  for (let k = 0; k < cases.length; k++) {
    const c = cases[(k + Math.max(round, 0)) % cases.length]!;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const out = c.run();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu0);
    if (round >= 0) {
      wall.get(c.key)!.push(ms);
      cpu.get(c.key)!.push((used.user + used.system) / 1000);
    }
    if (!c.key.startsWith('e')) predictions.set(c.key, out as number[]);
  }
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((x, y) => x - y);
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
};
const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
if (!same(predictions.get('a')!, predictions.get('b')!)) problems.push('predictions of (a) and (b) differ');
if (!same(predictions.get('a')!, predictions.get('c')!)) problems.push('predictions of (a) and (c) differ');

const withBlanks = preprocessing.inputs.filter((c) => c.missingCount > 0).length;
const levels = CATEGORY.map((c) => preprocessing.inputs.find((i) => i.name === c)!.levels!.length).join('/');
console.log(
  `data: ${fmt(TOTAL)} raw records × ${HEADER.length} columns (${NUMERIC.length} numeric, ${CATEGORY.length} category with ${levels} levels, id excluded, binary target); ${withBlanks} of ${preprocessing.inputs.length} inputs had blanks in training`,
);
console.log(
  `fit: loadCsv ${fmt(TRAIN)} rows ${fmt(loadMs)} ms, randomForestClassifier(nEstimators 100, seed 42) ${fmt(fitMs)} ms; node ${process.version}`,
);
console.log(`predict on ${fmt(TOTAL)} records, median of ${ROUNDS} interleaved rounds:`);
console.log(`  ${''.padEnd(40)} ${'wall ms'.padStart(7)} ${'CPU ms'.padStart(7)} ${'rows/s (wall)'.padStart(14)}`);
for (const c of cases) {
  const w = median(wall.get(c.key)!);
  console.log(
    `  ${c.label.padEnd(40)} ${fmt(w).padStart(7)} ${fmt(median(cpu.get(c.key)!)).padStart(7)} ${fmt(TOTAL / (w / 1000)).padStart(14)}`,
  );
  if (process.argv.includes('--verbose'))
    console.log(
      `    wall per round: ${wall
        .get(c.key)!
        .map((x) => fmt(x))
        .join(' ')}`,
    );
}
/** Ratio of the medians of `key` and (a), and the median of the per-round ratios (each round's runs are adjacent). */
const ratios = (times: Map<string, number[]>, key: string) => {
  const a = times.get('a')!;
  const x = times.get(key)!;
  return { ofMedians: median(x) / median(a), paired: median(x.map((v, i) => v / a[i]!)) };
};
for (const [key, what] of [
  ['b', 'text records: '],
  ['c', 'typed records:'],
] as const) {
  const c = ratios(cpu, key);
  const w = ratios(wall, key);
  console.log(
    `ratio (${key})/(a), ${what} ${c.ofMedians.toFixed(3)}× CPU (wall ${w.ofMedians.toFixed(3)}×, per-round median ${w.paired.toFixed(3)}×); target ≤ ${TARGET_RATIO}×: ${c.ofMedians <= TARGET_RATIO ? 'PASS' : 'FAIL'}`,
  );
}
console.log(
  `encoder alone, as a share of the pipeline's CPU time: ${((100 * median(cpu.get('eb')!)) / median(cpu.get('b')!)).toFixed(1)}% (text), ${((100 * median(cpu.get('ec')!)) / median(cpu.get('c')!)).toFixed(1)}% (typed)`,
);
console.log(
  `machine: ${availableParallelism()} cores, load average ${loadAtStart.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
);
if (problems.length > 0) {
  for (const p of problems) console.error(`ERROR: ${p}`);
  process.exit(1);
}
console.log(`predictions of (a), (b) and (c) identical on all ${fmt(TOTAL)} records`);
