import { extname } from 'node:path';
import { InvalidInputError, type EncoderSpec, type PipelineTarget } from '@mlops/core';
import {
  buildTable,
  loadCsv,
  irisRecords,
  loadJson,
  loadNdjson,
  type LoadedInputs,
  type LoadedTable,
  type TableOptions,
} from '@mlops/data';

type Format = 'csv' | 'tsv' | 'json' | 'ndjson';

function formatOf(path: string): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv') return 'tsv';
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw new InvalidInputError(`cannot read ${JSON.stringify(path)}: use a .csv, .tsv, .json or .ndjson file`);
}

/** Errors about a line of a file name the file too (`loans.csv: line 4, column "x" …`). */
async function inFile<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!InvalidInputError.isInstance(error) || error.row === undefined || error.message.startsWith(path)) throw error;
    throw new InvalidInputError(`${path}: ${error.message}`, {
      row: error.row,
      ...(error.column === undefined ? {} : { column: error.column }),
      ...(error.columnName === undefined ? {} : { columnName: error.columnName }),
      cause: error,
    });
  }
}

/** Loads `--data` for training: `iris`, or a .csv / .tsv / .json / .ndjson file. */
export async function readTable(data: string, options: TableOptions): Promise<LoadedTable> {
  if (data === 'iris') return buildTable(irisRecords(), options);
  return inFile(data, () => readTableFile(data, options));
}

function readTableFile(data: string, options: TableOptions): Promise<LoadedTable> {
  const path = { path: data };
  switch (formatOf(data)) {
    case 'csv':
      return loadCsv(path, options);
    case 'tsv':
      return loadCsv(path, { ...options, delimiter: '\t' });
    case 'json':
      return loadJson(path, options);
    case 'ndjson':
      return loadNdjson(path, options);
  }
}

/**
 * Reads records to predict or compare, encoded with a model's input spec exactly as at training time (the target
 * column is optional): errors name the file line and column.
 */
export async function readInputs(
  path: string,
  preprocessing: EncoderSpec & { readonly target?: PipelineTarget },
  options: { readonly extend?: boolean; readonly unknownLabels?: 'error' | 'skip' } = {},
): Promise<LoadedInputs> {
  const source = { path };
  const given = { preprocessing, ...options };
  return inFile(path, () => {
    switch (formatOf(path)) {
      case 'csv':
        return loadCsv(source, given);
      case 'tsv':
        return loadCsv(source, { ...given, delimiter: '\t' });
      case 'json':
        return loadJson(source, given);
      case 'ndjson':
        return loadNdjson(source, given);
    }
  });
}

/** Reads raw records (no model): every column as the file has it, for `mlops monitor`. */
export async function readRecords(path: string): Promise<Record<string, unknown>[]> {
  const { readFile } = await import('node:fs/promises');
  const { parse } = await import('csv-parse/sync');
  const { parseJson } = await import('./safe-json');
  const format = formatOf(path);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? new InvalidInputError(`input file not found: ${path}`) : error;
  });
  if (format === 'csv' || format === 'tsv')
    return parse(text, {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      delimiter: format === 'tsv' ? '\t' : ',',
    }) as Record<string, unknown>[];
  if (format === 'json') {
    const value = parseJson(text, path);
    if (!Array.isArray(value)) throw new InvalidInputError(`${path} must hold a JSON array of records`);
    return value as Record<string, unknown>[];
  }
  return text
    .split('\n')
    .flatMap((line, i) => (line.trim() ? [parseJson(line, `${path} line ${i + 1}`) as Record<string, unknown>] : []));
}
