import type { DatasetStore, DecisionLog, ModelStore, ModelVersion } from '@mlops/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { FileSystemModelStore } from '../filesystem/file-system-store';
import type { PostgresModelStore } from '../postgres/postgres-store';
import type { NamedRow, RegisteredModel } from './load-model';

describe('registry types', () => {
  it('both backends implement the contracts and expose datasets and decisions', () => {
    expectTypeOf<FileSystemModelStore>().toMatchTypeOf<ModelStore>();
    expectTypeOf<PostgresModelStore>().toMatchTypeOf<ModelStore>();
    expectTypeOf<FileSystemModelStore['datasets']>().toMatchTypeOf<DatasetStore>();
    expectTypeOf<PostgresModelStore['decisions']>().toMatchTypeOf<DecisionLog>();
    expectTypeOf<FileSystemModelStore['register']>().returns.resolves.toEqualTypeOf<ModelVersion>();
  });

  it('predicts named rows with booleans for boolean features, or positional rows', () => {
    expectTypeOf<NamedRow>().toEqualTypeOf<Readonly<Record<string, number | boolean>>>();
    expectTypeOf<RegisteredModel['predict']>()
      .parameter(0)
      .toMatchTypeOf<readonly (readonly number[])[] | readonly NamedRow[]>();
    expectTypeOf<RegisteredModel['predict']>().returns.toEqualTypeOf<number[]>();
  });
});
