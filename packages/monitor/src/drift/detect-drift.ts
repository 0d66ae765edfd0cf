import { assertFeatureRows, InvalidInputError, type DriftReport, type FeatureDrift, type FeatureRows } from '@mlops/core';
import { chiSquareTest, zTestProportions } from '../stats/categorical';
import { jensenShannonDistance, wassersteinDistance } from '../stats/distances';
import { ksTest } from '../stats/ks-test';

/** Per-column drift method: statistical tests (`ks`, `chisquare`, `z`) or distances (`wasserstein`, `jensenshannon`). */
export type DriftMethod = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon';

/** Options of {@link detectDrift}. */
export interface DetectDriftOptions {
  /** One name per column, in column order. */
  readonly featureNames: readonly string[];
  /** Significance level of the statistical tests (default 0.05). */
  readonly alpha?: number;
  /** Distance from which a distance method calls drift (default 0.1, as Evidently). */
  readonly distanceThreshold?: number;
  /** Share of drifted columns at which the whole dataset counts as drifted (default 0.5). */
  readonly driftShare?: number;
  /** Method per column name, overriding the automatic choice. */
  readonly methods?: Readonly<Record<string, DriftMethod>>;
  /** Multiple-testing correction of the test p-values: Bonferroni or Benjamini–Hochberg (default none). */
  readonly correction?: 'bonferroni' | 'benjamini-hochberg';
}

function column(rows: FeatureRows, j: number): Float64Array {
  const values = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = rows[i]![j]!;
  return values;
}

function assertFraction(value: number, what: string): void {
  if (!(value > 0 && value <= 1)) throw new InvalidInputError(`${what} must be in (0, 1], got ${value}`);
}

/**
 * The automatic choice, as Evidently documents it: with a reference of ≤ 1,000 rows, KS for numeric
 * columns with > 5 distinct values, the Z-test for binary ones, chi-square for the rest; with more rows,
 * the Wasserstein distance normalised by the reference's standard deviation, or Jensen–Shannon.
 */
export function chooseDriftMethod(reference: Float64Array): DriftMethod {
  const distinct = new Set(reference).size;
  if (reference.length <= 1000) return distinct > 5 ? 'ks' : distinct <= 2 ? 'z' : 'chisquare';
  return distinct > 5 ? 'wasserstein' : 'jensenshannon';
}

function categoryCounts(reference: Float64Array, current: Float64Array): [number[], number[]] {
  const categories = [...new Set([...reference, ...current])].sort((a, b) => a - b);
  const index = new Map(categories.map((c, i) => [c, i]));
  const count = (values: Float64Array) => {
    const counts = new Array<number>(categories.length).fill(0);
    for (const v of values) counts[index.get(v)!]!++;
    return counts;
  };
  return [count(reference), count(current)];
}

function measure(method: DriftMethod, ref: Float64Array, cur: Float64Array): { statistic: number; pValue?: number } {
  switch (method) {
    case 'ks': {
      const { statistic, pValue } = ksTest(ref, cur);
      return { statistic, pValue };
    }
    case 'chisquare': {
      const [r, c] = categoryCounts(ref, cur);
      return r.length < 2 ? { statistic: 0, pValue: 1 } : chiSquareTest(r, c);
    }
    case 'z': {
      const [r, c] = categoryCounts(ref, cur);
      if (r.length > 2) throw new InvalidInputError(`the Z-test needs a binary column, found ${r.length} values`);
      return zTestProportions(r[0]!, ref.length, c[0]!, cur.length);
    }
    case 'wasserstein': {
      const mean = ref.reduce((a, b) => a + b, 0) / ref.length;
      const std = Math.sqrt(ref.reduce((a, v) => a + (v - mean) ** 2, 0) / ref.length);
      return { statistic: wassersteinDistance(ref, cur) / Math.max(std, 0.001) };
    }
    case 'jensenshannon': {
      const [r, c] = categoryCounts(ref, cur);
      return { statistic: jensenShannonDistance(r, c) };
    }
  }
}

/** p-values adjusted for testing many columns at once. */
function correct(pValues: number[], correction: DetectDriftOptions['correction']): number[] {
  const m = pValues.length;
  if (!correction || m === 0) return pValues;
  if (correction === 'bonferroni') return pValues.map((p) => Math.min(1, p * m));
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [p, i] = order[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    adjusted[i] = running;
  }
  return adjusted;
}

/**
 * Per-feature drift between a reference sample (e.g. training data) and a current one (e.g. last
 * day's requests), each column with the method {@link chooseDriftMethod} picks (or `methods` names),
 * and the dataset verdict: drift when the share of drifted columns reaches `driftShare`.
 */
export function detectDrift(reference: FeatureRows, current: FeatureRows, options: DetectDriftOptions): DriftReport {
  const alpha = options.alpha ?? 0.05;
  const distanceThreshold = options.distanceThreshold ?? 0.1;
  const driftShare = options.driftShare ?? 0.5;
  assertFraction(alpha, 'alpha');
  assertFraction(driftShare, 'driftShare');
  if (!(distanceThreshold > 0)) throw new InvalidInputError(`distanceThreshold must be > 0, got ${distanceThreshold}`);
  const columns = options.featureNames.length;
  const shape = { columns, featureNames: options.featureNames };
  assertFeatureRows(reference, { ...shape, what: 'reference' });
  assertFeatureRows(current, { ...shape, what: 'current' });
  for (const name of Object.keys(options.methods ?? {})) {
    if (!options.featureNames.includes(name)) throw new InvalidInputError(`methods names "${name}", which is not a feature`, { columnName: name });
  }
  const measured = options.featureNames.map((feature, j) => {
    const ref = column(reference, j);
    const method = options.methods?.[feature] ?? chooseDriftMethod(ref);
    return { feature, method, ...measure(method, ref, column(current, j)) };
  });
  const tested = measured.filter((m) => m.pValue !== undefined);
  const adjusted = correct(tested.map((m) => m.pValue!), options.correction);
  const features: FeatureDrift[] = measured.map((m) => {
    if (m.pValue === undefined) {
      return { feature: m.feature, test: m.method, statistic: m.statistic, threshold: distanceThreshold, drifted: m.statistic >= distanceThreshold };
    }
    const pValue = adjusted[tested.indexOf(m)]!;
    return { feature: m.feature, test: m.method, statistic: m.statistic, pValue, threshold: alpha, drifted: pValue < alpha };
  });
  const driftedCount = features.filter((f) => f.drifted).length;
  const driftedShare = driftedCount / columns;
  return {
    features,
    driftedCount,
    driftedShare,
    datasetDrift: driftedShare >= driftShare,
    referenceRows: reference.length,
    currentRows: current.length,
  };
}
