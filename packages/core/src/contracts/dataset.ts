/** Feature rows: `rows[i][j]` is feature `j` of sample `i`. Every row has the same length. */
export type FeatureRows = readonly (readonly number[])[];

/**
 * What a feature column holds: any finite number, whole numbers only, or 0/1 flags. Signatures record
 * it so serving can reject, say, `2.5` for an integer count or `3` for a boolean flag.
 */
export type FeatureType = 'number' | 'integer' | 'boolean';

/**
 * A tabular dataset: a finite numeric feature matrix, one target per row, and the names that give them
 * meaning. For classification, `classNames` is set and `target[i]` is an index into it. Immutable.
 */
export interface Dataset {
  /** Feature rows (samples × features), all finite numbers. */
  readonly features: FeatureRows;
  /** Target per row: a class index into `classNames` for classification, a value for regression. */
  readonly target: readonly number[];
  /** One name per feature column. */
  readonly featureNames: readonly string[];
  /** Declared type per feature column; absent means every column is `number`. */
  readonly featureTypes?: readonly FeatureType[];
  /** Class labels for classification; `target` values index into it. Absent for regression. */
  readonly classNames?: readonly string[];
  /**
   * Per feature column, the category levels its values are codes of (`features[i][j]` is level
   * `levels[j][features[i][j]]`), or `null` for a numeric column. Absent when no column holds codes.
   * Rows of datasets with other levels or classes are joined by name (`concatDatasets`).
   */
  readonly levels?: readonly (readonly string[] | null)[];
  /** Optional human-readable name, e.g. `iris`. */
  readonly name?: string;
}
