import type { Dataset } from '../contracts/dataset';
import { RandomState } from '../random/random-state';
import { createDataset } from '../validation/dataset';

/** The rows of `dataset` at `indices`, in that order. */
function rowsOf(dataset: Dataset, indices: readonly number[]): Dataset {
  return createDataset(
    {
      ...dataset,
      features: indices.map((i) => dataset.features[i]!),
      target: indices.map((i) => dataset.target[i]!),
    },
    { allowMissing: true },
  ); // NaN in a checked dataset is a missing value kept for the estimator
}

/**
 * Splits a labelled batch into the rows to train on and the rows held out to judge models on: `share` of them,
 * drawn with a seed mixed from `seed` and the batch's content fingerprint (the same batch always splits the same
 * way, so a new process rebuilds the same split). `held` is `undefined` when no row is held out.
 */
export function splitBatch(
  batch: Dataset,
  batchFingerprint: string,
  share: number,
  seed: number,
): { readonly train: Dataset; readonly held: Dataset | undefined } {
  const rows = batch.target.length;
  const heldCount = Math.min(rows - 1, Math.round(share * rows));
  if (heldCount <= 0) return { train: batch, held: undefined };
  const order = new RandomState((Number.parseInt(batchFingerprint.slice(0, 8), 16) ^ seed) >>> 0).permutation(rows);
  const held = order.slice(0, heldCount).sort((a, b) => a - b);
  const heldSet = new Set(held);
  const train = Array.from({ length: rows }, (_, i) => i).filter((i) => !heldSet.has(i));
  return { train: rowsOf(batch, train), held: rowsOf(batch, held) };
}

/** The last `window` rows of a dataset (all of them when it has fewer). */
export function lastRows(dataset: Dataset, window: number): Dataset {
  const rows = dataset.target.length;
  if (rows <= window) return dataset;
  return rowsOf(
    dataset,
    Array.from({ length: window }, (_, i) => rows - window + i),
  );
}
