import type { Model, Trainer } from '@mlops/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { RandomForestParams } from './params';
import { randomForestTrainer } from './trainer';

describe('randomForestTrainer types', () => {
  it('is a Trainer of random-forest params', () => {
    const trainer = randomForestTrainer({ nEstimators: 10, seed: 1 });
    expectTypeOf(trainer).toEqualTypeOf<Trainer<RandomForestParams>>();
    expectTypeOf(trainer.fit).returns.resolves.toEqualTypeOf<Model>();
    expectTypeOf<Parameters<typeof trainer.fit>[1]>().toEqualTypeOf<Partial<RandomForestParams> | undefined>();
    // @ts-expect-error unknown hyperparameters are rejected
    randomForestTrainer({ nTrees: 10 });
    // @ts-expect-error a seed is a number
    randomForestTrainer({ seed: 'forty-two' });
  });
});
