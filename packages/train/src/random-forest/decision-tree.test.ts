import { describe, expect, it } from 'vitest';
import { irisTest, irisTrain } from '../__fixtures__/iris-split';
import { createDataset } from '@mlops/core';
import { decisionTreeClassifier, decisionTreeRegressor } from './decision-tree';

describe('decisionTreeClassifier', () => {
  it('grows one full tree that fits its training data', async () => {
    const tree = await decisionTreeClassifier().fit(irisTrain);
    expect(tree.params).toMatchObject({ nEstimators: 1, bootstrap: false, maxFeatures: 'all' });
    // A fully grown tree separates the training rows unless two identical rows disagree.
    expect(tree.predict(irisTrain.features).filter((p, i) => p === irisTrain.target[i]).length).toBeGreaterThanOrEqual(
      119,
    );
    expect(tree.predict(irisTest.features).filter((p, i) => p === irisTest.target[i]).length).toBeGreaterThanOrEqual(
      28,
    );
    const stump = await decisionTreeClassifier({ maxDepth: 1 }).fit(irisTrain);
    expect(new Set(stump.predict(irisTest.features)).size).toBe(2);
  });
});

describe('decisionTreeRegressor', () => {
  it('fits a step function exactly and averages within leaves', async () => {
    const features = Array.from({ length: 40 }, (_, i) => [i]);
    const data = createDataset({ features, target: features.map(([x]) => (x! < 20 ? 1 : 5)), featureNames: ['x'] });
    const tree = await decisionTreeRegressor().fit(data);
    expect(tree.predict([[3], [19], [20], [39]])).toEqual([1, 1, 5, 5]);
    const stump = await decisionTreeRegressor({ maxDepth: 1 }).fit(
      createDataset({ ...data, target: features.map(([x]) => x!) }),
    );
    expect(stump.predict([[0], [39]])).toEqual([9.5, 29.5]);
  });
});
