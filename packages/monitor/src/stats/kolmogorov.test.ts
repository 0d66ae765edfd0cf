import { describe, expect, it } from 'vitest';
import { kolmogorovNSurvival, smirnovSurvival } from './kolmogorov';
import { logGamma } from './special';

const close = (actual: number, expected: number, relative = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));

// Reference values: scipy 1.10.1 (`scipy.special.gammaln`, `smirnov`, `stats.kstwo.sf`).
describe('Kolmogorov distributions', () => {
  it('logGamma', () => {
    close(logGamma(0.5), 0.5723649429247);
    close(logGamma(10), 12.801827480081469);
    close(logGamma(12001), 100717.55842168367, 1e-14);
  });

  it('matches kstwo.sf where scipy uses the same method', () => {
    close(smirnovSurvival(20, 0.3), 0.021533604376327058);
    // n ≤ 140 with n·x² ≤ 4: scipy uses the Pomeranz recursion, Pelz–Good here is within 1e-3 (a known gap).
    close(kolmogorovNSurvival(20, 0.3), 0.04306706665851623, 1e-3);
    close(kolmogorovNSurvival(200, 0.08), 0.1463961356372503); // Pelz–Good
    expect(kolmogorovNSurvival(100000, 0.07)).toBe(0);
    close(kolmogorovNSurvival(100000, 0.002), 0.8178408363081542);
  });

  it('smirnovSurvival and kolmogorovNSurvival at the branch edges', () => {
    expect(smirnovSurvival(5, 0)).toBe(1);
    expect(smirnovSurvival(5, 1)).toBe(0);
    expect(kolmogorovNSurvival(10, 0.04)).toBe(1); // n·x ≤ 0.5
    close(kolmogorovNSurvival(10, 0.95), 2 * 0.05 ** 10); // n·x ≥ n − 1
  });
});
