import {
  type ColumnFill,
  type ColumnType,
  createDataset,
  levelsOf,
  DEFAULT_MISSING_VALUES,
  type Dataset,
  encodedFeatureType,
  FORBIDDEN_KEYS,
  type InputColumn,
  InvalidInputError,
  isMissing,
  isRawValue,
  parseDecimal,
  parseRawValue,
  type Preprocessing,
  type UnseenCategory,
} from '@mlops/core';
import { splitIndices, type TrainTestSplitOptions } from '../split/train-test-split';
import { normaliseSpecs, type ColumnSpec, type ColumnSpecs, type MissingPolicy } from './column-spec';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema';

/** Where a record came from: a 1-based file line (CSV/NDJSON) or a 0-based record index (JSON arrays). */
export interface CellPlace {
  readonly line: number;
  readonly what: 'line' | 'row';
}

/** A cell's place for core's parser, e.g. `line 4, column "home"`. */
function cellRef(at: CellPlace, column: string) {
  return { place: `${at.what} ${at.line}, column "${column}"`, row: at.line, columnName: column };
}

/** A present cell as its column type (category: trimmed text, checked against declared levels). */
function parseCell(
  value: unknown,
  type: ColumnType,
  column: string,
  at: CellPlace,
  levels?: ReadonlySet<string>,
): number | string {
  const parsed = parseRawValue(value, type, cellRef(at, column));
  if (levels && !levels.has(parsed as string))
    throw new InvalidInputError(
      `${at.what} ${at.line}, column "${column}" is ${JSON.stringify(parsed)}, which is not one of its categories (${[...levels].join(', ')})`,
      { row: at.line, columnName: column },
    );
  return parsed;
}

/** Options shared by every table loader. */
export interface TableOptions {
  /** The column to predict. */
  readonly target: string;
  /** Feature columns, in order (default: every column but the target, in file order). */
  readonly features?: readonly string[];
  /**
   * Column types (default: inferred — finite numbers or decimal text as `parseDecimal` (from `@mlops/core`) reads it → `number`
   * (`0x10`, `" 3 "`, `Infinity`, `1_000` are not numbers), true/false → `boolean`, else `category`).
   */
  readonly columns?: ColumnSpecs;
  /** A Standard Schema validator (zod, valibot, …) each record must pass; it may also coerce values. */
  readonly schema?: StandardSchemaV1;
  /**
   * What to do with missing values, for columns whose spec does not say (default `error`). Rows whose target is
   * missing are skipped (and counted in `missing`) under every policy but `error`: a label cannot be imputed.
   */
  readonly missing?: MissingPolicy;
  /** Columns to leave out of the features (an id, a leaking column); ignored when `features` is given. */
  readonly exclude?: readonly string[];
  /** Text that means missing (default `''`, `NA`, `N/A`, `NaN`, `nan`, `null`, `NULL`), compared after trimming. */
  readonly missingValues?: readonly string[];
  /** `classification` (default: the target's values become `classNames`) or `regression` (numeric target). */
  readonly task?: 'classification' | 'regression';
  /** Class names in index order (default: the target values, sorted as scikit-learn's `LabelEncoder`). */
  readonly classNames?: readonly string[];
  /** Dataset name. */
  readonly name?: string;
  /**
   * What a category value the training rows did not have does at prediction time: `error` (default), or
   * `missing` — filled like a missing value (an error when the column has no fill).
   */
  readonly unseenCategory?: UnseenCategory;
  /**
   * Hold rows out for evaluation, as {@link trainTestSplit} selects them (`stratify: true` stratifies by the class):
   * the preprocessing (category levels, fill statistics) is then learned from the training rows only, and the
   * held-out rows come back as `test`, encoded with it.
   */
  readonly holdout?: Omit<TrainTestSplitOptions, 'stratify'> & { readonly stratify?: boolean };
}

