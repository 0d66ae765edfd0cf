import { accuracyScore } from '@mlops/core';
import { classificationReport, meanAbsoluteError, r2Score, rootMeanSquaredError } from '@mlops/train';

/** Held-out scores: accuracy and macro F1 for classifiers, R², MAE and RMSE for regressors. */
export function scoreOf(
  classNames: readonly string[] | undefined,
  actual: readonly number[],
  predicted: readonly number[],
): Record<string, number> {
  if (classNames)
    return {
      accuracy: accuracyScore(actual, predicted),
      f1: classificationReport(actual, predicted, classNames).macro.f1,
    };
  return {
    r2: r2Score(actual, predicted),
    mae: meanAbsoluteError(actual, predicted),
    rmse: rootMeanSquaredError(actual, predicted),
  };
}

const LABELS: Record<string, string> = { accuracy: 'accuracy', f1: 'macro F1', r2: 'R²', mae: 'MAE', rmse: 'RMSE' };

/** `accuracy 0.9667, macro F1 0.9665`, for the text output. */
export function describeScores(metrics: Readonly<Record<string, number>>): string {
  return Object.entries(metrics)
    .map(([metric, value]) => `${LABELS[metric] ?? metric} ${value.toFixed(4)}`)
    .join(', ');
}
