import { InvalidInputError } from '@mlops/core';

/** A split size: a fraction in (0, 1) of the rows, or a whole number of rows (≥ 1). */
export type SplitSize = number;

function checkSize(size: number, rows: number, what: string): void {
  const isCount = Number.isInteger(size);
  const ok = isCount ? size > 0 && size < rows : size > 0 && size < 1;
  if (!ok) {
    throw new InvalidInputError(
      `${what}=${size} should be a fraction in (0, 1) or a whole number of rows in [1, ${rows - 1}] (${rows} rows)`,
    );
  }
}

/**
 * scikit-learn's `_validate_shuffle_split`: fractions round the test part up and the train part down;
 * a missing size is the complement of the other (test defaults to 0.25).
 */
export function splitSizes(
  rows: number,
  testSize?: SplitSize,
  trainSize?: SplitSize,
): { nTrain: number; nTest: number } {
  const test = testSize === undefined && trainSize === undefined ? 0.25 : testSize;
  if (test !== undefined) checkSize(test, rows, 'testSize');
  if (trainSize !== undefined) checkSize(trainSize, rows, 'trainSize');
  if (
    test !== undefined &&
    trainSize !== undefined &&
    !Number.isInteger(test) &&
    !Number.isInteger(trainSize) &&
    test + trainSize > 1
  ) {
    throw new InvalidInputError(`testSize + trainSize = ${test + trainSize} exceeds 1`);
  }
  let nTest = test === undefined ? undefined : Number.isInteger(test) ? test : Math.ceil(test * rows);
  let nTrain =
    trainSize === undefined ? undefined : Number.isInteger(trainSize) ? trainSize : Math.floor(trainSize * rows);
  nTrain ??= rows - nTest!;
  nTest ??= rows - nTrain;
  if (nTrain + nTest > rows) {
    throw new InvalidInputError(`train (${nTrain}) + test (${nTest}) rows exceed the ${rows} available`);
  }
  if (nTrain === 0)
    throw new InvalidInputError(`with ${rows} rows, testSize=${String(testSize)} leaves an empty train set`);
  return { nTrain, nTest };
}
