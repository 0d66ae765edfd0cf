import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createEncoder, InvalidInputError, type Preprocessing } from '@mlops/core';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadIris } from '../iris/load-iris';
import { buildTable } from './build-table';
import { loadCsv } from './load-csv';
import { loadJson, loadNdjson } from './load-json';

/** The encoder a model built from this table would use. */
const encode = (preprocessing: Preprocessing) => createEncoder(preprocessing);

const flowers = { path: fileURLToPath(new URL('./__fixtures__/flowers.csv', import.meta.url)) };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-tables-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadCsv', () => {
  it('types, imputes and encodes columns, and keeps the encoding for prediction time', async () => {
    const { dataset, preprocessing, missing, droppedRows } = await loadCsv(flowers, {
      target: 'species',
      columns: {
        'sepal width': { type: 'number', missing: { impute: 'median' } },
        colour: { type: 'category', missing: { impute: 'mode' } },
        fresh: 'boolean',
      },
    });
    expect(dataset.featureNames).toEqual(['sepal length', 'sepal width', 'colour', 'fresh']);
    expect(dataset.featureTypes).toEqual(['number', 'number', 'integer', 'boolean']);
    expect(dataset.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(dataset.target).toEqual([0, 0, 1, 1, 2, 2]);
    // colour codes: blue 0, purple 1, white 2; the missing width is the median 3.2; the missing colour the mode (purple, tied with white, first sorted).
    expect(dataset.features).toEqual([
      [5.1, 3.5, 2, 1],
      [4.9, 3.0, 2, 0],
      [7.0, 3.2, 1, 1],
      [6.4, 3.2, 1, 1],
      [6.3, 3.3, 0, 0],
      [5.8, 2.7, 1, 1],
    ]);
    expect(missing).toEqual({ 'sepal width': 1, colour: 1 });
    expect(droppedRows).toEqual([]);
    expect(encode(preprocessing)([{ 'sepal length': '6.1', 'sepal width': '', colour: 'blue', fresh: 'no' }])).toEqual([
      [6.1, 3.2, 0, 0],
    ]);
    expect(() => encode(preprocessing)([{ 'sepal length': 6, 'sepal width': 3, colour: 'red', fresh: true }])).toThrow(
      'predict input row 0, column "colour" is "red", which is not one of its levels (blue, purple, white)',
    );
    const stored = JSON.parse(JSON.stringify(preprocessing)) as Preprocessing;
    expect(encode(stored)([{ 'sepal length': 5, 'sepal width': 3, colour: 'white', fresh: 'yes' }])).toEqual([
      [5, 3, 2, 1],
    ]);
  });

  it('names the line and column of a missing or malformed value, and drops rows when told to', async () => {
    await expect(loadCsv(flowers, { target: 'species' })).rejects.toThrow(
      new InvalidInputError(
        'line 5, column "sepal width" is missing (set the missing option to "impute", "drop" or { impute })',
        { row: 5, columnName: 'sepal width' },
      ),
    );
    const dropped = await loadCsv(flowers, { target: 'species', missing: 'drop' });
    expect(dropped.droppedRows).toEqual([5, 7]);
    expect(dropped.dataset.features).toHaveLength(4);
    await expect(
      loadCsv({ text: 'a,b,y\n1,2,x\n3,oops,y\n' }, { target: 'y', columns: { b: 'number' } }),
    ).rejects.toThrow('line 3, column "b" is "oops": expected a number');
    await expect(loadCsv({ text: 'a,b,y\n1,2,x\n3,4\n' }, { target: 'y' })).rejects.toThrow(
      /^CSV line 3: Invalid Record Length/,
    );
    await expect(loadCsv({ path: join(dir, 'nope.csv') }, { target: 'y' })).rejects.toThrow('CSV file not found');
    await expect(loadCsv({ text: 'a,b\n1,2\n' }, { target: 'y' })).rejects.toThrow(
      'the target column "y" is not in the table (columns: a, b)',
    );
  });

  it('reads streams, other delimiters, quoted fields and header-less files; infers category columns', async () => {
    const text = 'city;size;label\n"Paris; FR";3,5;big\nLyon;1;small\n';
    const loaded = await loadCsv(Readable.from([text]), { target: 'label', delimiter: ';' });
    expect(loaded.preprocessing.inputs.map((f) => [f.name, f.type])).toEqual([
      ['city', 'category'],
      ['size', 'category'], // "3,5" is not a number: inferred as a category
    ]);
    expect(loaded.preprocessing.inputs[0]!.levels).toEqual(['Lyon', 'Paris; FR']);
    const bare = await loadCsv({ text: '1,2,a\n3,4,b\n' }, { target: 'y', header: ['x1', 'x2', 'y'] });
    expect(bare.dataset.features).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('loads iris from CSV exactly as loadIris()', async () => {
    const iris = loadIris();
    const csv = ['sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),species']
      .concat(iris.features.map((row, i) => [...row, iris.classNames![iris.target[i]!]].join(',')))
      .join('\n');
    await writeFile(join(dir, 'iris.csv'), csv);
    const { dataset } = await loadCsv({ path: join(dir, 'iris.csv') }, { target: 'species', name: 'iris' });
    expect(dataset.features).toEqual(iris.features);
    expect(dataset.target).toEqual(iris.target);
    expect(dataset.classNames).toEqual(iris.classNames);
  });
});

describe('real tables: impute by type, skip unlabelled rows, exclude columns', () => {
  const csv =
    'id,age,home,score,label\n1,30,RENT,0.5,yes\n2,,OWN,0.7,no\n3,50,,0.9,yes\n4,40,RENT,,\n5,20,RENT,0.1,no\n';

  it('"impute" fills numbers with the median and categories with the most frequent level, kept for prediction', async () => {
    const { dataset, preprocessing, missing, droppedRows } = await loadCsv(
      { text: csv },
      { target: 'label', missing: 'impute', exclude: ['id'] },
    );
    expect(dataset.featureNames).toEqual(['age', 'home', 'score']);
    expect(missing).toEqual({ age: 1, home: 1, score: 1, label: 1 });
    expect(droppedRows).toEqual([5]); // line 5 has no label: skipped, not imputed
    // age median of 30, 50, 20 (rows kept) = 30; home mode RENT (code 1 of OWN, RENT); score median of 0.5, 0.7, 0.9, 0.1 = 0.6
    expect(dataset.features).toEqual([
      [30, 1, 0.5],
      [30, 0, 0.7],
      [50, 1, 0.9],
      [20, 1, 0.1],
    ]);
    expect(encode(preprocessing)([{ age: '', home: null, score: 'NA' }])).toEqual([[30, 1, 0.6]]);
    expect(encode(preprocessing)([{ id: 77, age: 45, home: 'OWN', score: 0.2 }])).toEqual([[45, 0, 0.2]]); // the excluded id may come along
    expect(preprocessing.dropped).toEqual(['id']);
  });

  it('"keep" leaves blanks missing (NaN) for estimators that handle them, at training and at prediction', async () => {
    const { dataset, preprocessing, missing } = await loadCsv(
      { text: csv },
      { target: 'label', missing: 'keep', exclude: ['id'] },
    );
    expect(missing).toEqual({ age: 1, home: 1, score: 1, label: 1 });
    expect(preprocessing.inputs.map((c) => c.fill)).toEqual([
      { strategy: 'keep' },
      { strategy: 'keep' },
      { strategy: 'keep' },
    ]);
    expect(dataset.features.flat().filter(Number.isNaN)).toHaveLength(2); // age and home of kept rows
    const [row] = encode(preprocessing)([{ age: '', home: null, score: 0.4 }]);
    expect(row![0]).toBeNaN();
    expect(row![1]).toBeNaN();
    expect(row![2]).toBe(0.4);
  });

  it('rejects an excluded column that is not in the table, naming it', async () => {
    await expect(loadCsv({ text: csv }, { target: 'label', exclude: ['ID'] })).rejects.toThrow(
      'excluded column "ID" is not in the table (columns: id, age, home, score, label)',
    );
  });
});

describe('schemas, JSON and NDJSON', () => {
  const records = [
    { age: '34', plan: 'pro', churned: 'no' },
    { age: '51', plan: 'free', churned: 'yes' },
    { age: '27', plan: 'pro', churned: 'no' },
  ];

  it('validates and coerces records with a zod or valibot schema (any Standard Schema)', async () => {
    const zodSchema = z.object({
      age: z.coerce.number().int().min(0),
      plan: z.enum(['free', 'pro']),
      churned: z.enum(['no', 'yes']),
    });
    const viaZod = await loadJson({ text: JSON.stringify(records) }, { target: 'churned', schema: zodSchema });
    expect(viaZod.dataset.features).toEqual([
      [34, 1],
      [51, 0],
      [27, 1],
    ]);
    expect(viaZod.preprocessing.inputs.map((f) => f.type)).toEqual(['number', 'category']);
    const bad = [...records, { age: '-4', plan: 'gold', churned: 'no' }];
    await expect(loadJson({ text: JSON.stringify(bad) }, { target: 'churned', schema: zodSchema })).rejects.toThrow(
      /^row 3, column "age" fails the schema: .*\(and 1 more issues\)$/,
    );
    const valibotSchema = v.object({
      age: v.pipe(v.string(), v.transform(Number), v.number()),
      plan: v.picklist(['free', 'pro']),
      churned: v.string(),
    });
    const viaValibot = await loadJson({ text: JSON.stringify(records) }, { target: 'churned', schema: valibotSchema });
    expect(viaValibot.dataset.features).toEqual(viaZod.dataset.features);
    await expect(loadJson({ text: '[]' }, { target: 'x', schema: {} as never })).rejects.toThrow(
      'schema must be a Standard Schema validator',
    );
  });

  it('reads NDJSON line by line, naming the line of a bad record, and refuses prototype keys', async () => {
    const text = `${records.map((r) => JSON.stringify(r)).join('\n')}\n\n`;
    const loaded = await loadNdjson({ text }, { target: 'churned', task: 'classification' });
    expect(loaded.dataset.target).toEqual([0, 1, 0]);
    await expect(loadNdjson({ text: `${text}{"age": 3,` }, { target: 'churned' })).rejects.toThrow(
      /^line 5 is not valid JSON/,
    );
    await expect(loadJson({ text: '[{"__proto__": {"x": 1}, "y": 1}]' }, { target: 'y' })).rejects.toThrow(
      'forbidden key "__proto__"',
    );
    const regression = await loadJson(
      { text: '[{"x": 1, "y": 2.5}, {"x": 2, "y": 4.5}]' },
      { target: 'y', task: 'regression' },
    );
    expect(regression.dataset.target).toEqual([2.5, 4.5]);
    expect(regression.dataset.classNames).toBeUndefined();
  });
});

/** Runs `load` and returns what it rejected with (or threw); `undefined` when it succeeded. */
async function failureOf(load: () => Promise<unknown>): Promise<unknown> {
  return Promise.resolve()
    .then(load)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
}

/** Expects `load` to fail with an `InvalidInputError` whose message matches. */
async function expectInvalid(load: () => Promise<unknown>, message: string | RegExp): Promise<InvalidInputError> {
  const error = await failureOf(load);
  expect(InvalidInputError.isInstance(error), `expected an InvalidInputError, got ${String(error)}`).toBe(true);
  expect((error as Error).message).toMatch(message);
  return error as InvalidInputError;
}

describe('loaders never change data silently (A)', () => {
  it('rejects duplicate CSV column names, naming both columns and the header line', async () => {
    const error = await expectInvalid(
      () => loadCsv({ text: 'a,b,a,y\n1,2,3,x\n' }, { target: 'y' }),
      'CSV line 1 (header): columns 1 and 3 are both named "a"',
    );
    expect([error.row, error.column, error.columnName]).toEqual([1, 2, 'a']);
    await expectInvalid(
      () => loadCsv({ text: '\uFEFFy,y\nx,z\n' }, { target: 'y' }),
      'columns 1 and 2 are both named "y"',
    );
    await expectInvalid(
      () => loadCsv({ text: '1,2,x\n' }, { target: 'y', header: ['a', 'a', 'y'] }),
      'CSV header option: columns 1 and 2 are both named "a"',
    );
  });

  it('refuses prototype keys (__proto__, constructor, prototype) as column names instead of dropping the column', async () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      await expectInvalid(
        () => loadCsv({ text: `${name},b,y\n1,2,x\n` }, { target: 'y' }),
        `CSV line 1 (header): column 1 is named "${name}", a forbidden column name`,
      );
      await expectInvalid(
        () => loadCsv({ text: '1,2,x\n' }, { target: 'y', header: ['a', name, 'y'] }),
        `column 2 is named "${name}"`,
      );
      await expectInvalid(
        () => loadCsv({ text: `a,${name}\n1,2\n` }, { target: name }),
        `the target "${name}" is a forbidden column name`,
      );
      await expectInvalid(
        () => loadNdjson({ text: `{"a": 1, "${name}": 2, "y": "x"}` }, { target: 'y' }),
        `forbidden key "${name}"`,
      );
    }
    // Records handed to buildTable directly: an own "__proto__" key is refused too.
    const values = JSON.parse('{"a": 1, "__proto__": 2, "y": "x"}') as Record<string, unknown>;
    await expectInvalid(
      () => buildTable([{ at: { line: 0, what: 'row' }, values }], { target: 'y' }),
      'row 0: column "__proto__" is a forbidden column name',
    );
  });

  it('rejects a JSON or NDJSON key that the first record does not have, naming the record and column', async () => {
    const text = '[{"x": 1, "y": "a"}, {"x": 2, "z": 3, "y": "b"}]';
    const error = await expectInvalid(
      () => loadJson({ text }, { target: 'y' }),
      'row 1 has column "z", which the first record does not have (columns: x, y)',
    );
    expect([error.row, error.columnName]).toEqual([1, 'z']);
    await expectInvalid(
      () => loadNdjson({ text: '{"x": 1, "y": "a"}\n\n{"x": 2, "y": "b", "w": 0}\n' }, { target: 'y' }),
      'line 3 has column "w"',
    );
    // A key the first record lacks is a missing value, handled by the missing policy (never dropped silently).
    await expectInvalid(
      () => loadJson({ text: '[{"x": 1, "y": "a"}, {"y": "b"}]' }, { target: 'y' }),
      'row 1, column "x" is missing',
    );
  });

  it('rejects object and array values in features and target, naming the record and column', async () => {
    await expectInvalid(
      () => loadJson({ text: '[{"x": 1, "y": {"a": 1}}, {"x": 2, "y": "b"}]' }, { target: 'y' }),
      'row 0, column "y" is a value of type object',
    );
    await expectInvalid(
      () => loadJson({ text: '[{"x": 1, "y": "a"}, {"x": 2, "y": ["b"]}]' }, { target: 'y' }),
      'row 1, column "y" is an array',
    );
    await expectInvalid(
      () =>
        loadNdjson({ text: '{"x": 1, "y": "a"}\n{"x": [1], "y": "b"}' }, { target: 'y', columns: { x: 'boolean' } }),
      'line 2, column "x" is an array',
    );
    const { preprocessing } = await loadJson(
      { text: '[{"x": true, "y": "a"}, {"x": false, "y": "b"}]' },
      { target: 'y' },
    );
    expect(preprocessing.inputs[0]!.type).toBe('boolean');
    expect(() => encode(preprocessing)([{ x: [true] } as never])).toThrow(
      'predict input row 0, column "x" is an array: expected a boolean (true/false, 1/0, yes/no)',
    );
    expect(() => encode(preprocessing)([{ x: { valueOf: () => 1 } } as never])).toThrow(
      'row 0, column "x" is a value of type object',
    );
  });

  it('strips a BOM at the start of JSON and NDJSON text, as CSV does', async () => {
    const ndjson = await loadNdjson({ text: '\uFEFF{"x": 1, "y": "a"}\n{"x": 2, "y": "b"}\n' }, { target: 'y' });
    expect(ndjson.dataset.featureNames).toEqual(['x']);
    expect(ndjson.dataset.features).toEqual([[1], [2]]);
    const json = await loadJson({ text: '\uFEFF[{"x": 1, "y": "a"}, {"x": 2, "y": "b"}]' }, { target: 'y' });
    expect(json.dataset.features).toEqual([[1], [2]]);
    await writeFile(join(dir, 'bom.ndjson'), '\uFEFF{"x": 3, "y": "a"}\n');
    expect((await loadNdjson({ path: join(dir, 'bom.ndjson') }, { target: 'y' })).dataset.features).toEqual([[3]]);
  });

  it('gives an InvalidInputError for a directory, a missing file, a bad source, delimiter, quote or header option', async () => {
    const options = { target: 'y' };
    await expectInvalid(() => loadCsv({ path: dir }, options), `CSV path is a directory, not a file: ${dir}`);
    await expectInvalid(() => loadJson({ path: dir }, options), 'JSON path is a directory');
    await expectInvalid(() => loadNdjson({ path: dir }, options), 'NDJSON path is a directory');
    await expectInvalid(() => loadNdjson({ path: join(dir, 'nope.ndjson') }, options), 'NDJSON file not found');
    await expectInvalid(() => loadJson({ path: join(dir, 'nope.json') }, options), 'JSON file not found');
    for (const source of [
      null,
      undefined,
      42,
      'a,b\n1,2',
      {},
      { text: 5 },
      { path: '' },
      { path: 'a\0b' },
      { text: 'a', path: 'b' },
    ]) {
      await expectInvalid(() => loadCsv(source as never, options), /^CSV source/);
      await expectInvalid(() => loadJson(source as never, options), /^JSON source/);
      await expectInvalid(() => loadNdjson(source as never, options), /^NDJSON source/);
    }
    for (const delimiter of ['', '\n', 'a\r', 7]) {
      await expectInvalid(
        () => loadCsv({ text: 'a,y\n1,x\n' }, { ...options, delimiter: delimiter as never }),
        'the CSV delimiter must be a non-empty string',
      );
    }
    for (const quote of ['', 'ab', '\n', 5]) {
      await expectInvalid(
        () => loadCsv({ text: 'a,y\n1,x\n' }, { ...options, quote: quote as never }),
        'the CSV quote must be a single character',
      );
    }
    await expectInvalid(
      () => loadCsv({ text: 'a,y\n1,x\n' }, { ...options, delimiter: '"' }),
      'cannot contain the quote',
    );
    await expectInvalid(
      () => loadCsv({ text: 'a,y\n1,x\n' }, { ...options, header: 'a,y' as never }),
      'the CSV header option must be true or a list',
    );
    await expectInvalid(
      () => loadCsv({ text: 'a,y\n1,x\n' }, null as never),
      'options with a "target" column are needed',
    );
    await expectInvalid(
      () => loadCsv({ text: 'a,y\n1,x\n' }, { ...options, features: ['a', 'a'] }),
      'feature "a" is listed twice',
    );
    // Multi-character delimiters still work.
    expect((await loadCsv({ text: 'a::y\n1::x\n' }, { ...options, delimiter: '::' })).dataset.features).toEqual([[1]]);
  });
});

