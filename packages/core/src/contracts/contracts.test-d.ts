import { describe, expectTypeOf, it } from 'vitest';
import type { DatasetVersion } from './dataset-store';
import type { Dataset, FeatureType } from './dataset';
import type { Model } from './model';
import type { DatasetLineage, ModelStore, ModelVersion, RegisterModelInput, VersionRef } from './store';
import type { Trainer } from './trainer';
import { createLifecycle } from '../lifecycle/create-lifecycle';
import type { Lifecycle } from '../lifecycle/types';

describe('contract types', () => {
  it('types trainer params: fit takes a partial of them, and lifecycles infer them', () => {
    type Params = { depth: number; seed: number };
    expectTypeOf<Trainer<Params>['fit']>().parameters.toEqualTypeOf<[Dataset, Partial<Params>?]>();
    expectTypeOf<Trainer<Params>['fit']>().returns.resolves.toEqualTypeOf<Model>();
    const options = {} as Parameters<typeof createLifecycle<Params>>[0];
    expectTypeOf(options.params).toEqualTypeOf<Partial<Params> | undefined>();
    expectTypeOf(createLifecycle<Params>).returns.toEqualTypeOf<Lifecycle>();
    // @ts-expect-error params must be JSON data
    type Bad = Trainer<{ when: Date }>;
    expectTypeOf<Bad>().not.toBeAny();
  });

  it('types predictions and signatures', () => {
    expectTypeOf<Model['predict']>().returns.toEqualTypeOf<number[]>();
    expectTypeOf<ModelVersion['signature']['featureTypes']>().toEqualTypeOf<readonly FeatureType[]>();
    expectTypeOf<FeatureType>().toEqualTypeOf<'number' | 'integer' | 'boolean'>();
    expectTypeOf<ModelVersion['status']>().toEqualTypeOf<'active' | 'archived'>();
  });

  it('types store metadata and refs', () => {
    expectTypeOf<VersionRef>().toEqualTypeOf<number | string>();
    expectTypeOf<ModelStore['register']>().returns.resolves.toEqualTypeOf<ModelVersion>();
    expectTypeOf<ModelStore['loadArtifact']>().returns.resolves.toHaveProperty('artifact');
    // A registered dataset version is a valid lineage for a model version.
    expectTypeOf<DatasetVersion>().toMatchTypeOf<DatasetLineage>();
    expectTypeOf<RegisterModelInput['metrics']>().toEqualTypeOf<Readonly<Record<string, number>> | undefined>();
  });
});
