import { describe, expect, it } from 'vitest';
import { alignDataset, concatDatasets, createDataset } from './dataset';

const base = {
  features: [
    [1, 2],
    [3, 4],
    [5, 6],
  ],
  target: [0, 1, 0],
  featureNames: ['x', 'y'],
  classNames: ['no', 'yes'],
};

describe('createDataset', () => {
  it('copies and freezes its input', () => {
    const features = base.features.map((r) => [...r]);
    const dataset = createDataset({ ...base, features, name: 'toy' });
    features[0]![0] = 99;
    expect(dataset.features[0]).toEqual([1, 2]);
    expect(Object.isFrozen(dataset)).toBe(true);
    expect(Object.isFrozen(dataset.features[0])).toBe(true);
    expect(dataset.name).toBe('toy');
  });

  it('checks declared feature types, naming the row, column and feature', () => {
    const typed = createDataset({ ...base, featureTypes: ['integer', 'number'] });
    expect(typed.featureTypes).toEqual(['integer', 'number']);
    expect(createDataset(base).featureTypes).toBeUndefined();
    expect(() => createDataset({ ...base, featureTypes: ['boolean', 'number'] })).toThrow(
      'features row 1, column 0 (x) is 3: expected 0 or 1 (boolean feature)',
    );
    expect(() =>
      createDataset({
        ...base,
        features: [
          [1, 2],
          [3, 4.5],
          [5, 6],
        ],
        featureTypes: ['number', 'integer'],
      }),
    ).toThrow(
      expect.objectContaining({
        message: 'features row 1, column 1 (y) is 4.5: expected an integer',
        row: 1,
        column: 1,
        columnName: 'y',
      }),
    );
    expect(() => createDataset({ ...base, featureTypes: ['number'] })).toThrow(
      'featureTypes has 1 entries but there are 2 features',
    );
    expect(() => createDataset({ ...base, featureTypes: ['number', 'text' as never] })).toThrow(
      'featureTypes[1] is "text": expected one of number, integer, boolean',
    );
  });

  it('rejects mismatched names, targets and class indices', () => {
    expect(() => createDataset({ ...base, featureNames: ['x'] })).toThrow(
      'featureNames has 1 names but rows have 2 columns',
    );
    expect(() => createDataset({ ...base, featureNames: ['x', 'x'] })).toThrow('feature name "x" appears twice');
    expect(() => createDataset({ ...base, target: [0, 1] })).toThrow('target has 2 values but features have 3 rows');
    expect(() => createDataset({ ...base, target: [0, 2, 0] })).toThrow(
      'target row 1 is 2: expected a class index in [0, 1]',
    );
    expect(() => createDataset({ ...base, target: [0, 0.5, 0] })).toThrow('target row 1 is 0.5');
    expect(() => createDataset({ ...base, features: [] })).toThrow('features has no rows');
  });

  it('accepts NaN features as missing values only when asked (for trainers that handle them)', () => {
    const features = [
      [1, Number.NaN],
      [2, 3],
      [Number.NaN, 4],
    ];
    expect(() => createDataset({ ...base, features })).toThrow(
      'features row 0, column 1 (y) is NaN: expected a finite number',
    );
    expect(createDataset({ ...base, features }, { allowMissing: true }).features[2]![0]).toBeNaN();
    expect(() =>
      createDataset(
        {
          ...base,
          features: [
            [1, Infinity],
            [2, 3],
            [4, 5],
          ],
        },
        { allowMissing: true },
      ),
    ).toThrow('features row 0, column 1 (y) is Infinity: expected a finite number or NaN (missing)');
    expect(() =>
      createDataset({ ...base, features, featureTypes: ['integer', 'boolean'] }, { allowMissing: true }),
    ).toThrow('features row 1, column 1 (y) is 3: expected 0 or 1 (boolean feature)');
  });

  it('returns a dataset it made as is (nothing to copy or check again), unless NaN was allowed then and not now', () => {
    const made = createDataset(base);
    expect(createDataset(made)).toBe(made);
    expect(createDataset(made, { allowMissing: true })).toBe(made);
    const withMissing = createDataset(
      {
        ...base,
        features: [
          [1, Number.NaN],
          [3, 4],
          [5, 6],
        ],
      },
      { allowMissing: true },
    );
    expect(createDataset(withMissing, { allowMissing: true })).toBe(withMissing);
    expect(() => createDataset(withMissing)).toThrow('features row 0, column 1 (y) is NaN: expected a finite number');
    expect(createDataset({ ...made })).not.toBe(made);
  });

  it('accepts regression targets without classNames', () => {
    const { classNames: _, ...regression } = base;
    expect(createDataset({ ...regression, target: [0.5, -1, 2] }).target).toEqual([0.5, -1, 2]);
    expect(() => createDataset({ ...regression, target: [0.5, NaN, 2] })).toThrow(
      'target row 1 is NaN: expected a finite number',
    );
  });
});

