import { createDataset, decodeModel, InvalidArtifactError, RandomState, type ModelArtifact } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { irisTest, irisTrain } from '../__fixtures__/iris-split';
import { mlRandomForestCodec } from '../ml-random-forest/codec';
import { randomForestCodec } from './codec';
import type { RandomForestClassifierModel } from './model';
import type { RandomForestParams } from './params';
import { randomForestClassifier } from './random-forest-classifier';

/** scikit-learn 1.2's RandomForestClassifier(random_state=42) on the same split. */
const SKLEARN_PREDICTIONS = [1, 0, 2, 1, 1, 0, 1, 2, 1, 1, 2, 0, 0, 0, 0, 1, 2, 1, 1, 2, 0, 2, 0, 2, 2, 2, 2, 2, 0, 0];

describe('randomForestClassifier (own engine)', async () => {
  const model = await randomForestClassifier().fit(irisTrain);

  it("predicts scikit-learn's iris test predictions", () => {
    expect(model.predict(irisTest.features)).toEqual(SKLEARN_PREDICTIONS);
    expect(model.format).toBe('mlops-random-forest');
    expect(model.params).toEqual({
      nEstimators: 100,
      maxFeatures: 'sqrt',
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      bootstrap: true,
      criterion: 'gini',
      seed: 42,
      splitter: 'hist',
      maxSamples: null,
      classWeight: null,
      oobScore: false,
    });
  });

  it('gives probabilities that sum to 1 and agree with predict', () => {
    model.predictProba!(irisTest.features).forEach((p, i) => {
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(p.indexOf(Math.max(...p))).toBe(SKLEARN_PREDICTIONS[i]);
    });
  });

  it('writes a byte-identical artifact for the same seed, and round-trips it', async () => {
    const again = await randomForestClassifier().fit(irisTrain);
    const text = JSON.stringify(model.toArtifact());
    expect(JSON.stringify(again.toArtifact())).toBe(text);
    expect(JSON.stringify((await randomForestClassifier({ seed: 1 }).fit(irisTrain)).toArtifact())).not.toBe(text);
    const loaded = decodeModel(JSON.parse(text) as ModelArtifact, [randomForestCodec, mlRandomForestCodec]);
    expect(loaded.predictProba!(irisTest.features)).toEqual(model.predictProba!(irisTest.features));
    expect(JSON.stringify(loaded.toArtifact())).toBe(text);
  });

  it('ranks petal measurements as the important iris features', () => {
    const importances = (model as RandomForestClassifierModel).featureImportances();
    expect(Object.keys(importances)).toEqual(irisTrain.featureNames);
    expect(Object.values(importances).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // scikit-learn on this split: sepal length 0.108, sepal width 0.030, petal length 0.440, petal width 0.422.
    expect(importances['petal length (cm)']! + importances['petal width (cm)']!).toBeGreaterThan(0.75);
    expect(importances['sepal width (cm)']!).toBeLessThan(0.05);
  });

  it('refuses artifacts whose names do not fit the forest', () => {
    const artifact = JSON.parse(JSON.stringify(model.toArtifact())) as ModelArtifact;
    expect(() => randomForestCodec.decode({ ...artifact, featureNames: ['a', 'b'] })).toThrow(
      'invalid mlops-random-forest artifact: classification forest has 4 features and 3 leaf values, names list 2 features and 3 classes',
    );
    expect(() => randomForestCodec.decode({ ...artifact, classNames: [] })).toThrow(InvalidArtifactError);
    expect(() => randomForestCodec.decode({ ...artifact, payload: { formatVersion: 9 } })).toThrow(
      'formatVersion 9 is not supported',
    );
  });

  it('predicts row-major Float64Array and Float32Array input alike', async () => {
    const forest = model as RandomForestClassifierModel;
    const flat = irisTest.features.flat();
    expect(Array.from(forest.predictMatrix(Float64Array.from(flat), 4))).toEqual(SKLEARN_PREDICTIONS);
    expect(Array.from(forest.predictMatrix(Float32Array.from(flat), 4))).toHaveLength(30);
    expect(() => forest.predictMatrix(Float64Array.from(flat), 3)).toThrow('predict input has 3 columns, expected 4');
    await expect(forest.predictMatrixAsync(Float64Array.from(flat), 4, { nJobs: 2 }).then(Array.from)).resolves.toEqual(
      SKLEARN_PREDICTIONS,
    );
    expect(() => forest.predictMatrix(new Float64Array(7), 4)).toThrow(
      'predict input has 7 values: not a multiple of 4 columns',
    );
    expect(() => forest.predictMatrix(Float64Array.from([1, 2, NaN, 4]), 4)).toThrow(
      'predict input row 0, column 2 is NaN',
    );
  });

  it('reports an out-of-bag score, kept through the artifact', async () => {
    const withOob = (await randomForestClassifier({ oobScore: true }).fit(irisTrain)) as RandomForestClassifierModel;
    // scikit-learn's RandomForestClassifier(oob_score=True, random_state=42) on this split: 0.917.
    expect(withOob.oobScore).toBeGreaterThan(0.9);
    expect(withOob.oobScore).toBeLessThanOrEqual(1);
    expect((model as RandomForestClassifierModel).oobScore).toBeUndefined();
    const loaded = randomForestCodec.decode(
      JSON.parse(JSON.stringify(withOob.toArtifact())) as ModelArtifact,
    ) as RandomForestClassifierModel;
    expect(loaded.oobScore).toBe(withOob.oobScore);
    expect(withOob.predict(irisTest.features)).toEqual(SKLEARN_PREDICTIONS); // the OOB pass changes nothing
    expect(() => randomForestClassifier({ oobScore: true, bootstrap: false })).toThrow(
      'oobScore is true: expected bootstrap: true to have out-of-bag rows',
    );
  });

  it('balances rare classes and draws maxSamples rows per tree', async () => {
    // 190 rows of class a on [0, 1), 10 of class b on [0.5, 1.5): where they overlap, unweighted trees say a.
    const random = new RandomState(4);
    const features = Array.from({ length: 200 }, (_, i) => [(i < 190 ? 0 : 0.5) + random.random()]);
    const skewed = createDataset({
      features,
      target: features.map((_, i) => (i < 190 ? 0 : 1)),
      featureNames: ['x'],
      classNames: ['a', 'b'],
    });
    const probe = Array.from({ length: 20 }, (_, i) => [0.5 + i * 0.025]);
    const rare = async (params: Partial<RandomForestParams>) =>
      (await randomForestClassifier({ nEstimators: 30, maxDepth: 2, ...params }).fit(skewed))
        .predict(probe)
        .filter((p) => p === 1).length;
    expect(await rare({ classWeight: 'balanced' })).toBeGreaterThan(await rare({}));
    const half = JSON.stringify(
      (await randomForestClassifier({ nEstimators: 5, maxSamples: 0.5 }).fit(irisTrain)).toArtifact(),
    );
    expect(half).not.toBe(
      JSON.stringify((await randomForestClassifier({ nEstimators: 5 }).fit(irisTrain)).toArtifact()),
    );
    await expect(randomForestClassifier({ maxSamples: 500 }).fit(irisTrain)).rejects.toThrow(
      'maxSamples 500 must be a count in [1, 120] or a fraction in (0, 1)',
    );
  });

  it('checks params and predict input', async () => {
    expect(() => randomForestClassifier({ minSamplesLeaf: 0 })).toThrow('minSamplesLeaf is 0: expected an integer ≥ 1');
    expect(() => randomForestClassifier({ criterion: 'mse' as 'gini' })).toThrow(
      `criterion is "mse": expected 'gini' or 'entropy'`,
    );
    await expect(randomForestClassifier().fit(irisTrain, { maxFeatures: -2 })).rejects.toThrow('maxFeatures is -2');
    expect(() => model.predict([[1, 2, 3]])).toThrow('predict input row 0 has 3 values, expected 4');
  });
});
