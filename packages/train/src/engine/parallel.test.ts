import { RandomState } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { fitForest, predictForestValues } from './forest';
import { fitForestAsync, predictForestValuesAsync } from './parallel';
import { encodeForest } from './serialize';

function blobs(rows: number, cols: number, seed: number) {
  const random = new RandomState(seed);
  const x = Float64Array.from(
    { length: rows * cols },
    (_, i) => random.random() + (i % cols === Math.floor(i / cols) % 3 ? 1 : 0),
  );
  const y = Int32Array.from({ length: rows }, (_, r) => r % 3);
  return { x, y };
}

describe('fitForestAsync', () => {
  // 2,500 rows × 100 trees is above the in-thread threshold: nJobs 2 really uses two worker threads.
  const { x, y } = blobs(2500, 6, 1);

  it('grows the same forest on 1 and 2 threads, byte for byte', async () => {
    const progress: number[] = [];
    const serial = await fitForestAsync(
      x,
      2500,
      6,
      { kind: 'classification', y, classes: 3 },
      { seed: 5 },
      { nJobs: 1 },
    );
    const parallel = await fitForestAsync(
      x,
      2500,
      6,
      { kind: 'classification', y, classes: 3 },
      { seed: 5 },
      { nJobs: 2, onProgress: (done, total) => progress.push(done * 1000 + total) },
    );
    expect(JSON.stringify(encodeForest(parallel))).toBe(JSON.stringify(encodeForest(serial)));
    expect(
      JSON.stringify(encodeForest(fitForest(x, 2500, 6, { kind: 'classification', y, classes: 3 }, { seed: 5 }))),
    ).toBe(JSON.stringify(encodeForest(serial)));
    expect(progress).toEqual(Array.from({ length: 100 }, (_, i) => (i + 1) * 1000 + 100));
  });

  it('cancels in workers and in-thread, returning no model', async () => {
    const inWorkers = new AbortController();
    const running = fitForestAsync(
      x,
      2500,
      6,
      { kind: 'classification', y, classes: 3 },
      { seed: 5 },
      {
        nJobs: 2,
        signal: inWorkers.signal,
        onProgress: (done) => done === 3 && inWorkers.abort(new Error('stop now')),
      },
    );
    await expect(running).rejects.toThrow('stop now');

    const inThread = new AbortController();
    const small = fitForestAsync(
      x.subarray(0, 600),
      100,
      6,
      { kind: 'classification', y: y.subarray(0, 100), classes: 3 },
      { seed: 5 },
      {
        nJobs: 1,
        signal: inThread.signal,
        onProgress: (done) => done === 2 && inThread.abort(new Error('enough')),
      },
    );
    await expect(small).rejects.toThrow('enough');
    await expect(
      fitForestAsync(
        x,
        2500,
        6,
        { kind: 'classification', y, classes: 3 },
        {},
        { signal: AbortSignal.abort(new Error('already')) },
      ),
    ).rejects.toThrow('already');
    await expect(
      fitForestAsync(x, 2500, 6, { kind: 'classification', y, classes: 3 }, {}, { nJobs: 0 }),
    ).rejects.toThrow('nJobs must be an integer ≥ 1, got 0');
  });
});

describe('predictForestValuesAsync', () => {
  it('predicts a large batch on 2 threads exactly as in-thread', async () => {
    const { x, y } = blobs(1000, 6, 2);
    const forest = fitForest(x, 1000, 6, { kind: 'classification', y, classes: 3 }, { seed: 1 });
    const batch = blobs(20000, 6, 3).x; // 20,000 rows × 100 trees: above the in-thread threshold
    const threaded = await predictForestValuesAsync(forest, batch, 20000, 2);
    expect(Array.from(threaded)).toEqual(Array.from(predictForestValues(forest, batch, 20000)));
    await expect(predictForestValuesAsync(forest, batch, 20000, 0)).rejects.toThrow(
      'nJobs must be an integer ≥ 1, got 0',
    );
  });
});
