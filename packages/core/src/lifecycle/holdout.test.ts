import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blobs } from '../testing/blobs';
import { lastRows, splitBatch } from './holdout';

describe('splitBatch', () => {
  it('holds out round(share × rows) rows, never all of them, the same ones for the same batch and seed', () => {
    const batch = blobs(0, 1, 10); // 20 rows
    const a = splitBatch(batch, 'ab'.repeat(32), 0.25, 0);
    expect([a.train.target.length, a.held?.target.length]).toEqual([15, 5]);
    expect(splitBatch(batch, 'ab'.repeat(32), 0.25, 0)).toEqual(a);
    expect(splitBatch(batch, 'ab'.repeat(32), 0.25, 7).held).not.toEqual(a.held);
    expect(splitBatch(batch, 'ab'.repeat(32), 0, 0)).toEqual({ train: batch, held: undefined });
    expect(splitBatch(blobs(0, 1, 1), 'ab'.repeat(32), 0.9, 0).train.target).toHaveLength(1); // a row always trains
  });

  it('puts every row on exactly one side (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.nat(),
        (n, share, seed) => {
          const batch = blobs(0, 1, n);
          const { train, held } = splitBatch(batch, 'cd'.repeat(32), share, seed);
          expect(train.target.length + (held?.target.length ?? 0)).toBe(2 * n);
          expect(train.target.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('lastRows', () => {
  it('keeps the most recent rows', () => {
    const data = blobs(0, 1, 3); // rows x: 0-0.2, 1-0.2, 0-0.1, 1-0.1, 0, 1
    expect(lastRows(data, 2).features).toEqual([[0], [1]]);
    expect(lastRows(data, 10)).toBe(data);
  });
});
