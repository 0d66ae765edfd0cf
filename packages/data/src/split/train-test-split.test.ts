import fc from 'fast-check';
import { createDataset, InvalidInputError, type Dataset } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { loadIris } from '../iris/load-iris';
import { trainTestSplit, type TrainTestSplitOptions } from './train-test-split';

/** n rows whose single feature is the row number, so a split's rows can be read back. */
function numbered(n: number, target: readonly number[] = Array.from({ length: n }, (_, i) => i % 2)): Dataset {
  return createDataset({
    features: Array.from({ length: n }, (_, i) => [i]),
    target,
    featureNames: ['row'],
    classNames: ['a', 'b', 'c'],
  });
}

// Expected rows from scikit-learn 1.2.1 `train_test_split(np.arange(n), ...)`.
const cases: [string, number, TrainTestSplitOptions, number[], number[]][] = [
  ['fraction', 10, { testSize: 0.3, seed: 0 }, [9, 1, 6, 7, 3, 0, 5], [2, 8, 4]],
  ['integer test size', 17, { testSize: 5, seed: 123 }, [7, 0, 10, 11, 3, 1, 6, 15, 12, 2, 14, 13], [4, 9, 16, 8, 5]],
  [
    'train size only',
    20,
    { trainSize: 0.5, seed: 7 },
    [10, 14, 8, 16, 9, 12, 7, 3, 4, 15],
    [1, 17, 2, 5, 11, 0, 18, 6, 13, 19],
  ],
  [
    'both sizes, largest seed',
    25,
    { testSize: 0.2, trainSize: 0.6, seed: 4294967295 },
    [9, 15, 1, 5, 22, 14, 21, 6, 13, 16, 10, 17, 11, 19, 0],
    [23, 8, 24, 18, 4],
  ],
  ['default test size', 12, { seed: 1 }, [10, 1, 6, 0, 7, 11, 9, 8, 5], [2, 3, 4]],
  ['no shuffle', 9, { testSize: 0.34, shuffle: false }, [0, 1, 2, 3, 4], [5, 6, 7, 8]],
  ['no shuffle, half', 11, { testSize: 0.5, shuffle: false }, [0, 1, 2, 3, 4], [5, 6, 7, 8, 9, 10]],
  ['integer sizes, rows left out', 8, { trainSize: 3, testSize: 2, seed: 99 }, [4, 5, 0], [6, 2]],
  [
    'stratified, tied classes',
    9,
    { testSize: 5, seed: 31, stratify: [0, 0, 0, 1, 1, 1, 2, 2, 2] },
    [3, 7, 2, 1],
    [4, 0, 6, 5, 8],
  ],
  [
    'stratified by train size',
    12,
    { trainSize: 0.5, seed: 8, stratify: [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0] },
    [8, 10, 11, 5, 2, 1],
    [7, 3, 6, 4, 9, 0],
  ],
];

describe('trainTestSplit matches scikit-learn', () => {
  it('selects the iris rows scikit-learn selects for seed 42', () => {
    const { train, test, trainIndices, testIndices } = trainTestSplit(loadIris(), { testSize: 0.2, seed: 42 });
    expect(testIndices).toEqual([
      73, 18, 118, 78, 76, 31, 64, 141, 68, 82, 110, 12, 36, 9, 19, 56, 104, 69, 55, 132, 29, 127, 26, 128, 131, 145,
      108, 143, 45, 30,
    ]);
    expect(trainIndices.slice(0, 10)).toEqual([22, 15, 65, 11, 42, 146, 51, 27, 4, 32]);
    expect(trainIndices).toHaveLength(120);
    expect(test.features[0]).toEqual([6.1, 2.8, 4.7, 1.2]);
    expect(test.target[0]).toBe(1);
    expect(train.featureNames).toEqual(loadIris().featureNames);
  });

  it('selects the rows scikit-learn selects from 1000 rows, and from iris with the default seed 0', () => {
    const large = trainTestSplit(numbered(1000), { testSize: 0.1, seed: 2024 });
    expect(large.testIndices.slice(0, 10)).toEqual([444, 898, 186, 584, 664, 457, 99, 941, 643, 276]);
    expect(large.trainIndices.slice(0, 10)).toEqual([98, 145, 366, 219, 601, 176, 388, 151, 27, 392]);
    expect([large.trainIndices.length, large.testIndices.length]).toEqual([900, 100]);

    const byDefault = trainTestSplit(loadIris());
    expect(byDefault.testIndices).toEqual([
      114, 62, 33, 107, 7, 100, 40, 86, 76, 71, 134, 51, 73, 54, 63, 37, 78, 90, 45, 16, 121, 66, 24, 8, 126, 22, 44,
      97, 93, 26, 137, 84, 27, 127, 132, 59, 18, 83,
    ]);
    expect(byDefault.trainIndices.slice(0, 8)).toEqual([61, 92, 112, 2, 141, 43, 10, 60]);
  });

  it.each(cases)('%s', (_, n, options, train, test) => {
    const split = trainTestSplit(numbered(n), options);
    expect(split.trainIndices).toEqual(train);
    expect(split.testIndices).toEqual(test);
    expect(split.train.features.map((r) => r[0])).toEqual(train);
  });

  it('stratifies iris like StratifiedShuffleSplit', () => {
    const split = trainTestSplit(loadIris(), { testSize: 0.2, seed: 42, stratify: true });
    expect(split.testIndices).toEqual([
      38, 127, 57, 93, 42, 56, 22, 20, 147, 84, 107, 141, 104, 51, 7, 49, 14, 69, 63, 138, 10, 140, 58, 134, 132, 77,
      75, 18, 116, 28,
    ]);
    expect(split.trainIndices.slice(0, 12)).toEqual([8, 106, 76, 9, 89, 146, 94, 133, 135, 117, 105, 78]);
    expect(split.trainIndices.slice(-6)).toEqual([11, 37, 2, 33, 52, 3]);
    expect([0, 1, 2].map((c) => split.test.target.filter((t) => t === c).length)).toEqual([10, 10, 10]);

    const other = trainTestSplit(loadIris(), { testSize: 0.3, seed: 7, stratify: true });
    expect(other.testIndices).toEqual([
      98, 71, 108, 4, 57, 19, 126, 112, 123, 14, 23, 115, 44, 91, 85, 50, 103, 82, 129, 113, 26, 97, 83, 78, 99, 39, 43,
      139, 48, 141, 60, 86, 94, 25, 47, 121, 106, 8, 73, 3, 142, 149, 143, 28, 49,
    ]);
    expect(other.trainIndices.slice(0, 10)).toEqual([84, 31, 122, 101, 42, 41, 109, 146, 6, 127]);
  });

  it('stratifies unbalanced labels, with remainder ties broken as scikit-learn does', () => {
    const labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2];
    const split = trainTestSplit(numbered(20, labels), { testSize: 0.3, seed: 5, stratify: true });
    expect(split.trainIndices).toEqual([13, 7, 9, 4, 12, 1, 18, 14, 2, 8, 11, 5, 15, 19]);
    expect(split.testIndices).toEqual([17, 16, 0, 3, 6, 10]);

    const shuffled = [2, 0, 1, 1, 0, 2, 2, 2, 1, 0, 0, 1, 2, 2, 1];
    const byList = trainTestSplit(numbered(15), { testSize: 6, seed: 9, stratify: shuffled });
    expect(byList.trainIndices).toEqual([6, 14, 0, 8, 7, 3, 13, 4, 10]);
    expect(byList.testIndices).toEqual([9, 5, 11, 1, 2, 12]);
  });
});

