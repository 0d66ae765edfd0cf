// Loading artifact bytes already in memory (filesystem, bytea): JsonBytesReader (hash + streaming parse) against what
// it replaced (hash, whole text, JSON.parse with the forbidden-key reviver), on three artifact shapes. Prints medians
// and the ratio new/old, measured in the same process.
//   node --import tsx bench/json-parse.ts
import { createHash } from 'node:crypto';
import { JsonBytesReader, parseJsonSafely } from '../src/json/safe-parse';

const shapes: Record<string, unknown> = {
  'small (iris-like)': {
    format: 'x',
    featureNames: ['a', 'b', 'c', 'd'],
    payload: { weights: [[0.1, 0.2]], bias: [0.5] },
  },
  'number arrays, 2.6 MB': {
    format: 'x',
    payload: {
      trees: Array.from({ length: 200 }, (_, t) => ({
        feature: Array.from({ length: 500 }, (_, i) => (i * t) % 20),
        threshold: Array.from({ length: 500 }, (_, i) => ((i * 7919 + t) % 1000) / 997),
        left: Array.from({ length: 500 }, (_, i) => i + 1),
      })),
    },
  },
  'base64 payloads, 8 MB': {
    format: 'x',
    payload: { trees: Array.from({ length: 20 }, (_, i) => Buffer.alloc(300_000, i).toString('base64')) },
  },
};

const before = (bytes: Buffer) => {
  createHash('sha256').update(bytes).digest('hex');
  if (!parseJsonSafely(bytes.toString('utf8')).ok) throw new Error('unreadable');
};
const after = (bytes: Buffer) => {
  const reader = new JsonBytesReader();
  reader.push(bytes);
  if (!reader.finish(() => undefined).parsed.ok) throw new Error('unreadable');
};

/** Median ms per call over 21 samples of `reps` calls each. */
function median(work: () => void, reps: number): number {
  for (let i = 0; i < 3 * reps; i++) work();
  const times = Array.from({ length: 21 }, () => {
    const start = performance.now();
    for (let i = 0; i < reps; i++) work();
    return (performance.now() - start) / reps;
  });
  return times.sort((a, b) => a - b)[10]!;
}

console.log('| artifact | before ms | after ms | after / before |');
console.log('|---|---|---|---|');
for (const [name, value] of Object.entries(shapes)) {
  const bytes = Buffer.from(JSON.stringify(value));
  const reps = bytes.length < 10_000 ? 2000 : 1;
  const old = median(() => before(bytes), reps);
  const now = median(() => after(bytes), reps);
  const ms = (x: number) => (x < 1 ? x.toFixed(4) : x.toFixed(1));
  console.log(`| ${name} | ${ms(old)} | ${ms(now)} | ${(now / old).toFixed(2)}× |`);
}
