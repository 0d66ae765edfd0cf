import { extname } from 'node:path';
import {
  loadCsv,
  loadIris,
  loadJson,
  loadNdjson,
  TableEncoding,
  type LoadedTable,
  type TableOptions,
} from '@mlops/data';
import { InvalidInputError } from '@mlops/core';
import { parseJson } from './safe-json';

/** Loads `--data`: `iris`, or a .csv / .json / .ndjson file. */
export async function readTable(data: string, options: TableOptions): Promise<LoadedTable> {
  if (data === 'iris') {
    const dataset = loadIris();
    const encoding = new TableEncoding({
      features: dataset.featureNames.map((name) => ({ name, type: 'number' as const })),
      target: { name: 'species', classNames: dataset.classNames! },
      missingValues: [],
    });
    return { dataset, encoding, missing: {}, droppedRows: [] };
  }
  const ext = extname(data).toLowerCase();
  if (ext === '.csv' || ext === '.tsv')
    return loadCsv({ path: data }, { ...options, ...(ext === '.tsv' ? { delimiter: '\t' } : {}) });
  if (ext === '.json') return loadJson({ path: data }, options);
  if (ext === '.ndjson' || ext === '.jsonl') return loadNdjson({ path: data }, options);
  throw new InvalidInputError(`cannot read ${JSON.stringify(data)}: use iris, or a .csv, .tsv, .json or .ndjson file`);
}

/** Reads records to predict on (no target needed): a CSV/JSON/NDJSON file as objects keyed by column. */
export async function readRecords(path: string): Promise<Record<string, unknown>[]> {
  const { readFile } = await import('node:fs/promises');
  const { parse } = await import('csv-parse/sync');
  const ext = extname(path).toLowerCase();
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? new InvalidInputError(`input file not found: ${path}`) : error;
  });
  if (ext === '.csv' || ext === '.tsv')
    return parse(text, {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      delimiter: ext === '.tsv' ? '\t' : ',',
    }) as Record<string, unknown>[];
  if (ext === '.json') {
    const value = parseJson(text, path);
    if (!Array.isArray(value)) throw new InvalidInputError(`${path} must hold a JSON array of records`);
    return value as Record<string, unknown>[];
  }
  if (ext === '.ndjson' || ext === '.jsonl') {
    return text
      .split('\n')
      .flatMap((line, i) => (line.trim() ? [parseJson(line, `${path} line ${i + 1}`) as Record<string, unknown>] : []));
  }
  throw new InvalidInputError(`cannot read ${JSON.stringify(path)}: use a .csv, .tsv, .json or .ndjson file`);
}
