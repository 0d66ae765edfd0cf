import { InvalidInputError, RandomState, type Dataset } from '@mlops/core';
import { selectRows } from '../rows/select-rows';
import { approximateMode } from './approximate-mode';
import { splitSizes, type SplitSize } from './split-sizes';

/** Options of {@link trainTestSplit}, named after scikit-learn's `train_test_split`. */
export interface TrainTestSplitOptions {
  /** Fraction in (0, 1) or number of test rows; default 0.25 (when `trainSize` is also absent). */
  readonly testSize?: SplitSize;
  /** Fraction in (0, 1) or number of train rows; default: the rest. */
  readonly trainSize?: SplitSize;
  /** `random_state`: an integer in [0, 2^32 − 1]; default 0. */
  readonly seed?: number;
  /** Shuffle before splitting (default true); without it train is the first rows, test the next. */
  readonly shuffle?: boolean;
  /** Keep class proportions: `true` stratifies by the dataset's target, or pass labels per row. */
  readonly stratify?: boolean | readonly number[];
}

/** The two parts and the row indices (into the input) that make them, in scikit-learn's order. */
export interface TrainTestSplit {
  /** Training rows. */
  readonly train: Dataset;
  /** Test rows. */
  readonly test: Dataset;
  /** Input row of each training row. */
  readonly trainIndices: number[];
  /** Input row of each test row. */
  readonly testIndices: number[];
}

function stratifiedIndices(
  labels: readonly number[],
  nTrain: number,
  nTest: number,
  random: RandomState,
  classNames?: readonly string[],
) {
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const members = classes.map((c) => labels.flatMap((label, i) => (label === c ? [i] : [])));
  const counts = members.map((m) => m.length);
  const smallest = counts.indexOf(Math.min(...counts));
  if (counts[smallest]! < 2) {
    const name = classNames?.[classes[smallest]!] ?? String(classes[smallest]);
    throw new InvalidInputError(
      `class ${JSON.stringify(name)} has only 1 member: stratifying needs at least 2 per class (merge rare classes, or split without stratifying)`,
    );
  }
  for (const [n, what] of [
    [nTrain, 'train'],
    [nTest, 'test'],
  ] as const) {
    if (n < classes.length)
      throw new InvalidInputError(`${what} size ${n} is smaller than the ${classes.length} classes`);
  }
  const trainCounts = approximateMode(counts, nTrain, random);
  const testCounts = approximateMode(
    counts.map((c, i) => c - trainCounts[i]!),
    nTest,
    random,
  );
  const train: number[] = [];
  const test: number[] = [];
  members.forEach((rows, k) => {
    const shuffled = random.permutation(rows.length).map((p) => rows[p]!);
    train.push(...shuffled.slice(0, trainCounts[k]));
    test.push(...shuffled.slice(trainCounts[k], trainCounts[k]! + testCounts[k]!));
  });
  return {
    trainIndices: random.permutation(train.length).map((p) => train[p]!),
    testIndices: random.permutation(test.length).map((p) => test[p]!),
  };
}

/** Which rows go to train and which to test: what {@link trainTestSplit} selects, without building datasets. */
export function splitIndices(
  rows: number,
  options: Omit<TrainTestSplitOptions, 'stratify'> & {
    readonly stratify?: readonly number[];
    /** Names of the stratify labels (indices into it), for messages. */
    readonly classNames?: readonly string[];
  } = {},
): { trainIndices: number[]; testIndices: number[] } {
  const { nTrain, nTest } = splitSizes(rows, options.testSize, options.trainSize);
  const shuffle = options.shuffle ?? true;
  const seed = options.seed ?? 0;
  if (options.stratify) {
    if (!shuffle) throw new InvalidInputError('stratified splitting requires shuffle: true');
    const labels = options.stratify;
    if (labels.length !== rows) throw new InvalidInputError(`stratify has ${labels.length} labels for ${rows} rows`);
    labels.forEach((label, row) => {
      if (!Number.isFinite(label)) {
        throw new InvalidInputError(`stratify label at row ${row} is ${String(label)}: expected a finite number`, {
          row,
        });
      }
    });
    return stratifiedIndices(labels, nTrain, nTest, new RandomState(seed), options.classNames);
  }
  if (shuffle) {
    const permutation = new RandomState(seed).permutation(rows);
    return { testIndices: permutation.slice(0, nTest), trainIndices: permutation.slice(nTest, nTest + nTrain) };
  }
  return {
    trainIndices: Array.from({ length: nTrain }, (_, i) => i),
    testIndices: Array.from({ length: nTest }, (_, i) => nTrain + i),
  };
}

/**
 * Splits a dataset into train and test parts selecting exactly the rows scikit-learn's
 * `train_test_split(..., random_state=seed)` selects, in the same order — with `ShuffleSplit`, or
 * `StratifiedShuffleSplit` when stratifying — using numpy's legacy MT19937 stream.
 */
export function trainTestSplit(dataset: Dataset, options: TrainTestSplitOptions = {}): TrainTestSplit {
  if (options.stratify === true && dataset.classNames === undefined) {
    throw new InvalidInputError(
      'stratify: true needs class labels, and this dataset has a numeric (regression) target: split it without stratify',
    );
  }
  const { stratify, ...rest } = options;
  const { trainIndices, testIndices } = splitIndices(dataset.target.length, {
    ...rest,
    ...(stratify ? { stratify: stratify === true ? dataset.target : stratify } : {}),
    ...(stratify === true && dataset.classNames ? { classNames: dataset.classNames } : {}),
  });
  return {
    train: selectRows(dataset, trainIndices),
    test: selectRows(dataset, testIndices),
    trainIndices,
    testIndices,
  };
}
