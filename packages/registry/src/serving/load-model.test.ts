import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEncoder,
  createPipeline,
  InvalidInputError,
  pipelineCodec,
  type Model,
  type ModelArtifact,
  type ModelCodec,
  type Preprocessing,
} from '@mlops/core';
import { centroidCodec, centroidTrainer } from '@mlops/core/testing';
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
    expect(() => served.predict([[1, 2, 3]])).toThrow(
      'predict input for m v1 row 0 has 3 values but the model takes 2 (a, b)',
    );
    expect(() => served.predict([{ a: 1 }])).toThrow(
      'predict input for m v1 row 0, column "b" is missing, and this column has no fill value',
    );
    expect(() => served.predict([{ a: 1, b: 2, c: 3 }])).toThrow(
      'predict input for m v1 row 0 has column "c", which is not an input of the model (inputs: a, b)',
    );
    expect(served.predictLabels([[2, 1]])).toEqual(['yes']);
    expect(() => served.predictProba([[2, 1]])).toThrow('predictProba: m v1 (linear) gives no probabilities');
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
        message: 'predict input for typed v1 row 1, column "a" is 2.5: expected an integer',
        row: 1,
        columnName: 'a',
      }),
    );
    expect(() => served.predict([{ a: 1, b: 2 }])).toThrow(
      'predict input for typed v1 row 0, column "b" is 2: expected a boolean (true/false, 1/0, yes/no)',
    );
    expect(() => served.predict([{ a: true, b: 1 }])).toThrow(
      'predict input for typed v1 row 0, column "a" is true: expected an integer',
    );
    expect(() => served.predict([[1, Number.NaN]])).toThrow(
      'predict input for typed v1 row 0, column "b" is missing, and this column has no fill value',
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

  it('loads a pipeline: raw records with text categories and blanks, labels and probabilities by class', async () => {
    const store = new FileSystemModelStore({ root });
    const preprocessing: Preprocessing = {
      inputs: [
        { name: 'income', type: 'number', nullable: true, fill: { strategy: 'median', value: 80 }, missingCount: 3 },
        { name: 'home', type: 'category', levels: ['OWN', 'RENT'], nullable: false, missingCount: 0 },
      ],
      target: { name: 'default', task: 'classification', classNames: ['no', 'yes'] },
      dropped: ['id'],
      missingValues: [''],
      unseenCategory: 'error',
    };
    const estimator = await centroidTrainer.fit({
      features: createEncoder(preprocessing)([
        { income: 20, home: 'RENT' },
        { income: 90, home: 'OWN' },
      ]),
      target: [1, 0],
      featureNames: ['income', 'home'],
      classNames: ['no', 'yes'],
    });
    const pipeline = createPipeline(preprocessing, estimator);
    const version = await store.register('loans', { artifact: pipeline.toArtifact() });
    expect(version.signature).toEqual({
      featureNames: ['income', 'home'],
      featureTypes: ['number', 'integer'],
      classNames: ['no', 'yes'],
      inputs: preprocessing.inputs,
    });
    const served = await loadModel(store, 'loans', 1, [pipelineCodec([centroidCodec])]);
    const records = [
      { id: 'a', income: '25', home: 'RENT' },
      { id: 'b', income: '', home: 'OWN', default: 'no' },
    ];
    expect(served.task).toBe('classification');
    expect(served.inputs).toEqual(preprocessing.inputs);
    expect(served.predict(records)).toEqual([1, 0]);
    expect(served.predictLabels(records)).toEqual(['yes', 'no']);
    expect(() => served.predict([{ income: 1, home: 'CASTLE' }])).toThrow(
      new InvalidInputError(
        'predict input for loans v1 row 0, column "home" is "CASTLE", which is not one of its levels (OWN, RENT)',
        { row: 0, columnName: 'home' },
      ),
    );
    await expect(store.register('loans', { artifact: { ...pipeline.toArtifact(), inputs: [] } })).rejects.toThrow(
      '"inputs": "inputs" must be a non-empty list of columns',
    );
    await expect(
      store.register('loans', { artifact: pipeline.toArtifact(), featureTypes: ['number', 'number'] }),
    ).rejects.toThrow("featureTypes [number, number] contradict the artifact's inputs [number, integer]");
  });
});
