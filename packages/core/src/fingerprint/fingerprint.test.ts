import fc from 'fast-check';
import type { Dataset } from '../contracts/dataset';
import { createDataset } from '../validation/dataset';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint';

const tiny = createDataset({
  features: [
    [1, 2.5],
    [-0, 3],
  ],
  target: [0, 1],
  featureNames: ['a', 'b'],
  classNames: ['x', 'y'],
});

describe('fingerprint', () => {
  it('is the documented sha256 (cross-checked with an independent Python encoder)', () => {
    expect(fingerprint(tiny)).toBe('a5f585a85e182f568cef1a1b7e289aae93e4a90d22e593563fdfeb6a843a8210');
  });

  it('hashes category levels only when the dataset has them (fingerprints from before levels existed hold)', () => {
    const coded = {
      ...tiny,
      features: [
        [1, 2.5],
        [0, 3],
      ],
      levels: [['p', 'q'], null],
    };
    expect(fingerprint({ ...coded, levels: undefined })).not.toBe(fingerprint(coded));
    expect(fingerprint({ ...coded, levels: [['p', 'r'], null] })).not.toBe(fingerprint(coded));
    expect(fingerprint({ ...coded, levels: [['pq'], null] })).not.toBe(
      fingerprint({ ...coded, levels: [['p', 'q'], null] }),
    );
  });

  it('rejects a ragged row, naming it', () => {
    expect(() => fingerprint({ ...tiny, features: [[1, 2], [3]] })).toThrow('features row 1 has 1 values, expected 2');
  });

  it('ignores the dataset name but not the names of columns and classes', () => {
    expect(fingerprint({ ...tiny, name: 'other' })).toBe(fingerprint(tiny));
    expect(fingerprint({ ...tiny, featureNames: ['a', 'c'] })).not.toBe(fingerprint(tiny));
    expect(fingerprint({ ...tiny, classNames: ['x', 'z'] })).not.toBe(fingerprint(tiny));
    const { classNames: _, ...regression } = tiny;
    expect(fingerprint(regression)).not.toBe(fingerprint({ ...regression, classNames: [] }));
    // Length prefixes keep name boundaries unambiguous.
    expect(fingerprint({ ...tiny, featureNames: ['ab', ''] })).not.toBe(
      fingerprint({ ...tiny, featureNames: ['a', 'b'] }),
    );
  });

  it('changes when any value, target or the row order changes (property)', () => {
    const matrix = fc.integer({ min: 1, max: 6 }).chain((cols) =>
      fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: cols, maxLength: cols }), {
        minLength: 2,
        maxLength: 12,
      }),
    );
    fc.assert(
      fc.property(matrix, fc.nat(), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (rows, at, delta) => {
        const cols = rows[0]!.length;
        const make = (features: number[][], target = features.map((_, i) => i % 2)): Dataset =>
          createDataset({
            features,
            target,
            featureNames: Array.from({ length: cols }, (_, j) => `f${j}`),
            classNames: ['a', 'b'],
          });
        const base = make(rows);
        const cell = at % (rows.length * cols);
        const changed = rows.map((r) => [...r]);
        const r = Math.floor(cell / cols);
        const old = changed[r]![cell % cols]!;
        changed[r]![cell % cols] = old + delta === old ? old * 2 + 1 : old + delta;
        expect(fingerprint(make(changed))).not.toBe(fingerprint(base));
        expect(
          fingerprint(
            make(
              rows,
              rows.map((_, i) => (i === 0 ? 1 : i % 2)),
            ),
          ),
        ).not.toBe(fingerprint(base));
        const swapped = [rows[1]!, rows[0]!, ...rows.slice(2)];
        fc.pre(JSON.stringify(rows[0]) !== JSON.stringify(rows[1]));
        expect(fingerprint(make(swapped, base.target.slice() as number[]))).not.toBe(fingerprint(base));
        expect(fingerprint(make(rows.map((x) => [...x])))).toBe(fingerprint(base));
      }),
      { numRuns: 100 },
    );
  });
});
