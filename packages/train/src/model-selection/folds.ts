import { InvalidInputError, RandomState } from '@mlops/core';

/** Options of {@link kFold} and {@link stratifiedKFold}. */
export interface FoldOptions {
  /** Number of folds, ≥ 2 (default 5). */
  readonly folds?: number;
  /** Shuffle before folding, with `seed` (default false, as scikit-learn). */
  readonly shuffle?: boolean;
  /** `random_state` when shuffling (default 0). */
  readonly seed?: number;
}

/** One fold: sorted train and test row indices. */
export interface Fold {
  readonly train: number[];
  readonly test: number[];
}

function foldCount(options: FoldOptions, rows: number): number {
  const k = options.folds ?? 5;
  if (!Number.isInteger(k) || k < 2) throw new InvalidInputError(`folds must be an integer ≥ 2, got ${k}`);
  if (k > rows) throw new InvalidInputError(`cannot make ${k} folds from ${rows} rows`);
  return k;
}

function fromTestFolds(testFold: Int32Array, k: number): Fold[] {
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    testFold.forEach((t, i) => {
      (t === f ? test : train).push(i);
    });
    return { train, test };
  });
}

/** scikit-learn's `KFold(n_splits, shuffle, random_state).split`: the same rows in every fold. */
export function kFold(rows: number, options: FoldOptions = {}): Fold[] {
  const k = foldCount(options, rows);
  const order = Array.from({ length: rows }, (_, i) => i);
  if (options.shuffle) new RandomState(options.seed ?? 0).shuffle(order);
  const testFold = new Int32Array(rows);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(rows / k) + (f < rows % k ? 1 : 0);
    for (let i = start; i < start + size; i++) testFold[order[i]!] = f;
    start += size;
  }
  return fromTestFolds(testFold, k);
}

/** scikit-learn 1.2's `StratifiedKFold(n_splits, shuffle, random_state).split`: class shares kept per fold, same rows. */
export function stratifiedKFold(labels: readonly number[], options: FoldOptions = {}): Fold[] {
  const k = foldCount(options, labels.length);
  // Classes numbered in order of first appearance, as scikit-learn encodes them.
  const code = new Map<number, number>();
  const encoded = labels.map((label) => {
    if (!code.has(label)) code.set(label, code.size);
    return code.get(label)!;
  });
  const classes = code.size;
  const counts = new Array<number>(classes).fill(0);
  encoded.forEach((c) => {
    counts[c]!++;
  });
  if (counts.every((c) => c < k)) throw new InvalidInputError(`folds=${k} exceeds the row count of every class`);
  const ordered = [...encoded].sort((a, b) => a - b);
  // allocation[f][c]: rows of class c in fold f (every k-th row of the sorted labels, from offset f).
  const allocation = Array.from({ length: k }, (_, f) => {
    const perClass = new Array<number>(classes).fill(0);
    for (let i = f; i < ordered.length; i += k) perClass[ordered[i]!]!++;
    return perClass;
  });
  const random = options.shuffle ? new RandomState(options.seed ?? 0) : undefined;
  const testFold = new Int32Array(labels.length);
  for (let c = 0; c < classes; c++) {
    const foldsForClass = allocation.flatMap((perClass, f) => new Array<number>(perClass[c]!).fill(f));
    random?.shuffle(foldsForClass);
    let next = 0;
    encoded.forEach((e, i) => {
      if (e === c) testFold[i] = foldsForClass[next++]!;
    });
  }
  return fromTestFolds(testFold, k);
}
