import { InvalidInputError, type FeatureType } from '@mlops/core';
import type { ColumnType } from './column-spec';
import { parseDecimal } from './number-grammar';

/** How one feature column becomes numbers. */
export interface FeatureEncoding {
  readonly name: string;
  readonly type: ColumnType;
  /** For `category`: the values in code order (value i is encoded as i). */
  readonly categories?: readonly string[];
  /** What replaces a missing value (already encoded), when the column imputes. */
  readonly impute?: number;
}

/** The JSON form of a {@link TableEncoding}. */
export interface TableEncodingJson {
  readonly format: 'mlops-table-encoding';
  readonly formatVersion: 1;
  readonly features: readonly FeatureEncoding[];
  readonly target: { readonly name: string; readonly classNames?: readonly string[] };
  readonly missingValues: readonly string[];
  /** Columns left out on purpose (e.g. an id): records may carry them, and they are ignored. */
  readonly ignored?: readonly string[];
}

/** Default tokens that mean "missing" in text data. */
export const DEFAULT_MISSING_VALUES: readonly string[] = Object.freeze(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL']);

const TRUE = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f']);

/** Where a value came from, for error messages. */
export interface CellPlace {
  /** 1-based line (CSV/NDJSON) or 0-based record index (JSON arrays, prediction rows). */
  readonly line: number;
  readonly what: 'line' | 'row';
}

function place(at: CellPlace, column: string): string {
  return `${at.what} ${at.line}, column "${column}"`;
}

/** True for the cell values a table can hold: strings, numbers, booleans, `null` and `undefined` (never objects or arrays). */
export function isScalar(value: unknown): value is string | number | boolean | null | undefined {
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

/**
 * Parses one present value as `type` (a category's code comes from `categories`); `InvalidInputError` naming the cell.
 * Objects and arrays are never accepted. Number text must follow {@link parseDecimal} exactly (not trimmed:
 * `" 3 "` is an error); boolean and category text is trimmed.
 */
export function parseCell(
  value: unknown,
  type: ColumnType,
  column: string,
  at: CellPlace,
  categories?: ReadonlyMap<string, number>,
): number | string {
  const where = place(at, column);
  const shown = isScalar(value)
    ? typeof value === 'number'
      ? String(value) // Infinity and NaN as themselves (JSON would say null)
      : JSON.stringify(value)
    : Array.isArray(value)
      ? 'an array'
      : `a value of type ${typeof value}`;
  const fail = (expected: string) =>
    new InvalidInputError(`${where} is ${shown}: expected ${expected}`, { row: at.line, columnName: column });
  if (!isScalar(value)) throw fail(`a single ${type === 'category' ? 'category (text)' : type} value`);
  switch (type) {
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? parseDecimal(value) : undefined;
      if (n === undefined || !Number.isFinite(n))
        throw fail(
          `${type === 'integer' ? 'an integer' : 'a number'} (decimal digits, optional sign, point and exponent)`,
        );
      if (type === 'integer' && !Number.isInteger(n)) throw fail('an integer');
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const text = String(value).trim().toLowerCase();
      if (TRUE.has(text)) return 1;
      if (FALSE.has(text)) return 0;
      throw fail('a boolean (true/false, 1/0, yes/no)');
    }
    case 'category': {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        throw fail('a category (text)'); // null/undefined
      const text = String(value).trim();
      if (!categories) return text;
      const code = categories.get(text);
      if (code === undefined) {
        throw new InvalidInputError(
          `${where} is ${JSON.stringify(text)}, which is not one of its categories (${[...categories.keys()].join(', ')})`,
          {
            row: at.line,
            columnName: column,
          },
        );
      }
      return code;
    }
  }
}

/** The `Dataset` feature type a column is encoded as (category codes are integers). */
export function featureTypeOf(type: ColumnType): FeatureType {
  return type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : 'integer';
}

/**
 * The encoding a table was loaded with — column order, types, category codes and imputed values — kept to
 * encode prediction-time records exactly as the training data was. Serialisable (`toJSON`/`fromJSON`).
 */
export class TableEncoding {
  readonly features: readonly FeatureEncoding[];
  readonly target: { readonly name: string; readonly classNames?: readonly string[] };
  readonly missingValues: readonly string[];
  /** Columns left out on purpose (e.g. an id): records may carry them, and they are ignored. */
  readonly ignored: readonly string[];
  private readonly codes: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Columns a record may carry: the features, the target and the ignored columns. */
  private readonly known: ReadonlySet<string>;

  constructor(json: Omit<TableEncodingJson, 'format' | 'formatVersion'>) {
    this.features = Object.freeze(json.features.map((f) => Object.freeze({ ...f })));
    this.target = Object.freeze({ ...json.target });
    this.missingValues = Object.freeze([...json.missingValues]);
    this.ignored = Object.freeze([...(json.ignored ?? [])]);
    this.known = new Set([...this.features.map((f) => f.name), this.target.name, ...this.ignored]);
    this.codes = new Map(
      this.features
        .filter((f) => f.type === 'category')
        .map((f) => [f.name, new Map((f.categories ?? []).map((c, i) => [c, i]))]),
    );
  }

  /** Feature names, in column order. */
  get featureNames(): string[] {
    return this.features.map((f) => f.name);
  }

  /**
   * Encodes records (objects keyed by column name, e.g. parsed CSV rows or JSON request bodies) into
   * feature rows: categories to their codes, missing values imputed where the column imputed at training
   * time; anything else missing, unknown or malformed is an `InvalidInputError` naming the row and column.
   * A column that is neither a feature, the target (which prediction files may carry) nor an ignored column is an
   * error too.
   */
  encode(records: readonly Readonly<Record<string, unknown>>[]): number[][] {
    if (!Array.isArray(records)) throw new InvalidInputError('encode needs an array of records');
    return records.map((record, row) => {
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw new InvalidInputError(`row ${row} must be an object of column values`, { row });
      }
      for (const column of Object.keys(record)) {
        if (!this.known.has(column)) {
          throw new InvalidInputError(
            `row ${row} has column "${column}", which is neither a feature, the target "${this.target.name}" nor an ignored column of this encoding`,
            {
              row,
              columnName: column,
            },
          );
        }
      }
      return this.features.map((feature) => {
        const value = Object.hasOwn(record, feature.name) ? record[feature.name] : undefined;
        if (isMissing(value, this.missingValues)) {
          if (feature.impute !== undefined) return feature.impute;
          throw new InvalidInputError(`row ${row}, column "${feature.name}" is missing`, {
            row,
            columnName: feature.name,
          });
        }
        return parseCell(
          value,
          feature.type,
          feature.name,
          { line: row, what: 'row' },
          this.codes.get(feature.name),
        ) as number;
      });
    });
  }

  /** The encoding as JSON-safe data, to store next to the model. */
  toJSON(): TableEncodingJson {
    return {
      format: 'mlops-table-encoding',
      formatVersion: 1,
      features: this.features,
      target: this.target,
      missingValues: this.missingValues,
      ...(this.ignored.length > 0 ? { ignored: this.ignored } : {}),
    };
  }

  /** Rebuilds an encoding from {@link TableEncoding.toJSON}, validating it (`InvalidInputError`). */
  static fromJSON(json: TableEncodingJson): TableEncoding {
    const bad = (why: string) => new InvalidInputError(`invalid table encoding: ${why}`);
    if (typeof json !== 'object' || json === null || json.format !== 'mlops-table-encoding' || json.formatVersion !== 1)
      throw bad('not an mlops-table-encoding v1');
    if (!Array.isArray(json.features) || json.features.length === 0) throw bad('features must be a non-empty list');
    for (const f of json.features) {
      if (typeof f?.name !== 'string' || !['number', 'integer', 'boolean', 'category'].includes(f.type))
        throw bad('each feature needs a name and a type');
      if (
        f.type === 'category' &&
        (!Array.isArray(f.categories) || !(f.categories as unknown[]).every((c) => typeof c === 'string'))
      )
        throw bad(`category feature "${f.name}" needs its categories`);
      if (f.impute !== undefined && !Number.isFinite(f.impute))
        throw bad(`feature "${f.name}" has a non-numeric impute value`);
    }
    if (typeof json.target?.name !== 'string') throw bad('target needs a name');
    if (!Array.isArray(json.missingValues) || !json.missingValues.every((v) => typeof v === 'string'))
      throw bad('missingValues must be strings');
    if (
      json.ignored !== undefined &&
      (!Array.isArray(json.ignored) || !json.ignored.every((v) => typeof v === 'string'))
    )
      throw bad('ignored must be a list of column names');
    return new TableEncoding(json);
  }
}
