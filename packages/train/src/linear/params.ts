import { InvalidInputError } from '@mlops/core';

/** Hyperparameters of {@link logisticRegression}, with scikit-learn's `LogisticRegression` meanings. */
export type LogisticRegressionParams = {
  /** Inverse L2 regularisation strength (default 1): smaller is stronger. */
  C: number;
  /** Most L-BFGS iterations (default 100). */
  maxIter: number;
  /** Stop when the largest gradient component of the mean loss is at most this (default 1e-4; scipy's `gtol`). */
  tol: number;
  /** Fit an unpenalised intercept per class (default true). */
  fitIntercept: boolean;
  /**
   * Scale every feature to mean 0 and standard deviation 1 inside the model before fitting and predicting
   * (default true): scikit-learn's `make_pipeline(StandardScaler(), LogisticRegression())`. Coefficients are then
   * per standard deviation of their feature.
   */
  standardize: boolean;
};

/** Defaults, as scikit-learn's `LogisticRegression()` (after a `StandardScaler`). */
export const DEFAULT_LOGISTIC_REGRESSION_PARAMS: LogisticRegressionParams = {
  C: 1,
  maxIter: 100,
  tol: 1e-4,
  fitIntercept: true,
  standardize: true,
};

/** Effective parameters: defaults overridden, each checked (`InvalidInputError` naming the parameter). */
export function resolveLogisticRegressionParams(given: Partial<LogisticRegressionParams>): LogisticRegressionParams {
  const params = { ...DEFAULT_LOGISTIC_REGRESSION_PARAMS, ...given };
  const fail = (name: string, expected: string) =>
    new InvalidInputError(
      `logistic regression ${name} must be ${expected}, got ${JSON.stringify(params[name as keyof LogisticRegressionParams])}`,
    );
  if (!(typeof params.C === 'number' && params.C > 0 && Number.isFinite(params.C)))
    throw fail('C', 'a positive number');
  if (!(Number.isInteger(params.maxIter) && params.maxIter >= 1)) throw fail('maxIter', 'a whole number ≥ 1');
  if (!(typeof params.tol === 'number' && params.tol >= 0 && Number.isFinite(params.tol)))
    throw fail('tol', 'a number ≥ 0');
  if (typeof params.fitIntercept !== 'boolean') throw fail('fitIntercept', 'true or false');
  if (typeof params.standardize !== 'boolean') throw fail('standardize', 'true or false');
  for (const key of Object.keys(given))
    if (!(key in DEFAULT_LOGISTIC_REGRESSION_PARAMS))
      throw new InvalidInputError(
        `logistic regression has no parameter "${key}" (it takes ${Object.keys(DEFAULT_LOGISTIC_REGRESSION_PARAMS).join(', ')})`,
      );
  return params;
}
