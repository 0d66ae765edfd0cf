import { accuracyScore, InvalidInputError } from '@mlops/core';
import type { PredictionRecord } from '../log/prediction-log';
import { macroF1, regressionScores, type RegressionScores } from './scores';

/** A window: the last/each `count` labelled predictions, or those within `ms` milliseconds. */
export type WindowSpec = { readonly count: number } | { readonly ms: number };

/** What every window reports: which model version, how many labelled predictions, and when. */
export interface PerformanceWindow {
  /** Model name. */
  readonly model: string;
  /** Model version. */
  readonly version: number;
  /** Labelled predictions in the window. */
  readonly rows: number;
  /** Time of the first prediction in the window, ISO 8601. */
  readonly from: string;
  /** Time of the last prediction in the window, ISO 8601. */
  readonly to: string;
}

/** Accuracy and F1 of one model version over one window of labelled predictions. */
export interface WindowMetrics extends PerformanceWindow {
  /** Share of predictions equal to their label. */
  readonly accuracy: number;
  /** Macro-averaged F1 over the classes seen in labels or predictions (scikit-learn's `f1_score(average='macro')`). */
  readonly f1: number;
}

/** MAE, RMSE and R² of one regressor version over one window of labelled predictions. */
export interface RegressionWindowMetrics extends PerformanceWindow, RegressionScores {}

function checkSpec(window: WindowSpec): void {
  if ('count' in window) {
    if (!Number.isInteger(window.count) || window.count < 1)
      throw new InvalidInputError(`window count must be an integer ≥ 1, got ${window.count}`);
  } else if (!(typeof window.ms === 'number' && window.ms > 0)) {
    throw new InvalidInputError(`window ms must be > 0, got ${String((window as { ms?: unknown }).ms)}`);
  }
}

function windowOf(model: string, version: number, records: readonly PredictionRecord[]): PerformanceWindow {
  return { model, version, rows: records.length, from: records[0]!.time, to: records[records.length - 1]!.time };
}

function classification(model: string, version: number, records: readonly PredictionRecord[]): WindowMetrics {
  const actual = records.map((r) => r.label!);
  const predicted = records.map((r) => r.prediction);
  return {
    ...windowOf(model, version, records),
    accuracy: accuracyScore(actual, predicted),
    f1: macroF1(actual, predicted),
  };
}

function regression(model: string, version: number, records: readonly PredictionRecord[]): RegressionWindowMetrics {
  const scores = regressionScores(
    records.map((r) => r.label!),
    records.map((r) => r.prediction),
  );
  return { ...windowOf(model, version, records), ...scores };
}

/** Labelled records grouped by model version (in order of first appearance), each oldest first. */
function byVersion(records: readonly PredictionRecord[]): [string, number, PredictionRecord[]][] {
  const groups = new Map<string, [string, number, PredictionRecord[]]>();
  const sorted = records.filter((r) => r.label !== undefined).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  for (const record of sorted) {
    const key = `${record.model}\u0000${record.version}`;
    const group = groups.get(key) ?? [record.model, record.version, []];
    group[2].push(record);
    groups.set(key, group);
  }
  return [...groups.values()];
}

type Score<T> = (model: string, version: number, records: readonly PredictionRecord[]) => T;

function rolling<T>(records: readonly PredictionRecord[], window: WindowSpec, now: Date, score: Score<T>): T[] {
  checkSpec(window);
  return byVersion(records).flatMap(([model, version, list]) => {
    const inWindow =
      'count' in window
        ? list.slice(-window.count)
        : list.filter((r) => Date.parse(r.time) > now.getTime() - window.ms && Date.parse(r.time) <= now.getTime());
    return inWindow.length > 0 ? [score(model, version, inWindow)] : [];
  });
}

function consecutive<T>(records: readonly PredictionRecord[], window: WindowSpec, score: Score<T>): T[] {
  checkSpec(window);
  return byVersion(records).flatMap(([model, version, list]) => {
    const chunks = new Map<number, PredictionRecord[]>();
    list.forEach((record, i) => {
      const key = 'count' in window ? Math.floor(i / window.count) : Math.floor(Date.parse(record.time) / window.ms);
      const chunk = chunks.get(key);
      if (chunk) chunk.push(record);
      else chunks.set(key, [record]);
    });
    return [...chunks.values()].map((chunk) => score(model, version, chunk));
  });
}

/**
 * The current rolling window per model version: its last `count` labelled predictions, or those made in
 * the `ms` milliseconds before `now`. Versions without labelled predictions in the window are left out.
 */
export function rollingMetrics(
  records: readonly PredictionRecord[],
  window: WindowSpec,
  now: Date = new Date(),
): WindowMetrics[] {
  return rolling(records, window, now, classification);
}

/**
 * Consecutive windows per model version, oldest first: chunks of `count` labelled predictions (the last
 * may be shorter), or periods of `ms` milliseconds aligned to the Unix epoch (e.g. UTC days for 86,400,000).
 */
export function windowedMetrics(records: readonly PredictionRecord[], window: WindowSpec): WindowMetrics[] {
  return consecutive(records, window, classification);
}

/** {@link rollingMetrics} for a regressor: MAE, RMSE and R² of the current window per model version. */
export function rollingRegressionMetrics(
  records: readonly PredictionRecord[],
  window: WindowSpec,
  now: Date = new Date(),
): RegressionWindowMetrics[] {
  return rolling(records, window, now, regression);
}

/** {@link windowedMetrics} for a regressor: MAE, RMSE and R² of consecutive windows per model version. */
export function windowedRegressionMetrics(
  records: readonly PredictionRecord[],
  window: WindowSpec,
): RegressionWindowMetrics[] {
  return consecutive(records, window, regression);
}
