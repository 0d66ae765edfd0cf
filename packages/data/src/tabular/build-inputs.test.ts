import { createEncoder, InvalidInputError } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { trainTestSplit } from '../split/train-test-split';
import { loadCsv } from './load-csv';
import { loadJson, loadNdjson } from './load-json';

const loans = [
  'id,income,home,years,married,default',
  '1,20,RENT,1,no,yes',
  '2,,OWN,9,yes,no',
  '3,35,RENT,,no,yes',
  '4,90,OWN,12,yes,no',
  '5,40,,3,no,yes',
  '6,80,MORTGAGE,10,yes,no',
  '7,25,RENT,2,no,yes',
  '8,70,OWN,8,yes,no',
].join('\n');

describe('the preprocessing a table learns', () => {
  it('records types, levels, fills, missing counts, the target and the dropped columns', async () => {
    const { preprocessing } = await loadCsv({ text: loans }, { target: 'default', exclude: ['id'], missing: 'impute' });
    expect(preprocessing).toEqual({
      inputs: [
        { name: 'income', type: 'number', nullable: true, fill: { strategy: 'median', value: 40 }, missingCount: 1 },
        {
          name: 'home',
          type: 'category',
          levels: ['MORTGAGE', 'OWN', 'RENT'],
          nullable: true,
          fill: { strategy: 'mode', value: 'OWN' },
          missingCount: 1,
        },
        { name: 'years', type: 'number', nullable: true, fill: { strategy: 'median', value: 8 }, missingCount: 1 },
        // yes/no text is a boolean column
        { name: 'married', type: 'boolean', nullable: true, fill: { strategy: 'mode', value: false }, missingCount: 0 },
      ],
      target: { name: 'default', task: 'classification', classNames: ['no', 'yes'] },
      dropped: ['id'],
      missingValues: ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL'],
      unseenCategory: 'error',
    });
  });

  it('keeps booleans as booleans in fills and lists every unused column as dropped when features are given', async () => {
    const { preprocessing } = await loadJson(
      {
        text: '[{"id":1,"flag":true,"n":1,"y":"a"},{"id":2,"flag":null,"n":2,"y":"b"},{"id":3,"flag":true,"n":3,"y":"a"}]',
      },
      { target: 'y', features: ['flag'], missing: 'impute' },
    );
    expect(preprocessing.inputs).toEqual([
      { name: 'flag', type: 'boolean', nullable: true, fill: { strategy: 'mode', value: true }, missingCount: 1 },
    ]);
    expect(preprocessing.dropped).toEqual(['id', 'n']);
  });

  it('learns levels and fills from the training rows only when rows are held out', async () => {
    const holdout = { testSize: 0.25, seed: 0 };
    const table = await loadCsv(
      { text: loans },
      { target: 'default', exclude: ['id'], missing: 'impute', unseenCategory: 'missing', holdout },
    );
    // The same rows trainTestSplit selects on the whole table.
    const whole = await loadCsv({ text: loans }, { target: 'default', exclude: ['id'], missing: 'impute' });
    const { trainIndices, testIndices } = trainTestSplit(whole.dataset, holdout);
    expect(table.dataset.target).toEqual(trainIndices.map((i) => whole.dataset.target[i]));
    expect(table.test?.target).toEqual(testIndices.map((i) => whole.dataset.target[i]));
    // Statistics come from the six training rows: ids 1,2,4,5,6,8 → incomes 20,–,90,40,80,70 (median 70, not
    // the whole table's 40), years 1,9,12,3,10,8 (median 8.5).
    expect(trainIndices.map((i) => i + 1).sort()).toEqual([1, 2, 4, 5, 6, 8]);
    expect(table.preprocessing.inputs[0]).toMatchObject({ fill: { strategy: 'median', value: 70 }, missingCount: 1 });
    expect(table.preprocessing.inputs[2]).toMatchObject({ fill: { strategy: 'median', value: 8.5 }, missingCount: 0 });
    const heldOut = [
      { income: 25, home: 'RENT', years: 2, married: 'no' },
      { income: 35, home: 'RENT', years: '', married: 'no' },
    ];
    expect(testIndices.map((i) => i + 1)).toEqual([7, 3]);
    expect(table.test?.features).toEqual(createEncoder(table.preprocessing)(heldOut));
    expect(table.test?.features).toEqual([
      [25, 2, 2, 0],
      [35, 2, 8.5, 0],
    ]);
  });

  it('names the held-out line whose category the training rows never had, unless it is treated as missing', async () => {
    const text = 'x,y\nA,p\nA,q\nA,p\nA,q\nB,p\n';
    const options = { target: 'y', missing: 'impute', holdout: { testSize: 1, shuffle: false } } as const;
    await expect(loadCsv({ text }, options)).rejects.toThrow(
      'line 6, column "x" is "B", which is not one of the levels learned from the training rows (A): set unseenCategory to "missing" (--unseen missing in the CLI) to fill it',
    );
    const lenient = await loadCsv({ text }, { ...options, unseenCategory: 'missing' });
    expect(lenient.test?.features).toEqual([[0]]);
    // An identifier left in: the message is short and says what to do.
    const ids = ['id,y', ...Array.from({ length: 40 }, (_, i) => `C${100 + i},${i % 2 ? 'p' : 'q'}`)].join('\n');
    const error = await loadCsv({ text: ids }, { target: 'y', holdout: { testSize: 0.25, seed: 1 } }).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).toMatch(
      /^line \d+, column "id" is "C1\d\d", which is not one of the levels learned from the training rows \(C\d+(, C\d+){19}, … \(30 levels\)\): "id" has a different value in nearly every row — an identifier\? leave it out \(exclude\)$/,
    );
    await expect(
      loadCsv(
        { text: 'x,y\n1,1.5\n2,2.5\n3,3.5\n' },
        { target: 'y', task: 'regression', holdout: { testSize: 1, stratify: true } },
      ),
    ).rejects.toThrow('holdout.stratify needs class labels');
  });
});

