import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { InvalidInputError } from '@mlops/core';
import { createRequire } from 'node:module';
import type * as CsvParse from 'csv-parse';
import { buildTable, type LoadedTable, type SourceRecord, type TableOptions } from './build-table';

/** Options of {@link loadCsv}. */
export interface CsvOptions extends TableOptions {
  /** Field delimiter (default `,`). */
  readonly delimiter?: string;
  /** `true` (default): the first line names the columns; or give the names when the file has no header. */
  readonly header?: true | readonly string[];
  /** Quote character (default `"`). */
  readonly quote?: string;
}

/** CSV text, a file path, or a readable stream of CSV bytes. */
export type CsvSource = { readonly text: string } | { readonly path: string } | Readable;

let csvParse: typeof CsvParse | undefined;

/** csv-parse, loaded on the first CSV: apps that never read CSV do not load or bundle it. */
function loadCsvParse(): typeof CsvParse {
  csvParse ??= createRequire(import.meta.url)('csv-parse') as typeof CsvParse;
  return csvParse;
}

async function* records(source: CsvSource, options: CsvOptions): AsyncGenerator<SourceRecord> {
  const { parse, CsvError } = loadCsvParse();
  const input = source instanceof Readable ? source : 'text' in source ? Readable.from([source.text]) : createReadStream(source.path);
  const parser = input.pipe(
    parse({
      delimiter: options.delimiter ?? ',',
      quote: options.quote ?? '"',
      columns: options.header === undefined || options.header === true ? true : [...options.header],
      bom: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  input.on('error', (error: Error) => parser.destroy(error));
  try {
    for await (const { info, record } of parser as AsyncIterable<{ info: { lines: number }; record: Record<string, string> }>) {
      yield { at: { line: info.lines, what: 'line' }, values: record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as { lines?: number }).lines;
      throw new InvalidInputError(`CSV${line === undefined ? '' : ` line ${line}`}: ${error.message}`, { ...(line === undefined ? {} : { row: line }), cause: error });
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InvalidInputError(`CSV file not found: ${(source as { path: string }).path}`, { cause: error });
    throw error;
  }
}

/**
 * Loads CSV into a `Dataset` (streamed through `csv-parse`; quotes, BOM, custom delimiters), typed,
 * validated and encoded as {@link TableOptions} describe. Errors name the CSV line and column.
 */
export function loadCsv(source: CsvSource, options: CsvOptions): Promise<LoadedTable> {
  return buildTable(records(source, options), options);
}
