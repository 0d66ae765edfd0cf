import { createDataset, decodeModel, RandomState, type ModelArtifact } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { r2Score } from '../metrics/regression';
import { randomForestCodec } from './codec';
import { randomForestRegressor, type RandomForestRegressorModel } from './random-forest-regressor';

// y = 3·x0 − 2·x1 + sin(6·x2) + 0.3·noise; x3 is irrelevant. numpy's RandomState(11) draws the same numbers,
// and scikit-learn 1.2's RandomForestRegressor(random_state=0) scores R² = 0.9552 on the last 150 rows.
const random = new RandomState(11);
const features = Array.from({ length: 600 }, () => Array.from({ length: 4 }, () => random.random()));
const target = features.map((x) => 3 * x[0]! - 2 * x[1]! + Math.sin(6 * x[2]!) + 0.3 * random.random());
const data = (from: number, to: number) =>
  createDataset({
    features: features.slice(from, to),
    target: target.slice(from, to),
    featureNames: ['x0', 'x1', 'x2', 'x3'],
  });
const train = data(0, 450);
const test = data(450, 600);

describe('randomForestRegressor', async () => {
  const model = (await randomForestRegressor({ seed: 0 }).fit(train)) as RandomForestRegressorModel;

  it('fits as well as scikit-learn', () => {
    expect(r2Score(test.target, model.predict(test.features))).toBeGreaterThan(0.94);
    expect(model.params).toMatchObject({ maxFeatures: 'all', nEstimators: 100, seed: 0 });
  });

  it('ranks the irrelevant feature last', () => {
    const importances = model.featureImportances();
    expect(Object.values(importances).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(importances.x3!).toBeLessThan(Math.min(importances.x0!, importances.x1!, importances.x2!));
  });

  it('round-trips through the shared codec, byte for byte', async () => {
    const text = JSON.stringify(model.toArtifact());
    const loaded = decodeModel(JSON.parse(text) as ModelArtifact, [randomForestCodec]);
    expect(loaded.predict(test.features)).toEqual(model.predict(test.features));
    expect(JSON.stringify(loaded.toArtifact())).toBe(text);
    expect(JSON.stringify((await randomForestRegressor({ seed: 0 }).fit(train)).toArtifact())).toBe(text);
    expect('classNames' in JSON.parse(text)).toBe(false);
  });

  it('refuses class labels and non-finite targets', async () => {
    const labelled = createDataset({ ...train, target: train.target.map((_, i) => i % 2), classNames: ['a', 'b'] });
    await expect(randomForestRegressor().fit(labelled)).rejects.toThrow(
      'a regressor needs a dataset without classNames',
    );
    expect(() => randomForestRegressor({ nEstimators: 0 })).toThrow('nEstimators is 0: expected an integer ≥ 1');
  });
});
