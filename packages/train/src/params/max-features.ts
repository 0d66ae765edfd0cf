import { InvalidInputError } from '@mlops/core';

/** How many features to consider: scikit-learn's names, a count, or a fraction in (0, 1). */
export type MaxFeatures = number | 'sqrt' | 'log2' | 'all';

/** The number of features to draw, as scikit-learn resolves `max_features` (at least 1). */
export function resolveMaxFeatures(maxFeatures: MaxFeatures, columns: number): number {
  const m = maxFeatures;
  const valid =
    m === 'sqrt' || m === 'log2' || m === 'all' || (typeof m === 'number' && m > 0 && (Number.isInteger(m) || m < 1));
  if (!valid) {
    throw new InvalidInputError(
      `maxFeatures is ${JSON.stringify(m)}: expected 'sqrt', 'log2', 'all', a count ≥ 1 or a fraction in (0, 1)`,
    );
  }
  const count =
    maxFeatures === 'sqrt'
      ? Math.floor(Math.sqrt(columns))
      : maxFeatures === 'log2'
        ? Math.floor(Math.log2(columns))
        : maxFeatures === 'all'
          ? columns
          : Number.isInteger(maxFeatures) && maxFeatures >= 1
            ? maxFeatures
            : Math.floor(maxFeatures * columns);
  if (count > columns) throw new InvalidInputError(`maxFeatures ${maxFeatures} exceeds the ${columns} feature columns`);
  return Math.max(1, count);
}
