import { InvalidInputError } from '@mlops/core';
import type { MaxFeatures } from '../params/max-features';

/** Hyperparameters of {@link randomForestClassifier}, with scikit-learn's `RandomForestClassifier` meanings. */
export type RandomForestParams = {
  /** Number of trees (default 100). */
  nEstimators: number;
  /** Features considered at every split: 'sqrt' (default), 'log2', 'all', a count, or a fraction. */
  maxFeatures: MaxFeatures;
  /** Deepest a tree may grow; `null` (default) for no limit. */
  maxDepth: number | null;
  /** Fewest rows a node needs to be split (default 2). */
  minSamplesSplit: number;
  /** Fewest rows each child must keep (default 1). */
  minSamplesLeaf: number;
  /** Grow each tree on a bootstrap sample drawn with replacement (default true). */
  bootstrap: boolean;
  /** Split quality: 'gini' (default) or 'entropy'. */
  criterion: 'gini' | 'entropy';
  /** Seed of every random choice, an integer in [0, 2^32 − 1] (default 42). */
  seed: number;
  /** `'hist'` (default): ≤ 255 quantile bins per feature, fast; `'exact'`: every distinct value, scikit-learn's thresholds. */
  splitter: 'hist' | 'exact';
  /** Bootstrap draws per tree: a count, a fraction of the rows, or `null` (default) for all rows. */
  maxSamples: number | null;
  /** `'balanced'` weighs classes by n / (classes × count); `null` (default) weighs rows equally. */
  classWeight: 'balanced' | null;
  /** Compute the out-of-bag score (default false), exposed as the model's `oobScore`. */
  oobScore: boolean;
};

/** Defaults, as scikit-learn's `RandomForestClassifier` (with `random_state=42`). */
export const DEFAULT_RANDOM_FOREST_PARAMS: RandomForestParams = {
  nEstimators: 100,
  maxFeatures: 'sqrt',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  bootstrap: true,
  criterion: 'gini',
  seed: 42,
  splitter: 'hist',
  maxSamples: null,
  classWeight: null,
  oobScore: false,
};

/** Hyperparameters of {@link randomForestRegressor}: the classifier's, without `criterion` (squared error). */
export type RandomForestRegressorParams = Omit<RandomForestParams, 'criterion' | 'classWeight'>;

/** Regressor defaults, as scikit-learn's `RandomForestRegressor`: every feature at each split (`maxFeatures: 'all'`). */
export const DEFAULT_RANDOM_FOREST_REGRESSOR_PARAMS: RandomForestRegressorParams = {
  nEstimators: 100,
  maxFeatures: 'all',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  bootstrap: true,
  seed: 42,
  splitter: 'hist',
  maxSamples: null,
  oobScore: false,
};

/** Merges params over the defaults and checks each; errors name the parameter and value. */
export function resolveRandomForestParams(params: Partial<RandomForestParams>): RandomForestParams {
  return resolveParams(params, DEFAULT_RANDOM_FOREST_PARAMS);
}

/** Regressor params over their defaults, checked. */
export function resolveRandomForestRegressorParams(
  params: Partial<RandomForestRegressorParams>,
): RandomForestRegressorParams {
  const {
    criterion: _,
    classWeight: __,
    ...rest
  } = resolveParams(params, {
    ...DEFAULT_RANDOM_FOREST_REGRESSOR_PARAMS,
    criterion: 'gini',
    classWeight: null,
  });
  return rest;
}

function resolveParams(params: Partial<RandomForestParams>, defaults: RandomForestParams): RandomForestParams {
  const p = { ...defaults, ...params };
  const check = (ok: boolean, name: string, value: unknown, expected: string) => {
    if (!ok) throw new InvalidInputError(`${name} is ${JSON.stringify(value)}: expected ${expected}`);
  };
  const int = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;
  check(int(p.nEstimators, 1), 'nEstimators', p.nEstimators, 'an integer ≥ 1');
  check(p.maxDepth === null || int(p.maxDepth, 1), 'maxDepth', p.maxDepth, 'an integer ≥ 1 or null');
  check(int(p.minSamplesSplit, 2), 'minSamplesSplit', p.minSamplesSplit, 'an integer ≥ 2');
  check(int(p.minSamplesLeaf, 1), 'minSamplesLeaf', p.minSamplesLeaf, 'an integer ≥ 1');
  check(typeof p.bootstrap === 'boolean', 'bootstrap', p.bootstrap, 'a boolean');
  check(p.criterion === 'gini' || p.criterion === 'entropy', 'criterion', p.criterion, "'gini' or 'entropy'");
  check(int(p.seed, 0) && p.seed <= 0xffffffff, 'seed', p.seed, 'an integer in [0, 4294967295]');
  check(p.splitter === 'hist' || p.splitter === 'exact', 'splitter', p.splitter, "'hist' or 'exact'");
  check(
    p.maxSamples === null || (typeof p.maxSamples === 'number' && p.maxSamples > 0),
    'maxSamples',
    p.maxSamples,
    'a count, a fraction in (0, 1), or null',
  );
  check(p.classWeight === null || p.classWeight === 'balanced', 'classWeight', p.classWeight, "'balanced' or null");
  check(typeof p.oobScore === 'boolean', 'oobScore', p.oobScore, 'a boolean');
  check(!p.oobScore || p.bootstrap, 'oobScore', p.oobScore, 'bootstrap: true to have out-of-bag rows');
  return p;
}
