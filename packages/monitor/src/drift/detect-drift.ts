import { InvalidInputError, type DriftReport, type FeatureDrift } from '@mlops/core';
import { DatasetSketch } from '../sketch/dataset-sketch';
import type { FeatureSketch } from '../sketch/feature-sketch';
import { sketchKsStatistic, sketchWassersteinDistance } from '../sketch/sketch-stats';
import { chiSquareTest, zTestProportions } from '../stats/categorical';
import { jensenShannonDistance, wassersteinDistance } from '../stats/distances';
import { kolmogorovNSurvival } from '../stats/kolmogorov';
import { ksTest } from '../stats/ks-test';
import { columnsOf, type TabularInput } from './columns';

/** What `detectDrift` compares: rows, columns keyed by feature name (typed arrays welcome), or a sketch. */
export type DriftInput = TabularInput | DatasetSketch;

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

function assertFraction(value: number, what: string): void {
  if (!(value > 0 && value <= 1)) throw new InvalidInputError(`${what} must be in (0, 1], got ${value}`);
}

/**
 * The automatic choice, as Evidently documents it: with a reference of ≤ 1,000 rows, KS for numeric
 * columns with > 5 distinct values, the Z-test for binary ones, chi-square for the rest; with more rows,
 * the Wasserstein distance normalised by the reference's standard deviation, or Jensen–Shannon.
 */
export function chooseDriftMethod(reference: ArrayLike<number>): DriftMethod {
  const seen = new Set<number>();
  for (let i = 0; i < reference.length && seen.size <= 5; i++) seen.add(reference[i]!);
  return methodFor(reference.length, seen.size);
}

function methodFor(rows: number, distinct: number): DriftMethod {
  if (rows <= 1000) return distinct > 5 ? 'ks' : distinct <= 2 ? 'z' : 'chisquare';
  return distinct > 5 ? 'wasserstein' : 'jensenshannon';
}

type Counts = ReadonlyMap<number, number>;

function countValues(values: ArrayLike<number>): Counts {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i]!, (counts.get(values[i]!) ?? 0) + 1);
  return counts;
}

/** Counts of both samples over their union of values, in ascending value order. */
function alignCounts(reference: Counts, current: Counts): [number[], number[]] {
  const categories = [...new Set([...reference.keys(), ...current.keys()])].sort((a, b) => a - b);
  return [categories.map((c) => reference.get(c) ?? 0), categories.map((c) => current.get(c) ?? 0)];
}

/** One column of each side: exact values, or a sketch. */
type Side = { readonly values: ArrayLike<number> } | { readonly sketch: FeatureSketch };

function rowsOf(side: Side): number {
  return 'values' in side ? side.values.length : side.sketch.count;
}

function countsOf(side: Side, method: DriftMethod, feature: string): Counts {
  if ('values' in side) return countValues(side.values);
  const counts = side.sketch.valueCounts;
  if (!counts) {
    throw new InvalidInputError(
      `${method} needs the value counts of "${feature}"; a sketch keeps them only for columns with at most 6 distinct values`,
      { columnName: feature },
    );
  }
  return counts;
}

function choose(side: Side): DriftMethod {
  if ('values' in side) return chooseDriftMethod(side.values);
  return methodFor(side.sketch.count, side.sketch.valueCounts?.size ?? Infinity);
}

function referenceStd(side: Side): number {
  if ('sketch' in side) return Math.sqrt(side.sketch.variance);
  const values = side.values;
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]!;
  mean /= values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

function measure(method: DriftMethod, ref: Side, cur: Side, feature: string): { statistic: number; pValue?: number } {
  switch (method) {
    case 'ks': {
      if ('values' in ref && 'values' in cur) {
        const { statistic, pValue } = ksTest(ref.values, cur.values);
        return { statistic, pValue };
      }
      const [a, b] = [(ref as { sketch: FeatureSketch }).sketch, (cur as { sketch: FeatureSketch }).sketch];
      const statistic = sketchKsStatistic(a, b);
      const [m, n] = a.count >= b.count ? [a.count, b.count] : [b.count, a.count];
      return {
        statistic,
        pValue: Math.min(1, Math.max(0, kolmogorovNSurvival(Math.round((m * n) / (m + n)), statistic))),
      };
    }
    case 'chisquare': {
      const [r, c] = alignCounts(countsOf(ref, method, feature), countsOf(cur, method, feature));
      return r.length < 2 ? { statistic: 0, pValue: 1 } : chiSquareTest(r, c);
    }
    case 'z': {
      const [r, c] = alignCounts(countsOf(ref, method, feature), countsOf(cur, method, feature));
      if (r.length > 2)
        throw new InvalidInputError(`the Z-test needs a binary column, "${feature}" has ${r.length} values`, {
          columnName: feature,
        });
      return zTestProportions(r[0]!, rowsOf(ref), c[0]!, rowsOf(cur));
    }
    case 'wasserstein': {
      const distance =
        'values' in ref && 'values' in cur
          ? wassersteinDistance(ref.values, cur.values)
          : sketchWassersteinDistance(
              (ref as { sketch: FeatureSketch }).sketch,
              (cur as { sketch: FeatureSketch }).sketch,
            );
      return { statistic: distance / Math.max(referenceStd(ref), 0.001) };
    }
    case 'jensenshannon': {
      const [r, c] = alignCounts(countsOf(ref, method, feature), countsOf(cur, method, feature));
      return { statistic: jensenShannonDistance(r, c) };
    }
  }
}

