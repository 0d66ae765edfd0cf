import { createDataset, InvalidInputError, type Dataset, type Trainer } from '@mlops/core';
import { fitForest } from '../engine/forest';
import { RandomForestClassifierModel } from './model';
import { resolveRandomForestParams, type RandomForestParams } from './params';

/**
 * A random-forest classifier on this package's typed-array engine: features binned once (≤ 255
 * quantile bins), `maxFeatures` drawn at every split as in scikit-learn, bootstrap as row weights,
 * every random choice from `seed`. Same seed and data → byte-identical artifact.
 */
export function randomForestTrainer(defaults: Partial<RandomForestParams> = {}): Trainer<RandomForestParams> {
  resolveRandomForestParams(defaults);
  return {
    name: 'random-forest',
    async fit(dataset: Dataset, overrides: Partial<RandomForestParams> = {}) {
      const params = resolveRandomForestParams({ ...defaults, ...overrides });
      const data = createDataset(dataset);
      if (!data.classNames) throw new InvalidInputError('random forest classification needs a dataset with classNames');
      const rows = data.features.length;
      const cols = data.featureNames.length;
      const x = new Float64Array(rows * cols);
      data.features.forEach((row, r) => x.set(row, r * cols));
      const forest = fitForest(x, rows, cols, Int32Array.from(data.target), data.classNames.length, params);
      return new RandomForestClassifierModel(forest, data.featureNames, data.classNames, params);
    },
  };
}
