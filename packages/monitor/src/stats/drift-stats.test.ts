import { describe, expect, it } from 'vitest';
import { chiSquareTest, zTestProportions } from './categorical';
import { jensenShannonDistance, populationStabilityIndex, wassersteinDistance } from './distances';
import { chiSquareSurvival, normalSurvival } from './special';

const close = (actual: number, expected: number, relative = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));

// Reference values: scipy 1.10.1.
describe('distribution tails', () => {
  it('chi-square and normal survival functions', () => {
    close(chiSquareSurvival(4.631185807656395, 2), 0.09870764250999253);
    close(chiSquareSurvival(30.5, 7), 7.685993449410958e-5);
    close(chiSquareSurvival(0.01, 1), 0.920344325445942);
    close(normalSurvival(8.2), 1.2019351542735735e-16);
    close(normalSurvival(0.3), 0.3820885778110474);
    close(normalSurvival(-0.3), 1 - 0.3820885778110474);
  });
});

describe('categorical tests', () => {
  it('chi-square matches chi2_contingency(correction=False)', () => {
    const r = chiSquareTest([50, 30, 20], [35, 40, 25]);
    expect(r.statistic).toBe(4.631185807656395);
    expect(r.dof).toBe(2);
    close(r.pValue, 0.09870764250999253);
    const sparse = chiSquareTest([10, 0, 5], [3, 8, 9]);
    close(sparse.statistic, 12.45192307692308, 1e-15);
    close(sparse.pValue, 0.0019774215340817598);
    const two = chiSquareTest([120, 80], [90, 110]);
    close(two.statistic, 9.022556390977442, 1e-15);
    close(two.pValue, 0.0026666817936140982);
    expect(() => chiSquareTest([1, 0], [2, 0])).toThrow('category 1 has no count in either sample');
    expect(() => chiSquareTest([1, 2], [1])).toThrow('reference has 2 categories, current 1');
    expect(() => chiSquareTest([1, -2], [1, 1])).toThrow('reference count 1 is -2');
  });

  it('two-proportion Z-test (pooled)', () => {
    const a = zTestProportions(45, 100, 30, 100);
    close(a.statistic, 2.1908902300206647, 1e-14);
    close(a.pValue, 0.02845973691631055);
    const b = zTestProportions(500, 1000, 520, 1000);
    close(b.statistic, -0.894606130121643, 1e-14);
    close(b.pValue, 0.37099767373660797);
    expect(zTestProportions(0, 10, 0, 10)).toEqual({ statistic: 0, pValue: 1 });
    expect(() => zTestProportions(11, 10, 1, 10)).toThrow(
      'reference: 11 successes of 10 trials is not a valid proportion',
    );
  });
});

describe('distances', () => {
  it('Wasserstein distance', () => {
    const a = [0.61, -1.2, 0.35, 2.1, 0.0, -0.44, 1.37, 0.92, -0.05, 0.5, 1.8, -2.3];
    const b = [1.1, 2.4, 0.7, 1.9, 3.05, 0.2, 1.45, 2.2, 0.95, 1.6, 2.75, 0.4, 1.25, 1.0];
    close(wassersteinDistance(a, b), 1.1914285714285713, 1e-14);
    expect(wassersteinDistance([1, 2, 2, 3], [5, 1])).toBe(1.5);
    expect(wassersteinDistance(a, a)).toBe(0);
  });

  it('Jensen–Shannon distance', () => {
    close(jensenShannonDistance([1, 2, 3, 4], [4, 3, 2, 1]), 0.32625164411267443, 1e-14);
    close(jensenShannonDistance([0.5, 0.5, 0], [0, 0.1, 0.9], 2), 0.8972141737096521, 1e-14);
    close(jensenShannonDistance([1, 0], [0, 1]), 0.8325546111576977, 1e-14);
    expect(() => jensenShannonDistance([0, 0], [1, 1])).toThrow('reference weights sum to 0');
  });

  it('population stability index: 0 for identical, growing with the shift', () => {
    const ref = Array.from({ length: 1000 }, (_, i) => i / 1000);
    expect(populationStabilityIndex(ref, ref)).toBe(0);
    const small = populationStabilityIndex(
      ref,
      ref.map((v) => v + 0.05),
    );
    const large = populationStabilityIndex(
      ref,
      ref.map((v) => v + 0.3),
    );
    expect(small).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(small);
    // The same binning written independently with numpy (searchsorted on the reference quantile edges):
    close(large, 2.2621455668421007, 1e-12);
    close(small, 0.054626067663096814, 1e-12);
  });
});
