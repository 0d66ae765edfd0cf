import type { InputColumn, Preprocessing, RawRecord, RawRow } from '../contracts/pipeline';
import { InvalidInputError } from '../errors/errors';
import { cellError, describeValue, isMissing, parseRawValue, type CellRef } from './cells';
import { parseDecimal } from './number-grammar';

/** Raw prediction input: records keyed by column name, or positional rows in input order. */
export type RawInput = readonly RawRecord[] | readonly RawRow[];

/** What an encoder needs: {@link Preprocessing} without the target and dropped columns (which records may then not carry). */
export type EncoderSpec = Pick<Preprocessing, 'inputs' | 'missingValues' | 'unseenCategory'> &
  Partial<Pick<Preprocessing, 'target' | 'dropped'>>;

/** Options of an {@link Encoder} call. */
export interface EncodeOptions {
  /** What the input is, for messages (default `predict input`): errors say `predict input row 3, column "home"…`. */
  readonly what?: string;
  /** Where row `i` came from, for messages (e.g. `line 12` of a file) and the error's `row` detail. */
  readonly placeOf?: (i: number) => { readonly label: string; readonly row: number };
  /** Told of every filled cell: a missing value, or a category level the column did not see at fit time. */
  readonly onFill?: (column: string, why: 'missing' | 'unseen', row: number) => void;
}

/** Turns raw input into the numeric rows an estimator takes. */
export type Encoder = (input: RawInput, options?: EncodeOptions) => number[][];

function listLevels(levels: readonly string[]): string {
  const shown = levels.slice(0, 20).join(', ');
  return levels.length > 20 ? `${shown}, … (${levels.length} levels)` : shown;
}

/** Encodes one cell; `where` reads like `predict input row 3` and `row` is the error's row detail. */
type CellEncoder = (value: unknown, row: number, positional: boolean, where: string) => number;

function cellEncoder(column: InputColumn, pre: EncoderSpec, onFill: EncodeOptions['onFill']): CellEncoder {
  const { name, type } = column;
  const ref = (row: number, where: string): CellRef => ({
    place: `${where}, column "${name}"`,
    row,
    columnName: name,
  });
  const codes = new Map((column.levels ?? []).map((level, i) => [level, i]));
  const fillCode = (): number | undefined => {
    const fill = column.fill;
    if (fill === undefined) return undefined;
    if (fill.strategy === 'keep') return Number.NaN; // the estimator handles missing values
    if (type === 'category') return codes.get(String(fill.value));
    return typeof fill.value === 'boolean' ? (fill.value ? 1 : 0) : (fill.value as number);
  };
  const filled = fillCode();
  const missing = (row: number, where: string): number => {
    if (filled !== undefined) {
      onFill?.(name, 'missing', row);
      return filled;
    }
    throw new InvalidInputError(`${where}, column "${name}" is missing, and this column has no fill value`, {
      row,
      columnName: name,
    });
  };
  if (type !== 'category') {
    const numeric = type === 'number' || type === 'integer';
    return (value, row, _positional, where) => {
      if (isMissing(value, pre.missingValues)) return missing(row, where);
      // The common cases without building an error reference: finite numbers, and number text.
      if (numeric) {
        const n = typeof value === 'number' ? value : typeof value === 'string' ? parseDecimal(value) : undefined;
        if (n !== undefined && Number.isFinite(n) && (type === 'number' || Number.isInteger(n))) return n;
      }
      return parseRawValue(value, type, ref(row, where)) as number;
    };
  }
  const levels = column.levels ?? [];
  return (value, row, positional, where) => {
    if (isMissing(value, pre.missingValues)) return missing(row, where);
    if (positional && typeof value === 'number') {
      // A positional row may carry a category's code.
      if (Number.isInteger(value) && value >= 0 && value < levels.length) return value;
      throw cellError(
        value,
        `a level of "${name}" (${listLevels(levels)}) or its code 0–${levels.length - 1}`,
        ref(row, where),
      );
    }
    const exact = typeof value === 'string' ? codes.get(value) : undefined; // most text is already trimmed
    if (exact !== undefined) return exact;
    const text = parseRawValue(value, 'category', ref(row, where)) as string;
    const code = codes.get(text);
    if (code !== undefined) return code;
    if (pre.unseenCategory === 'missing' && filled !== undefined) {
      onFill?.(name, 'unseen', row);
      return filled;
    }
    throw new InvalidInputError(
      `${where}, column "${name}" is ${describeValue(text)}, which is not one of its levels (${listLevels(levels)})${pre.unseenCategory === 'missing' ? ', and this column has no fill value' : ''}`,
      { row, columnName: name },
    );
  };
}

/**
 * Compiles preprocessing into an encoder. Records are keyed by column name: a column that is neither an input,
 * the target nor a dropped column is an error, a missing or absent input is filled (or an error when the column
 * has no fill). Positional rows hold one raw value per input, in order (a category as its level or code). Every
 * error is an `InvalidInputError` naming the row and column.
 */
export function createEncoder(pre: EncoderSpec): Encoder {
  const plain = pre.inputs.map((column) => cellEncoder(column, pre, undefined));
  const names = pre.inputs.map((c) => c.name);
  const known = new Set([...names, ...(pre.target ? [pre.target.name] : []), ...(pre.dropped ?? [])]);
  const width = names.length;
  return (input, options = {}) => {
    const what = options.what ?? 'predict input';
    const onFill = options.onFill;
    const cells = onFill ? pre.inputs.map((column) => cellEncoder(column, pre, onFill)) : plain;
    if (!Array.isArray(input)) throw new InvalidInputError(`${what} must be an array of records or rows`);
    const out = new Array<number[]>(input.length);
    for (let i = 0; i < input.length; i++) {
      const item = input[i] as unknown;
      const place = options.placeOf?.(i);
      const where = place ? place.label : `${what} row ${i}`;
      const at = place ? place.row : i;
      const row = new Array<number>(width);
      if (Array.isArray(item)) {
        if (item.length !== width)
          throw new InvalidInputError(
            `${where} has ${item.length} values but the model takes ${width} (${names.join(', ')})`,
            { row: at },
          );
        for (let j = 0; j < width; j++) row[j] = cells[j]!(item[j], at, true, where);
      } else if (typeof item === 'object' && item !== null) {
        const record = item as Record<string, unknown>;
        for (const key in record) {
          if (!Object.hasOwn(record, key)) continue;
          if (!known.has(key))
            throw new InvalidInputError(
              `${where} has column "${key}", which is not an input of the model (inputs: ${names.join(', ')})`,
              { row: at, columnName: key },
            );
        }
        for (let j = 0; j < width; j++) {
          const name = names[j]!;
          row[j] = cells[j]!(Object.hasOwn(record, name) ? record[name] : undefined, at, false, where);
        }
      } else {
        throw new InvalidInputError(`${where} must be an object of column values or an array`, { row: at });
      }
      out[i] = row;
    }
    return out;
  };
}
