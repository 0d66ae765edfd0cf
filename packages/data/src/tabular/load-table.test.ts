import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '@mlops/core';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadIris } from '../iris/load-iris';
import { TableEncoding } from './encoding';
import { loadCsv } from './load-csv';
import { loadJson, loadNdjson } from './load-json';

const flowers = { path: fileURLToPath(new URL('./__fixtures__/flowers.csv', import.meta.url)) };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-tables-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadCsv', () => {
  it('types, imputes and encodes columns, and keeps the encoding for prediction time', async () => {
    const { dataset, encoding, missing, droppedRows } = await loadCsv(flowers, {
      target: 'species',
      columns: { 'sepal width': { type: 'number', missing: { impute: 'median' } }, colour: { type: 'category', missing: { impute: 'mode' } }, fresh: 'boolean' },
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
    expect(encoding.encode([{ 'sepal length': '6.1', 'sepal width': '', colour: 'blue', fresh: 'no' }])).toEqual([[6.1, 3.2, 0, 0]]);
    expect(() => encoding.encode([{ 'sepal length': 6, 'sepal width': 3, colour: 'red', fresh: true }])).toThrow(
      'row 0, column "colour" is "red", which is not one of its categories (blue, purple, white)',
    );
    const stored = TableEncoding.fromJSON(JSON.parse(JSON.stringify(encoding.toJSON())));
    expect(stored.encode([{ 'sepal length': 5, 'sepal width': 3, colour: 'white', fresh: 'yes' }])).toEqual([[5, 3, 2, 1]]);
  });

  it('names the line and column of a missing or malformed value, and drops rows when told to', async () => {
    await expect(loadCsv(flowers, { target: 'species' })).rejects.toThrow(
      new InvalidInputError('line 5, column "sepal width" is missing (set the missing option to "drop" or { impute })', { row: 5, columnName: 'sepal width' }),
    );
    const dropped = await loadCsv(flowers, { target: 'species', missing: 'drop' });
    expect(dropped.droppedRows).toEqual([5, 7]);
    expect(dropped.dataset.features).toHaveLength(4);
    await expect(loadCsv({ text: 'a,b,y\n1,2,x\n3,oops,y\n' }, { target: 'y', columns: { b: 'number' } })).rejects.toThrow(
      'line 3, column "b" is "oops": expected a number',
    );
    await expect(loadCsv({ text: 'a,b,y\n1,2,x\n3,4\n' }, { target: 'y' })).rejects.toThrow(/^CSV line 3: Invalid Record Length/);
    await expect(loadCsv({ path: join(dir, 'nope.csv') }, { target: 'y' })).rejects.toThrow('CSV file not found');
    await expect(loadCsv({ text: 'a,b\n1,2\n' }, { target: 'y' })).rejects.toThrow('the target column "y" is not in the table (columns: a, b)');
  });

  it('reads streams, other delimiters, quoted fields and header-less files; infers category columns', async () => {
    const text = 'city;size;label\n"Paris; FR";3,5;big\nLyon;1;small\n';
    const loaded = await loadCsv(Readable.from([text]), { target: 'label', delimiter: ';' });
    expect(loaded.encoding.features.map((f) => [f.name, f.type])).toEqual([
      ['city', 'category'],
      ['size', 'category'], // "3,5" is not a number: inferred as a category
    ]);
    expect(loaded.encoding.features[0]!.categories).toEqual(['Lyon', 'Paris; FR']);
    const bare = await loadCsv({ text: '1,2,a\n3,4,b\n' }, { target: 'y', header: ['x1', 'x2', 'y'] });
    expect(bare.dataset.features).toEqual([[1, 2], [3, 4]]);
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

describe('schemas, JSON and NDJSON', () => {
  const records = [
    { age: '34', plan: 'pro', churned: 'no' },
    { age: '51', plan: 'free', churned: 'yes' },
    { age: '27', plan: 'pro', churned: 'no' },
  ];

  it('validates and coerces records with a zod or valibot schema (any Standard Schema)', async () => {
    const zodSchema = z.object({ age: z.coerce.number().int().min(0), plan: z.enum(['free', 'pro']), churned: z.enum(['no', 'yes']) });
    const viaZod = await loadJson({ text: JSON.stringify(records) }, { target: 'churned', schema: zodSchema });
    expect(viaZod.dataset.features).toEqual([[34, 1], [51, 0], [27, 1]]);
    expect(viaZod.encoding.features.map((f) => f.type)).toEqual(['number', 'category']);
    const bad = [...records, { age: '-4', plan: 'gold', churned: 'no' }];
    await expect(loadJson({ text: JSON.stringify(bad) }, { target: 'churned', schema: zodSchema })).rejects.toThrow(
      /^row 3, column "age" fails the schema: .*\(and 1 more issues\)$/,
    );
    const valibotSchema = v.object({ age: v.pipe(v.string(), v.transform(Number), v.number()), plan: v.picklist(['free', 'pro']), churned: v.string() });
    const viaValibot = await loadJson({ text: JSON.stringify(records) }, { target: 'churned', schema: valibotSchema });
    expect(viaValibot.dataset.features).toEqual(viaZod.dataset.features);
    await expect(loadJson({ text: '[]' }, { target: 'x', schema: {} as never })).rejects.toThrow('schema must be a Standard Schema validator');
  });

  it('reads NDJSON line by line, naming the line of a bad record, and refuses prototype keys', async () => {
    const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n\n';
    const loaded = await loadNdjson({ text }, { target: 'churned', task: 'classification' });
    expect(loaded.dataset.target).toEqual([0, 1, 0]);
    await expect(loadNdjson({ text: `${text}{"age": 3,` }, { target: 'churned' })).rejects.toThrow(/^line 5 is not valid JSON/);
    await expect(loadJson({ text: '[{"__proto__": {"x": 1}, "y": 1}]' }, { target: 'y' })).rejects.toThrow('forbidden key "__proto__"');
    const regression = await loadJson({ text: '[{"x": 1, "y": 2.5}, {"x": 2, "y": 4.5}]' }, { target: 'y', task: 'regression' });
    expect(regression.dataset.target).toEqual([2.5, 4.5]);
    expect(regression.dataset.classNames).toBeUndefined();
  });
});
