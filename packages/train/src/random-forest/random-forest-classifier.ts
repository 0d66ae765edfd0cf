import type { Dataset, Trainer } from '@mlops/core';
import { classificationData } from '../shared/classification-data';
import { fitForestAsync, type FitRunOptions } from '../engine/parallel';
import { RandomForestClassifierModel } from './model';
import { resolveRandomForestParams, type RandomForestParams } from './params';
import { withRecipe } from '../shared/recipes';

/**
 * A random-forest classifier on this package's typed-array engine: features binned once (≤ 255
 * quantile bins), `maxFeatures` drawn at every split as in scikit-learn, bootstrap as row weights,
 * every random choice from `seed`. Same seed and data → byte-identical artifact, whatever `run.nJobs`
 * (worker threads; default: available cores). `run.onProgress(done, total)` reports trees; `run.signal` cancels.
 */
export function randomForestClassifier(
  defaults: Partial<RandomForestParams> = {},
  run: FitRunOptions = {},
): Trainer<RandomForestParams, RandomForestClassifierModel> {
  resolveRandomForestParams(defaults);
  return withRecipe(
    {
      name: 'random-forest',
      async fit(dataset: Dataset, overrides: Partial<RandomForestParams> = {}) {
        const params = resolveRandomForestParams({ ...defaults, ...overrides });
        const { dataset: data, x, rows, cols } = classificationData(dataset);
        const target = {
          kind: 'classification',
          y: Int32Array.from(data.target),
          classes: data.classNames.length,
        } as const;
        const forest = await fitForestAsync(x, rows, cols, target, params, run);
        return new RandomForestClassifierModel(forest, data.featureNames, data.classNames, params);
      },
    },
    'randomForestClassifier',
    defaults,
  );
}
