import { InvalidInputError } from '@mlops/core';
import { outerProbInside, probOutsideSquare } from './ks-exact';
import { kolmogorovNSurvival } from './kolmogorov';

/** Options of {@link ksTest}. */
export interface KsTestOptions {
  /** `auto` (default): exact when both samples have ≤ 10,000 values, as scipy does; else asymptotic. */
  readonly method?: 'auto' | 'exact' | 'asymp';
}

/** Result of a two-sided two-sample Kolmogorov–Smirnov test. */
export interface KsTestResult {
  /** Largest absolute gap between the two empirical CDFs. */
  readonly statistic: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  /** How the p-value was computed. */
  readonly method: 'exact' | 'asymp';
}

const MAX_AUTO_N = 10_000;

function sortedCopy(sample: ArrayLike<number>, which: string): Float64Array {
  if (sample.length === 0) throw new InvalidInputError(`ksTest: the ${which} sample is empty`);
  const sorted = new Float64Array(sample.length);
  for (let i = 0; i < sample.length; i++) {
    const v = sample[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(`ksTest: ${which} sample value ${i} is ${String(v)}: expected a finite number`, {
        row: i,
      });
    }
    sorted[i] = v;
  }
  return sorted.sort();
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** max over all pooled values v of (F1(v) − F2(v)) and of (F2(v) − F1(v)), ties handled as scipy's searchsorted(right). */
function ecdfGaps(a: Float64Array, b: Float64Array): { maxS: number; minS: number } {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let max = -Infinity;
  let min = Infinity;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > max) max = diff;
    if (diff < min) min = diff;
  }
  return { maxS: max, minS: Math.min(1, Math.max(0, -min)) };
}

/**
 * Two-sample, two-sided Kolmogorov–Smirnov test with scipy's `ks_2samp` semantics: the statistic
 * from the pooled ECDFs (ties as scipy), an exact p-value for samples of up to 10,000 values and the
 * asymptotic one beyond. In exact mode the statistic is h/lcm(n1, n2) exactly, as scipy reports it.
 */
export function ksTest(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: KsTestOptions = {},
): KsTestResult {
  const a = sortedCopy(reference, 'reference');
  const b = sortedCopy(current, 'current');
  const n1 = a.length;
  const n2 = b.length;
  const { maxS, minS } = ecdfGaps(a, b);
  let d = Math.max(minS, maxS);
  const g = gcd(n1, n2);
  let method = options.method ?? 'auto';
  if (method === 'auto') method = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  else if (method === 'exact' && n1 / g >= 2147483647 / (n2 / g)) method = 'asymp';

  if (method === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic: d, pValue: p, method: 'exact' };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const p = kolmogorovNSurvival(Math.round(en), d);
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)), method: 'asymp' };
}
