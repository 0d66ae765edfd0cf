import type { ColumnType, RawValue } from '../contracts/pipeline';
import { InvalidInputError } from '../errors/errors';
import { parseDecimal } from './number-grammar';

/** Default text that means "missing": `''`, `NA`, `N/A`, `NaN`, `nan`, `null`, `NULL`. */
export const DEFAULT_MISSING_VALUES: readonly string[] = Object.freeze(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL']);

const TRUE: ReadonlySet<string> = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE: ReadonlySet<string> = new Set(['false', '0', 'no', 'n', 'f']);

/** True for what a table cell can hold: text, numbers, booleans, `null` and `undefined` (never objects or arrays). */
export function isRawValue(value: unknown): value is RawValue {
  return (
    value === null ||
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

/** True for `undefined`, `null`, `NaN` and the missing tokens (text is trimmed before it is compared to them). */
export function isMissing(value: unknown, missingValues: readonly string[]): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  return typeof value === 'string' && missingValues.includes(value.trim());
}

/** How a value is shown in an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value); // Infinity as itself (JSON would say null)
  if (isRawValue(value)) return JSON.stringify(value) ?? 'undefined';
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

/** Where a cell is, for error messages: `place` reads like `row 3, column "home"`. */
export interface CellRef {
  readonly place: string;
  readonly row: number;
  readonly columnName: string;
}

const EXPECTED: Record<ColumnType, string> = {
  number: 'a number (decimal digits, optional sign, point and exponent)',
  integer: 'an integer',
  boolean: 'a boolean (true/false, 1/0, yes/no)',
  category: 'a category (text)',
};

/** An `InvalidInputError` saying what a cell holds and what it should. */
export function cellError(value: unknown, expected: string, at: CellRef): InvalidInputError {
  return new InvalidInputError(`${at.place} is ${describeValue(value)}: expected ${expected}`, {
    row: at.row,
    columnName: at.columnName,
  });
}

/**
 * Parses one present (not missing) raw value as `type`: a number for `number`/`integer`, 0/1 for `boolean`,
 * trimmed text for `category`. Number text must follow {@link parseDecimal} exactly (`" 3 "` is an error);
 * boolean and category text is trimmed. Objects and arrays are never accepted. `InvalidInputError` names the cell.
 */
export function parseRawValue(value: unknown, type: ColumnType, at: CellRef): number | string {
  switch (type) {
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? parseDecimal(value) : undefined;
      if (n === undefined || !Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n)))
        throw cellError(value, EXPECTED[type], at);
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'number' || typeof value === 'string') {
        const text = String(value).trim().toLowerCase();
        if (TRUE.has(text)) return 1;
        if (FALSE.has(text)) return 0;
      }
      throw cellError(value, EXPECTED.boolean, at);
    }
    case 'category':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        return String(value).trim();
      throw cellError(value, EXPECTED.category, at);
  }
}