describe('one number grammar: decimal and exponent only (B)', () => {
  it('infers columns of hex, binary, octal, padded, Infinity or 1_000 text as categories, not numbers', async () => {
    for (const odd of ['0x10', '0b11', '0o7', ' 3 ', 'Infinity', '1_000']) {
      const text = `a,b,y\n"${odd}",1.5e1,p\n2,-.5,q\n`;
      const { preprocessing, dataset } = await loadCsv({ text }, { target: 'y' });
      expect(
        preprocessing.inputs.map((f) => f.type),
        odd,
      ).toEqual(['category', 'number']);
      expect(dataset.features.map((row) => row[1])).toEqual([15, -0.5]);
    }
  });

  it('rejects such text in number and integer columns, regression targets and impute values', async () => {
    await expectInvalid(
      () => loadCsv({ text: 'a,y\n0x10,p\n' }, { target: 'y', columns: { a: 'number' } }),
      'line 2, column "a" is "0x10": expected a number',
    );
    await expectInvalid(
      () => loadCsv({ text: 'a,y\n" 3 ",p\n' }, { target: 'y', columns: { a: 'integer' } }),
      'line 2, column "a" is " 3 ": expected an integer',
    );
    await expectInvalid(
      () => loadCsv({ text: 'a,y\n1,0b11\n' }, { target: 'y', task: 'regression' }),
      'line 2, column "y" is "0b11": expected a number',
    );
    await expectInvalid(
      () =>
        loadCsv(
          { text: 'a,b,y\n1,,p\n2,3,q\n' },
          { target: 'y', columns: { b: { type: 'number', missing: { impute: '0x10' } } } },
        ),
      'column "b" imputes "0x10", which is not a valid number value',
    );
    const { preprocessing } = await loadCsv({ text: 'a,y\n1,p\n2,q\n' }, { target: 'y' });
    expect(encode(preprocessing)([{ a: '1e1' }, { a: 4 }])).toEqual([[10], [4]]);
    for (const odd of ['0x10', ' 3 ', 'Infinity', '1_000', '0o7'])
      expect(() => encode(preprocessing)([{ a: odd }]), odd).toThrow('row 0, column "a" is');
  });

  it('names a non-finite number as itself in errors (JSON would print null)', async () => {
    const { preprocessing } = await loadCsv({ text: 'a,b,y\n1,2,p\n3,4,q\n' }, { target: 'y' });
    expect(() => encode(preprocessing)([{ a: Number.POSITIVE_INFINITY, b: 2 }])).toThrow(
      'row 0, column "a" is Infinity: expected a number (decimal digits, optional sign, point and exponent)',
    );
  });

  it('the encoder rejects a column that is neither an input, the target nor a dropped column, naming the row', async () => {
    const { preprocessing } = await loadCsv({ text: 'a,b,y\n1,2,p\n3,4,q\n' }, { target: 'y' });
    expect(encode(preprocessing)([{ a: 1, b: 2, y: 'p' }])).toEqual([[1, 2]]); // the label may come along
    expect(() =>
      encode(preprocessing)([
        { a: 1, b: 2 },
        { a: 1, b: 2, c: 3 },
      ]),
    ).toThrow(
      new InvalidInputError('predict input row 1 has column "c", which is not an input of the model (inputs: a, b)', {
        row: 1,
        columnName: 'c',
      }),
    );
  });
});