describe('concatDatasets', () => {
  it('appends rows of the second dataset', () => {
    const a = createDataset(base);
    const b = createDataset({ ...base, features: [[7, 8]], target: [1] });
    const both = concatDatasets(a, b);
    expect(both.features).toEqual([...base.features, [7, 8]]);
    expect(both.target).toEqual([0, 1, 0, 1]);
  });

  it('refuses datasets with other features or classes', () => {
    const a = createDataset(base);
    expect(() => concatDatasets(a, createDataset({ ...base, featureNames: ['x', 'z'] }))).toThrow(
      'cannot concatenate datasets with different features: [x,y] vs [x,z]',
    );
    expect(() => concatDatasets(a, createDataset({ ...base, classNames: undefined, target: [0.5, 1, 2] }))).toThrow(
      'cannot concatenate a classification dataset with a regression dataset',
    );
    const coded = createDataset({ ...base, features: [[0, 1]], target: [0], levels: [['a'], null] });
    expect(() => concatDatasets(a, coded)).toThrow(
      'cannot concatenate datasets whose category columns differ: [] vs [x]',
    );
    expect(() => concatDatasets(a, createDataset({ ...base, featureTypes: ['integer', 'number'] }))).toThrow(
      'cannot concatenate datasets with different feature types: [number,number] vs [integer,number]',
    );
    expect(concatDatasets(a, createDataset({ ...base, featureTypes: ['number', 'number'] })).featureTypes).toEqual([
      'number',
      'number',
    ]);
  });

  it('joins classes and category levels by name: new ones are appended, the second dataset is recoded', () => {
    const a = createDataset({
      features: [
        [0, 1.5],
        [1, 2],
      ],
      target: [0, 1],
      featureNames: ['colour', 'size'],
      classNames: ['no', 'yes'],
      levels: [['red', 'blue'], null],
    });
    const b = createDataset({
      features: [
        [0, 3],
        [1, 4],
        [2, 5],
      ],
      target: [0, 1, 2],
      featureNames: ['colour', 'size'],
      classNames: ['yes', 'maybe', 'no'],
      levels: [['green', 'red', 'blue'], null],
    });
    const both = concatDatasets(a, b);
    expect(both.classNames).toEqual(['no', 'yes', 'maybe']);
    expect(both.levels).toEqual([['red', 'blue', 'green'], null]);
    expect(both.features).toEqual([
      [0, 1.5],
      [1, 2],
      [2, 3],
      [0, 4],
      [1, 5],
    ]);
    expect(both.target).toEqual([0, 1, 1, 2, 0]);
    // Every row keeps its meaning: the same level and class names as before.
    const named = (d: typeof a) =>
      d.features.map((row, i) => [d.levels![0]![row[0]!], row[1], d.classNames![d.target[i]!]]);
    expect(named(both)).toEqual([...named(a), ...named(b)]);
    // alignDataset is the second half of that: b alone, on the joined lists.
    const aligned = alignDataset(a, b);
    expect([aligned.features, aligned.target, aligned.levels, aligned.classNames]).toEqual([
      both.features.slice(2),
      both.target.slice(2),
      both.levels,
      both.classNames,
    ]);
  });
});

describe('createDataset levels', () => {
  it('takes one entry per column and codes in range; names the row and column otherwise', () => {
    const input = { features: [[1, 0.5]], target: [0], featureNames: ['c', 'x'], classNames: ['a'] };
    expect(createDataset({ ...input, levels: [['p', 'q'], null] }).levels).toEqual([['p', 'q'], null]);
    expect(() => createDataset({ ...input, levels: [['p'], null] })).toThrow(
      'features row 0, column "c" is 1: expected a level code in [0, 0]',
    );
    expect(() => createDataset({ ...input, levels: [['p', 'q']] })).toThrow(
      'levels must give one entry (levels or null) per feature, for 2 features',
    );
    expect(() => createDataset({ ...input, levels: [['p', 'p'], null] })).toThrow('level of "c" "p" appears twice');
    expect(() => createDataset({ ...input, levels: [[], null] })).toThrow(
      'levels of feature "c" must be a non-empty array or null',
    );
  });
});
