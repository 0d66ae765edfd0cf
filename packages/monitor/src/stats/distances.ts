import { InvalidInputError } from '@mlops/core';

function finiteSorted(values: ArrayLike<number>, which: string): Float64Array {
  if (values.length === 0) throw new InvalidInputError(`the ${which} sample is empty`);
  const out = Float64Array.from(values as ArrayLike<number>);
  out.forEach((v, i) => {
    if (!Number.isFinite(v))
      throw new InvalidInputError(`${which} value ${i} is ${v}: expected a finite number`, { row: i });
  });
  return out.sort();
}

/** First Wasserstein (earth mover's) distance between two 1-D samples: ∫ |F_u − F_v| (scipy's `wasserstein_distance`). */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const a = finiteSorted(u, 'reference');
  const b = finiteSorted(v, 'current');
  let i = 0;
  let j = 0;
  let distance = 0;
  let previous = Math.min(a[0]!, b[0]!);
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    distance += Math.abs(i / a.length - j / b.length) * (next - previous);
    while (i < a.length && a[i] === next) i++;
    while (j < b.length && b[j] === next) j++;
    previous = next;
  }
  return distance;
}

function distribution(values: readonly number[], which: string): number[] {
  const total = values.reduce((s, v) => s + v, 0);
  values.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0)
      throw new InvalidInputError(`${which} weight ${i} is ${v}: expected a finite number ≥ 0`, { column: i });
  });
  if (!(total > 0)) throw new InvalidInputError(`${which} weights sum to 0`);
  return values.map((v) => v / total);
}

/**
 * Jensen–Shannon distance between two discrete distributions (normalised first), natural log unless a
 * `base` is given (scipy's `scipy.spatial.distance.jensenshannon`).
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[], base?: number): number {
  if (p.length !== q.length) throw new InvalidInputError(`distributions have ${p.length} and ${q.length} categories`);
  if (base !== undefined && !(base > 0 && base !== 1))
    throw new InvalidInputError(`base must be > 0 and ≠ 1, got ${base}`);
  const a = distribution(p, 'reference');
  const b = distribution(q, 'current');
  let js = 0;
  a.forEach((pi, i) => {
    const qi = b[i]!;
    const m = (pi + qi) / 2;
    if (pi > 0) js += pi * Math.log(pi / m);
    if (qi > 0) js += qi * Math.log(qi / m);
  });
  if (base !== undefined) js /= Math.log(base);
  return Math.sqrt(Math.max(0, js) / 2);
}

/** Options of {@link populationStabilityIndex}. */
export interface PsiOptions {
  /** Quantile bins of the reference (default 10). */
  readonly bins?: number;
  /** Share given to an empty bin so the logarithm stays finite (default 1e-4). */
  readonly epsilon?: number;
}

/**
 * Population stability index Σ (c − r)·ln(c / r) over bins cut at the reference's quantiles (inner edges
 * at the k/bins quantiles, duplicates merged; values equal to an edge fall in the lower bin). An empty
 * bin counts as `epsilon`. Rule of thumb: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 large shift.
 */
export function populationStabilityIndex(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: PsiOptions = {},
): number {
  const bins = options.bins ?? 10;
  const epsilon = options.epsilon ?? 1e-4;
  if (!Number.isInteger(bins) || bins < 2) throw new InvalidInputError(`bins must be an integer ≥ 2, got ${bins}`);
  const ref = finiteSorted(reference, 'reference');
  const cur = finiteSorted(current, 'current');
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = ref[Math.min(ref.length - 1, Math.floor((k * ref.length) / bins))]!;
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  const shares = (sorted: Float64Array) => {
    const counts = new Array<number>(edges.length + 1).fill(0);
    let bin = 0;
    for (const v of sorted) {
      while (bin < edges.length && v > edges[bin]!) bin++;
      counts[bin]!++;
    }
    return counts.map((c) => Math.max(c / sorted.length, epsilon));
  };
  const r = shares(ref);
  const c = shares(cur);
  return r.reduce((sum, ri, i) => sum + (c[i]! - ri) * Math.log(c[i]! / ri), 0);
}
