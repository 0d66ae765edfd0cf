import { InvalidArtifactError, type Model, type ModelArtifact, type ModelCodec } from '@mlops/core';
import { artifactNames, artifactParams } from '../shared/artifact-fields';
import { decodeForest } from '../engine/serialize';
import { RANDOM_FOREST_FORMAT, RandomForestClassifierModel } from './model';
import { RandomForestRegressorModel } from './random-forest-regressor';

/** Reads `mlops-random-forest` artifacts (format version 1), classifiers and regressors; every array and index is validated first. */
export const randomForestCodec: ModelCodec = {
  format: RANDOM_FOREST_FORMAT,
  formatVersions: [1],
  decode(artifact: ModelArtifact): Model {
    const featureNames = artifactNames(artifact.featureNames, 'featureNames', RANDOM_FOREST_FORMAT);
    const forest = decodeForest(artifact.payload);
    const params = artifactParams(artifact.params, RANDOM_FOREST_FORMAT);
    if (forest.task === 'regression' && artifact.classNames === undefined && forest.cols === featureNames.length) {
      return new RandomForestRegressorModel(forest, featureNames, params);
    }
    const classNames = artifactNames(artifact.classNames, 'classNames', RANDOM_FOREST_FORMAT);
    if (forest.task !== 'classification' || forest.cols !== featureNames.length || forest.width !== classNames.length) {
      throw new InvalidArtifactError(
        `invalid ${RANDOM_FOREST_FORMAT} artifact: ${forest.task} forest has ${forest.cols} features and ${forest.width} leaf values, names list ${featureNames.length} features and ${classNames.length} classes`,
      );
    }
    return new RandomForestClassifierModel(forest, featureNames, classNames, params);
  },
};
