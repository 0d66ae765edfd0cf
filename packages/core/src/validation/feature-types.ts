import type { FeatureRows, FeatureType } from '../contracts/dataset';
import { InvalidInputError } from '../errors/errors';

/** Every feature type, in documentation order. */
const FEATURE_TYPES: readonly FeatureType[] = Object.freeze(['number', 'integer', 'boolean']);

/** True for `number`, `integer` or `boolean`. */
export function isFeatureType(value: unknown): value is FeatureType {
  return typeof value === 'string' && (FEATURE_TYPES as readonly string[]).includes(value);
}

const EXPECTED: Record<FeatureType, string> = {
  number: 'a finite number',
  integer: 'an integer',
  boolean: '0 or 1 (boolean feature)',
};

function fits(type: FeatureType, value: number): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'boolean') return value === 0 || value === 1;
  return Number.isFinite(value);
}

/**
 * Checks a list of feature types against a column count (`InvalidInputError` naming the bad entry) and
 * returns it, or all `number` when absent.
 */
export function checkFeatureTypes(types: unknown, columns: number, what = 'featureTypes'): FeatureType[] {
  if (types === undefined) return Array.from({ length: columns }, () => 'number' as const);
  if (!Array.isArray(types)) throw new InvalidInputError(`${what} must be an array`);
  if (types.length !== columns)
    throw new InvalidInputError(`${what} has ${types.length} entries but there are ${columns} features`);
  types.forEach((type, j) => {
    if (!isFeatureType(type)) {
      throw new InvalidInputError(
        `${what}[${j}] is ${JSON.stringify(type)}: expected one of ${FEATURE_TYPES.join(', ')}`,
        { column: j },
      );
    }
  });
  return [...(types as FeatureType[])];
}

/**
 * Checks that every value of checked rows fits its column's type (integers whole, booleans 0 or 1; NaN is missing);
 * throws `InvalidInputError` naming the row, column and feature at fault.
 */
export function assertFeatureTypes(
  rows: FeatureRows,
  types: readonly FeatureType[],
  options: { readonly featureNames?: readonly string[]; readonly what?: string } = {},
): void {
  const what = options.what ?? 'features';
  const checked = types.flatMap((type, j) => (type === 'number' ? [] : [j]));
  if (checked.length === 0) return;
  rows.forEach((row, i) => {
    for (const j of checked) {
      const type = types[j]!;
      if (fits(type, row[j]!) || Number.isNaN(row[j]!)) continue; // NaN: missing, when rows allow it
      const columnName = options.featureNames?.[j];
      const label = columnName === undefined ? `column ${j}` : `column ${j} (${columnName})`;
      throw new InvalidInputError(`${what} row ${i}, ${label} is ${String(row[j])}: expected ${EXPECTED[type]}`, {
        row: i,
        column: j,
        ...(columnName === undefined ? {} : { columnName }),
      });
    }
  });
}
