import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { defineCommand } from 'citty';
import {
  type CellRef,
  DEFAULT_MISSING_VALUES,
  type InputColumn,
  InvalidInputError,
  isMissing,
  parseDecimal,
  parseRawValue,
} from '@mlops/core';
import { DriftLog, detectDrift, renderDriftReport } from '@mlops/monitor';
import { loadModel } from '@mlops/registry';
import { codecs } from '@mlops/train';
import { ARTIFACTS_ARG, openCliRegistry, parseModelRef } from '../shared/open-cli-registry';
import { createOutput } from '../shared/output';
import { readRecords } from '../shared/read-table';

/** The level a missing cell of a category column gets, so a change in the share of blanks shows as drift. */
const BLANK = '(blank)';

/** A text column whose values are all distinct is id-like (and skipped) when the reference has more rows than this. */
const MAX_ID_ROWS = 20;

/** One input file: its path (for messages) and its raw records. */
interface Table {
  readonly path: string;
  readonly records: readonly Record<string, unknown>[];
}

/** Blank cells of a numeric column replaced by one value, counted per file. */
interface Filled {
  readonly reference: number;
  readonly current: number;
  readonly value: number;
  readonly from: 'reference median' | 'model fill';
}

/** Both files as typed columns for `detectDrift`, with what was done to get them. */
interface Compared {
  readonly names: string[];
  readonly ref: Record<string, Float64Array>;
  readonly cur: Record<string, Float64Array>;
  readonly types: InputColumn[];
  /** Filled blank cells per numeric column (only columns that had blanks). */
  readonly filled: Record<string, Filled>;
  /** Id-like text columns left out (without --model). */
  readonly skippedIdColumns: string[];
  /** Category values the model never saw, per column (with --model). */
  readonly newLevels: Record<string, string[]>;
  /** The compared model version (with --model). */
  served?: { readonly name: string; readonly version: number };
}

/** Where record `i` of a file is, for messages: its line in a CSV/TSV (after the header) or NDJSON, else its number. */
function cellAt(path: string, i: number, columnName: string): CellRef {
  const ext = extname(path).toLowerCase();
  const where =
    ext === '.csv' || ext === '.tsv'
      ? `line ${i + 2}`
      : ext === '.ndjson' || ext === '.jsonl'
        ? `line ${i + 1}`
        : `record ${i + 1}`;
  return { place: `${path} ${where}, column "${columnName}"`, row: i, columnName };
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A number cell as the no-model path reads it: a finite number, or number text (surrounding spaces allowed). */
function looseNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'string' ? parseDecimal(value.trim()) : undefined;
}

/**
 * A numeric column of both files: present cells parsed by `parse`, blanks filled with `fill` or, without one, the
 * reference median. Returns the filled counts when there were blanks.
 */
function numericColumn(
  name: string,
  sides: readonly [Table, Table],
  missing: readonly string[],
  parse: (value: unknown, at: CellRef) => number,
  fill: number | undefined,
): { ref: Float64Array; cur: Float64Array; filled?: Filled } {
  const [reference, current] = sides.map(({ path, records }) =>
    records.map((r, i) => (isMissing(r[name], missing) ? undefined : parse(r[name], cellAt(path, i, name)))),
  ) as [(number | undefined)[], (number | undefined)[]];
  const blanks = (values: (number | undefined)[]) => values.filter((v) => v === undefined).length;
  const counts = { reference: blanks(reference), current: blanks(current) };
  const value = fill ?? median(reference.filter((v) => v !== undefined));
  if (counts.reference + counts.current > 0 && value === undefined)
    throw new InvalidInputError(
      `column "${name}" of ${sides[0].path} has no values, so its blank cells have no median to be filled with`,
      { columnName: name },
    );
  const column = (values: (number | undefined)[]) => Float64Array.from(values, (v) => v ?? value!);
  return {
    ref: column(reference),
    cur: column(current),
    ...(counts.reference + counts.current > 0
      ? { filled: { ...counts, value: value!, from: fill === undefined ? 'reference median' : 'model fill' } }
      : {}),
  };
}

/**
 * A category column of both files as level codes: the `known` levels, then values of either file not among them
 * (sorted), then `(blank)` when a cell is missing.
 */
function categoryColumn(
  name: string,
  sides: readonly [Table, Table],
  missing: readonly string[],
  known: readonly string[],
): { ref: Float64Array; cur: Float64Array; levels: string[]; added: string[] } {
  const [reference, current] = sides.map(({ path, records }) =>
    records.map((r, i) =>
      isMissing(r[name], missing) ? BLANK : (parseRawValue(r[name], 'category', cellAt(path, i, name)) as string),
    ),
  ) as [string[], string[]];
  const all = new Set([...reference, ...current]);
  const added = [...all].filter((v) => v !== BLANK && !known.includes(v)).sort();
  const levels = [...known, ...added];
  if (all.has(BLANK) && !levels.includes(BLANK)) levels.push(BLANK);
  const codes = new Map(levels.map((level, k) => [level, k]));
  const column = (values: string[]) => Float64Array.from(values, (v) => codes.get(v)!);
  return { ref: column(reference), cur: column(current), levels, added };
}

