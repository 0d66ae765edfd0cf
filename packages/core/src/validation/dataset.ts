import type { Dataset } from '../contracts/dataset';
import { InvalidInputError } from '../errors/errors';
import { assertFeatureTypes, checkFeatureTypes } from './feature-types';
import { assertFeatureRows } from './rows';

/** Plain fields of a dataset before validation: the same shape as `Dataset`. */
export type DatasetInput = Dataset;

function assertNames(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidInputError(`${what} ${i} must be a non-empty string`, { column: i });
    }
    if (seen.has(name)) throw new InvalidInputError(`${what} "${name}" appears twice`, { column: i, columnName: name });
    seen.add(name);
  });
}

/**
 * Validates and freezes a dataset: non-empty, rectangular, finite features that fit their declared
 * `featureTypes`; names unique and matching the column count; one target per row; class targets are
 * integer indices into `classNames`.
 * Copies the input, so later changes to the caller's arrays cannot alter it.
 */
export function createDataset(input: DatasetInput): Dataset {
  const columns = assertFeatureRows(input.features, { featureNames: input.featureNames });
  if (input.featureNames.length !== columns) {
    throw new InvalidInputError(`featureNames has ${input.featureNames.length} names but rows have ${columns} columns`);
  }
  assertNames(input.featureNames, 'feature name');
  const featureTypes = input.featureTypes === undefined ? undefined : checkFeatureTypes(input.featureTypes, columns);
  if (featureTypes) assertFeatureTypes(input.features, featureTypes, { featureNames: input.featureNames });
  const rows = input.features.length;
  if (input.target.length !== rows) {
    throw new InvalidInputError(`target has ${input.target.length} values but features have ${rows} rows`);
  }
  const classes = input.classNames?.length;
  if (input.classNames) {
    if (input.classNames.length === 0) throw new InvalidInputError('classNames is empty');
    assertNames(input.classNames, 'class name');
  }
  input.target.forEach((value, i) => {
    const ok =
      classes === undefined ? Number.isFinite(value) : Number.isInteger(value) && value >= 0 && value < classes;
    if (!ok) {
      const expected = classes === undefined ? 'a finite number' : `a class index in [0, ${classes - 1}]`;
      throw new InvalidInputError(`target row ${i} is ${String(value)}: expected ${expected}`, { row: i });
    }
  });
  return Object.freeze({
    features: Object.freeze(input.features.map((row) => Object.freeze([...row]))),
    target: Object.freeze([...input.target]),
    featureNames: Object.freeze([...input.featureNames]),
    ...(featureTypes ? { featureTypes: Object.freeze(featureTypes) } : {}),
    ...(input.classNames ? { classNames: Object.freeze([...input.classNames]) } : {}),
    ...(input.name === undefined ? {} : { name: input.name }),
  });
}

function sameNames(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));
}

/** Rows of `a` followed by rows of `b`; both must have the same feature and class names. */
export function concatDatasets(a: Dataset, b: Dataset): Dataset {
  if (!sameNames(a.featureNames, b.featureNames)) {
    throw new InvalidInputError(
      `cannot concatenate datasets with different features: [${a.featureNames}] vs [${b.featureNames}]`,
    );
  }
  const typesOf = (d: Dataset) => d.featureTypes ?? d.featureNames.map(() => 'number');
  if (!sameNames(typesOf(a), typesOf(b))) {
    throw new InvalidInputError(
      `cannot concatenate datasets with different feature types: [${typesOf(a)}] vs [${typesOf(b)}]`,
    );
  }
  if (!sameNames(a.classNames, b.classNames)) {
    throw new InvalidInputError(
      `cannot concatenate datasets with different classes: [${a.classNames}] vs [${b.classNames}]`,
    );
  }
  return createDataset({
    features: [...a.features, ...b.features],
    target: [...a.target, ...b.target],
    featureNames: a.featureNames,
    ...(a.featureTypes || b.featureTypes ? { featureTypes: typesOf(a) as Dataset['featureTypes'] } : {}),
    ...(a.classNames ? { classNames: a.classNames } : {}),
    ...(a.name === undefined ? {} : { name: a.name }),
  });
}