/**
 * A loaded table: the dataset, the preprocessing to apply at prediction time (see `createPipeline` in
 * `@mlops/core`), and what was missing.
 */
export interface LoadedTable {
  /** The training rows (every kept row, without `holdout`), encoded. */
  readonly dataset: Dataset;
  /** The held-out rows, encoded with the preprocessing learned from `dataset`'s rows (with `holdout` only). */
  readonly test?: Dataset;
  /** Column types, category levels, fill values and target, learned from the training rows. */
  readonly preprocessing: Preprocessing;
  /** Missing values per column (only columns that had some). */
  readonly missing: Readonly<Record<string, number>>;
  /** Lines (or record indices) of rows dropped for missing values. */
  readonly droppedRows: readonly number[];
}

/** One raw record and where it came from. */
export interface SourceRecord {
  readonly at: CellPlace;
  readonly values: Readonly<Record<string, unknown>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function issuePath(path: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined): string {
  return (path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
}

export async function validated(
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  schema: StandardSchemaV1 | undefined,
): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const record of records) {
    if (!isRecord(record?.values))
      throw new InvalidInputError(
        `${record?.at?.what ?? 'row'} ${record?.at?.line ?? out.length} must be an object of column values`,
      );
    if (!schema) {
      out.push(record);
      continue;
    }
    const result = await schema['~standard'].validate(record.values);
    if (result.issues) {
      const first = result.issues[0]!;
      const column = issuePath(first.path);
      const where = `${record.at.what} ${record.at.line}${column ? `, column "${column}"` : ''}`;
      throw new InvalidInputError(
        `${where} fails the schema: ${first.message}${result.issues.length > 1 ? ` (and ${result.issues.length - 1} more issues)` : ''}`,
        {
          row: record.at.line,
          ...(column ? { columnName: column } : {}),
        },
      );
    }
    if (!isRecord(result.value))
      throw new InvalidInputError(`the schema turned ${record.at.what} ${record.at.line} into a non-object`);
    out.push({ at: record.at, values: result.value as Record<string, unknown> });
  }
  return out;
}

/** Text read as a boolean when a whole column holds nothing else (`y`/`n`, `t`/`f` and `1`/`0` are too ambiguous). */
const BOOLEAN_TEXT: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no']);

/**
 * `number` when every present value is a finite number or decimal text (`parseDecimal` of `@mlops/core`), `boolean`
 * for booleans and `true`/`false`/`yes`/`no` text (any case), else `category`.
 */
function inferType(records: readonly SourceRecord[], column: string, missingValues: readonly string[]): ColumnType {
  let sawBoolean = false;
  let sawOther = false;
  for (const { values } of records) {
    const value = values[column];
    if (isMissing(value, missingValues)) continue;
    if (typeof value === 'boolean') sawBoolean = true;
    else if (
      typeof value === 'number'
        ? Number.isFinite(value)
        : typeof value === 'string' && parseDecimal(value) !== undefined
    )
      continue;
    else if (typeof value === 'string' && BOOLEAN_TEXT.has(value.trim().toLowerCase())) sawBoolean = true;
    else sawOther = true;
  }
  return sawOther ? 'category' : sawBoolean ? 'boolean' : 'number';
}

/** A column name that could reach `Object.prototype` (`__proto__`, `constructor`, `prototype`) is refused everywhere. */
function checkName(name: string, what: string, options: { row?: number } = {}): void {
  if (FORBIDDEN_KEYS.has(name)) {
    throw new InvalidInputError(
      `${what} "${name}" is a forbidden column name (__proto__, constructor and prototype are refused)`,
      { ...options, columnName: name },
    );
  }
}

/**
 * The first record's columns are the table's columns: a later record with another column is an error (never
 * silently ignored; a column it lacks is a missing value). Every cell must be a scalar (no objects or arrays).
 */
