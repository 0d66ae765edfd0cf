import type { Trainer } from '@mlops/core';
import type { RandomForestClassifierModel } from './model';
import { describe, expectTypeOf, it } from 'vitest';
import type { RandomForestParams } from './params';
import { randomForestClassifier } from './random-forest-classifier';

describe('randomForestClassifier types', () => {
  it('is a Trainer of random-forest params', () => {
    const trainer = randomForestClassifier({ nEstimators: 10, seed: 1 });
    expectTypeOf(trainer).toEqualTypeOf<Trainer<RandomForestParams, RandomForestClassifierModel>>();
    // fit returns the concrete model: predictProba and featureImportances without casts
    expectTypeOf(trainer.fit).returns.resolves.toEqualTypeOf<RandomForestClassifierModel>();
    expectTypeOf(trainer.fit).returns.resolves.toHaveProperty('featureImportances');
    expectTypeOf<Parameters<typeof trainer.fit>[1]>().toEqualTypeOf<Partial<RandomForestParams> | undefined>();
    // @ts-expect-error unknown hyperparameters are rejected
    randomForestClassifier({ nTrees: 10 });
    // @ts-expect-error a seed is a number
    randomForestClassifier({ seed: 'forty-two' });
  });
});
