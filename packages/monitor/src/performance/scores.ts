import { InvalidInputError } from '@mlops/core';

function checkPairs(what: string, actual: readonly number[], predicted: readonly number[]): void {
  if (actual.length !== predicted.length || actual.length === 0) {
    throw new InvalidInputError(
      `${what} needs two equally long, non-empty lists, got ${actual.length} and ${predicted.length}`,
    );
  }
}

/** Macro F1: the mean over classes (seen as label or prediction) of 2·TP / (2·TP + FP + FN); 0 for a class never right. */
export function macroF1(actual: readonly number[], predicted: readonly number[]): number {
  checkPairs('macroF1', actual, predicted);
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

/**
 * The `classes` × `classes` confusion matrix: `matrix[a][p]` counts rows of true class `a` predicted as `p`
 * (scikit-learn's `confusion_matrix` with `labels=range(classes)`). Every value must be a class index.
 */
export function confusionMatrix(actual: readonly number[], predicted: readonly number[], classes: number): number[][] {
  checkPairs('confusionMatrix', actual, predicted);
  if (!Number.isInteger(classes) || classes < 1)
    throw new InvalidInputError(`classes must be an integer ≥ 1, got ${classes}`);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const isClass = (v: number) => Number.isInteger(v) && v >= 0 && v < classes;
  for (let i = 0; i < actual.length; i++) {
    const [a, p] = [actual[i]!, predicted[i]!];
    if (!isClass(a) || !isClass(p)) {
      throw new InvalidInputError(
        `row ${i} has label ${a} and prediction ${p}: expected class indices 0 to ${classes - 1}`,
        { row: i },
      );
    }
    matrix[a]![p]!++;
  }
  return matrix;
}

/** Errors of a regressor on one set of labelled predictions. */
export interface RegressionScores {
  /** Mean absolute error. */
  readonly mae: number;
  /** Root mean squared error. */
  readonly rmse: number;
  /**
   * Coefficient of determination 1 − SS_res / SS_tot; when the labels are all equal (SS_tot = 0) it is 1 for
   * perfect predictions and 0 otherwise (scikit-learn's `r2_score`, `force_finite=True`).
   */
  readonly r2: number;
}

/** MAE, RMSE and R² of predictions against labels (scikit-learn's `mean_absolute_error`, `root_mean_squared_error`, `r2_score`). */
export function regressionScores(actual: readonly number[], predicted: readonly number[]): RegressionScores {
  checkPairs('regressionScores', actual, predicted);
  const n = actual.length;
  const mean = actual.reduce((s, v) => s + v, 0) / n;
  let absolute = 0;
  let squared = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const error = actual[i]! - predicted[i]!;
    absolute += Math.abs(error);
    squared += error * error;
    total += (actual[i]! - mean) ** 2;
  }
  const r2 = total === 0 ? (squared === 0 ? 1 : 0) : 1 - squared / total;
  return { mae: absolute / n, rmse: Math.sqrt(squared / n), r2 };
}