/** Both inputs as per-feature sides: exact columns, or sketches when either input is a sketch. */
function sidesOf(
  reference: DriftInput,
  current: DriftInput,
  featureNames: readonly string[],
): { ref: Side[]; cur: Side[]; mode: 'exact' | 'sketch' } {
  if (!(reference instanceof DatasetSketch) && !(current instanceof DatasetSketch)) {
    const ref = columnsOf(reference, featureNames, 'reference').map((values) => ({ values }));
    const cur = columnsOf(current, featureNames, 'current').map((values) => ({ values }));
    return { ref, cur, mode: 'exact' };
  }
  const template = (reference instanceof DatasetSketch ? reference : current) as DatasetSketch;
  const options = {
    relativeAccuracy: template.features[0]!.relativeAccuracy,
    maxBuckets: template.features[0]!.maxBuckets,
  };
  const asSketch = (input: DriftInput, what: string): DatasetSketch => {
    if (!(input instanceof DatasetSketch)) return new DatasetSketch(featureNames, options).add(input);
    if (JSON.stringify(input.featureNames) !== JSON.stringify(featureNames)) {
      throw new InvalidInputError(
        `the ${what} sketch has features [${input.featureNames}], expected [${featureNames}]`,
      );
    }
    if (input.rows === 0) throw new InvalidInputError(`the ${what} sketch is empty`);
    return input;
  };
  const ref = asSketch(reference, 'reference').features.map((sketch) => ({ sketch }));
  const cur = asSketch(current, 'current').features.map((sketch) => ({ sketch }));
  return { ref, cur, mode: 'sketch' };
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
 * Each side may be rows, columns keyed by feature name, or a `DatasetSketch`; with a sketch on either
 * side the comparison runs on sketches (`mode: 'sketch'`, KS p-values asymptotic; see `FeatureSketch`
 * for the error bound).
 */
export function detectDrift(reference: DriftInput, current: DriftInput, options: DetectDriftOptions): DriftReport {
  const alpha = options.alpha ?? 0.05;
  const distanceThreshold = options.distanceThreshold ?? 0.1;
  const driftShare = options.driftShare ?? 0.5;
  assertFraction(alpha, 'alpha');
  assertFraction(driftShare, 'driftShare');
  if (!(distanceThreshold > 0)) throw new InvalidInputError(`distanceThreshold must be > 0, got ${distanceThreshold}`);
  const columns = options.featureNames.length;
  if (columns === 0) throw new InvalidInputError('featureNames is empty');
  for (const name of Object.keys(options.methods ?? {})) {
    if (!options.featureNames.includes(name))
      throw new InvalidInputError(`methods names "${name}", which is not a feature`, { columnName: name });
  }
  const { ref, cur, mode } = sidesOf(reference, current, options.featureNames);
  const measured = options.featureNames.map((feature, j) => {
    const method = options.methods?.[feature] ?? choose(ref[j]!);
    return { feature, method, ...measure(method, ref[j]!, cur[j]!, feature) };
  });
  const tested = measured.filter((m) => m.pValue !== undefined);
  const adjusted = correct(
    tested.map((m) => m.pValue!),
    options.correction,
  );
  const features: FeatureDrift[] = measured.map((m) => {
    if (m.pValue === undefined) {
      return {
        feature: m.feature,
        test: m.method,
        statistic: m.statistic,
        threshold: distanceThreshold,
        drifted: m.statistic >= distanceThreshold,
      };
    }
    const pValue = adjusted[tested.indexOf(m)]!;
    return {
      feature: m.feature,
      test: m.method,
      statistic: m.statistic,
      pValue,
      threshold: alpha,
      drifted: pValue < alpha,
    };
  });
  const driftedCount = features.filter((f) => f.drifted).length;
  const driftedShare = driftedCount / columns;
  return {
    features,
    driftedCount,
    driftedShare,
    datasetDrift: driftedShare >= driftShare,
    referenceRows: rowsOf(ref[0]!),
    currentRows: rowsOf(cur[0]!),
    mode,
  };
}
