import { createDataset, type Dataset, InvalidInputError, type Trainer } from '@mlops/core';
import { classificationData } from '../shared/classification-data';
import { rowMajor } from '../shared/row-matrix';
import { resolveJobs } from '../shared/workers';
import { fitBoosting } from './boosting';
import { GradientBoostingClassifierModel, GradientBoostingRegressorModel } from './model';
import { type GradientBoostingParams, resolveGradientBoostingParams } from './params';
import { withRecipe } from '../shared/recipes';

/** How a boosting fit runs; none of it changes the model. */
export interface BoostingRunOptions {
  /**
   * Threads that build histograms, split by features (default 1; data under 1M values uses one). The model is the
   * same for every value; on a 2-core machine a second thread has not paid off yet (see the benchmark).
   */
  readonly nJobs?: number;
}

/** Per feature, its category count when it is split by category sets (a column with ≤ 255 `levels`), else 0. */
function categoriesOf(data: Dataset, params: GradientBoostingParams): number[] {
  return data.featureNames.map((_, j) => {
    const levels = data.levels?.[j];
    return params.categoricalSplits && levels && levels.length <= 255 ? levels.length : 0;
  });
}

/**
 * Histogram gradient-boosting classifier (scikit-learn's `HistGradientBoostingClassifier`): log loss, one tree per
 * iteration for two classes, one per class (softmax) for more; leaf-wise trees on ≤ 255 quantile bins; optional early
 * stopping on a seeded, stratified validation share. Same seed and data → byte-identical artifact, whatever
 * `run.nJobs` is.
 */
export function gradientBoostingClassifier(
  defaults: Partial<GradientBoostingParams> = {},
  run: BoostingRunOptions = {},
): Trainer<GradientBoostingParams, GradientBoostingClassifierModel> {
  resolveGradientBoostingParams(defaults);
  const nJobs = resolveJobs(run.nJobs, 1);
  return withRecipe(
    {
      name: 'gradient-boosting',
      async fit(dataset: Dataset, overrides: Partial<GradientBoostingParams> = {}) {
        const params = resolveGradientBoostingParams({ ...defaults, ...overrides });
        const { dataset: data, x, rows, cols } = classificationData(dataset, { allowMissing: true });
        const target = {
          kind: 'classification',
          y: Int32Array.from(data.target),
          classes: data.classNames.length,
        } as const;
        return new GradientBoostingClassifierModel(
          fitBoosting(x, rows, cols, target, params, categoriesOf(data, params), nJobs),
          data.featureNames,
          data.classNames,
          params,
        );
      },
    },
    'gradientBoostingClassifier',
    defaults,
  );
}

/** Histogram gradient-boosting regressor (scikit-learn's `HistGradientBoostingRegressor`, squared error). */
export function gradientBoostingRegressor(
  defaults: Partial<GradientBoostingParams> = {},
  run: BoostingRunOptions = {},
): Trainer<GradientBoostingParams, GradientBoostingRegressorModel> {
  resolveGradientBoostingParams(defaults);
  const nJobs = resolveJobs(run.nJobs, 1);
  return withRecipe(
    {
      name: 'gradient-boosting-regressor',
      async fit(dataset: Dataset, overrides: Partial<GradientBoostingParams> = {}) {
        const params = resolveGradientBoostingParams({ ...defaults, ...overrides });
        const data = createDataset(dataset, { allowMissing: true });
        if (data.classNames)
          throw new InvalidInputError('gradientBoostingRegressor needs a numeric target: this dataset has classes');
        const rows = data.features.length;
        const cols = data.featureNames.length;
        const x = rowMajor(data.features, cols);
        const target = { kind: 'regression', y: Float64Array.from(data.target) } as const;
        return new GradientBoostingRegressorModel(
          fitBoosting(x, rows, cols, target, params, categoriesOf(data, params), nJobs),
          data.featureNames,
          params,
        );
      },
    },
    'gradientBoostingRegressor',
    defaults,
  );
}