function requireColumn(table: Table, name: string, what: string): void {
  if (!table.records.some((r) => Object.hasOwn(r, name)))
    throw new InvalidInputError(`${table.path} lacks column "${name}"${what}`, { columnName: name });
}

function emptyCompared(): Compared {
  return { names: [], ref: {}, cur: {}, types: [], filled: {}, skippedIdColumns: [], newLevels: {} };
}

/**
 * Both files read as raw records and kept to the model's input columns, in order (ids, the target and other
 * columns are ignored): categories get the model's levels plus new values and `(blank)`; numbers, integers and
 * booleans (0/1) are parsed as at training time, blanks filled with the model's fill value or the reference median.
 */
async function modelColumns(
  model: string,
  registry: { registry?: string; artifacts?: string },
  sides: readonly [Table, Table],
): Promise<Compared> {
  const { name, ref } = parseModelRef(model);
  const store = await openCliRegistry(registry.registry, registry.artifacts);
  const served = await loadModel(store, name, ref, codecs).finally(() => store.close());
  const missing = served.inputSpec.missingValues.length > 0 ? served.inputSpec.missingValues : DEFAULT_MISSING_VALUES;
  const out = emptyCompared();
  out.served = { name, version: served.version.version };
  for (const column of served.inputs) {
    for (const side of sides) requireColumn(side, column.name, `, an input of ${model}`);
    out.names.push(column.name);
    if (column.type === 'category') {
      const c = categoryColumn(column.name, sides, missing, column.levels ?? []);
      out.ref[column.name] = c.ref;
      out.cur[column.name] = c.cur;
      out.types.push({ ...column, levels: c.levels });
      if (c.added.length > 0) out.newLevels[column.name] = c.added;
      continue;
    }
    const fill = column.fill && column.fill.strategy !== 'keep' ? column.fill.value : undefined;
    const c = numericColumn(
      column.name,
      sides,
      missing,
      (value, at) => parseRawValue(value, column.type, at) as number,
      typeof fill === 'boolean' ? Number(fill) : typeof fill === 'number' ? fill : undefined,
    );
    out.ref[column.name] = c.ref;
    out.cur[column.name] = c.cur;
    out.types.push(column);
    if (c.filled) out.filled[column.name] = c.filled;
  }
  return out;
}

/**
 * Both files' columns without a model: a column is numeric when every non-missing value is a number (blanks filled
 * with the reference median), else a category of its sorted values (plus `(blank)`), compared by level counts.
 * `exclude` columns are left out, and so are id-like text columns (every reference value distinct).
 */
function recordColumns(sides: readonly [Table, Table], exclude: readonly string[]): Compared {
  const [reference, current] = sides;
  const all = [...new Set(reference.records.flatMap((r) => Object.keys(r)))];
  for (const name of exclude)
    if (!all.includes(name))
      throw new InvalidInputError(`--target names "${name}", which is not a column of ${reference.path}`, {
        columnName: name,
      });
  const missing = DEFAULT_MISSING_VALUES;
  const out = emptyCompared();
  for (const name of all.filter((n) => !exclude.includes(n))) {
    requireColumn(current, name, '');
    const values = reference.records.map((r) => r[name]);
    const present = [...values, ...current.records.map((r) => r[name])].filter((v) => !isMissing(v, missing));
    const numeric = values.some((v) => !isMissing(v, missing)) && present.every((v) => looseNumber(v) !== undefined);
    if (numeric) {
      const c = numericColumn(name, sides, missing, (v) => looseNumber(v)!, undefined);
      out.names.push(name);
      out.ref[name] = c.ref;
      out.cur[name] = c.cur;
      out.types.push({ name, type: 'number', nullable: false, missingCount: 0 });
      if (c.filled) out.filled[name] = c.filled;
      continue;
    }
    const idLike =
      values.length > MAX_ID_ROWS &&
      values.every((v) => !isMissing(v, missing)) &&
      new Set(values.map((v) => String(v).trim())).size === values.length;
    if (idLike) {
      out.skippedIdColumns.push(name);
      continue;
    }
    const c = categoryColumn(name, sides, missing, []);
    out.names.push(name);
    out.ref[name] = c.ref;
    out.cur[name] = c.cur;
    out.types.push({ name, type: 'category', levels: c.levels, nullable: false, missingCount: 0 });
  }
  if (out.names.length === 0)
    throw new InvalidInputError(
      `${reference.path} has no columns to compare${out.skippedIdColumns.length > 0 ? ` (skipped id-like columns: ${out.skippedIdColumns.join(', ')})` : ''}`,
    );
  return out;
}

