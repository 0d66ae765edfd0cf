import { InvalidInputError, type FeatureRows, type JsonObject, type Model, type ModelArtifact } from '@mlops/core';
import { argmaxRows, assertMatrix, predictForest, predictForestValues, type ForestData } from '../engine/forest';
import { predictForestValuesAsync } from '../engine/parallel';
import { ForestModelBase } from './forest-model-base';

export { RANDOM_FOREST_FORMAT } from './forest-model-base';

/** A classification forest grown by this package's engine, behind the core `Model` contract. */
export class RandomForestClassifierModel extends ForestModelBase implements Model {
  /** Wraps fitted forest data with its names and hyperparameters (models come from trainers and codecs). @internal */
  constructor(
    forest: ForestData,
    featureNames: readonly string[],
    /** Class labels; predictions index into them. */
    readonly classNames: readonly string[],
    params: JsonObject,
  ) {
    super(forest, featureNames, params);
  }

  /** Class index per row: the argmax of the mean tree probabilities (ties to the lower index). */
  predict(rows: FeatureRows): number[] {
    return Array.from(predictForest(this.forest, this.matrix(rows), rows.length));
  }

  /**
   * Predicts a row-major matrix without building row arrays: `x` holds `x.length / columns` rows of
   * `columns` values (the model's feature count). Returns class indices.
   */
  predictMatrix(x: Float64Array | Float32Array, columns: number): Int32Array {
    const { values, rows } = this.checkMatrix(x, columns);
    return predictForest(this.forest, values, rows);
  }

  /** {@link predictMatrix} on `nJobs` worker threads (default: available cores) for large batches; same result. */
  async predictMatrixAsync(
    x: Float64Array | Float32Array,
    columns: number,
    options: { nJobs?: number } = {},
  ): Promise<Int32Array> {
    const { values, rows } = this.checkMatrix(x, columns);
    return argmaxRows(
      await predictForestValuesAsync(this.forest, values, rows, options.nJobs),
      rows,
      this.classNames.length,
    );
  }

  private checkMatrix(x: Float64Array | Float32Array, columns: number): { values: Float64Array; rows: number } {
    if (columns !== this.featureNames.length) {
      throw new InvalidInputError(`predict input has ${columns} columns, expected ${this.featureNames.length}`);
    }
    if (x.length % columns !== 0)
      throw new InvalidInputError(`predict input has ${x.length} values: not a multiple of ${columns} columns`);
    const values = x instanceof Float64Array ? x : Float64Array.from(x);
    assertMatrix(values, x.length / columns, columns, 'predict input');
    return { values, rows: x.length / columns };
  }

  /** Mean of the trees' leaf class distributions per row (scikit-learn's `predict_proba`). */
  predictProba(rows: FeatureRows): number[][] {
    const k = this.classNames.length;
    const p = predictForestValues(this.forest, this.matrix(rows), rows.length);
    return rows.map((_, r) => Array.from(p.subarray(r * k, r * k + k)));
  }

  /** The forest as compact JSON data (`format: 'mlops-random-forest'`, `formatVersion: 1`). */
  toArtifact(): ModelArtifact {
    return this.artifact(this.classNames);
  }
}
