import { createDataset, RandomState, type Model } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { permutationImportance } from './permutation-importance';

// A real (if tiny) model: class 1 exactly when x0 > 0.5; x1 is ignored.
const thresholdModel: Model = {
  format: 'threshold',
  featureNames: ['x0', 'x1'],
  classNames: ['no', 'yes'],
  params: {},
  predict: (rows) => rows.map((r) => (r[0]! > 0.5 ? 1 : 0)),
  toArtifact: () => ({ format: 'threshold', formatVersion: 1, featureNames: ['x0', 'x1'], params: {}, payload: null }),
};

describe('permutationImportance', () => {
  const random = new RandomState(1);
  const features = Array.from({ length: 200 }, () => [random.random(), random.random()]);
  const data = createDataset({
    features,
    target: features.map((r) => (r[0]! > 0.5 ? 1 : 0)),
    featureNames: ['x0', 'x1'],
    classNames: ['no', 'yes'],
  });

  it('finds the used feature and gives the ignored one exactly zero', () => {
    const result = permutationImportance(thresholdModel, data, { repeats: 4, seed: 3 });
    expect(result.x1).toEqual({ mean: 0, std: 0, drops: [0, 0, 0, 0] });
    expect(result.x0!.mean).toBeGreaterThan(0.3);
    expect(result.x0!.drops).toHaveLength(4);
    expect(permutationImportance(thresholdModel, data, { repeats: 4, seed: 3 })).toEqual(result);
  });

  it('checks repeats', () => {
    expect(() => permutationImportance(thresholdModel, data, { repeats: 0 })).toThrow(
      'repeats must be an integer ≥ 1, got 0',
    );
  });
});