describe('trainTestSplit validation', () => {
  const data = numbered(10);
  it.each([
    [{ testSize: 0 }, 'testSize=0 should be a fraction in (0, 1) or a whole number of rows in [1, 9] (10 rows)'],
    [{ testSize: 1.5 }, 'testSize=1.5 should be'],
    [{ testSize: 10 }, 'testSize=10 should be'],
    [{ testSize: 0.6, trainSize: 0.6 }, 'testSize + trainSize = 1.2 exceeds 1'],
    [{ testSize: 6, trainSize: 6 }, 'train (6) + test (6) rows exceed the 10 available'],
    [{ testSize: 0.3, shuffle: false, stratify: true }, 'stratified splitting requires shuffle: true'],
    [{ stratify: [0, 1] }, 'stratify has 2 labels for 10 rows'],
    [{ stratify: [0, 0, 0, 0, 0, 1, 1, 1, Number.NaN, 1] }, 'stratify label at row 8 is NaN: expected a finite number'],
    [
      { stratify: [0, 0, 0, 0, 0, 1, 1, 1, 1, 2] },
      'class "2" has only 1 member: stratifying needs at least 2 per class',
    ],
    [{ testSize: 2, stratify: [0, 0, 0, 0, 1, 1, 1, 2, 2, 2] }, 'test size 2 is smaller than the 3 classes'],
  ] as [TrainTestSplitOptions, string][])('%j', (options, message) => {
    expect(() => trainTestSplit(data, options)).toThrow(InvalidInputError);
    expect(() => trainTestSplit(data, options)).toThrow(message);
  });

  it('rejects a bad seed', () => {
    expect(() => trainTestSplit(data, { seed: -3 })).toThrow('seed must be an integer in [0, 4294967295], got -3');
  });
});

describe('trainTestSplit invariants (property)', () => {
  it('parts are disjoint, sized by the formula, and depend only on the seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 200 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (n, testSize, seed) => {
          const data = numbered(n);
          const nTest = Math.ceil(testSize * n);
          fc.pre(nTest < n);
          const split = trainTestSplit(data, { testSize, seed });
          expect(split.testIndices).toHaveLength(nTest);
          expect(split.trainIndices).toHaveLength(n - nTest);
          expect(new Set([...split.trainIndices, ...split.testIndices]).size).toBe(n);
          expect(trainTestSplit(data, { testSize, seed }).testIndices).toEqual(split.testIndices);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses stratify: true on a regression dataset instead of naming a value as a class', () => {
    const data = createDataset({ features: [[1], [2], [3], [4]], target: [-0.64, 1.5, 2.25, 3], featureNames: ['x'] });
    expect(() => trainTestSplit(data, { testSize: 0.5, seed: 1, stratify: true })).toThrow(
      'stratify: true needs class labels, and this dataset has a numeric (regression) target: split it without stratify',
    );
    expect(trainTestSplit(data, { testSize: 0.5, seed: 1 }).test.target).toHaveLength(2);
  });
});
