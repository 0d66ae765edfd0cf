import { InvalidInputError } from '@mlops/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoadedTable, TableOptions } from './build-table';
import { loadCsv } from './load-csv';
import { loadJson, loadNdjson } from './load-json';

// Fixed seeds and run counts: the same inputs on every run, in a few seconds.
const RUNS = { numRuns: 300 };

/** Pieces that stress the loaders: quotes, separators, line breaks, BOMs, prototype keys, odd number grammars. */
const TOKENS = [
  '"',
  ',',
  ';',
  '\n',
  '\r\n',
  '\r',
  '\uFEFF',
  ' ',
  '\t',
  '\\',
  '\0',
  '\uD800',
  '{',
  '}',
  '[',
  ']',
  ':',
  'null',
  'true',
  '__proto__',
  'constructor',
  'prototype',
  'y',
  'a',
  'b',
  '"y"',
  '"a"',
  '0x10',
  '0b11',
  '0o7',
  ' 3 ',
  'Infinity',
  '1_000',
  '1e999',
  '-.5',
  '2',
  '1e3',
  'NA',
  '',
];

const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((parts) => parts.join(''));
const bytes = fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('utf8'));
const noise = fc.oneof(soup, bytes, fc.string());
const columnName = fc.constantFrom('a', 'b', 'y', 'a b', '"q"', '', '__proto__', 'constructor');
/** Mostly distinct plain names; sometimes repeated names or prototype keys. */
const header = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .uniqueArray(fc.constantFrom('a', 'b', 'a b', '"q"', ''), { minLength: 1, maxLength: 3 })
      .map((names) => [...names, 'y']),
  },
  { weight: 1, arbitrary: fc.array(columnName, { minLength: 1, maxLength: 4 }) },
);

/** A table's shape: column names (a few repeated or prototype keys), then rows of `cell`s, now and then ragged or with a stray column. */
const shaped = <T>(cell: fc.Arbitrary<T>) =>
  fc.tuple(
    header,
    fc.array(
      fc.tuple(
        fc.array(cell, { minLength: 4, maxLength: 4 }),
        fc.oneof({ weight: 15, arbitrary: fc.constant(null) }, fc.tuple(columnName, cell)),
        fc.nat(30),
      ),
      {
        minLength: 1,
        maxLength: 6,
      },
    ),
    fc.boolean(),
  );

const csvCell = fc.oneof(
  fc.constantFrom(...TOKENS),
  fc.string({ maxLength: 6 }),
  fc.double().map(String),
  fc.integer().map(String),
  fc.constantFrom('p', 'q'),
);
const quoted = (c: string) => (/[",\n\r]/.test(c) && c.length > 1 ? JSON.stringify(c) : c);

/** Random text, or CSV-shaped text: a header then rows of cells (a BOM sometimes). */
const csvText = fc.oneof(noise, {
  weight: 3,
  arbitrary: shaped(csvCell).map(([header, rows, bom]) => {
    const lines = rows.map(([cells, extra, cut]) => [
      ...cells.slice(0, cut === 0 ? 2 : header.length),
      ...(extra ? [extra[1]] : []),
    ]);
    return (
      (bom ? '\uFEFF' : '') +
      [header, ...lines].map((r) => r.map(quoted).join(',')).join(rows.length % 3 === 0 ? '\r\n' : '\n')
    );
  }),
});

/** Any JSON value a record field could hold, mostly scalars. */
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        null,
        true,
        false,
        0,
        -0,
        1e308,
        3.5,
        '',
        'NA',
        '0x10',
        ' 3 ',
        'Infinity',
        '1_000',
        '1e3',
        'p',
        'q',
        'p',
        'q',
      ),
    },
    { weight: 2, arbitrary: fc.double().filter(Number.isFinite) },
    { weight: 2, arbitrary: fc.string({ maxLength: 5 }) },
    { weight: 1, arbitrary: fc.array(tie('v'), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'y', '__proto__'), tie('v'), { maxKeys: 2 }) },
  ),
})).v;

/** Records written by hand (so `__proto__` keys survive), some missing a key or carrying a stray one. */
const records = shaped(value).map(([header, rows, bom]) => ({
  bom,
  records: rows.map(([cells, extra, cut]) => {
    const fields: [string, unknown][] = header.map((name, i) => [name, cells[i]]);
    if (cut === 0) fields.pop();
    return `{${[...fields, ...(extra ? [extra] : [])].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  }),
}));
const jsonText = fc.oneof(noise, {
  weight: 3,
  arbitrary: records.map(({ bom, records }) => `${bom ? '\uFEFF' : ''}[${records.join(',')}]`),
});
const ndjsonText = fc.oneof(noise, {
  weight: 3,
  arbitrary: records.map(({ bom, records }) => (bom ? '\uFEFF' : '') + records.join('\n')),
});

const options = fc.record({
  target: fc.constantFrom('y', 'y', 'y', 'y', 'a', '__proto__'),
  task: fc.constantFrom<TableOptions['task']>('classification', 'classification', 'regression'),
  missing: fc.constantFrom<TableOptions['missing']>(
    'error',
    'drop',
    'drop',
    { impute: 'mode' },
    { impute: 'mean' },
    { impute: '0x10' },
  ),
});

/** CSV dialects, valid or not (an empty, multi-line or quote-clashing delimiter, a multi-character quote). */
const dialect = fc.record(
  {
    delimiter: fc.constantFrom(',', ',', ',', ';', '::', '\t', '', '\n', '"', ',"'),
    quote: fc.constantFrom('"', '"', '"', "'", '', 'ab', '\n', ','),
  },
  { requiredKeys: [] },
);

/** The load resolves to a well-formed table or rejects with an InvalidInputError; any other error fails the property. */
async function loadsOrRejectsCleanly(load: () => Promise<LoadedTable>): Promise<void> {
  let table: LoadedTable;
  try {
    table = await load();
  } catch (error) {
    if (InvalidInputError.isInstance(error)) return;
    throw error;
  }
  expect(table.dataset.features.length).toBe(table.dataset.target.length);
  for (const row of table.dataset.features) expect(row.every(Number.isFinite)).toBe(true);
}

describe('loaders fuzz (a table or an InvalidInputError, never another error)', () => {
  it('loadCsv', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, options, dialect, (text, opts, csv) =>
        loadsOrRejectsCleanly(() => loadCsv({ text }, { ...opts, ...csv })),
      ),
      { seed: 20240601, ...RUNS },
    );
  });

  it('loadJson', async () => {
    await fc.assert(
      fc.asyncProperty(jsonText, options, (text, opts) => loadsOrRejectsCleanly(() => loadJson({ text }, opts))),
      { seed: 20240602, ...RUNS },
    );
  });

  it('loadNdjson', async () => {
    await fc.assert(
      fc.asyncProperty(ndjsonText, options, (text, opts) => loadsOrRejectsCleanly(() => loadNdjson({ text }, opts))),
      { seed: 20240603, ...RUNS },
    );
  });
});
