import fc from 'fast-check';
import { decodeModel, InvalidArtifactError, type ModelArtifact } from '@mlops/core';
import { RandomForestClassifier } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { irisTest, irisTrain } from '../__fixtures__/iris-split';
import { fromMlRandomForestJSON, mlRandomForestCodec } from './codec';
import { mlRandomForestTrainer } from './trainer';

const model = await mlRandomForestTrainer({ nEstimators: 5 }).fit(irisTrain);
const artifact = model.toArtifact();
// biome-ignore lint/suspicious/noExplicitAny: tests mutate the payload freely to forge bad artifacts
const clone = (): ModelArtifact & { payload: any } => JSON.parse(JSON.stringify(artifact));

function decodeError(a: unknown): string {
  try {
    mlRandomForestCodec.decode(a as ModelArtifact);
  } catch (error) {
    expect(InvalidArtifactError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('decode accepted a broken artifact');
}

describe('mlRandomForestCodec', () => {
  it('names the path of what is wrong', () => {
    const a = clone();
    a.payload.baseModel.estimators[3].root.splitColumn = 9;
    expect(decodeError(a)).toBe(
      'invalid ml-random-forest artifact: payload.baseModel.estimators[3].root.splitColumn must be an integer in [0, 1]',
    );
    const b = clone();
    b.payload.baseModel.indexes[0] = [0, 7];
    expect(decodeError(b)).toBe(
      'invalid ml-random-forest artifact: payload.baseModel.indexes[0] must list 2 feature indices in [0, 3]',
    );
    const c = clone();
    c.payload.baseModel.estimators[0].root.splitValue = 'x';
    expect(decodeError(c)).toContain('estimators[0].root.splitValue must be a finite number');
    const d = clone();
    d.payload.name = 'RFRegression';
    expect(decodeError(d)).toBe('invalid ml-random-forest artifact: payload.name must be "RFClassifier"');
    expect(decodeError({ ...clone(), classNames: [] })).toContain('classNames must be a non-empty list of names');
    const e = clone();
    e.payload.baseModel.nEstimators = 6;
    expect(decodeError(e)).toContain('nEstimators must equal the 5 estimators');
  });

  it('refuses prototype keys anywhere, without polluting', () => {
    const text = JSON.stringify(artifact).replace('"gainFunction"', '"__proto__":{"polluted":true},"gainFunction"');
    expect(decodeError(JSON.parse(text))).toMatch(/__proto__ is a forbidden key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a leaf over unknown classes and absurd depth', () => {
    const a = clone();
    const leaf = { distribution: [[0.2, 0.2, 0.2, 0.4]] };
    a.payload.baseModel.estimators[0].root = leaf;
    expect(decodeError(a)).toContain('root.distribution must be [[p0, p1, …]] with 1 to 3 finite numbers');
    let node: object = { distribution: [[1]] };
    for (let i = 0; i < 1100; i++) node = { splitColumn: 0, splitValue: 1, left: node, right: { distribution: [[1]] } };
    const b = clone();
    b.payload.baseModel.estimators[0].root = node;
    expect(decodeError(b)).toMatch(/is deeper than 1000/);
  });

  it('never throws anything but InvalidArtifactError on a mutated payload (property)', () => {
    const paths: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      if (typeof v === 'object' && v !== null) for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
      else paths.push(path);
    };
    walk(artifact.payload, []);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: paths.length - 1 }),
        fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.constant(-1e308)),
        (at, value) => {
          const a = clone();
          const path = paths[at]!;
          let target = a.payload;
          for (const key of path.slice(0, -1)) target = target[key];
          target[path.at(-1)!] = value;
          try {
            decodeModel(a, [mlRandomForestCodec]).predict(irisTest.features);
          } catch (error) {
            expect(InvalidArtifactError.isInstance(error)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('adopts a model trained with ml-random-forest directly (live toJSON() or parsed JSON text)', () => {
    const forest = new RandomForestClassifier({ nEstimators: 11, maxFeatures: 2, seed: 3, noOOB: true });
    forest.train(
      irisTrain.features.map((r) => [...r]),
      [...irisTrain.target],
    );
    const names = { featureNames: irisTrain.featureNames, classNames: irisTrain.classNames! };
    const adopted = fromMlRandomForestJSON(forest.toJSON(), names);
    const fromText = fromMlRandomForestJSON(JSON.parse(JSON.stringify(forest.toJSON())), names);
    const rows = irisTest.features.map((r) => [...r]);
    expect(adopted.predict(irisTest.features)).toEqual(forest.predict(rows));
    expect(fromText.predict(irisTest.features)).toEqual(forest.predict(rows));
    // Vote shares from the trees' raw votes (ml-random-forest's own predictProbability miscounts: its reduce
    // starts from the first tree's label instead of 0, e.g. 0.727273 where 8 of 11 trees vote 0.818182).
    const votes = forest.predictionValues(rows).to2DArray();
    const proba = adopted.predictProba!(irisTest.features);
    expect(proba).toEqual(votes.map((v) => [0, 1, 2].map((label) => v.filter((x) => x === label).length / 11)));
    expect(proba[0]).toEqual([0, 9 / 11, 2 / 11]);
    expect(JSON.stringify(adopted.toArtifact())).toBe(JSON.stringify(fromText.toArtifact()));
    const reloaded = decodeModel(JSON.parse(JSON.stringify(adopted.toArtifact())), [mlRandomForestCodec]);
    expect(reloaded.predict(irisTest.features)).toEqual(forest.predict(rows));
  });

  it('refuses an import that is not JSON data or lacks names', () => {
    const cyclic: Record<string, unknown> = { name: 'RFClassifier' };
    cyclic.self = cyclic;
    const names = { featureNames: irisTrain.featureNames, classNames: irisTrain.classNames! };
    expect(() => fromMlRandomForestJSON(cyclic, names)).toThrow(
      /^invalid ml-random-forest artifact: payload is not JSON data/,
    );
    expect(() => fromMlRandomForestJSON(undefined, names)).toThrow(InvalidArtifactError);
    expect(() => fromMlRandomForestJSON(artifact.payload, { ...names, classNames: [] })).toThrow(
      'invalid ml-random-forest artifact: classNames must be a non-empty list of names',
    );
  });
});
