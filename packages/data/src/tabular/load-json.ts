import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { InvalidInputError, parseJsonSafely } from '@mlops/core';
import { buildTable, type LoadedTable, type SourceRecord, type TableOptions } from './build-table';

/** JSON or NDJSON text, or a file path. */
export type JsonSource = { readonly text: string } | { readonly path: string };

function parseSafely(text: string, where: string): unknown {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) throw new InvalidInputError(`${where} is not valid JSON: ${parsed.reason}`);
  return parsed.value;
}

function asRecord(value: unknown, where: string, at: SourceRecord['at']): SourceRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(`${where} must be an object of column values`, { row: at.line });
  }
  return { at, values: value as Record<string, unknown> };
}

/** Loads a JSON array of records (`[{ "sepal": 5.1, …, "species": "setosa" }, …]`); errors name the record index. */
export async function loadJson(source: JsonSource, options: TableOptions): Promise<LoadedTable> {
  const text = 'text' in source ? source.text : await readFile(source.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? new InvalidInputError(`JSON file not found: ${source.path}`, { cause: error }) : error;
  });
  const parsed = parseSafely(text, 'the JSON input');
  if (!Array.isArray(parsed)) throw new InvalidInputError('the JSON input must be an array of records');
  return buildTable(parsed.map((value, i) => asRecord(value, `record ${i}`, { line: i, what: 'row' })), options);
}

async function* ndjsonRecords(source: JsonSource): AsyncGenerator<SourceRecord> {
  const input = 'text' in source ? Readable.from([source.text]) : createReadStream(source.path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      yield asRecord(parseSafely(text, `line ${line}`), `line ${line}`, { line, what: 'line' });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InvalidInputError(`NDJSON file not found: ${(source as { path: string }).path}`, { cause: error });
    throw error;
  }
}

/** Loads NDJSON, one record per line (streamed); errors name the line. */
export function loadNdjson(source: JsonSource, options: TableOptions): Promise<LoadedTable> {
  return buildTable(ndjsonRecords(source), options);
}
