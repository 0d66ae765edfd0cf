import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ksTest } from './ks-test';

/** mulberry32, ported to Python for the reference values below, so no data needs pasting. */
function sample(seed: number, n: number, shift = 0, scale = 1, rounding?: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * scale + shift;
    out.push(rounding === undefined ? v : Math.round(v * rounding) / rounding);
  }
  return out;
}

const a = [0.61, -1.2, 0.35, 2.1, 0.0, -0.44, 1.37, 0.92, -0.05, 0.5, 1.8, -2.3];
const b = [1.1, 2.4, 0.7, 1.9, 3.05, 0.2, 1.45, 2.2, 0.95, 1.6, 2.75, 0.4, 1.25, 1.0];

function expectP(actual: number, expected: number, relative = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));
}

// Reference values: scipy 1.10.1 `ks_2samp`.
describe('ksTest agrees with scipy.stats.ks_2samp', () => {
  it('issue vectors, exact', () => {
    const r = ksTest(a, b);
    expect(r.statistic).toBe(0.5357142857142857);
    expect(r.method).toBe('exact');
    expectP(r.pValue, 0.03235138801163838);
    const t = ksTest([1, 2, 2, 3, 3, 3, 4, 4, 5, 1, 2, 3], [2, 3, 3, 4, 4, 4, 5, 5, 5, 6, 3, 4, 4]);
    expect(t.statistic).toBe(0.4423076923076923);
    expectP(t.pValue, 0.12648770263254042);
  });

  it.each([
    ['equal sizes', sample(1, 40), sample(2, 40, 0.2), 0.275, 0.09707484379785862],
    ['very unequal sizes', sample(3, 7), sample(4, 300, 0.1), 0.41333333333333333, 0.14389392596586345],
    ['heavy ties', sample(5, 200, 0, 1, 4), sample(6, 150, 0.05, 1, 4), 0.105, 0.2838135411331729],
    ['identical samples', a, a, 0, 1],
    ['3,000 vs 5,000', sample(7, 3000), sample(8, 5000, 0.03), 0.0508, 0.00012122080095792146],
    ['2,000 vs 2,000', sample(9, 2000), sample(10, 2000, 0.05), 0.0625, 0.0008067550852965074],
    ['one value each', [1], [2], 1, 1],
    ['disjoint supports', sample(15, 30), sample(16, 25, 2), 1, 6.481194254049317e-16],
  ])('%s (exact)', (_, x, y, statistic, p) => {
    const r = ksTest(x, y);
    expect(r.method).toBe('exact');
    expect(r.statistic).toBe(statistic);
    expectP(r.pValue, p);
  });

  it('uses the asymptotic distribution above 10,000 values', () => {
    const r = ksTest(sample(11, 12000), sample(12, 11000, 0.02));
    expect(r.method).toBe('asymp');
    expect(r.statistic).toBe(0.028250000000000025);
    expectP(r.pValue, 0.00020610551146155528); // kstwo.sf via twice the Smirnov tail

    const same = ksTest(sample(13, 12000), sample(14, 11000));
    expect(same.statistic).toBe(0.007742424242424273);
    expectP(same.pValue, 0.8788597538145007); // kstwo.sf via Pelz–Good
  });

  it('computes the asymptotic p-value on request', () => {
    const r = ksTest(a, b, { method: 'asymp' });
    expect(r.statistic).toBe(0.5357142857142857);
    expect(r.method).toBe('asymp');
    expectP(r.pValue, 0.03915135962684279);
  });
});

describe('ksTest properties and input checks', () => {
  it('is symmetric and bounded (property)', () => {
    const arr = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(arr, arr, (x, y) => {
        const r = ksTest(x, y);
        const s = ksTest(y, x);
        expect(s.statistic).toBe(r.statistic);
        expectP(s.pValue, r.pValue, 1e-12);
        expect(r.statistic >= 0 && r.statistic <= 1 && r.pValue >= 0 && r.pValue <= 1).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('names the bad sample and index', () => {
    expect(() => ksTest([], [1])).toThrow('ksTest: the reference sample is empty');
    expect(() => ksTest([1, 2], [3, NaN])).toThrow('ksTest: current sample value 1 is NaN: expected a finite number');
    expect(() => ksTest([Infinity], [1])).toThrow('reference sample value 0 is Infinity');
  });
});
