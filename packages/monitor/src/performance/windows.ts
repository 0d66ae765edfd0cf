import { accuracyScore, InvalidInputError } from '@mlops/core';
import type { PredictionRecord } from '../log/prediction-log';

/** A window: the last/each `count` labelled predictions, or those within `ms` milliseconds. */
export type WindowSpec = { readonly count: number } | { readonly ms: number };

/** Accuracy and F1 of one model version over one window of labelled predictions. */
export interface WindowMetrics {
  readonly model: string;
  readonly version: number;
  /** Labelled predictions in the window. */
  readonly rows: number;
  readonly accuracy: number;
  /** Macro-averaged F1 over the classes seen in labels or predictions (scikit-learn's `f1_score(average='macro')`). */
  readonly f1: number;
  /** Time of the first and last prediction in the window, ISO 8601. */
  readonly from: string;
  readonly to: string;
}

/** Macro F1: the mean over classes (seen as label or prediction) of 2·TP / (2·TP + FP + FN); 0 for a class never right. */
export function macroF1(actual: readonly number[], predicted: readonly number[]): number {
  if (actual.length !== predicted.length || actual.length === 0) {
    throw new InvalidInputError(
      `macroF1 needs two equally long, non-empty lists, got ${actual.length} and ${predicted.length}`,
    );
  }
  const classes = [...new Set([...actual, ...predicted])];
  let total = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < actual.length; i++) {
      if (predicted[i] === c && actual[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (actual[i] === c) fn++;
    }
    total += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return total / classes.length;
}

function checkSpec(window: WindowSpec): void {
  if ('count' in window) {
    if (!Number.isInteger(window.count) || window.count < 1)
      throw new InvalidInputError(`window count must be an integer ≥ 1, got ${window.count}`);
  } else if (!(typeof window.ms === 'number' && window.ms > 0)) {
    throw new InvalidInputError(`window ms must be > 0, got ${String((window as { ms?: unknown }).ms)}`);
  }
}

function metrics(model: string, version: number, records: readonly PredictionRecord[]): WindowMetrics {
  const actual = records.map((r) => r.label!);
  const predicted = records.map((r) => r.prediction);
  return {
    model,
    version,
    rows: records.length,
    accuracy: accuracyScore(actual, predicted),
    f1: macroF1(actual, predicted),
    from: records[0]!.time,
    to: records[records.length - 1]!.time,
  };
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

/**
 * The current rolling window per model version: its last `count` labelled predictions, or those made in
 * the `ms` milliseconds before `now`. Versions without labelled predictions in the window are left out.
 */
export function rollingMetrics(
  records: readonly PredictionRecord[],
  window: WindowSpec,
  now: Date = new Date(),
): WindowMetrics[] {
  checkSpec(window);
  return byVersion(records).flatMap(([model, version, list]) => {
    const inWindow =
      'count' in window
        ? list.slice(-window.count)
        : list.filter((r) => Date.parse(r.time) > now.getTime() - window.ms && Date.parse(r.time) <= now.getTime());
    return inWindow.length > 0 ? [metrics(model, version, inWindow)] : [];
  });
}

/**
 * Consecutive windows per model version, oldest first: chunks of `count` labelled predictions (the last
 * may be shorter), or periods of `ms` milliseconds aligned to the Unix epoch (e.g. UTC days for 86,400,000).
 */
export function windowedMetrics(records: readonly PredictionRecord[], window: WindowSpec): WindowMetrics[] {
  checkSpec(window);
  return byVersion(records).flatMap(([model, version, list]) => {
    const chunks = new Map<number, PredictionRecord[]>();
    list.forEach((record, i) => {
      const key = 'count' in window ? Math.floor(i / window.count) : Math.floor(Date.parse(record.time) / window.ms);
      const chunk = chunks.get(key);
      if (chunk) chunk.push(record);
      else chunks.set(key, [record]);
    });
    return [...chunks.values()].map((chunk) => metrics(model, version, chunk));
  });
}
