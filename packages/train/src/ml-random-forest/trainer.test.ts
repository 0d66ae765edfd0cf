import { createDataset, decodeModel, InvalidInputError } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { irisTest, irisTrain } from '../__fixtures__/iris-split';
import { mlRandomForestCodec } from './codec';
import { mlRandomForestTrainer } from './trainer';

/** scikit-learn 1.2's RandomForestClassifier(random_state=42) on the same split. */
const SKLEARN_PREDICTIONS = [1, 0, 2, 1, 1, 0, 1, 2, 1, 1, 2, 0, 0, 0, 0, 1, 2, 1, 1, 2, 0, 2, 0, 2, 2, 2, 2, 2, 0, 0];

describe('mlRandomForestTrainer', async () => {
  const model = await mlRandomForestTrainer().fit(irisTrain);

  it('predicts exactly what scikit-learn predicts on the iris test split', () => {
    expect(model.predict(irisTest.features)).toEqual(SKLEARN_PREDICTIONS);
    expect(model.params).toEqual({
      nEstimators: 100,
      maxFeatures: 'sqrt',
      bootstrap: true,
      seed: 42,
      maxDepth: null,
      featuresPerTree: 2,
    });
    expect(model.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(mlRandomForestTrainer().name).toBe('ml-random-forest');
  });

  it("bootstraps rows and draws each tree's features once, without repeats", () => {
    const base = (model.toArtifact().payload as { baseModel: Record<string, unknown> }).baseModel;
    expect(base).toMatchObject({ useSampleBagging: true, replacement: false, n: 2, nEstimators: 100 });
    const indexes = base.indexes as number[][];
    expect(indexes).toHaveLength(100);
    expect(indexes.every((pair) => pair.length === 2 && pair[0] !== pair[1])).toBe(true);
    expect(indexes[0]).toEqual([1, 2]); // seed 42: the first tree sees sepal width and petal length
  });

  it('gives vote shares that sum to 1 and agree with predict', () => {
    const proba = model.predictProba!(irisTest.features);
    expect(proba).toHaveLength(30);
    proba.forEach((p, i) => {
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(p.indexOf(Math.max(...p))).toBe(SKLEARN_PREDICTIONS[i]);
    });
    expect(proba[1]).toEqual([0.97, 0.03, 0]); // a setosa: 97 of 100 trees agree
  });

  it('is deterministic per seed: same seed, byte-identical artifact', async () => {
    const again = await mlRandomForestTrainer().fit(irisTrain);
    expect(JSON.stringify(again.toArtifact())).toBe(JSON.stringify(model.toArtifact()));
    const other = await mlRandomForestTrainer({ seed: 7, nEstimators: 10 }).fit(irisTrain);
    const other2 = await mlRandomForestTrainer({ nEstimators: 10 }).fit(irisTrain, { seed: 8 });
    expect(JSON.stringify(other.toArtifact())).not.toBe(JSON.stringify(other2.toArtifact()));
  });

  it('round-trips through JSON and the codec with identical predictions', () => {
    const artifact = JSON.parse(JSON.stringify(model.toArtifact()));
    const loaded = decodeModel(artifact, [mlRandomForestCodec]);
    expect(loaded.predict(irisTest.features)).toEqual(SKLEARN_PREDICTIONS);
    expect(loaded.predictProba!(irisTest.features)).toEqual(model.predictProba!(irisTest.features));
    expect(JSON.stringify(loaded.toArtifact())).toBe(JSON.stringify(model.toArtifact()));
  });

  it('checks predict input', () => {
    expect(() => model.predict([[1, 2, 3]])).toThrow('predict input row 0 has 3 values, expected 4');
    expect(() => model.predict([[1, 2, 3, NaN]])).toThrow('predict input row 0, column 3 (petal width (cm)) is NaN');
  });

  it('rejects bad params and data', async () => {
    const trainer = mlRandomForestTrainer({ nEstimators: 3 });
    expect(() => mlRandomForestTrainer({ nEstimators: 0 })).toThrow('nEstimators is 0: expected an integer ≥ 1');
    await expect(trainer.fit(irisTrain, { maxFeatures: 9 })).rejects.toThrow(
      'maxFeatures 9 exceeds the 4 feature columns',
    );
    await expect(trainer.fit(irisTrain, { seed: -1 })).rejects.toThrow(InvalidInputError);
    const oneClass = createDataset({
      features: [[1], [2]],
      target: [0, 0],
      featureNames: ['x'],
      classNames: ['a', 'b'],
    });
    await expect(trainer.fit(oneClass)).rejects.toThrow('training data has 1 class: a classifier needs at least 2');
    const { classNames: _, ...regression } = irisTrain;
    await expect(trainer.fit(regression)).rejects.toThrow('needs a dataset with classNames');
  });
});
