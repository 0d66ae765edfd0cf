import { describe, expect, it } from 'vitest';
import { fingerprint } from '@mlops/core';
import { IRIS_FEATURE_NAMES, irisRecords, loadIris } from './load-iris';

describe('loadIris', () => {
  const iris = loadIris();
  it('has scikit-learn names and shape', () => {
    expect(iris.name).toBe('iris');
    expect(iris.featureNames).toEqual([
      'sepal length (cm)',
      'sepal width (cm)',
      'petal length (cm)',
      'petal width (cm)',
    ]);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(iris.features).toHaveLength(150);
    expect([0, 1, 2].map((c) => iris.target.filter((t) => t === c).length)).toEqual([50, 50, 50]);
  });

  it('has scikit-learn values, including the two rows it corrected from the UCI file', () => {
    expect(iris.features[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(iris.features[34]).toEqual([4.9, 3.1, 1.5, 0.2]);
    expect(iris.features[37]).toEqual([4.9, 3.6, 1.4, 0.1]);
    expect(iris.features[149]).toEqual([5.9, 3.0, 5.1, 1.8]);
    expect(iris.target.slice(48, 52)).toEqual([0, 0, 1, 1]);
  });

  it('has the fingerprint computed from scikit-learn load_iris() by an independent Python encoder', () => {
    expect(fingerprint(iris)).toBe('1395fe61f71e7b855d48bb4ee79b2d4ec253260380b0bbadbbec1fbb049a01fa');
  });

  it('is immutable', () => {
    expect(Object.isFrozen(iris.features)).toBe(true);
    expect(Object.isFrozen(iris.features[0])).toBe(true);
  });
});

describe('irisRecords', () => {
  it('gives the raw records a table loader turns back into the same dataset, with its preprocessing', async () => {
    const { buildTable } = await import('../tabular/build-table');
    const table = await buildTable(irisRecords(), { target: 'species', name: 'iris' });
    const iris = loadIris();
    expect(table.dataset.features).toEqual(iris.features);
    expect(table.dataset.target).toEqual(iris.target);
    expect(table.dataset.classNames).toEqual(iris.classNames);
    expect(table.preprocessing.inputs.map((c) => [c.name, c.type, c.nullable])).toEqual(
      IRIS_FEATURE_NAMES.map((name) => [name, 'number', false]),
    );
  });
});
