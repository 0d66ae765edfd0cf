import { InvalidInputError } from '@mlops/core';

/** Hyperparameters of the gradient-boosting trainers, with scikit-learn's `HistGradientBoosting*` meanings. */
export type GradientBoostingParams = {
  /** Boosting iterations (default 100); a classifier of k > 2 classes grows k trees an iteration. */
  maxIter: number;
  /** Shrinkage of every leaf value (default 0.1). */
  learningRate: number;
  /** Most leaves a tree grows, best split first (default 31). */
  maxLeafNodes: number;
  /** Deepest a tree grows; `null` (default) for no limit but `maxLeafNodes`. */
  maxDepth: number | null;
  /** Fewest rows a leaf keeps (default 20). */
  minSamplesLeaf: number;
  /** L2 penalty on leaf values (default 0). */
  l2Regularization: number;
  /** Bins per feature, at most 255 (default 255): split candidates are bin edges (quantiles). */
  maxBins: number;
  /** Stop when the validation loss stops improving: `'auto'` (default) when there are more than 10,000 rows. */
  earlyStopping: 'auto' | boolean;
  /** Share of the rows held out (stratified for classifiers) to decide early stopping (default 0.1). */
  validationFraction: number;
  /** Stop when none of the last this many iterations improved the validation loss by more than `tol` (default 10). */
  nIterNoChange: number;
  /** Least improvement that counts (default 1e-7). */
  tol: number;
  /** Seed of the validation split, an integer in [0, 2^32 − 1] (default 42). */
  seed: number;
  /**
   * Split category columns (a dataset's `levels`, e.g. a pipeline's text columns, ≤ 255 levels) by sets of
   * categories, as scikit-learn's `categorical_features` (default true); false splits their codes as numbers.
   */
  categoricalSplits: boolean;
};

/** Defaults, as scikit-learn's `HistGradientBoostingClassifier`/`Regressor` (with `random_state=42`). */
export const DEFAULT_GRADIENT_BOOSTING_PARAMS: GradientBoostingParams = {
  maxIter: 100,
  learningRate: 0.1,
  maxLeafNodes: 31,
  maxDepth: null,
  minSamplesLeaf: 20,
  l2Regularization: 0,
  maxBins: 255,
  earlyStopping: 'auto',
  validationFraction: 0.1,
  nIterNoChange: 10,
  tol: 1e-7,
  seed: 42,
  categoricalSplits: true,
};

/** Effective parameters: defaults overridden, each checked (`InvalidInputError` naming the parameter). */
export function resolveGradientBoostingParams(given: Partial<GradientBoostingParams>): GradientBoostingParams {
  for (const key of Object.keys(given))
    if (!(key in DEFAULT_GRADIENT_BOOSTING_PARAMS))
      throw new InvalidInputError(
        `gradient boosting has no parameter "${key}" (it takes ${Object.keys(DEFAULT_GRADIENT_BOOSTING_PARAMS).join(', ')})`,
      );
  const p = { ...DEFAULT_GRADIENT_BOOSTING_PARAMS, ...given };
  const check = (ok: boolean, name: keyof GradientBoostingParams, expected: string) => {
    if (!ok)
      throw new InvalidInputError(`gradient boosting ${name} must be ${expected}, got ${JSON.stringify(p[name])}`);
  };
  const whole = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;
  check(whole(p.maxIter, 1), 'maxIter', 'a whole number ≥ 1');
  check(
    typeof p.learningRate === 'number' && p.learningRate > 0 && Number.isFinite(p.learningRate),
    'learningRate',
    'a positive number',
  );
  check(whole(p.maxLeafNodes, 2), 'maxLeafNodes', 'a whole number ≥ 2');
  check(p.maxDepth === null || whole(p.maxDepth, 1), 'maxDepth', 'null or a whole number ≥ 1');
  check(whole(p.minSamplesLeaf, 1), 'minSamplesLeaf', 'a whole number ≥ 1');
  check(
    typeof p.l2Regularization === 'number' && p.l2Regularization >= 0 && Number.isFinite(p.l2Regularization),
    'l2Regularization',
    'a number ≥ 0',
  );
  check(whole(p.maxBins, 2) && p.maxBins <= 255, 'maxBins', 'a whole number from 2 to 255');
  check(p.earlyStopping === 'auto' || typeof p.earlyStopping === 'boolean', 'earlyStopping', '"auto", true or false');
  check(
    typeof p.validationFraction === 'number' && p.validationFraction > 0 && p.validationFraction < 1,
    'validationFraction',
    'a number between 0 and 1',
  );
  check(whole(p.nIterNoChange, 1), 'nIterNoChange', 'a whole number ≥ 1');
  check(typeof p.tol === 'number' && p.tol >= 0 && Number.isFinite(p.tol), 'tol', 'a number ≥ 0');
  check(whole(p.seed, 0) && p.seed <= 2 ** 32 - 1, 'seed', 'an integer in [0, 2^32 − 1]');
  check(typeof p.categoricalSplits === 'boolean', 'categoricalSplits', 'true or false');
  return p;
}
