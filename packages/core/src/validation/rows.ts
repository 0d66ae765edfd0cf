import { InvalidInputError } from '../errors/errors';

/** Options of {@link assertFeatureRows}. */
export interface AssertRowsOptions {
  /** Required column count (e.g. a model's feature count); defaults to the first row's length. */
  readonly columns?: number;
  /** Column names, used to name the column at fault in messages. */
  readonly featureNames?: readonly string[];
  /** What the rows are, for messages (`features`, `predict input`…). */
  readonly what?: string;
  /** Accept zero rows (default false). */
  readonly allowEmpty?: boolean;
  /** Accept `NaN` as a missing value (for estimators that handle missing values natively; default false). */
  readonly allowMissing?: boolean;
}

/**
 * Checks that `rows` is a non-empty rectangular matrix of finite numbers (or `NaN`, with `allowMissing`) and
 * returns its column count. Throws `InvalidInputError` naming the first bad row and column.
 */
export function assertFeatureRows(rows: unknown, options: AssertRowsOptions = {}): number {
  const what = options.what ?? 'features';
  if (!Array.isArray(rows)) throw new InvalidInputError(`${what} must be an array of rows`);
  if (rows.length === 0) {
    if (options.allowEmpty) return options.columns ?? 0;
    throw new InvalidInputError(`${what} has no rows`);
  }
  const first = rows[0] as unknown;
  const columns = options.columns ?? (Array.isArray(first) ? first.length : 0);
  if (columns === 0) throw new InvalidInputError(`${what} has no columns`, { row: 0 });
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as unknown;
    if (!Array.isArray(row)) throw new InvalidInputError(`${what} row ${i} is not an array`, { row: i });
    if (row.length !== columns) {
      throw new InvalidInputError(`${what} row ${i} has ${row.length} values, expected ${columns}`, { row: i });
    }
    for (let j = 0; j < columns; j++) {
      const value = row[j] as unknown;
      if (typeof value !== 'number' || !(Number.isFinite(value) || (options.allowMissing && Number.isNaN(value)))) {
        const columnName = options.featureNames?.[j];
        const label = columnName === undefined ? `column ${j}` : `column ${j} (${columnName})`;
        const expected = options.allowMissing ? 'a finite number or NaN (missing)' : 'a finite number';
        throw new InvalidInputError(`${what} row ${i}, ${label} is ${String(value)}: expected ${expected}`, {
          row: i,
          column: j,
          ...(columnName === undefined ? {} : { columnName }),
        });
      }
    }
  }
  return columns;
}
