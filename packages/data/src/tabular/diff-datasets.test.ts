import { createDataset } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { diffDatasets } from './diff-datasets';

const make = (features: number[][], target: number[]) =>
  createDataset({ features, target, featureNames: ['id', 'x'], classNames: ['no', 'yes'] });

describe('diffDatasets', () => {
  const a = make(
    [
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 40],
    ],
    [0, 0, 1, 1],
  );
  const b = make(
    [
      [1, 10],
      [2, 25],
      [4, 40],
      [5, 50],
      [6, 60],
    ],
    [0, 0, 1, 1, 1],
  );

  it('matches rows by a key column: added, removed and changed', () => {
    const diff = diffDatasets(a, b, { key: 'id' });
    expect(diff).toMatchObject({ rowsBefore: 4, rowsAfter: 5, added: [3, 4], removed: [2], changed: [[1, 1]] });
    expect(diff.classShares).toEqual({ before: [0.5, 0.5], after: [0.4, 0.6] });
    const x = diff.columns[1]!;
    expect(x.before).toEqual({ mean: 25, std: Math.sqrt(125), min: 10, max: 40 });
    expect(x.after.mean).toBe(37);
    expect(x.meanShift).toBeCloseTo(12 / Math.sqrt(125), 14);
  });

  it('compares whole rows as multisets without a key', () => {
    const diff = diffDatasets(a, b);
    expect(diff.added).toEqual([1, 3, 4]);
    expect(diff.removed).toEqual([1, 2]);
    expect(diff.changed).toEqual([]);
    expect(diffDatasets(a, a)).toMatchObject({ added: [], removed: [], changed: [] });
  });

  it('refuses datasets with other columns and duplicate keys', () => {
    const other = createDataset({ features: [[1]], target: [0], featureNames: ['id'], classNames: ['no', 'yes'] });
    expect(() => diffDatasets(a, other)).toThrow('datasets have different features: [id,x] vs [id]');
    expect(() =>
      diffDatasets(
        a,
        make(
          [
            [1, 1],
            [1, 2],
          ],
          [0, 1],
        ),
        { key: 'id' },
      ),
    ).toThrow('key "id" value 1 appears twice in the second dataset');
    expect(() => diffDatasets(a, b, { key: 'nope' })).toThrow('key "nope" is not a feature');
  });
});
