import { assertFeatureRows, InvalidInputError, type DriftReport, type FeatureDrift, type FeatureRows } from '@mlops/core';
import { ksTest } from '../stats/ks-test';

/** Options of {@link detectDrift}. */
export interface DetectDriftOptions {
  /** One name per column, in column order. */
  readonly featureNames: readonly string[];
  /** Significance level: a column drifts when its p-value is below it (default 0.05). */
  readonly alpha?: number;
  /** Share of drifted columns at which the whole dataset counts as drifted (default 0.5). */
  readonly driftShare?: number;
}

function column(rows: FeatureRows, j: number): Float64Array {
  const values = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = rows[i]![j]!;
  return values;
}

function assertFraction(value: number, what: string, openLow: boolean): void {
  const ok = (openLow ? value > 0 : value >= 0) && value <= 1;
  if (!ok) throw new InvalidInputError(`${what} must be in ${openLow ? '(0' : '[0'}, 1], got ${value}`);
}

/**
 * Per-feature drift between a reference sample (e.g. training data) and a current one (e.g. last
 * day's requests), with the two-sample Kolmogorov–Smirnov test, and the dataset verdict.
 */
export function detectDrift(reference: FeatureRows, current: FeatureRows, options: DetectDriftOptions): DriftReport {
  const alpha = options.alpha ?? 0.05;
  const driftShare = options.driftShare ?? 0.5;
  assertFraction(alpha, 'alpha', true);
  assertFraction(driftShare, 'driftShare', true);
  const columns = options.featureNames.length;
  const shape = { columns, featureNames: options.featureNames };
  assertFeatureRows(reference, { ...shape, what: 'reference' });
  assertFeatureRows(current, { ...shape, what: 'current' });
  const features: FeatureDrift[] = options.featureNames.map((feature, j) => {
    const { statistic, pValue } = ksTest(column(reference, j), column(current, j));
    return { feature, test: 'ks', statistic, pValue, threshold: alpha, drifted: pValue < alpha };
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
