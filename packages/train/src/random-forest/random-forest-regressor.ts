import {
  createDataset,
  InvalidInputError,
  type Dataset,
  type FeatureRows,
  type Model,
  type ModelArtifact,
  type Trainer,
} from '@mlops/core';
import { predictForestValues } from '../engine/forest';
import { rowMajor } from '../shared/row-matrix';
import { fitForestAsync, type FitRunOptions } from '../engine/parallel';
import { ForestModelBase } from './forest-model-base';
import { resolveRandomForestRegressorParams, type RandomForestRegressorParams } from './params';
import { withRecipe } from '../shared/recipes';

/** A regression forest behind the core `Model` contract: `predict` returns the mean of the trees. */
export class RandomForestRegressorModel extends ForestModelBase implements Model {
  /** Mean of the trees' leaf means, per row. */
  predict(rows: FeatureRows): number[] {
    return Array.from(predictForestValues(this.forest, this.matrix(rows), rows.length));
  }

  /** The forest as compact JSON data (no `classNames`: a regressor). */
  toArtifact(): ModelArtifact {
    return this.artifact();
  }
}

/**
 * A random-forest regressor on the same engine as {@link randomForestClassifier}: squared-error splits,
 * leaves hold means, `maxFeatures` defaults to all features (scikit-learn's `RandomForestRegressor`).
 */
export function randomForestRegressor(
  defaults: Partial<RandomForestRegressorParams> = {},
  run: FitRunOptions = {},
): Trainer<RandomForestRegressorParams, RandomForestRegressorModel> {
  resolveRandomForestRegressorParams(defaults);
  return withRecipe(
    {
      name: 'random-forest-regressor',
      async fit(dataset: Dataset, overrides: Partial<RandomForestRegressorParams> = {}) {
        const params = resolveRandomForestRegressorParams({ ...defaults, ...overrides });
        const data = createDataset(dataset);
        if (data.classNames)
          throw new InvalidInputError('a regressor needs a dataset without classNames (numeric targets)');
        const rows = data.features.length;
        const cols = data.featureNames.length;
        const x = rowMajor(data.features, cols);
        const forest = await fitForestAsync(
          x,
          rows,
          cols,
          { kind: 'regression', y: Float64Array.from(data.target) },
          params,
          run,
        );
        return new RandomForestRegressorModel(forest, data.featureNames, params);
      },
    },
    'randomForestRegressor',
    defaults,
  );
}
