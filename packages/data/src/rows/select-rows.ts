import { createDataset, InvalidInputError, type Dataset } from '@mlops/core';

/** A new dataset made of the given rows of `dataset`, in the given order (rows may repeat). */
export function selectRows(dataset: Dataset, indices: readonly number[]): Dataset {
  const rows = dataset.target.length;
  indices.forEach((index, position) => {
    if (!Number.isInteger(index) || index < 0 || index >= rows) {
      throw new InvalidInputError(`row index ${String(index)} at position ${position} is outside [0, ${rows - 1}]`, {
        row: position,
      });
    }
  });
  return createDataset(
    {
      ...dataset,
      features: indices.map((i) => dataset.features[i]!),
      target: indices.map((i) => dataset.target[i]!),
    },
    { allowMissing: true },
  ); // rows of a checked dataset: NaN there is a kept missing value
}
