import { describe, expect, it } from 'vitest';
import { accuracyScore } from '@mlops/core';
import { classificationReport, confusionMatrix } from './classification';

// Reference values: scikit-learn 1.2.1 `confusion_matrix`, `classification_report(output_dict=True, zero_division=0)`.
const actual = [0, 1, 2, 2, 1, 0, 2, 1, 1, 0, 2, 2];
const predicted = [0, 2, 2, 2, 1, 0, 1, 1, 0, 0, 2, 0];

describe('classification metrics', () => {
  it('confusion matrix', () => {
    expect(confusionMatrix(actual, predicted)).toEqual([
      [3, 0, 0],
      [1, 2, 1],
      [1, 1, 3],
    ]);
    expect(confusionMatrix([0, 0], [0, 0], 2)).toEqual([
      [2, 0],
      [0, 0],
    ]);
  });

  it('report matches scikit-learn', () => {
    const report = classificationReport(actual, predicted, ['a', 'b', 'c']);
    expect(report.perClass).toEqual({
      a: { precision: 0.6, recall: 1, f1: 0.7499999999999999, support: 3 },
      b: { precision: 0.6666666666666666, recall: 0.5, f1: 0.5714285714285715, support: 4 },
      c: { precision: 0.75, recall: 0.6, f1: 0.6666666666666665, support: 5 },
    });
    expect(report.accuracy).toBe(0.6666666666666666);
    expect(report.macro.precision).toBeCloseTo(0.6722222222222222, 15);
    expect(report.macro.recall).toBeCloseTo(0.7000000000000001, 15);
    expect(report.macro.f1).toBeCloseTo(0.6626984126984127, 15);
    expect(report.weighted.precision).toBeCloseTo(0.6847222222222222, 15);
    expect(report.weighted.recall).toBeCloseTo(0.6666666666666666, 15);
    expect(report.weighted.f1).toBeCloseTo(0.6557539682539683, 15);
    expect(report.macro.support).toBe(12);
  });

  it('counts a never-predicted class as 0 (zero_division)', () => {
    const report = classificationReport([0, 1, 2, 2, 1, 0], [0, 0, 2, 2, 0, 0], ['a', 'b', 'c']);
    // scikit-learn 1.2.1 classification_report(output_dict=True, zero_division=0) on the same labels.
    expect(report.perClass).toEqual({
      a: { precision: 0.5, recall: 1, f1: 0.6666666666666666, support: 2 },
      b: { precision: 0, recall: 0, f1: 0, support: 2 },
      c: { precision: 1, recall: 1, f1: 1, support: 2 },
    });
    expect(report.accuracy).toBe(0.6666666666666666);
    for (const avg of [report.macro, report.weighted]) {
      expect(avg.precision).toBeCloseTo(0.5, 15);
      expect(avg.recall).toBeCloseTo(0.6666666666666666, 15);
      expect(avg.f1).toBeCloseTo(0.5555555555555555, 15);
      expect(avg.support).toBe(6);
    }
    expect(confusionMatrix([0, 1, 2, 2, 1, 0], [0, 0, 2, 2, 0, 0])).toEqual([
      [2, 0, 0],
      [2, 0, 0],
      [0, 0, 2],
    ]);
  });

  it('names bad labels and lengths', () => {
    expect(() => confusionMatrix([0, 1], [0])).toThrow('metrics need equal lengths: 2 actual vs 1 predicted');
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(
      'actual label at row 1 is 3: expected a class index in [0, 2]',
    );
    expect(() => classificationReport([0, 1], [0, -1], ['a', 'b'])).toThrow('predicted label at row 1 is -1');
    expect(() => accuracyScore([], [])).toThrow('accuracy of zero rows is undefined');
    expect(accuracyScore(actual, predicted)).toBe(0.6666666666666666);
  });
});
