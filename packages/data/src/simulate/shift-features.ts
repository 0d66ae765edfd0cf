import { createDataset, InvalidInputError, RandomState, type Dataset } from '@mlops/core';

/** How a simulated production batch differs from the data it is made from. */
export interface ShiftOptions {
  /** Seed of the measurement noise. */
  readonly seed: number;
  /** Added to every value of the named features (e.g. a re-calibrated sensor). */
  readonly offsets: Readonly<Record<string, number>>;
  /** Uniform noise half-width added to every shifted value (default 0.1). */
  readonly noise?: number;
}

/**
 * A deterministic "the world changed" batch for drills and tests of monitoring: the same labelled rows
 * with some features offset and jittered (seeded), as when a measuring device is replaced. Labels stay
 * true, so accuracy can be measured on it. Unknown feature names are an error.
 */
export function shiftFeatures(dataset: Dataset, options: ShiftOptions): Dataset {
  for (const name of Object.keys(options.offsets)) {
    if (!dataset.featureNames.includes(name))
      throw new InvalidInputError(`shiftFeatures: "${name}" is not a feature`, { columnName: name });
  }
  const random = new RandomState(options.seed);
  const noise = options.noise ?? 0.1;
  const offsets = dataset.featureNames.map((name) => options.offsets[name] ?? 0);
  const features = dataset.features.map((row) =>
    row.map((value, j) => (offsets[j] === 0 ? value : value + offsets[j]! + (random.random() * 2 - 1) * noise)),
  );
  return createDataset({ ...dataset, features, name: `${dataset.name ?? 'data'}-shifted` });
}
