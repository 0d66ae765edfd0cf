import { InvalidArtifactError, type Model, type ModelArtifact, type ModelCodec } from '@mlops/core';
import { decodeForest } from '../engine/serialize';
import { RANDOM_FOREST_FORMAT, RandomForestClassifierModel } from './model';

function names(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new InvalidArtifactError(`invalid ${RANDOM_FOREST_FORMAT} artifact: ${what} must be a non-empty list of names`);
  }
  return value as string[];
}

/** Reads `mlops-random-forest` artifacts (format version 1); every array and index is validated first. */
export const randomForestCodec: ModelCodec = {
  format: RANDOM_FOREST_FORMAT,
  formatVersions: [1],
  decode(artifact: ModelArtifact): Model {
    const featureNames = names(artifact.featureNames, 'featureNames');
    const classNames = names(artifact.classNames, 'classNames');
    const forest = decodeForest(artifact.payload);
    if (forest.cols !== featureNames.length || forest.classes !== classNames.length) {
      throw new InvalidArtifactError(
        `invalid ${RANDOM_FOREST_FORMAT} artifact: forest has ${forest.cols} features and ${forest.classes} classes, names list ${featureNames.length} and ${classNames.length}`,
      );
    }
    const params = artifact.params;
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new InvalidArtifactError(`invalid ${RANDOM_FOREST_FORMAT} artifact: params must be an object`);
    }
    return new RandomForestClassifierModel(forest, featureNames, classNames, params);
  },
};
