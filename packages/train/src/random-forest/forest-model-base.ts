import type { FeatureRows, JsonObject, ModelArtifact } from '@mlops/core';
import { predictMatrix } from '../shared/row-matrix';
import { forestImportances, type ForestData } from '../engine/forest';
import { encodeForest } from '../engine/serialize';
import { forestShapValues, nestedShapValues } from '../inspection/tree-shap';

/** Artifact format of this package's own forest engine. */
export const RANDOM_FOREST_FORMAT = 'mlops-random-forest';

/** What the classifier and regressor models share: the fitted forest, names, importances, the artifact. */
export abstract class ForestModelBase {
  /** Always `mlops-random-forest`. */
  readonly format = RANDOM_FOREST_FORMAT;

  /** Wraps fitted forest data with its feature names and hyperparameters (models come from trainers and codecs). @internal */
  constructor(
    protected readonly forest: ForestData,
    /** Feature names in column order. */
    readonly featureNames: readonly string[],
    /** Effective hyperparameters. */
    readonly params: JsonObject,
  ) {}

  /** Out-of-bag score (accuracy, or R² for a regressor) when trained with `oobScore: true`. */
  get oobScore(): number | undefined {
    return this.forest.oobScore;
  }

  /** Impurity-based importance of each feature (sums to 1), by feature name: scikit-learn's `feature_importances_`. */
  featureImportances(): Record<string, number> {
    const importances = forestImportances(this.forest);
    return Object.fromEntries(this.featureNames.map((name, j) => [name, importances[j]!]));
  }

  /**
   * Exact TreeSHAP values (Lundberg et al. 2018): how much each feature moves each output away from the
   * expected output, with the training sample weight of every tree node (its cover) as the background.
   * `values[row][feature][output]` — outputs are the class probabilities of `predictProba` for a
   * classifier, the single prediction for a regressor — and `expected[output]` is the mean over trees
   * of their cover-weighted mean leaf value, so `expected[k] + Σ_j values[i][j][k]` is the model's output
   * `k` for row `i`. A model decoded from its artifact gives the same values as the model as fitted; one
   * decoded from an artifact written before artifacts kept covers throws.
   */
  shapValues(rows: FeatureRows): { values: number[][][]; expected: number[] } {
    const shap = forestShapValues(this.forest, this.matrix(rows), rows.length);
    return nestedShapValues(shap, rows.length, this.featureNames.length);
  }

  /** Checked rows as one row-major array. */
  protected matrix(rows: FeatureRows): Float64Array {
    return predictMatrix(rows, this.featureNames);
  }

  /** The forest as compact JSON data (`formatVersion: 1`); `classNames` only for classifiers. */
  protected artifact(classNames?: readonly string[]): ModelArtifact {
    return {
      format: RANDOM_FOREST_FORMAT,
      formatVersion: 1,
      featureNames: [...this.featureNames],
      ...(classNames ? { classNames: [...classNames] } : {}),
      params: this.params,
      payload: encodeForest(this.forest) as unknown as JsonObject,
    };
  }
}
