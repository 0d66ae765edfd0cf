import type { Dataset } from '../contracts/dataset';
import { InvalidInputError } from '../errors/errors';
import { assertFeatureTypes, checkFeatureTypes } from './feature-types';
import { assertFeatureRows } from './rows';

/** Plain fields of a dataset before validation: the same shape as `Dataset`. */
export type DatasetInput = Dataset;

/** Datasets `createDataset` returned, and whether they were checked allowing NaN (missing) features. */
const checked = new WeakMap<object, { readonly allowMissing: boolean }>();

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
 * Validates and freezes a dataset: non-empty, rectangular, finite features (`NaN` for missing too, with
 * `allowMissing`: for trainers that handle missing values natively) that fit their declared
 * `featureTypes`; names unique and matching the column count; one target per row; class targets are
 * integer indices into `classNames`.
 * Copies the input, so later changes to the caller's arrays cannot alter it. A dataset this function returned is
 * returned as is (it is frozen through and already checked), so trainers re-checking their input cost nothing.
 */
export function createDataset(input: DatasetInput, options: { readonly allowMissing?: boolean } = {}): Dataset {
  const known = checked.get(input);
  if (known !== undefined && (options.allowMissing || !known.allowMissing)) return input as Dataset;
  const columns = assertFeatureRows(input.features, {
    featureNames: input.featureNames,
    ...(options.allowMissing ? { allowMissing: true } : {}),
  });
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
  const levels = input.levels === undefined ? undefined : checkLevels(input, columns, options.allowMissing === true);
  input.target.forEach((value, i) => {
    const ok =
      classes === undefined ? Number.isFinite(value) : Number.isInteger(value) && value >= 0 && value < classes;
    if (!ok) {
      const expected = classes === undefined ? 'a finite number' : `a class index in [0, ${classes - 1}]`;
      throw new InvalidInputError(`target row ${i} is ${String(value)}: expected ${expected}`, { row: i });
    }
  });
  const dataset: Dataset = Object.freeze({
    features: Object.freeze(input.features.map((row) => Object.freeze([...row]))),
    target: Object.freeze([...input.target]),
    featureNames: Object.freeze([...input.featureNames]),
    ...(featureTypes ? { featureTypes: Object.freeze(featureTypes) } : {}),
    ...(input.classNames ? { classNames: Object.freeze([...input.classNames]) } : {}),
    ...(levels ? { levels } : {}),
    ...(input.name === undefined ? {} : { name: input.name }),
  });
  checked.set(dataset, { allowMissing: options.allowMissing === true });
  return dataset;
}

/** Validates `levels` (one entry per column; codes in range, or NaN when missing values are allowed) and returns a frozen copy. */
function checkLevels(
  input: DatasetInput,
  columns: number,
  allowMissing: boolean,
): readonly (readonly string[] | null)[] {
  const levels = input.levels!;
  if (!Array.isArray(levels) || levels.length !== columns)
    throw new InvalidInputError(`levels must give one entry (levels or null) per feature, for ${columns} features`);
  levels.forEach((names, j) => {
    if (names === null) return;
    const columnName = input.featureNames[j]!;
    if (!Array.isArray(names) || names.length === 0)
      throw new InvalidInputError(`levels of feature "${columnName}" must be a non-empty array or null`, {
        column: j,
        columnName,
      });
    assertNames(names, `level of "${columnName}"`);
    input.features.forEach((row, i) => {
      const code = row[j]!;
      if (allowMissing && Number.isNaN(code)) return;
      if (!(Number.isInteger(code) && code >= 0 && code < names.length))
        throw new InvalidInputError(
          `features row ${i}, column "${columnName}" is ${code}: expected a level code in [0, ${names.length - 1}]`,
          { row: i, column: j, columnName },
        );
    });
  });
  return Object.freeze(levels.map((names) => (names === null ? null : Object.freeze([...names]))));
}

/** Whether two name lists are equal (both absent counts as equal). */
export function sameNames(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));
}

/** `names` followed by the names of `more` it lacks, and where each of `more` lands in it. */
function unionOf(names: readonly string[], more: readonly string[]): { names: string[]; codeOf: number[] } {
  const all = [...names];
  const codeOf = more.map((name) => {
    const at = all.indexOf(name);
    if (at >= 0) return at;
    all.push(name);
    return all.length - 1;
  });
  return { names: all, codeOf };
}

/**
 * The rows of `b` on `a`'s classes and category levels: `a`'s keep their codes, names only `b` has are appended, and
 * `b`'s codes are mapped onto the joined lists (what a batch with a new class or level becomes beside `a`). Both must
 * have the same features, feature types and category columns.
 */
export function alignDataset(a: Dataset, b: Dataset): Dataset {
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
  if ((a.classNames === undefined) !== (b.classNames === undefined)) {
    throw new InvalidInputError('cannot concatenate a classification dataset with a regression dataset');
  }
  const categorical = (d: Dataset) => d.featureNames.map((_, j) => d.levels?.[j] != null);
  if (!sameNames(categorical(a).map(String), categorical(b).map(String))) {
    throw new InvalidInputError(
      `cannot concatenate datasets whose category columns differ: [${a.featureNames.filter((_, j) => categorical(a)[j])}] vs [${b.featureNames.filter((_, j) => categorical(b)[j])}]`,
    );
  }
  const classes = a.classNames && b.classNames ? unionOf(a.classNames, b.classNames) : undefined;
  const levels =
    a.levels && b.levels ? a.levels.map((names, j) => (names ? unionOf(names, b.levels![j]!) : null)) : undefined;
  const features = levels?.some((l) => l?.codeOf.some((code, k) => code !== k))
    ? b.features.map((row) => row.map((value, j) => levels[j]?.codeOf[value] ?? value))
    : b.features;
  const target = classes?.codeOf.some((code, k) => code !== k) ? b.target.map((k) => classes.codeOf[k]!) : b.target;
  return createDataset(
    {
      features,
      target,
      featureNames: a.featureNames,
      ...(a.featureTypes || b.featureTypes ? { featureTypes: typesOf(a) as Dataset['featureTypes'] } : {}),
      ...(classes ? { classNames: classes.names } : {}),
      ...(levels ? { levels: levels.map((l) => l?.names ?? null) } : {}),
      ...(b.name === undefined ? {} : { name: b.name }),
    },
    { allowMissing: true },
  ); // NaN in a checked dataset is a missing value kept for the estimator
}

/**
 * Rows of `a` followed by rows of `b` ({@link alignDataset}: classes and category levels joined by name, new ones
 * appended, `b` recoded). Both must have the same features and feature types.
 */
export function concatDatasets(a: Dataset, b: Dataset): Dataset {
  const { name: _, ...aligned } = alignDataset(a, b);
  return createDataset(
    {
      ...aligned,
      features: [...a.features, ...aligned.features],
      target: [...a.target, ...aligned.target],
      ...(a.name === undefined ? {} : { name: a.name }),
    },
    { allowMissing: true },
  );
}
