import { type JsonObject, type Model, type ModelArtifact, type ModelCodec } from '@mlops/core';
import { RandomForestClassifier } from 'ml-random-forest';
import { artifactNames, artifactParams } from '../shared/artifact-fields';
import { ML_RANDOM_FOREST_FORMAT, RandomForestModel } from './model';
import { validateForestPayload } from './validate-payload';

/** Reads `ml-random-forest` artifacts (format version 1) after validating their whole structure. */
export const mlRandomForestCodec: ModelCodec = {
  format: ML_RANDOM_FOREST_FORMAT,
  formatVersions: [1],
  decode(artifact: ModelArtifact): Model {
    const featureNames = artifactNames(artifact.featureNames, 'featureNames', ML_RANDOM_FOREST_FORMAT);
    const classNames = artifactNames(artifact.classNames, 'classNames', ML_RANDOM_FOREST_FORMAT);
    const params = artifactParams(artifact.params, ML_RANDOM_FOREST_FORMAT);
    return fromMlRandomForestJSON(artifact.payload, { featureNames, classNames, params });
  },
};

/** Names that give meaning to a bare ml-random-forest model. */
export interface MlRandomForestImport {
  /** Feature names, one per column the model was trained on. */
  readonly featureNames: readonly string[];
  /** Class labels: the model's numeric labels 0, 1, … index into them. */
  readonly classNames: readonly string[];
  /** Hyperparameters to record (default: none). */
  readonly params?: JsonObject;
}

/**
 * Adopts a classifier trained with ml-random-forest directly (its `toJSON()` output), so existing models
 * can be registered and served through the `Model` contract. The JSON is validated first.
 */
export function fromMlRandomForestJSON(json: unknown, names: MlRandomForestImport): Model {
  validateForestPayload(json, names.featureNames.length, names.classNames.length);
  const payload = JSON.parse(JSON.stringify(json)) as JsonObject;
  const forest = RandomForestClassifier.load(JSON.parse(JSON.stringify(payload)));
  return new RandomForestModel(forest, payload, [...names.featureNames], [...names.classNames], names.params ?? {});
}
