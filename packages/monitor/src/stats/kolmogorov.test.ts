import { describe, expect, it } from 'vitest';
import { durbinMatrixCdf, kolmogorovNSurvival, pomeranzCdf, smirnovSurvival } from './kolmogorov';
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

  it("matches kstwo.sf in every region of scipy's method choice", () => {
    close(smirnovSurvival(20, 0.3), 0.021533604376327058);
    close(smirnovSurvival(2000000, 0.001), 0.018303432023617325);
    close(kolmogorovNSurvival(200, 0.08), 0.1463961356372503); // Pelz–Good
    // [n, x, kstwo.sf(x, n)] from scipy (identical in 1.10.1 and 1.17.1)
    const cases: [number, number, number][] = [
      [20, 0.3, 0.04306706665851623], // Pomeranz
      [20, 0.15, 0.7044671549442872], // Durbin matrix
      [6, 0.4, 0.22402938271604955], // Pomeranz
      [50, 0.1, 0.6623112704658186], // Pomeranz
      [100, 0.05, 0.9532159710635725], // Durbin matrix
      [140, 0.16, 0.0013440163244194184], // Pomeranz, deep tail
      [10, 0.2, 0.7487190399999999], // Pomeranz
      [500, 0.02, 0.9859871786857471], // Durbin matrix, large n
      [5000, 0.005, 0.9995858441477996], // Durbin matrix
      [30000, 0.004, 0.7215638359391143], // Pelz–Good
      [1000, 0.03, 0.3226902143914636], // Pelz–Good
      [80000, 0.0009, 0.9999999422062169], // Durbin matrix near the origin
      [500000, 0.003, 0.00024632301239186754], // twice the Smirnov tail, summation stopped early
      [500000, 0.0025, 0.0038544560212235442],
      [200000, 0.01, 8.433125699870092e-18],
      [2000000, 0.001, 0.03660662431970485], // n > 1,000,000: scipy's smirnov approximation
      [2000000, 0.0005, 0.6991771101944892], // Pelz–Good
    ];
    for (const [n, x, p] of cases) close(kolmogorovNSurvival(n, x), p);
    close(1 - durbinMatrixCdf(20, 0.15), 0.7044671549442872);
    close(1 - pomeranzCdf(20, 0.3), 0.04306706665851623);
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
