import { describe, expect, it } from 'vitest';
import { concatDatasets, createDataset } from './dataset';

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
    expect(() => concatDatasets(a, createDataset({ ...base, classNames: ['n', 'y'] }))).toThrow('different classes');
    expect(() => concatDatasets(a, createDataset({ ...base, featureTypes: ['integer', 'number'] }))).toThrow(
      'cannot concatenate datasets with different feature types: [number,number] vs [integer,number]',
    );
    expect(concatDatasets(a, createDataset({ ...base, featureTypes: ['number', 'number'] })).featureTypes).toEqual([
      'number',
      'number',
    ]);
  });
});
