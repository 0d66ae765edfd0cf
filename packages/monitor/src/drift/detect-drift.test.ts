import { InvalidInputError, RandomState } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { ksTest } from '../stats/ks-test';
import { detectDrift } from './detect-drift';

/** rows × 3 columns of seeded uniforms; column 1 shifted by `shift`. */
function batch(seed: number, rows: number, shift: number): number[][] {
  const random = new RandomState(seed);
  return Array.from({ length: rows }, () => [random.random(), random.random() + shift, random.random()]);
}

describe('detectDrift', () => {
  const featureNames = ['a', 'b', 'c'];
  it('flags exactly the shifted column, with the KS numbers of that column', () => {
    const reference = batch(1, 300, 0);
    const current = batch(2, 200, 0.3);
    const report = detectDrift(reference, current, { featureNames });
    expect(report.features.map((f) => [f.feature, f.drifted])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
    const b = ksTest(reference.map((r) => r[1]!), current.map((r) => r[1]!));
    expect(report.features[1]).toEqual({ feature: 'b', test: 'ks', statistic: b.statistic, pValue: b.pValue, threshold: 0.05, drifted: true });
    expect(report).toMatchObject({ driftedCount: 1, referenceRows: 300, currentRows: 200, datasetDrift: false });
    expect(report.driftedShare).toBeCloseTo(1 / 3, 15);
    expect(detectDrift(reference, current, { featureNames, driftShare: 0.3 }).datasetDrift).toBe(true);
  });

  it('reports no drift between two samples of one distribution', () => {
    const report = detectDrift(batch(3, 400, 0), batch(4, 400, 0), { featureNames });
    expect(report.driftedCount).toBe(0);
    expect(report.datasetDrift).toBe(false);
  });

  it('names the bad row and column, and checks options', () => {
    const good = batch(5, 10, 0);
    expect(() => detectDrift(good, [[1, 2]], { featureNames })).toThrow('current row 0 has 2 values, expected 3');
    expect(() => detectDrift([[1, NaN, 3]], good, { featureNames })).toThrow('reference row 0, column 1 (b) is NaN');
    expect(() => detectDrift(good, good, { featureNames, alpha: 0 })).toThrow(InvalidInputError);
    expect(() => detectDrift(good, good, { featureNames, driftShare: 1.5 })).toThrow('driftShare must be in (0, 1], got 1.5');
  });
});
