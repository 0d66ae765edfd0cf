import { InvalidInputError } from '@mlops/core';
import type { MaxFeatures } from '../params/max-features';

/** Hyperparameters of {@link mlRandomForestTrainer}, with scikit-learn's meanings where they exist. */
export type MlRandomForestParams = {
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
export const DEFAULT_ML_RANDOM_FOREST_PARAMS: MlRandomForestParams = {
  nEstimators: 100,
  maxFeatures: 'sqrt',
  bootstrap: true,
  seed: 42,
  maxDepth: null,
};

/** Merges and checks params; errors name the parameter and the value. */
export function resolveParams(params: Partial<MlRandomForestParams>): MlRandomForestParams {
  const p = { ...DEFAULT_ML_RANDOM_FOREST_PARAMS, ...params };
  const fail = (name: string, value: unknown, expected: string) => {
    throw new InvalidInputError(`${name} is ${JSON.stringify(value)}: expected ${expected}`);
  };
  if (!Number.isInteger(p.nEstimators) || p.nEstimators < 1) fail('nEstimators', p.nEstimators, 'an integer ≥ 1');
  if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed > 2147483647)
    fail('seed', p.seed, 'an integer in [0, 2147483647]');
  if (typeof p.bootstrap !== 'boolean') fail('bootstrap', p.bootstrap, 'a boolean');
  if (p.maxDepth !== null && (!Number.isInteger(p.maxDepth) || p.maxDepth < 1))
    fail('maxDepth', p.maxDepth, 'an integer ≥ 1 or null');
  return p;
}
