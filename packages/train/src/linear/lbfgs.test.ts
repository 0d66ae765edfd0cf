import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from './lbfgs';

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function from its classic start', () => {
    const result = minimizeLbfgs(
      (x, g) => {
        const [a, b] = [x[0]!, x[1]!];
        g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
        g[1] = 200 * (b - a * a);
        return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { gtol: 1e-10, ftol: 0, maxIter: 200 },
    );
    expect(result.stop).toBe('gradient');
    expect(result.x[0]).toBeCloseTo(1, 8);
    expect(result.x[1]).toBeCloseTo(1, 8);
  });

  it('reaches the minimum of any convex quadratic ½xᵀAx − bᵀx (A diagonal, positive) to 1e-12 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: 0.1, max: 100, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true })),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        (terms) => {
          const result = minimizeLbfgs(
            (x, g) => {
              let f = 0;
              terms.forEach(([a, b], i) => {
                g[i] = a * x[i]! - b;
                f += 0.5 * a * x[i]! ** 2 - b * x[i]!;
              });
              return f;
            },
            new Float64Array(terms.length),
            { gtol: 1e-9, ftol: 0, maxIter: 500 },
          );
          // The gap to the optimum −Σ b²/2a (coordinates whose pull is below f's resolution may stay where they are).
          const optimum = -terms.reduce((sum, [a, b]) => sum + (b * b) / (2 * a), 0);
          expect(result.value - optimum).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(optimum)));
          terms.forEach(([a, b], i) => {
            expect(Math.abs(result.x[i]! - b / a)).toBeLessThan(1e-6 * (1 + Math.abs(b / a)));
          });
        },
      ),
      {
        numRuns: 200,
        // Found by fast-check: a coordinate whose optimum (1.2e-7) moves f by less than its rounding.
        examples: [
          [
            [
              [0.1, 1.200634051990151e-8],
              [1.1445557271152795, 0.8701755691363353],
            ],
          ],
        ],
      },
    );
  });
});
