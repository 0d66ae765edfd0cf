import {
  assertFeatureRows,
  createDataset,
  InvalidInputError,
  type Dataset,
  type FeatureRows,
  type JsonObject,
  type Model,
  type ModelArtifact,
  type Trainer,
} from '@mlops/core';
import { forestImportances, predictForestValues, type ForestData } from '../engine/forest';
import { fitForestAsync, type FitRunOptions } from '../engine/parallel';
import { encodeForest } from '../engine/serialize';
import { RANDOM_FOREST_FORMAT } from './model';
import { resolveRandomForestRegressorParams, type RandomForestRegressorParams } from './params';

/** A regression forest behind the core `Model` contract: `predict` returns the mean of the trees. */
export class RandomForestRegressorModel implements Model {
  /** Always `mlops-random-forest`. */
  readonly format = RANDOM_FOREST_FORMAT;

  /** Wraps fitted regression forest data. */
  constructor(
    private readonly forest: ForestData,
    /** Feature names in column order. */
    readonly featureNames: readonly string[],
    /** Effective hyperparameters. */
    readonly params: JsonObject,
  ) {}

  /** Mean of the trees' leaf means, per row. */
  predict(rows: FeatureRows): number[] {
    assertFeatureRows(rows, { columns: this.featureNames.length, featureNames: this.featureNames, what: 'predict input' });
    const cols = this.featureNames.length;
    const x = new Float64Array(rows.length * cols);
    rows.forEach((row, r) => x.set(row, r * cols));
    return Array.from(predictForestValues(this.forest, x, rows.length));
  }

  /** Out-of-bag score (accuracy, or R² for a regressor) when trained with `oobScore: true`. */
  get oobScore(): number | undefined {
    return this.forest.oobScore;
  }

  /** Impurity (variance) based importance of each feature, summing to 1. */
  featureImportances(): Record<string, number> {
    const importances = forestImportances(this.forest);
    return Object.fromEntries(this.featureNames.map((name, j) => [name, importances[j]!]));
  }

  /** The forest as compact JSON data (no `classNames`: a regressor). */
  toArtifact(): ModelArtifact {
    return {
      format: RANDOM_FOREST_FORMAT,
      formatVersion: 1,
      featureNames: [...this.featureNames],
      params: this.params,
      payload: encodeForest(this.forest) as unknown as JsonObject,
    };
  }
}

/**
 * A random-forest regressor on the same engine as {@link randomForestTrainer}: squared-error splits,
 * leaves hold means, `maxFeatures` defaults to all features (scikit-learn's `RandomForestRegressor`).
 */
export function randomForestRegressor(
  defaults: Partial<RandomForestRegressorParams> = {},
  run: FitRunOptions = {},
): Trainer<RandomForestRegressorParams> {
  resolveRandomForestRegressorParams(defaults);
  return {
    name: 'random-forest-regressor',
    async fit(dataset: Dataset, overrides: Partial<RandomForestRegressorParams> = {}) {
      const params = resolveRandomForestRegressorParams({ ...defaults, ...overrides });
      const data = createDataset(dataset);
      if (data.classNames) throw new InvalidInputError('a regressor needs a dataset without classNames (numeric targets)');
      const rows = data.features.length;
      const cols = data.featureNames.length;
      const x = new Float64Array(rows * cols);
      data.features.forEach((row, r) => x.set(row, r * cols));
      const forest = await fitForestAsync(x, rows, cols, { kind: 'regression', y: Float64Array.from(data.target) }, params, run);
      return new RandomForestRegressorModel(forest, data.featureNames, params);
    },
  };
}
