import { accuracyScore, createDataset, type Dataset, type JsonObject, type Model, type Trainer } from '@mlops/core';
import { r2Score } from '../metrics/regression';
import { kFold, stratifiedKFold, type Fold } from './folds';

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions<Params extends JsonObject> {
  /** Folds (default 5). */
  readonly folds?: number;
  /** Keep class shares in every fold (default true for datasets with classes, as scikit-learn's `cross_validate`). */
  readonly stratified?: boolean;
  /** Shuffle rows before folding with this seed; without it folds are contiguous, as scikit-learn's default. */
  readonly seed?: number;
  /** Hyperparameters passed to every fit. */
  readonly params?: Partial<Params>;
  /** Score of a fitted model on a test part (default: accuracy for classification, R² for regression, as scikit-learn). */
  readonly score?: (model: Model, test: Dataset) => number;
}

/** Per-fold scores and their summary. */
export interface CrossValidation {
  /** Score of each fold, in fold order. */
  readonly scores: number[];
  /** Mean score. */
  readonly mean: number;
  /** Population standard deviation of the scores (numpy's default). */
  readonly std: number;
  /** The row indices of each fold. */
  readonly folds: Fold[];
}

/** The rows `indices` of a dataset, as a dataset. */
export function rowsOf(dataset: Dataset, indices: readonly number[]): Dataset {
  return createDataset(
    {
      ...dataset,
      features: indices.map((i) => dataset.features[i]!),
      target: indices.map((i) => dataset.target[i]!),
    },
    { allowMissing: true },
  );
}

/** The folds of a checked dataset: scikit-learn's `KFold` / `StratifiedKFold` assignment. */
export function foldsOf(
  data: Dataset,
  options: Pick<CrossValidateOptions<JsonObject>, 'folds' | 'stratified' | 'seed'>,
): Fold[] {
  const foldOptions = { folds: options.folds ?? 5, shuffle: options.seed !== undefined, seed: options.seed ?? 0 };
  const stratified = options.stratified ?? data.classNames !== undefined;
  return stratified ? stratifiedKFold(data.target, foldOptions) : kFold(data.target.length, foldOptions);
}

/** The default score: accuracy for a dataset with class names (classification), R² without (regression). */
export function defaultScore(data: Dataset): (model: Model, test: Dataset) => number {
  const metric = data.classNames === undefined ? r2Score : accuracyScore;
  return (model, test) => metric(test.target, model.predict(test.features));
}

/** Mean and population standard deviation (numpy's default) of fold scores. */
export function summarize(scores: readonly number[]): { mean: number; std: number } {
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  return { mean, std: Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / scores.length) };
}

/**
 * k-fold cross-validation of any `Trainer`, with scikit-learn's fold assignment (`KFold` / `StratifiedKFold`).
 * Scores are accuracy for classification datasets and R² for regression ones unless `score` says otherwise.
 */
export async function crossValidate<Params extends JsonObject>(
  trainer: Trainer<Params>,
  dataset: Dataset,
  options: CrossValidateOptions<Params> = {},
): Promise<CrossValidation> {
  const data = createDataset(dataset, { allowMissing: true }); // the trainer decides whether it takes missing values
  const folds = foldsOf(data, options);
  const score = options.score ?? defaultScore(data);
  const scores: number[] = [];
  for (const fold of folds) {
    const model = await trainer.fit(rowsOf(data, fold.train), options.params);
    scores.push(score(model, rowsOf(data, fold.test)));
  }
  return { scores, ...summarize(scores), folds };
}
