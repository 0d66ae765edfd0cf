import { assertFeatureRows, type FeatureRows } from '@mlops/core';

/** Feature rows as one row-major array (`cols` values a row); the rows must already be checked. */
export function rowMajor(rows: FeatureRows, cols: number): Float64Array {
  const x = new Float64Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const at = r * cols;
    for (let j = 0; j < cols; j++) x[at + j] = row[j]!; // a loop: TypedArray#set from an array is slower
  }
  return x;
}

/**
 * Predict input checked against a model's features (`InvalidInputError` naming the row and column), row-major;
 * `allowMissing` accepts NaN (models that handle missing values).
 */
export function predictMatrix(rows: FeatureRows, featureNames: readonly string[], allowMissing = false): Float64Array {
  assertFeatureRows(rows, { columns: featureNames.length, featureNames, what: 'predict input', allowMissing });
  return rowMajor(rows, featureNames.length);
}
