import { type ColumnType, InvalidInputError } from '@mlops/core';

/**
 * How missing values of a column are handled: an error naming the line, dropping the row, imputing with a
 * statistic learned from the training rows or a given value, or `impute` — the median for numbers and integers,
 * the most frequent value for booleans and categories. Imputed values are kept in the encoding, so prediction-time
 * records are filled the same way. `keep` leaves them missing (`NaN` in the dataset) for estimators that handle
 * missing values natively (gradient boosting).
 */
export type MissingPolicy =
  | 'error'
  | 'drop'
  | 'impute'
  | 'keep'
  | { readonly impute: 'mean' | 'median' | 'mode' | number | string | boolean };

/** One column of a {@link ColumnSpecs} schema. */
export interface ColumnSpec {
  readonly type: ColumnType;
  /** For `category`: the allowed values, in code order (default: every value seen, sorted). */
  readonly categories?: readonly string[];
  readonly missing?: MissingPolicy;
}

/** A simple schema: one spec per column name. Columns not listed are ignored. */
export type ColumnSpecs = Readonly<Record<string, ColumnSpec | ColumnType>>;

const TYPES: readonly ColumnType[] = ['number', 'integer', 'boolean', 'category'];

/** Normalises shorthand (`'number'`) to full specs and checks them. */
export function normaliseSpecs(specs: ColumnSpecs): Map<string, ColumnSpec> {
  if (typeof specs !== 'object' || specs === null)
    throw new InvalidInputError('the column specs must be an object of column name → type');
  const out = new Map<string, ColumnSpec>();
  for (const [name, raw] of Object.entries(specs)) {
    const spec: ColumnSpec = typeof raw === 'string' ? { type: raw } : raw;
    if (!TYPES.includes(spec?.type)) {
      throw new InvalidInputError(
        `column "${name}" has type ${JSON.stringify(spec?.type)}: expected one of ${TYPES.join(', ')}`,
        { columnName: name },
      );
    }
    if (spec.categories !== undefined) {
      if (spec.type !== 'category')
        throw new InvalidInputError(`column "${name}" lists categories but is not a category column`, {
          columnName: name,
        });
      if (
        !Array.isArray(spec.categories) ||
        spec.categories.length === 0 ||
        !spec.categories.every((c) => typeof c === 'string')
      ) {
        throw new InvalidInputError(`column "${name}": categories must be a non-empty list of strings`, {
          columnName: name,
        });
      }
      if (new Set(spec.categories).size !== spec.categories.length)
        throw new InvalidInputError(`column "${name}" lists a category twice`, { columnName: name });
    }
    const missing = spec.missing;
    if (
      missing !== undefined &&
      missing !== 'error' &&
      missing !== 'drop' &&
      missing !== 'impute' &&
      missing !== 'keep' &&
      !(typeof missing === 'object' && missing !== null && 'impute' in missing)
    ) {
      throw new InvalidInputError(`column "${name}": missing must be "error", "drop", "impute", "keep" or { impute }`, {
        columnName: name,
      });
    }
    out.set(name, spec);
  }
  return out;
}
