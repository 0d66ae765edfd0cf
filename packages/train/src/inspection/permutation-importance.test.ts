import { createDataset, RandomState, type Model } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { r2Score } from '../metrics/regression';
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

  it('scores a regression dataset with R², not accuracy', () => {
    const doubler: Model = {
      format: 'doubler',
      featureNames: ['x0', 'x1'],
      params: {},
      predict: (rows) => rows.map((r) => 2 * r[0]!),
      toArtifact: () => ({
        format: 'doubler',
        formatVersion: 1,
        featureNames: ['x0', 'x1'],
        params: {},
        payload: null,
      }),
    };
    const numeric = createDataset({ features, target: features.map((r) => 2 * r[0]!), featureNames: ['x0', 'x1'] });
    const result = permutationImportance(doubler, numeric, { repeats: 2, seed: 5 });
    const shuffled = new RandomState(5).permutation(200).map((i) => 2 * features[i]![0]!);
    // Baseline R² is 1; the first shuffle of x0 gives exactly 1 − R²(target, shuffled predictions).
    expect(result.x0!.drops[0]).toBeCloseTo(1 - r2Score(numeric.target, shuffled), 12);
    expect(result.x0!.mean).toBeGreaterThan(1);
    expect(result.x1).toEqual({ mean: 0, std: 0, drops: [0, 0] });
  });
});