describe('loading records to predict with a model preprocessing', () => {
  it('loads an unlabelled file, encoding it exactly as at training time, and keeps every column of the records', async () => {
    const { preprocessing } = await loadCsv({ text: loans }, { target: 'default', exclude: ['id'], missing: 'impute' });
    const inputs = await loadCsv(
      { text: 'id,income,home,years,married\n41,,RENT,4,no\n42,60,OWN,,yes\n' },
      { preprocessing },
    );
    expect(inputs.rows).toEqual([
      [40, 2, 4, 0],
      [60, 1, 8, 1],
    ]);
    expect(inputs.target).toBeUndefined();
    expect(inputs.filled).toEqual({ income: { missing: 1, unseen: 0 }, years: { missing: 1, unseen: 0 } });
    expect(inputs.absent).toEqual([]);
    expect(inputs.records[1]).toEqual({ id: '42', income: '60', home: 'OWN', years: '', married: 'yes' });
    expect(inputs.places).toEqual([
      { line: 2, what: 'line' },
      { line: 3, what: 'line' },
    ]);
  });

  it('returns the labels when the file has the target column, null where a row has none', async () => {
    const { preprocessing } = await loadCsv({ text: loans }, { target: 'default', exclude: ['id'], missing: 'impute' });
    const labelled = await loadJson(
      {
        text: '[{"income": 1, "home": "OWN", "years": 1, "married": "no", "default": "yes"}, {"income": 1, "home": "OWN", "years": 1, "married": "no", "default": null}]',
      },
      { preprocessing },
    );
    expect(labelled.target).toEqual([1, null]);
    await expect(
      loadNdjson(
        { text: '{"income": 1, "home": "OWN", "years": 1, "married": "no", "default": "maybe"}\n' },
        { preprocessing },
      ),
    ).rejects.toThrow('line 1, target column "default" is "maybe", which is not one of the classes (no, yes)');
    const skipped = await loadNdjson(
      { text: '{"income": 1, "home": "OWN", "years": 1, "married": "no", "default": "maybe"}\n' },
      { preprocessing, unknownLabels: 'skip' },
    );
    expect([skipped.target, skipped.unknownLabels, skipped.rows.length]).toEqual([[null], { maybe: 1 }, 1]);
  });

  it('with extend, learns the levels and classes a labelled batch adds, appended after the known ones', async () => {
    const { preprocessing, dataset } = await loadCsv(
      { text: loans },
      { target: 'default', exclude: ['id'], missing: 'impute' },
    );
    expect(dataset.levels).toEqual([null, ['MORTGAGE', 'OWN', 'RENT'], null, null]);
    const batch = [
      'id,income,home,years,married,default',
      '9,30,LEASE,2,no,late',
      '10,50,OWN,4,yes,no',
      '11,20,,1,no,late',
      '12,60,COOP,5,yes,',
    ].join('\n');
    await expect(loadCsv({ text: batch }, { preprocessing })).rejects.toThrow('which is not one of its levels');
    const grown = await loadCsv({ text: batch }, { preprocessing, extend: true });
    expect(grown.extended?.added).toEqual({ levels: { home: ['LEASE', 'COOP'] }, classNames: ['late'] });
    expect(grown.extended?.preprocessing.inputs[1]?.levels).toEqual(['MORTGAGE', 'OWN', 'RENT', 'LEASE', 'COOP']);
    expect(grown.extended?.preprocessing.target.classNames).toEqual(['no', 'yes', 'late']);
    // Known levels keep their codes; a blank is filled with the mode (OWN = 1); the unlabelled row stays null.
    expect(grown.rows.map((row) => row[1])).toEqual([3, 1, 1, 4]);
    expect(grown.target).toEqual([2, 0, 2, null]);
    expect(preprocessing.inputs[1]?.levels).toEqual(['MORTGAGE', 'OWN', 'RENT']); // the given one is untouched
  });

  it('names the line and column of a bad cell, an unseen category or an unknown column', async () => {
    const { preprocessing } = await loadCsv({ text: loans }, { target: 'default', exclude: ['id'], missing: 'impute' });
    const cases: [string, string][] = [
      ['income,home,years,married\n1,OWN,1,no\nx,OWN,1,no\n', 'line 3, column "income" is "x": expected a number'],
      [
        'income,home,years,married\n1,CASTLE,1,no\n',
        'line 2, column "home" is "CASTLE", which is not one of its levels (MORTGAGE, OWN, RENT)',
      ],
      [
        'income,home,years,married,salary\n1,OWN,1,no,9\n',
        'the header has column "salary", which the model does not take: its inputs are income, home, years, married, its target default, and it ignores id',
      ],
      [
        'income;home;years;married\n1;OWN;1;no\n',
        'the header has column "income;home;years;married", which the model does not take (is the delimiter ";"?)',
      ],
    ];
    for (const [text, message] of cases) {
      const error = await loadCsv({ text }, { preprocessing }).catch((e: unknown) => e);
      expect(InvalidInputError.isInstance(error), message).toBe(true);
      expect((error as Error).message).toContain(message);
    }
    await expect(loadCsv({ text: 'a\n1\n' }, { preprocessing: {} as never })).rejects.toThrow(
      "options.preprocessing must be a model's preprocessing",
    );
  });

  it('counts filled cells (blanks, and unseen levels when they are treated as missing) and names absent input columns', async () => {
    const { preprocessing } = await loadCsv(
      { text: loans },
      { target: 'default', exclude: ['id'], missing: 'impute', unseenCategory: 'missing' },
    );
    const inputs = await loadCsv({ text: 'income,home,married\n1,CASTLE,no\n2,,yes\n3,OWN,no\n' }, { preprocessing });
    expect(inputs.absent).toEqual(['years']);
    expect(inputs.filled).toEqual({ home: { missing: 1, unseen: 1 }, years: { missing: 3, unseen: 0 } });
    expect(inputs.rows.map((row) => row[1])).toEqual([1, 1, 1]); // CASTLE and the blank → the mode, OWN
  });
});
