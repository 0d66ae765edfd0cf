import { describe, expect, it } from 'vitest';
import { balancedAccuracy, classificationReport } from './classification';
import { binaryRocAuc, logLoss, rocAuc } from './probabilistic';
import { meanAbsoluteError, r2Score, rootMeanSquaredError } from './regression';

// Reference values: scikit-learn 1.2.1.
const actual = [0, 1, 2, 2, 1, 0, 2, 1, 1, 0, 2, 2];
const predicted = [0, 2, 2, 2, 1, 0, 1, 1, 0, 0, 2, 0];
const proba = [
  [0.7, 0.2, 0.1],
  [0.1, 0.3, 0.6],
  [0.2, 0.2, 0.6],
  [0.1, 0.1, 0.8],
  [0.2, 0.5, 0.3],
  [0.6, 0.3, 0.1],
  [0.3, 0.4, 0.3],
  [0.2, 0.7, 0.1],
  [0.5, 0.4, 0.1],
  [0.8, 0.1, 0.1],
  [0.1, 0.2, 0.7],
  [0.4, 0.3, 0.3],
];
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(b)));

describe('more metrics, as scikit-learn computes them', () => {
  it('balanced accuracy and micro averages', () => {
    close(balancedAccuracy(actual, predicted), 0.7000000000000001);
    expect(classificationReport(actual, predicted, ['a', 'b', 'c']).micro).toEqual({
      precision: 0.6666666666666666,
      recall: 0.6666666666666666,
      f1: 0.6666666666666666,
      support: 12,
    });
  });

  it('log loss and one-vs-rest ROC AUC', () => {
    close(logLoss(actual, proba), 0.6466099589490422);
    close(rocAuc(actual, proba), 0.9406249999999999);
    close(rocAuc(actual, proba, 'weighted'), 0.9322916666666666);
    close(
      binaryRocAuc([false, true, true, false, true, false, true, true], [0.1, 0.8, 0.35, 0.35, 0.9, 0.2, 0.6, 0.35]),
      0.9333333333333333,
    );
  });

  it('regression metrics', () => {
    const y = [3.0, -0.5, 2.0, 7.0, 4.2];
    const p = [2.5, 0.0, 2.1, 7.8, 3.9];
    close(r2Score(y, p), 0.9594665271966527);
    close(meanAbsoluteError(y, p), 0.44000000000000006);
    close(rootMeanSquaredError(y, p), 0.49799598391954925);
    expect(r2Score([2, 2], [2, 2])).toBe(1);
  });

  it('names bad input', () => {
    expect(() =>
      logLoss(
        [0, 3],
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
      ),
    ).toThrow('label at row 1 is 3: expected a class index in [0, 1]');
    expect(() =>
      rocAuc(
        [0, 1],
        [
          [0.5, 1.5],
          [0.5, 0.5],
        ],
      ),
    ).toThrow('probability row 0, class 1 is 1.5');
    expect(() => binaryRocAuc([true, true], [0.1, 0.2])).toThrow('ROC AUC needs both positive and negative rows');
    expect(() => r2Score([1, NaN], [1, 2])).toThrow('actual value at row 1 is NaN');
  });
});
