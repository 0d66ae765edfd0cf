import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { irisTrain } from '../__fixtures__/iris-split';
import { createDataset } from '@mlops/core';
import { r2Score } from '../metrics/regression';
import { randomForestClassifier } from '../random-forest/random-forest-classifier';
import { randomForestRegressor } from '../random-forest/random-forest-regressor';
import { crossValidate } from './cross-validate';
import { kFold, stratifiedKFold } from './folds';

// Reference folds: scikit-learn 1.2.1 `KFold` / `StratifiedKFold(...).split` test indices.
const labels = [0, 0, 1, 1, 1, 2, 2, 0, 1, 2, 2, 2, 0, 1, 1, 0, 2, 1, 0, 0, 1, 2, 1];

describe('folds match scikit-learn', () => {
  it('KFold', () => {
    expect(kFold(23, { folds: 5, shuffle: true, seed: 42 }).map((f) => f.test)).toEqual([
      [0, 8, 9, 15, 17],
      [1, 2, 5, 12, 13],
      [3, 4, 11, 18, 20],
      [7, 16, 21, 22],
      [6, 10, 14, 19],
    ]);
    expect(kFold(10, { folds: 4 }).map((f) => f.test)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
      [8, 9],
    ]);
  });

  it('StratifiedKFold', () => {
    expect(stratifiedKFold(labels, { folds: 4, shuffle: true, seed: 7 }).map((f) => f.test)).toEqual([
      [5, 7, 17, 18, 20, 21],
      [0, 3, 9, 10, 14, 15],
      [1, 4, 6, 13, 16, 19],
      [2, 8, 11, 12, 22],
    ]);
    expect(stratifiedKFold(labels, { folds: 3 }).map((f) => f.test)).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [8, 9, 10, 11, 12, 13, 14, 15],
      [16, 17, 18, 19, 20, 21, 22],
    ]);
  });

  it('partitions the rows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 60 }),
        fc.integer({ min: 2, max: 6 }),
        fc.nat(),
        (ys, k, seed) => {
          fc.pre(ys.length >= k && [0, 1, 2, 3].some((c) => ys.filter((y) => y === c).length >= k));
          for (const folds of [
            kFold(ys.length, { folds: k, shuffle: true, seed }),
            stratifiedKFold(ys, { folds: k, shuffle: true, seed }),
          ]) {
            const tests = folds.flatMap((f) => f.test).sort((a, b) => a - b);
            expect(tests).toEqual(ys.map((_, i) => i));
            folds.forEach((f) => {
              expect(f.train.length + f.test.length).toBe(ys.length);
            });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('checks the fold count', () => {
    expect(() => kFold(3, { folds: 4 })).toThrow('cannot make 4 folds from 3 rows');
    expect(() => kFold(10, { folds: 1 })).toThrow('folds must be an integer ≥ 2, got 1');
    expect(() => stratifiedKFold([0, 0, 1, 1], { folds: 3 })).toThrow('folds=3 exceeds the row count of every class');
  });
});

describe('crossValidate', () => {
  it('scores every stratified fold of iris and is deterministic', async () => {
    const trainer = randomForestClassifier({ nEstimators: 20 });
    const result = await crossValidate(trainer, irisTrain, { folds: 4, seed: 1 });
    expect(result.scores).toHaveLength(4);
    expect(result.mean).toBeGreaterThan(0.9);
    expect(result.folds.map((f) => f.test.length)).toEqual([30, 30, 30, 30]);
    expect((await crossValidate(trainer, irisTrain, { folds: 4, seed: 1 })).scores).toEqual(result.scores);
  });

  it('scores a regression dataset with R², not accuracy, and folds it without stratifying', async () => {
    const features = Array.from({ length: 60 }, (_, i) => [i, (i * 37) % 11]);
    const data = createDataset({
      features,
      target: features.map(([x]) => 2 * x! - 0.64),
      featureNames: ['x', 'noise'],
    });
    const trainer = randomForestRegressor({ nEstimators: 20, seed: 3 });
    const result = await crossValidate(trainer, data, { folds: 3, seed: 1 });
    expect(result.scores).toHaveLength(3);
    for (const score of result.scores) expect(score).toBeGreaterThan(0.9); // accuracy would be [0, 0, 0]
    const custom = await crossValidate(trainer, data, {
      folds: 3,
      seed: 1,
      score: (m, t) => r2Score(t.target, m.predict(t.features)),
    });
    expect(custom.scores).toEqual(result.scores);
  });
});
