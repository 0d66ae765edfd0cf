import { accuracyScore, createDataset, InvalidInputError, RandomState, type Dataset, type Model } from '@mlops/core';
import { r2Score } from '../metrics/regression';

/** Options of {@link permutationImportance}. */
export interface PermutationImportanceOptions {
  /** Shuffles per feature (default 5). */
  readonly repeats?: number;
  /** Seed of the shuffles (default 0). */
  readonly seed?: number;
  /** Score of predictions on the dataset, higher is better (default: accuracy with classes, R² for a regression dataset). */
  readonly score?: (actual: readonly number[], predicted: readonly number[]) => number;
}

/** How much the score drops when one feature's column is shuffled. */
export interface FeaturePermutationImportance {
  /** Mean drop over the repeats. */
  readonly mean: number;
  /** Population standard deviation of the drops. */
  readonly std: number;
  /** The drop of each repeat. */
  readonly drops: number[];
}

/**
 * Permutation importance (scikit-learn's `permutation_importance`): for each feature, shuffle its column
 * `repeats` times and record how far the model's score falls below the unshuffled score. Works for any `Model`.
 */
export function permutationImportance(
  model: Model,
  dataset: Dataset,
  options: PermutationImportanceOptions = {},
): Record<string, FeaturePermutationImportance> {
  const data = createDataset(dataset);
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new InvalidInputError(`repeats must be an integer ≥ 1, got ${repeats}`);
  const score = options.score ?? (data.classNames ? accuracyScore : r2Score);
  const random = new RandomState(options.seed ?? 0);
  const baseline = score(data.target, model.predict(data.features));
  const rows = data.features.map((row) => [...row]);
  const result: Record<string, FeaturePermutationImportance> = {};
  data.featureNames.forEach((name, j) => {
    const original = rows.map((row) => row[j]!);
    const drops = Array.from({ length: repeats }, () => {
      const order = random.permutation(rows.length);
      rows.forEach((row, r) => {
        row[j] = original[order[r]!]!;
      });
      return baseline - score(data.target, model.predict(rows));
    });
    rows.forEach((row, r) => {
      row[j] = original[r]!;
    });
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    result[name] = { mean, std: Math.sqrt(drops.reduce((a, d) => a + (d - mean) ** 2, 0) / repeats), drops };
  });
  return result;
}
