import { describe, expect, it } from 'vitest';
import type { Model, ModelArtifact, ModelCodec } from '../contracts/model';
import { InvalidArtifactError } from '../errors/errors';
import { decodeModel } from './decode-model';

const artifact: ModelArtifact = {
  format: 'constant',
  formatVersion: 2,
  featureNames: ['x'],
  classNames: ['a', 'b'],
  params: {},
  payload: { value: 1 },
};

const constantCodec: ModelCodec = {
  format: 'constant',
  formatVersions: [1, 2],
  decode(a): Model {
    const value = (a.payload as { value: number }).value;
    return {
      format: a.format,
      featureNames: a.featureNames,
      params: a.params,
      predict: (rows) => rows.map(() => value),
      toArtifact: () => a,
    };
  },
};

describe('decodeModel', () => {
  it('picks the codec by format and version', () => {
    expect(decodeModel(artifact, [constantCodec]).predict([[0], [1]])).toEqual([1, 1]);
  });
  it('rejects unknown formats and versions', () => {
    expect(() => decodeModel({ ...artifact, format: 'pickle' }, [constantCodec])).toThrow(
      'no codec for artifact format "pickle" (known: constant)',
    );
    expect(() => decodeModel({ ...artifact, formatVersion: 3 }, [constantCodec])).toThrow(
      'format "constant" version 3 is not supported (supported: 1, 2)',
    );
    expect(() => decodeModel(null as unknown as ModelArtifact, [constantCodec])).toThrow(InvalidArtifactError);
  });
});