async function readTable(path: string): Promise<Table> {
  const records = await readRecords(path);
  if (records.length === 0) throw new InvalidInputError(`${path} has no rows`);
  return { path, records };
}

function parseDriftShare(text: string): number {
  const value = parseDecimal(text.trim());
  if (value === undefined || !(value > 0 && value <= 1))
    throw new InvalidInputError(`--drift-share must be a number in (0, 1], got ${JSON.stringify(text)}`);
  return value;
}

/** The notes after the per-column lines: filled cells, skipped columns, new levels. */
function notesOf(compared: Compared): string[] {
  return [
    ...Object.entries(compared.filled).map(
      ([name, f]) =>
        `${name}: filled ${f.reference} reference, ${f.current} current blank cells with ${f.value} (${f.from})`,
    ),
    ...(compared.skippedIdColumns.length > 0
      ? [`skipped id-like columns: ${compared.skippedIdColumns.join(', ')}`]
      : []),
    ...Object.entries(compared.newLevels).map(([name, levels]) => `${name}: new levels ${levels.join(', ')}`),
  ];
}

export const monitor = defineCommand({
  meta: { name: 'monitor', description: 'Compare two tables for drift; optionally write an HTML report' },
  args: {
    reference: {
      type: 'string',
      required: true,
      description: 'Reference rows (.csv / .json / .ndjson), e.g. the training data',
    },
    current: { type: 'string', required: true, description: 'Current rows, e.g. last day of requests' },
    target: { type: 'string', description: 'Columns to leave out, comma-separated (the label, other outcomes)' },
    model: {
      type: 'string',
      description:
        "name@alias: compare that version's input columns (others are ignored), new category values as new levels",
    },
    registry: {
      type: 'string',
      description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY), with --model',
    },
    artifacts: ARTIFACTS_ARG,
    html: { type: 'string', description: 'Write the drift report to this HTML file' },
    'drift-log': {
      type: 'string',
      description: 'Append the result to this drift log (NDJSON, with --model) — what `mlops ui --monitoring` draws',
    },
    'drift-share': {
      type: 'string',
      default: '0.5',
      description: 'Share of drifted columns at which the dataset counts as drifted, in (0, 1]',
    },
    'fail-on-drift': { type: 'boolean', description: 'Exit with code 3 when the dataset drifted' },
    json: { type: 'boolean', description: 'Print the report as JSON' },
  },
  async run({ args }) {
    const out = createOutput(Boolean(args.json));
    const driftShare = parseDriftShare(args['drift-share']);
    const sides = await Promise.all([readTable(args.reference), readTable(args.current)]);
    const exclude = (args.target ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    if (args['drift-log'] && !args.model)
      throw new InvalidInputError('--drift-log needs --model: a drift check is logged for a model version');
    const compared = args.model ? await modelColumns(args.model, args, sides) : recordColumns(sides, exclude);
    const { names, ref, cur, types } = compared;
    const report = detectDrift(ref, cur, { featureNames: names, columns: types, driftShare });
    if (args.html)
      await writeFile(
        args.html,
        renderDriftReport(report, {
          reference: ref,
          current: cur,
          title: `Drift: ${args.current} vs ${args.reference}`,
        }),
      );
    if (args['drift-log'] && compared.served)
      await new DriftLog({ path: args['drift-log'] }).append({
        model: compared.served.name,
        version: compared.served.version,
        report,
      });
    const { filled, skippedIdColumns, newLevels } = compared;
    out.result({ ...report, driftShare, filled, skippedIdColumns, newLevels }, () =>
      [
        `dataset drift: ${report.datasetDrift ? 'YES' : 'no'} (${report.driftedCount}/${report.features.length} features, ${report.referenceRows} vs ${report.currentRows} rows)`,
        ...report.features.map(
          (f) =>
            `  ${f.drifted ? 'DRIFT' : 'ok   '} ${f.feature}: ${f.test} ${f.statistic.toFixed(4)}${f.pValue === undefined ? '' : ` p=${f.pValue.toExponential(3)}`}`,
        ),
        ...notesOf(compared),
        ...(args.html ? [`report: ${args.html}`] : []),
        ...(args['drift-log'] ? [`logged: ${args['drift-log']}`] : []),
      ].join('\n'),
    );
    if (args['fail-on-drift'] && report.datasetDrift) process.exitCode = 3;
  },
});
