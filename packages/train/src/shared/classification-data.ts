import { createDataset, InvalidInputError, type Dataset } from '@mlops/core';
import { rowMajor } from './row-matrix';

/** A validated classification dataset (class names present) with its features as one row-major array. */
export interface ClassificationData {
  readonly dataset: Dataset & { readonly classNames: readonly string[] };
  readonly x: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Validates a dataset for classifier training: finite rectangular features (NaN too, with `allowMissing`), class
 * names, ≥ 2 classes present.
 */
export function classificationData(
  input: Dataset,
  options: { readonly allowMissing?: boolean } = {},
): ClassificationData {
  const dataset = createDataset(input, options);
  const { classNames } = dataset;
  if (!classNames) throw new InvalidInputError('random forest classification needs a dataset with classNames');
  const present = new Set(dataset.target).size;
  if (present < 2) {
    throw new InvalidInputError(
      `training data has ${present} class: a classifier needs at least 2 (classes: ${classNames.join(', ')})`,
    );
  }
  const rows = dataset.features.length;
  const cols = dataset.featureNames.length;
  const x = rowMajor(dataset.features, cols);
  return { dataset: { ...dataset, classNames }, x, rows, cols };
}
