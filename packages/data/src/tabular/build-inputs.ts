import {
  createEncoder,
  type EncoderSpec,
  extendPreprocessing,
  InvalidInputError,
  isMissing,
  parseRawValue,
  type PipelineTarget,
  type Preprocessing,
  type RawRecord,
  type SchemaAdditions,
} from '@mlops/core';
import { checkRecords, type CellPlace, type SourceRecord, validated } from './build-table';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema';

/** Options for loading prediction-time records with a model version's preprocessing. */
export interface InputOptions {
  /**
   * The preprocessing the records are encoded with, exactly as at training time: a pipeline's `preprocessing`
   * (or the loaded table's). The target column is optional in the file.
   */
  readonly preprocessing: EncoderSpec & { readonly target?: PipelineTarget };
  /** A Standard Schema validator (zod, valibot, …) each record must pass; it may also coerce values. */
  readonly schema?: StandardSchemaV1;
  /**
   * Learn the category levels and classes the records add instead of refusing them (a labelled batch to retrain
   * on): they are appended after the known ones and the records encoded with the grown preprocessing, returned
   * as `extended`. Needs a full preprocessing (with its target).
   */
  readonly extend?: boolean;
  /**
   * A label that is not one of the model's classes: `'error'` (default) stops, naming the line; `'skip'` leaves that
   * row unlabelled (its target `null`) and counts it in `unknownLabels` — to predict a file and score the rows a model
   * can be scored on.
   */
  readonly unknownLabels?: 'error' | 'skip';
}

/** Prediction-time records: as read, encoded, and their labels when the file has the target column. */
export interface LoadedInputs {
  /** The records as read (ids and other columns included), in file order. */
  readonly records: readonly RawRecord[];
  /** The records encoded as the estimator takes them. */
  readonly rows: readonly number[][];
  /**
   * Per record, its target (a class index, or a value for regression), `null` when that record's target is
   * missing; absent when the file has no target column.
   */
  readonly target?: readonly (number | null)[];
  /** Where each record came from (line or record index). */
  readonly places: readonly CellPlace[];
  /** Cells filled per input column: missing values, and categories the model did not see (with `unseenCategory: 'missing'`). */
  readonly filled: Readonly<Record<string, { readonly missing: number; readonly unseen: number }>>;
  /** Input columns the file does not have at all (every record gets their fill value). */
  readonly absent: readonly string[];
  /** With `unknownLabels: 'skip'`: rows per label the model's classes lack (absent when none). */
  readonly unknownLabels?: Readonly<Record<string, number>>;
  /** With `extend`: the preprocessing the records were encoded with, and the levels and classes they added. */
  readonly extended?: { readonly preprocessing: Preprocessing; readonly added: SchemaAdditions };
}

/** Refuses a header column that is neither an input, the target nor a dropped column, before any row is read. */
function checkHeader(header: readonly string[], pre: InputOptions['preprocessing'], at: CellPlace | undefined): void {
  const names = pre.inputs.map((c) => c.name);
  const known = new Set([...names, ...(pre.target ? [pre.target.name] : []), ...(pre.dropped ?? [])]);
  const unknown = header.filter((column) => !known.has(column));
  if (unknown.length === 0) return;
  const where = at?.what === 'line' ? 'the header' : `${at?.what ?? 'row'} ${at?.line ?? 0}`;
  const delimiter = unknown.length === 1 && header.length === 1 ? /[;\t|]/.exec(unknown[0]!)?.[0] : undefined;
  const hint = delimiter ? ` (is the delimiter ${JSON.stringify(delimiter)}?)` : '';
  throw new InvalidInputError(
    `${where} has ${unknown.length === 1 ? 'column' : 'columns'} ${unknown.map((c) => JSON.stringify(c)).join(', ')}, which the model does not take${hint}: its inputs are ${names.join(', ')}${pre.target ? `, its target ${pre.target.name}` : ''}${pre.dropped?.length ? `, and it ignores ${pre.dropped.join(', ')}` : ''}`,
    { row: at?.line ?? 0, columnName: unknown[0]! },
  );
}

function encodeTarget(
  target: PipelineTarget,
  value: unknown,
  at: CellPlace,
  missingValues: readonly string[],
  unknown?: Record<string, number>,
) {
  if (isMissing(value, missingValues)) return null;
  const ref = { place: `${at.what} ${at.line}, target column "${target.name}"`, row: at.line, columnName: target.name };
  if (target.task === 'regression') return parseRawValue(value, 'number', ref) as number;
  const label = parseRawValue(value, 'category', ref) as string;
  const index = target.classNames?.indexOf(label) ?? -1;
  if (index < 0 && unknown) {
    unknown[label] = (unknown[label] ?? 0) + 1;
    return null;
  }
  if (index < 0)
    throw new InvalidInputError(
      `${ref.place} is ${JSON.stringify(label)}, which is not one of the classes (${(target.classNames ?? []).join(', ')})`,
      { row: at.line, columnName: target.name },
    );
  return index;
}

/**
 * Loads records to predict: validates them like a training table (same header and cell rules), then encodes
 * them with `preprocessing` — errors (`InvalidInputError`) name the line and column of a wrong type, an unseen
 * category or an unknown column. The target column may be absent (unlabelled files load).
 */
export async function buildInputs(
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  options: InputOptions,
): Promise<LoadedInputs> {
  const given = options?.preprocessing;
  if (typeof given !== 'object' || given === null || !Array.isArray(given.inputs))
    throw new InvalidInputError('options.preprocessing must be a model\'s preprocessing (with its "inputs")');
  if (options.schema !== undefined && !isStandardSchema(options.schema))
    throw new InvalidInputError('schema must be a Standard Schema validator (zod, valibot, …)');
  if (options.extend && (given.target === undefined || !('unseenCategory' in given)))
    throw new InvalidInputError('options.extend needs a full preprocessing, with its target');
  const rows = await validated(records, options.schema);
  const header = rows.length > 0 ? checkRecords(rows) : [];
  checkHeader(header, options.preprocessing, rows[0]?.at);
  const places = rows.map((r) => r.at);
  const values = rows.map((r) => r.values as RawRecord);
  const extended = options.extend ? extendPreprocessing(options.preprocessing as Preprocessing, values) : undefined;
  const pre = extended?.preprocessing ?? options.preprocessing;
  const filled: Record<string, { missing: number; unseen: number }> = {};
  const encoded = createEncoder(pre)(values, {
    placeOf: (i) => ({ label: `${places[i]!.what} ${places[i]!.line}`, row: places[i]!.line }),
    onFill: (column, why) => {
      const count = filled[column] ?? { missing: 0, unseen: 0 };
      count[why]++;
      filled[column] = count;
    },
  });
  const target = pre.target;
  const labelled = target !== undefined && header.includes(target.name);
  const unknown: Record<string, number> | undefined = options.unknownLabels === 'skip' ? {} : undefined;
  // Labels first: `unknown` is counted while they are encoded.
  const targets = labelled
    ? rows.map((r) => encodeTarget(target, r.values[target.name], r.at, pre.missingValues, unknown))
    : undefined;
  return {
    records: values,
    rows: encoded,
    ...(targets ? { target: targets } : {}),
    ...(unknown && Object.keys(unknown).length > 0 ? { unknownLabels: unknown } : {}),
    places,
    filled,
    absent: rows.length > 0 ? pre.inputs.map((c) => c.name).filter((name) => !header.includes(name)) : [],
    ...(extended ? { extended } : {}),
  };
}
