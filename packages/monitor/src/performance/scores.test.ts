import { InvalidInputError } from '@mlops/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confusionMatrix, macroF1, regressionScores } from './scores';

describe('scores', () => {
  it('macroF1 matches scikit-learn f1_score(average="macro")', () => {
    expect(macroF1([0, 1, 2, 2, 1, 0, 1, 2], [0, 2, 2, 2, 1, 0, 0, 1])).toBeCloseTo(0.6222222222222222, 15);
    expect(macroF1([0, 0, 1], [2, 2, 1])).toBeCloseTo(1 / 3, 15); // zero_division = 0
    expect(() => macroF1([], [])).toThrow('macroF1 needs two equally long, non-empty lists, got 0 and 0');
  });

  it('confusionMatrix matches scikit-learn confusion_matrix (rows: true class, columns: prediction)', () => {
    expect(confusionMatrix([0, 1, 2, 2, 1, 0, 1, 2], [0, 2, 2, 2, 1, 0, 0, 1], 3)).toEqual([
      [2, 0, 0],
      [1, 1, 1],
      [0, 1, 2],
    ]);
    expect(confusionMatrix([1], [1], 3)).toEqual([
      [0, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(
      new InvalidInputError('row 1 has label 3 and prediction 1: expected class indices 0 to 2', { row: 1 }),
    );
    expect(() => confusionMatrix([0], [0], 0)).toThrow('classes must be an integer ≥ 1, got 0');
  });

  it('regressionScores matches scikit-learn on a small input, and R² is finite for constant labels', () => {
    expect(regressionScores([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toEqual({
      mae: 0.5,
      rmse: Math.sqrt(0.375),
      r2: expect.closeTo(0.9486081370449679, 15), // r2_score docs example
    });
    expect(regressionScores([2, 2], [2, 2])).toEqual({ mae: 0, rmse: 0, r2: 1 });
    expect(regressionScores([2, 2], [1, 3])).toEqual({ mae: 1, rmse: 1, r2: 0 });
    expect(() => regressionScores([1], [])).toThrow(
      'regressionScores needs two equally long, non-empty lists, got 1 and 0',
    );
  });

  it('property: the confusion matrix holds every row once, its diagonal is the accuracy, RMSE ≥ MAE', () => {
    const pairs = fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 })), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(pairs, (list) => {
        const actual = list.map(([a]) => a);
        const predicted = list.map(([, p]) => p);
        const matrix = confusionMatrix(actual, predicted, 4);
        expect(matrix.flat().reduce((s, v) => s + v, 0)).toBe(list.length);
        expect(matrix.reduce((s, row, k) => s + row[k]!, 0)).toBe(list.filter(([a, p]) => a === p).length);
        const { mae, rmse, r2 } = regressionScores(actual, predicted);
        expect(rmse).toBeGreaterThanOrEqual(mae - 1e-12);
        expect(r2).toBeLessThanOrEqual(1);
      }),
    );
  });
});
