import type { Trainer } from '@mlops/core';
import type { RandomForestParams, RandomForestRegressorParams } from './params';
import type { RandomForestClassifierModel } from './model';
import { randomForestClassifier } from './random-forest-classifier';
import { randomForestRegressor, type RandomForestRegressorModel } from './random-forest-regressor';
import { withRecipe } from '../shared/recipes';

/** Hyperparameters of a single tree: the forest's, without the ensemble ones. */
export type DecisionTreeParams = Omit<RandomForestParams, 'nEstimators' | 'bootstrap' | 'maxSamples' | 'oobScore'>;

/**
 * One decision tree (scikit-learn's `DecisionTreeClassifier`): the forest engine with a single tree on
 * all rows, every feature considered at each split unless `maxFeatures` says otherwise.
 */
export function decisionTreeClassifier(
  defaults: Partial<DecisionTreeParams> = {},
): Trainer<DecisionTreeParams, RandomForestClassifierModel> {
  const forest = randomForestClassifier(
    { maxFeatures: 'all', ...defaults, nEstimators: 1, bootstrap: false, maxSamples: null, oobScore: false },
    { nJobs: 1 },
  );
  return withRecipe(
    {
      name: 'decision-tree',
      fit: (dataset, params = {}) => forest.fit(dataset, { ...params, nEstimators: 1, bootstrap: false }),
    },
    'decisionTreeClassifier',
    defaults,
  );
}

/** Hyperparameters of a single regression tree. */
export type DecisionTreeRegressorParams = Omit<
  RandomForestRegressorParams,
  'nEstimators' | 'bootstrap' | 'maxSamples' | 'oobScore'
>;

/** One regression tree (scikit-learn's `DecisionTreeRegressor`): squared-error splits on all rows. */
export function decisionTreeRegressor(
  defaults: Partial<DecisionTreeRegressorParams> = {},
): Trainer<DecisionTreeRegressorParams, RandomForestRegressorModel> {
  const forest = randomForestRegressor(
    { maxFeatures: 'all', ...defaults, nEstimators: 1, bootstrap: false, maxSamples: null, oobScore: false },
    { nJobs: 1 },
  );
  return withRecipe(
    {
      name: 'decision-tree-regressor',
      fit: (dataset, params = {}) => forest.fit(dataset, { ...params, nEstimators: 1, bootstrap: false }),
    },
    'decisionTreeRegressor',
    defaults,
  );
}
