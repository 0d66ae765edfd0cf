import { InvalidInputError } from '@mlops/core';

function check(actual: readonly number[], predicted: readonly number[]): void {
  if (actual.length !== predicted.length) {
    throw new InvalidInputError(`metrics need equal lengths: ${actual.length} actual vs ${predicted.length} predicted`);
  }
  if (actual.length === 0) throw new InvalidInputError('metrics of zero rows are undefined');
  for (const [which, values] of [actual, predicted].entries()) {
    values.forEach((v, i) => {
      if (!Number.isFinite(v))
        throw new InvalidInputError(
          `${which ? 'predicted' : 'actual'} value at row ${i} is ${v}: expected a finite number`,
          { row: i },
        );
    });
  }
}

/** Coefficient of determination (scikit-learn's `r2_score`); 1 for a perfect fit, 0 for a constant actual predicted exactly. */
export function r2Score(actual: readonly number[], predicted: readonly number[]): number {
  check(actual, predicted);
  const mean = actual.reduce((s, v) => s + v, 0) / actual.length;
  let residual = 0;
  let totalSq = 0;
  actual.forEach((a, i) => {
    residual += (a - predicted[i]!) ** 2;
    totalSq += (a - mean) ** 2;
  });
  if (totalSq === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / totalSq;
}

/** Mean absolute error. */
export function meanAbsoluteError(actual: readonly number[], predicted: readonly number[]): number {
  check(actual, predicted);
  return actual.reduce((s, a, i) => s + Math.abs(a - predicted[i]!), 0) / actual.length;
}

/** Root mean squared error. */
export function rootMeanSquaredError(actual: readonly number[], predicted: readonly number[]): number {
  check(actual, predicted);
  return Math.sqrt(actual.reduce((s, a, i) => s + (a - predicted[i]!) ** 2, 0) / actual.length);
}
