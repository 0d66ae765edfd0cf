import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { InvalidInputError, parseJsonSafely } from '@mlops/core';
import { buildInputs, type InputOptions, type LoadedInputs } from './build-inputs';
import { buildTable, type LoadedTable, type SourceRecord, type TableOptions } from './build-table';
import { isInputOptions } from './load-csv';
import { checkSource, fileError, stripBom } from './source';

/** JSON or NDJSON text, or a file path. */
export type JsonSource = { readonly text: string } | { readonly path: string };

function parseSafely(text: string, where: string, row?: number): unknown {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok)
    throw new InvalidInputError(`${where} is not valid JSON: ${parsed.reason}`, row === undefined ? {} : { row });
  return parsed.value;
}

function asRecord(value: unknown, where: string, at: SourceRecord['at']): SourceRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(`${where} must be an object of column values`, { row: at.line });
  }
  return { at, values: value as Record<string, unknown> };
}

/**
 * Loads a JSON array of records (`[{ "sepal": 5.1, …, "species": "setosa" }, …]`); a leading BOM is ignored.
 * The first record's keys are the columns: a later record with another key, a nested object or array, or a
 * `__proto__`/`constructor`/`prototype` key is an `InvalidInputError` naming the record index and column.
 */
export async function loadJson(source: JsonSource, options: TableOptions): Promise<LoadedTable>;
/** Loads a JSON array of records to predict, encoded with a model's `preprocessing`; the target may be absent. */
export async function loadJson(source: JsonSource, options: InputOptions): Promise<LoadedInputs>;
export async function loadJson(
  source: JsonSource,
  options: TableOptions | InputOptions,
): Promise<LoadedTable | LoadedInputs> {
  const checked = checkSource(source, 'JSON');
  const text =
    'text' in checked
      ? checked.text
      : await readFile(checked.path, 'utf8').catch((error: unknown) => {
          throw fileError('JSON', checked.path, error);
        });
  const parsed = parseSafely(stripBom(text), 'the JSON input');
  if (!Array.isArray(parsed)) throw new InvalidInputError('the JSON input must be an array of records');
  const records = parsed.map((value, i) => asRecord(value, `record ${i}`, { line: i, what: 'row' }));
  return isInputOptions(options) ? buildInputs(records, options) : buildTable(records, options);
}

async function* ndjsonRecords(source: JsonSource): AsyncGenerator<SourceRecord> {
  let line = 0;
  try {
    const input = 'text' in source ? Readable.from([source.text]) : createReadStream(source.path);
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const raw of lines) {
      line++;
      const text = line === 1 ? stripBom(raw) : raw;
      if (text.trim() === '') continue;
      yield asRecord(parseSafely(text, `line ${line}`, line), `line ${line}`, { line, what: 'line' });
    }
  } catch (error) {
    if (InvalidInputError.isInstance(error) || 'text' in source) throw error;
    throw fileError('NDJSON', source.path, error);
  }
}

/**
 * Loads NDJSON, one record per line (streamed; a leading BOM is ignored); errors name the line, with the
 * same rules as {@link loadJson} for columns and values.
 */
export async function loadNdjson(source: JsonSource, options: TableOptions): Promise<LoadedTable>;
/** Loads NDJSON records to predict, encoded with a model's `preprocessing`; the target may be absent. */
export async function loadNdjson(source: JsonSource, options: InputOptions): Promise<LoadedInputs>;
export async function loadNdjson(
  source: JsonSource,
  options: TableOptions | InputOptions,
): Promise<LoadedTable | LoadedInputs> {
  const records = ndjsonRecords(checkSource(source, 'NDJSON'));
  return isInputOptions(options) ? buildInputs(records, options) : buildTable(records, options);
}
