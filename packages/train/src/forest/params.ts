import { InvalidInputError } from '@mlops/core';

/** How many features a tree may use: scikit-learn's names, a count, or a fraction in (0, 1]. */
export type MaxFeatures = number | 'sqrt' | 'log2' | 'all';

/** Hyperparameters of {@link randomForestTrainer}, with scikit-learn's meanings where they exist. */
export type RandomForestParams = {
  /** Number of trees (default 100). */
  nEstimators: number;
  /** Features per tree: 'sqrt' (default), 'log2', 'all', a count, or a fraction of the columns. */
  maxFeatures: MaxFeatures;
  /** Train each tree on a bootstrap sample drawn with replacement (default true). */
  bootstrap: boolean;
  /** Seed of every random choice, an integer in [0, 2^31 − 1] (default 42). */
  seed: number;
  /** Deepest a tree may grow; `null` (default) for no limit. */
  maxDepth: number | null;
};

/** Defaults: 100 bootstrapped trees, sqrt(features) each, seed 42, unlimited depth. */
export const DEFAULT_RANDOM_FOREST_PARAMS: RandomForestParams = {
  nEstimators: 100,
  maxFeatures: 'sqrt',
  bootstrap: true,
  seed: 42,
  maxDepth: null,
};

/** Merges and checks params; errors name the parameter and the value. */
export function resolveParams(params: Partial<RandomForestParams>): RandomForestParams {
  const p = { ...DEFAULT_RANDOM_FOREST_PARAMS, ...params };
  const fail = (name: string, value: unknown, expected: string) => {
    throw new InvalidInputError(`${name} is ${JSON.stringify(value)}: expected ${expected}`);
  };
  if (!Number.isInteger(p.nEstimators) || p.nEstimators < 1) fail('nEstimators', p.nEstimators, 'an integer ≥ 1');
  if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed > 2147483647) fail('seed', p.seed, 'an integer in [0, 2147483647]');
  if (typeof p.bootstrap !== 'boolean') fail('bootstrap', p.bootstrap, 'a boolean');
  if (p.maxDepth !== null && (!Number.isInteger(p.maxDepth) || p.maxDepth < 1)) fail('maxDepth', p.maxDepth, 'an integer ≥ 1 or null');
  const m = p.maxFeatures;
  const okNumber = typeof m === 'number' && m > 0 && (Number.isInteger(m) || m <= 1);
  if (!(okNumber || m === 'sqrt' || m === 'log2' || m === 'all')) {
    fail('maxFeatures', m, "'sqrt', 'log2', 'all', a count ≥ 1 or a fraction in (0, 1]");
  }
  return p;
}

/** The number of features each tree uses, as scikit-learn resolves `max_features`. */
export function featuresPerTree(maxFeatures: MaxFeatures, columns: number): number {
  const count =
    maxFeatures === 'sqrt'
      ? Math.floor(Math.sqrt(columns))
      : maxFeatures === 'log2'
        ? Math.floor(Math.log2(columns))
        : maxFeatures === 'all'
          ? columns
          : Number.isInteger(maxFeatures) && maxFeatures >= 1
            ? maxFeatures
            : Math.floor(maxFeatures * columns);
  if (count > columns) throw new InvalidInputError(`maxFeatures ${maxFeatures} exceeds the ${columns} feature columns`);
  return Math.max(1, count);
}
