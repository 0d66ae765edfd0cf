import { describe, expect, it } from 'vitest';
import { irisTest, irisTrain } from '../__fixtures__/iris-split';
import { decisionTreeTrainer } from './decision-tree';

describe('decisionTreeTrainer', () => {
  it('grows one full tree that fits its training data', async () => {
    const tree = await decisionTreeTrainer().fit(irisTrain);
    expect(tree.params).toMatchObject({ nEstimators: 1, bootstrap: false, maxFeatures: 'all' });
    // A fully grown tree separates the training rows unless two identical rows disagree.
    expect(tree.predict(irisTrain.features).filter((p, i) => p === irisTrain.target[i]).length).toBeGreaterThanOrEqual(119);
    expect(tree.predict(irisTest.features).filter((p, i) => p === irisTest.target[i]).length).toBeGreaterThanOrEqual(28);
    const stump = await decisionTreeTrainer({ maxDepth: 1 }).fit(irisTrain);
    expect(new Set(stump.predict(irisTest.features)).size).toBe(2);
  });
});
