import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, type Model, type ModelArtifact, type ModelCodec } from '@mlops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSystemModelStore } from '../filesystem/file-system-store';
import { loadModel } from './load-model';

// A real, tiny linear model: class 1 when w·x > 0.
const linearCodec: ModelCodec = {
  format: 'linear',
  formatVersions: [1],
  decode(artifact: ModelArtifact): Model {
    const weights = (artifact.payload as { weights: number[] }).weights;
    return {
      format: 'linear',
      featureNames: artifact.featureNames,
      params: artifact.params,
      predict: (rows) => rows.map((row) => (row.reduce((s, v, j) => s + v * weights[j]!, 0) > 0 ? 1 : 0)),
      toArtifact: () => artifact,
    };
  },
};
const artifact: ModelArtifact = {
  format: 'linear',
  formatVersion: 1,
  featureNames: ['a', 'b'],
  classNames: ['no', 'yes'],
  params: {},
  payload: { weights: [1, -1] },
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlops-load-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('loadModel', () => {
  it('predicts positional and named rows, rejecting what does not match the signature', async () => {
    const store = new FileSystemModelStore({ root });
    await store.register('m', { artifact });
    await store.setAlias('m', 'production', 1);
    const served = await loadModel(store, 'm', 'production', [linearCodec]);
    expect(served.version.version).toBe(1);
    expect(
      served.predict([
        [2, 1],
        [0, 3],
      ]),
    ).toEqual([1, 0]);
    expect(
      served.predict([
        { b: 1, a: 2 },
        { a: 0, b: 3 },
      ]),
    ).toEqual([1, 0]);
    expect(() => served.predict([[1, 2, 3]])).toThrow('row 0 has 3 values but m v1 takes 2 (a, b)');
    expect(() => served.predict([{ a: 1 }])).toThrow('row 0 lacks feature "b" that m v1 needs');
    expect(() => served.predict([{ a: 1, b: 2, c: 3 }])).toThrow('row 0 has feature "c", which m v1 does not take');
    expect(() => served.predict([[1, 2], [3]])).toThrow(InvalidInputError);
  });

  it('checks values against the signature feature types, given or taken from the linked dataset version', async () => {
    const store = new FileSystemModelStore({ root });
    const typed = await store.register('typed', { artifact, featureTypes: ['integer', 'boolean'] });
    expect(typed.signature.featureTypes).toEqual(['integer', 'boolean']);
    const served = await loadModel(store, 'typed', 1, [linearCodec]);
    expect(
      served.predict([
        [2, 1],
        [3, 0],
      ]),
    ).toEqual([1, 1]);
    expect(
      served.predict([
        { a: 2, b: true },
        { a: 0, b: false },
      ]),
    ).toEqual([1, 0]);
    expect(() =>
      served.predict([
        [2, 1],
        [2.5, 0],
      ]),
    ).toThrow(
      expect.objectContaining({
        message: 'predict input for typed v1 row 1, column 0 (a) is 2.5: expected an integer',
        row: 1,
        column: 0,
        columnName: 'a',
      }),
    );
    expect(() => served.predict([{ a: 1, b: 2 }])).toThrow(
      'predict input for typed v1 row 0, column 1 (b) is 2: expected 0 or 1 (boolean feature)',
    );
    expect(() => served.predict([{ a: true, b: 1 }])).toThrow(
      'row 0, feature "a" is true but typed v1 takes integer values there',
    );
    expect(() => served.predict([[1, Number.NaN]])).toThrow(
      'predict input for typed v1 row 0, column 1 (b) is NaN: expected a finite number',
    );

    const data = await store.datasets.register('flags', {
      dataset: {
        features: [
          [1, 0],
          [2, 1],
        ],
        target: [0, 1],
        featureNames: ['a', 'b'],
        featureTypes: ['number', 'boolean'],
        classNames: ['no', 'yes'],
      },
    });
    const linked = await store.register('linked', { artifact, dataset: data });
    expect(linked.signature.featureTypes).toEqual(['number', 'boolean']);
    expect(linked.dataset).toEqual({ fingerprint: data.fingerprint, name: 'flags', version: 1 });
    expect(() => served.predict([[1, 1]])).not.toThrow();
    const plain = await store.register('plain', { artifact });
    expect(plain.signature.featureTypes).toEqual(['number', 'number']);
  });
});
