import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { FORBIDDEN_KEYS, InvalidInputError } from '@mlops/core';
import { lazyModule } from '@mlops/core/internal';
import type * as CsvParse from 'csv-parse';
import { buildInputs, type InputOptions, type LoadedInputs } from './build-inputs';
import { buildTable, type LoadedTable, type SourceRecord, type TableOptions } from './build-table';
import { checkSource, fileError } from './source';

/** The CSV dialect options of {@link loadCsv}. */
export interface CsvDialect {
  /** Field delimiter (default `,`): a non-empty string without line breaks or the quote character. */
  readonly delimiter?: string;
  /**
   * `true` (default): the first line names the columns; or give the names when the file has no header.
   * Names must be unique and not `__proto__`, `constructor` or `prototype` (an `InvalidInputError` otherwise).
   */
  readonly header?: true | readonly string[];
  /** Quote character (default `"`): exactly one character, not a line break nor part of the delimiter. */
  readonly quote?: string;
}

/** Options of {@link loadCsv} for a training table. */
export interface CsvOptions extends TableOptions, CsvDialect {}

/** Options of {@link loadCsv} for prediction-time records, encoded with a model's preprocessing. */
export interface CsvInputOptions extends InputOptions, CsvDialect {}

/** CSV text, a file path, or a readable stream of CSV bytes. */
export type CsvSource = { readonly text: string } | { readonly path: string } | Readable;

/** csv-parse, loaded on the first CSV: apps that never read CSV do not load or bundle it. */
const loadCsvParse = lazyModule<typeof CsvParse>(import.meta.url, 'csv-parse');

/** Checks column names (from the header line or the `header` option): unique, and no prototype keys. */
function checkHeader(names: readonly unknown[], where: string, row?: number): string[] {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (typeof name !== 'string')
      throw new InvalidInputError(`${where}: column ${i + 1} must be named by a string`, { column: i });
    const at = { ...(row === undefined ? {} : { row }), column: i, columnName: name };
    if (FORBIDDEN_KEYS.has(name))
      throw new InvalidInputError(
        `${where}: column ${i + 1} is named "${name}", a forbidden column name (__proto__, constructor and prototype are refused)`,
        at,
      );
    const first = seen.get(name);
    if (first !== undefined)
      throw new InvalidInputError(
        `${where}: columns ${first + 1} and ${i + 1} are both named "${name}"; column names must be unique`,
        at,
      );
    seen.set(name, i);
  });
  return names as string[];
}

/** Checks the delimiter and quote options (csv-parse would throw raw errors or misread the file). */
function checkDialect(options: CsvDialect | undefined): { delimiter: string; quote: string } {
  const delimiter = options?.delimiter ?? ',';
  const quote = options?.quote ?? '"';
  if (typeof delimiter !== 'string' || delimiter === '' || /[\r\n]/.test(delimiter)) {
    throw new InvalidInputError(
      `the CSV delimiter must be a non-empty string without line breaks, not ${JSON.stringify(delimiter)}`,
    );
  }
  if (typeof quote !== 'string' || quote.length !== 1 || /[\r\n]/.test(quote)) {
    throw new InvalidInputError(
      `the CSV quote must be a single character other than a line break, not ${JSON.stringify(quote)}`,
    );
  }
  if (delimiter.includes(quote))
    throw new InvalidInputError(
      `the CSV delimiter ${JSON.stringify(delimiter)} cannot contain the quote ${JSON.stringify(quote)}`,
    );
  return { delimiter, quote };
}

/** The column names the `header` option gives, or `undefined` to read them from the first line. */
function givenNames(header: CsvDialect['header']): string[] | undefined {
  if (header === undefined || header === true) return undefined;
  if (!Array.isArray(header))
    throw new InvalidInputError('the CSV header option must be true or a list of column names');
  return checkHeader(header, 'CSV header option');
}

async function* records(
  source: CsvSource,
  dialect: { delimiter: string; quote: string },
  given: string[] | undefined,
): AsyncGenerator<SourceRecord> {
  const { parse, CsvError } = loadCsvParse();
  const path = source instanceof Readable ? undefined : 'path' in source ? source.path : undefined;
  let names = given;
  try {
    const input =
      source instanceof Readable
        ? source
        : 'text' in source
          ? Readable.from([source.text])
          : createReadStream(source.path);
    // Fields come as arrays: we name them, so a duplicate or prototype-key header can never drop a column.
    const parser = input.pipe(parse({ ...dialect, bom: true, skip_empty_lines: true, info: true }));
    input.on('error', (error: Error) => parser.destroy(error));
    for await (const { info, record } of parser as AsyncIterable<{ info: { lines: number }; record: string[] }>) {
      const line = info.lines;
      if (names === undefined) {
        names = checkHeader(record, `CSV line ${line} (header)`, line);
        continue;
      }
      if (record.length !== names.length) {
        throw new InvalidInputError(
          `CSV line ${line}: Invalid Record Length: expected ${names.length} fields, got ${record.length}`,
          { row: line },
        );
      }
      yield { at: { line, what: 'line' }, values: Object.fromEntries(names.map((name, i) => [name, record[i]])) };
    }
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw error;
    if (error instanceof CsvError) {
      const line = (error as { lines?: number }).lines;
      throw new InvalidInputError(`CSV${line === undefined ? '' : ` line ${line}`}: ${error.message}`, {
        ...(line === undefined ? {} : { row: line }),
        cause: error,
      });
    }
    if (path !== undefined) throw fileError('CSV', path, error);
    throw error; // the caller's stream failed
  }
}

/**
 * Loads CSV into a `Dataset` (streamed through `csv-parse`; quotes, BOM, custom delimiters), typed,
 * validated and encoded as {@link TableOptions} describe. Errors are `InvalidInputError`s naming the CSV
 * line and column: duplicate or prototype-key (`__proto__`, `constructor`, `prototype`) header names,
 * ragged lines, a bad delimiter or quote, a source that is not `{ text }`, `{ path }` or a stream, a path
 * that is missing or a directory. (Errors of a caller's own stream are passed on as they are.)
 */
export async function loadCsv(source: CsvSource, options: CsvOptions): Promise<LoadedTable>;
/** Loads CSV records to predict, encoded with a model's `preprocessing`; the target column may be absent. */
export async function loadCsv(source: CsvSource, options: CsvInputOptions): Promise<LoadedInputs>;
export async function loadCsv(
  source: CsvSource,
  options: CsvOptions | CsvInputOptions,
): Promise<LoadedTable | LoadedInputs> {
  const checked = source instanceof Readable ? source : checkSource(source, 'CSV');
  const dialect = checkDialect(options);
  const rows = records(checked, dialect, givenNames(options?.header));
  return isInputOptions(options) ? buildInputs(rows, options) : buildTable(rows, options);
}

/** True for prediction-time options (they carry a model's `preprocessing`). */
export function isInputOptions(options: unknown): options is InputOptions {
  return typeof options === 'object' && options !== null && 'preprocessing' in options;
}
