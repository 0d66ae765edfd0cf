import { assertFeatureRows, InvalidInputError, type FeatureRows } from '@mlops/core';

/** Columns keyed by feature name, each an array or typed array of one value per row. */
export type ColumnarData = Readonly<Record<string, ArrayLike<number>>>;

/** Rows (`rows[i][j]`) or columns keyed by feature name. */
export type TabularInput = FeatureRows | ColumnarData;

function isArrayLike(value: unknown): value is ArrayLike<number> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * One array per feature, in `featureNames` order, from rows or from named columns; checks shape and that
 * every value is finite (`InvalidInputError` naming the row and column) — in rows, `NaN` is a missing value and is
 * left out of its column (a column may then be shorter; one with no value at all is an error naming it), as
 * Evidently drops missing values. Typed-array columns are not copied.
 */
export function columnsOf(data: TabularInput, featureNames: readonly string[], what: string): ArrayLike<number>[] {
  if (Array.isArray(data)) {
    assertFeatureRows(data, { columns: featureNames.length, featureNames, what, allowMissing: true });
    return featureNames.map((name, j) => {
      const values = new Float64Array(data.length);
      let n = 0;
      for (let i = 0; i < data.length; i++) {
        const v = data[i]![j]!;
        if (!Number.isNaN(v)) values[n++] = v;
      }
      if (n === 0)
        throw new InvalidInputError(`${what} column "${name}" has no values (every row misses it)`, {
          column: j,
          columnName: name,
        });
      return n === data.length ? values : values.subarray(0, n);
    });
  }
  if (typeof data !== 'object' || data === null)
    throw new InvalidInputError(`${what} must be rows or columns keyed by feature name`);
  for (const key of Object.keys(data)) {
    if (!featureNames.includes(key))
      throw new InvalidInputError(`${what} has column "${key}", which is not a feature`, { columnName: key });
  }
  let rows: number | undefined;
  return featureNames.map((name, j) => {
    const values = (data as ColumnarData)[name];
    if (!Object.hasOwn(data, name) || !isArrayLike(values)) {
      throw new InvalidInputError(`${what} lacks column "${name}" (an array of numbers)`, {
        column: j,
        columnName: name,
      });
    }
    if (rows === undefined) rows = values.length;
    if (values.length !== rows) {
      throw new InvalidInputError(`${what} column "${name}" has ${values.length} values, expected ${rows}`, {
        column: j,
        columnName: name,
      });
    }
    if (rows === 0) throw new InvalidInputError(`${what} has no rows`);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InvalidInputError(
          `${what} row ${i}, column ${j} (${name}) is ${String(v)}: expected a finite number`,
          { row: i, column: j, columnName: name },
        );
      }
    }
    return values;
  });
}
