import type { DatasetStore, DecisionLog, ModelStore, ModelVersion } from '@mlops/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { FileSystemModelStore } from '../filesystem/file-system-store';
import type { PostgresModelStore } from '../postgres/postgres-store';
import type { RawInput } from '@mlops/core';
import type { RegisteredModel } from './load-model';

describe('registry types', () => {
  it('both backends implement the contracts and expose datasets and decisions', () => {
    expectTypeOf<FileSystemModelStore>().toMatchTypeOf<ModelStore>();
    expectTypeOf<PostgresModelStore>().toMatchTypeOf<ModelStore>();
    expectTypeOf<FileSystemModelStore['datasets']>().toMatchTypeOf<DatasetStore>();
    expectTypeOf<PostgresModelStore['decisions']>().toMatchTypeOf<DecisionLog>();
    expectTypeOf<FileSystemModelStore['register']>().returns.resolves.toEqualTypeOf<ModelVersion>();
  });

  it('predicts raw records or positional rows: indices, labels, probabilities keyed by class', () => {
    expectTypeOf<RegisteredModel['predict']>().parameter(0).toEqualTypeOf<RawInput>();
    expectTypeOf<readonly (readonly number[])[]>().toMatchTypeOf<RawInput>();
    expectTypeOf<RegisteredModel['predict']>().returns.toEqualTypeOf<number[]>();
    expectTypeOf<RegisteredModel['predictLabels']>().returns.toEqualTypeOf<string[]>();
    expectTypeOf<RegisteredModel['predictProba']>().returns.toEqualTypeOf<Record<string, number>[]>();
  });
});