export function checkRecords(rows: readonly SourceRecord[]): string[] {
  const header = Object.keys(rows[0]!.values);
  const known = new Set(header);
  for (const { at, values } of rows) {
    for (const column of Object.keys(values)) {
      checkName(column, `${at.what} ${at.line}: column`, { row: at.line });
      if (!known.has(column)) {
        throw new InvalidInputError(
          `${at.what} ${at.line} has column "${column}", which the first record does not have (columns: ${header.join(', ')})`,
          {
            row: at.line,
            columnName: column,
          },
        );
      }
      const value = values[column];
      if (!isRawValue(value)) {
        throw new InvalidInputError(
          `${at.what} ${at.line}, column "${column}" is ${Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`}: expected a single value (text, number or boolean)`,
          {
            row: at.line,
            columnName: column,
          },
        );
      }
    }
  }
  return header;
}

function checkOptions(options: TableOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new InvalidInputError('options with a "target" column are needed');
  if (typeof options.target !== 'string' || options.target === '')
    throw new InvalidInputError('a "target" column is needed');
  checkName(options.target, 'the target');
  if (options.features !== undefined) {
    if (!Array.isArray(options.features) || !options.features.every((f) => typeof f === 'string'))
      throw new InvalidInputError('features must be a list of column names');
    for (const name of options.features) checkName(name, 'feature');
    const twice = options.features.find((f, i) => options.features!.indexOf(f) !== i);
    if (twice !== undefined) throw new InvalidInputError(`feature "${twice}" is listed twice`, { columnName: twice });
  }
  if (options.exclude !== undefined) {
    if (!Array.isArray(options.exclude) || !options.exclude.every((f) => typeof f === 'string'))
      throw new InvalidInputError('exclude must be a list of column names');
    for (const name of options.exclude) checkName(name, 'excluded column');
  }
  if (
    options.unseenCategory !== undefined &&
    options.unseenCategory !== 'error' &&
    options.unseenCategory !== 'missing'
  )
    throw new InvalidInputError(
      `unseenCategory must be "error" or "missing", not ${JSON.stringify(options.unseenCategory)}`,
    );
  if (options.holdout !== undefined && (typeof options.holdout !== 'object' || options.holdout === null))
    throw new InvalidInputError('holdout must be split options ({ testSize, seed, stratify })');
  if (options.task !== undefined && options.task !== 'classification' && options.task !== 'regression') {
    throw new InvalidInputError(`task must be "classification" or "regression", not ${JSON.stringify(options.task)}`);
  }
  if (
    options.classNames !== undefined &&
    (!Array.isArray(options.classNames) || !options.classNames.every((c) => typeof c === 'string'))
  ) {
    throw new InvalidInputError('classNames must be a list of strings');
  }
  if (
    options.missingValues !== undefined &&
    (!Array.isArray(options.missingValues) || !options.missingValues.every((c) => typeof c === 'string'))
  ) {
    throw new InvalidInputError('missingValues must be a list of strings');
  }
}

/** The raw fill value of a column: booleans as `true`/`false`, categories as their level, numbers as numbers. */
function rawFill(type: ColumnType, value: number | string): number | string | boolean {
  return type === 'boolean' ? value === 1 : value;
}

function resolveImpute(
  policy: MissingPolicy,
  spec: ColumnSpec,
  present: readonly (number | string)[],
  column: string,
): ColumnFill | undefined {
  if (policy === 'error' || policy === 'drop') return undefined;
  if (policy === 'keep') return { strategy: 'keep' };
  const how =
    policy === 'impute' ? (spec.type === 'number' || spec.type === 'integer' ? 'median' : 'mode') : policy.impute;
  if (present.length === 0)
    throw new InvalidInputError(`column "${column}" has no values to impute from`, { columnName: column });
  if (how === 'mode') {
    const counts = new Map<number | string, number>();
    for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
    const mode = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]![0];
    return { strategy: 'mode', value: rawFill(spec.type, mode) };
  }
  if (how === 'mean' || how === 'median') {
    if (spec.type === 'category' || spec.type === 'boolean')
      throw new InvalidInputError(
        `column "${column}" is a ${spec.type}: impute it with "mode" or a value, not "${how}"`,
        { columnName: column },
      );
    const numbers = (present as number[]).slice().sort((a, b) => a - b);
    const mid = numbers.length >> 1;
    const value =
      how === 'mean'
        ? numbers.reduce((s, v) => s + v, 0) / numbers.length
        : numbers.length % 2
          ? numbers[mid]!
          : (numbers[mid - 1]! + numbers[mid]!) / 2;
    return { strategy: how, value: spec.type === 'number' ? value : Math.round(value) };
  }
  if (typeof how !== 'number' && typeof how !== 'string' && typeof how !== 'boolean')
    throw new InvalidInputError(`column "${column}": impute must be "mean", "median", "mode" or a value`, {
      columnName: column,
    });
  try {
    return {
      strategy: 'constant',
      value: rawFill(spec.type, parseCell(how, spec.type, column, { line: 0, what: 'row' })),
    };
  } catch (error) {
    throw new InvalidInputError(
      `column "${column}" imputes ${JSON.stringify(how)}, which is not a valid ${spec.type} value`,
      { columnName: column, cause: error },
    );
  }
}

/**
 * Turns raw records into a `Dataset` plus the `TableEncoding` to reuse at prediction time: validates them
 * (optionally with a Standard Schema), types every column (given or inferred), handles missing values by
 * the chosen policy, encodes categories and the target. Errors (`InvalidInputError`) name the line and column.
 *
 * Nothing is changed silently: the first record's keys are the columns, and a later record with another key
 * is an error (a key it lacks is a missing value); an object or array cell is an error; the column names
 * `__proto__`, `constructor` and `prototype` are refused (in records, `target` and `features`); number text
 * must follow `parseDecimal` (from `@mlops/core`) exactly (no trimming), while boolean, category and missing-token text is trimmed.
 */
export async function buildTable(
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  options: TableOptions,
): Promise<LoadedTable> {
  checkOptions(options);
  if (options.schema !== undefined && !isStandardSchema(options.schema))
    throw new InvalidInputError('schema must be a Standard Schema validator (zod, valibot, …)');
  const missingValues = options.missingValues ?? DEFAULT_MISSING_VALUES;
  const specs = normaliseSpecs(options.columns ?? {});
  const rows = await validated(records, options.schema);
  if (rows.length === 0) throw new InvalidInputError('the table has no rows');
  const header = checkRecords(rows);
  const target = options.target;
  if (!rows.some((r) => Object.hasOwn(r.values, target)))
    throw new InvalidInputError(`the target column "${target}" is not in the table (columns: ${header.join(', ')})`, {
      columnName: target,
    });
  for (const name of options.exclude ?? []) {
    if (!header.includes(name))
      throw new InvalidInputError(`excluded column "${name}" is not in the table (columns: ${header.join(', ')})`, {
        columnName: name,
      });
  }
  const features = options.features ?? header.filter((c) => c !== target && !options.exclude?.includes(c));
  if (features.length === 0) throw new InvalidInputError('the table has no feature columns');
  if (features.includes(target))
    throw new InvalidInputError(`the target "${target}" cannot also be a feature`, { columnName: target });
  for (const name of features) {
    if (!rows.some((r) => Object.hasOwn(r.values, name)))
      throw new InvalidInputError(`feature column "${name}" is not in the table`, { columnName: name });
  }

  const columnSpecs = features.map(
    (name): ColumnSpec => specs.get(name) ?? { type: inferType(rows, name, missingValues) },
  );
  const policies = columnSpecs.map((spec) => spec.missing ?? options.missing ?? 'error');
  const declaredLevels = columnSpecs.map((spec) => (spec.categories ? new Set(spec.categories) : undefined));
  const missingCounts: Record<string, number> = {};
  const dropped = new Set<number>();

  // Pass 1: parse present cells, note missing ones.
  const cells: (number | string | undefined)[][] = rows.map((row, i) =>
    features.map((name, j) => {
      const value = row.values[name];
      if (isMissing(value, missingValues)) {
        missingCounts[name] = (missingCounts[name] ?? 0) + 1;
        const policy = policies[j]!;
        if (policy === 'error') {
          throw new InvalidInputError(
            `${row.at.what} ${row.at.line}, column "${name}" is missing (set the missing option to "impute", "drop" or { impute })`,
            {
              row: row.at.line,
              columnName: name,
            },
          );
        }
        if (policy === 'drop') dropped.add(i);
        return undefined;
      }
      return parseCell(value, columnSpecs[j]!.type, name, row.at, declaredLevels[j]);
    }),
  );
  // Target.
  const task = options.task ?? 'classification';
  const targetRaw = rows.map((row, i) => {
    const value = row.values[target];
    if (!isMissing(value, missingValues)) return value;
    missingCounts[target] = (missingCounts[target] ?? 0) + 1;
    if ((options.missing ?? 'error') !== 'error') {
      dropped.add(i);
      return undefined;
    }
    throw new InvalidInputError(`${row.at.what} ${row.at.line}, target column "${target}" is missing`, {
      row: row.at.line,
      columnName: target,
    });
  });
  const kept = rows.map((_, i) => i).filter((i) => !dropped.has(i));
  if (kept.length === 0) throw new InvalidInputError('every row was dropped for missing values');

  let targetValues: number[];
  let classNames: string[] | undefined;
  if (task === 'regression') {
    targetValues = kept.map((i) => parseRawValue(targetRaw[i], 'number', cellRef(rows[i]!.at, target)) as number);
  } else {
    const labels = kept.map((i) => String(targetRaw[i]).trim());
    classNames = options.classNames ? [...options.classNames] : [...new Set(labels)].sort();
    const index = new Map(classNames.map((c, k) => [c, k]));
    targetValues = kept.map((i, k) => {
      const code = index.get(labels[k]!);
      if (code === undefined) {
        throw new InvalidInputError(
          `${rows[i]!.at.what} ${rows[i]!.at.line}, target "${labels[k]}" is not one of the classes (${classNames!.join(', ')})`,
          {
            row: rows[i]!.at.line,
            columnName: target,
          },
        );
      }
      return code;
    });
  }

  // Which kept rows the preprocessing is learned from.
  const split = options.holdout
    ? splitIndices(kept.length, {
        ...options.holdout,
        stratify: options.holdout.stratify ? stratifyLabels(targetValues, classNames) : undefined,
        ...(classNames ? { classNames } : {}),
      })
    : undefined;
  const fitRows = split ? split.trainIndices.map((k) => kept[k]!) : kept;
  const unseenCategory = options.unseenCategory ?? 'error';

  // Pass 2: levels and fills from the fitted rows.
  const inputs: InputColumn[] = features.map((name, j) => {
    const spec = columnSpecs[j]!;
    const present = fitRows.map((i) => cells[i]![j]).filter((v): v is number | string => v !== undefined);
    const levels = spec.type === 'category' ? (spec.categories ?? [...new Set(present as string[])].sort()) : undefined;
    const fill = resolveImpute(policies[j]!, spec, present, name);
    if (fill && fill.strategy !== 'keep' && levels && !levels.includes(fill.value as string)) {
      throw new InvalidInputError(
        `column "${name}" imputes ${JSON.stringify(fill.value)}, which is not one of its categories`,
        { columnName: name },
      );
    }
    return {
      name,
      type: spec.type,
      ...(levels ? { levels } : {}),
      nullable: fill !== undefined,
      ...(fill ? { fill } : {}),
      missingCount: fitRows.reduce((n, i) => n + (cells[i]![j] === undefined ? 1 : 0), 0),
    };
  });
  const preprocessing: Preprocessing = {
    inputs,
    target: { name: target, task, ...(classNames ? { classNames } : {}) },
    dropped: header.filter((c) => c !== target && !features.includes(c)),
    missingValues: [...missingValues],
    unseenCategory,
  };
  const encode = encoderOf(preprocessing, fitRows.length);
  const keepsMissing = inputs.some((c) => c.fill?.strategy === 'keep');
  const datasetOf = (positions: readonly number[], suffix: string) =>
    createDataset(
      {
        features: positions.map((k) => encode(cells[kept[k]!]!, rows[kept[k]!]!.at)),
        target: positions.map((k) => targetValues[k]!),
        featureNames: features,
        featureTypes: columnSpecs.map((s) => encodedFeatureType(s.type)),
        ...(classNames ? { classNames } : {}),
        ...(inputs.some((c) => c.type === 'category') ? { levels: levelsOf(preprocessing) } : {}),
        ...(options.name === undefined ? {} : { name: `${options.name}${suffix}` }),
      },
      { allowMissing: keepsMissing },
    );
  const all = kept.map((_, k) => k);
  return {
    dataset: datasetOf(split ? split.trainIndices : all, ''),
    ...(split ? { test: datasetOf(split.testIndices, ' (test)') } : {}),
    preprocessing,
    missing: missingCounts,
    droppedRows: [...dropped].sort((a, b) => a - b).map((i) => rows[i]!.at.line),
  };
}

/** Class indices to stratify by; a regression target cannot be stratified. */
function stratifyLabels(target: readonly number[], classNames: readonly string[] | undefined): readonly number[] {
  if (!classNames)
    throw new InvalidInputError(
      'holdout.stratify needs class labels, and this table has a numeric (regression) target: hold out without stratify',
    );
  return target;
}

/** Encodes parsed cells (`undefined` for missing) with learned levels and fills; unseen levels follow the option. */
function encoderOf(
  pre: Preprocessing,
  /** Rows the levels were learned from. */
  kept: number,
): (cells: readonly (number | string | undefined)[], at: CellPlace) => number[] {
  const columns = pre.inputs.map((input) => {
    const codes = new Map((input.levels ?? []).map((level, k) => [level, k]));
    const code = (v: number | string | boolean): number =>
      typeof v === 'string' ? codes.get(v)! : typeof v === 'boolean' ? (v ? 1 : 0) : v;
    const fill = input.fill;
    return {
      input,
      codes,
      fill: fill === undefined ? undefined : fill.strategy === 'keep' ? Number.NaN : code(fill.value),
    };
  });
  return (cells, at) =>
    columns.map(({ input, codes, fill }, j) => {
      const value = cells[j];
      if (value === undefined) return fill!; // only columns with a fill keep rows with missing cells
      if (typeof value === 'number') return value;
      const code = codes.get(value);
      if (code !== undefined) return code;
      if (pre.unseenCategory === 'missing' && fill !== undefined) return fill;
      const levels = input.levels ?? [];
      const shown =
        levels.length > 20 ? `${levels.slice(0, 20).join(', ')}, … (${levels.length} levels)` : levels.join(', ');
      // A text column with a different value in (nearly) every training row is an identifier, not a feature.
      const identifier = levels.length >= 20 && levels.length >= 0.9 * (kept - input.missingCount);
      const advice = identifier
        ? `: "${input.name}" has a different value in nearly every row — an identifier? leave it out (exclude)`
        : pre.unseenCategory === 'missing'
          ? ', and this column has no fill value'
          : ': set unseenCategory to "missing" (--unseen missing in the CLI) to fill it';
      throw new InvalidInputError(
        `${at.what} ${at.line}, column "${input.name}" is ${JSON.stringify(value)}, which is not one of the levels learned from the training rows (${shown})${advice}`,
        { row: at.line, columnName: input.name },
      );
    });
}
