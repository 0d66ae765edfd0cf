import { InvalidArtifactError, type JsonObject, type Model, type ModelArtifact, type ModelCodec } from '@mlops/core';
import { RandomForestClassifier } from 'ml-random-forest';
import { ML_RANDOM_FOREST_FORMAT, RandomForestModel } from './model';
import { validateForestPayload } from './validate-payload';

function names(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new InvalidArtifactError(`invalid ml-random-forest artifact: ${what} must be a non-empty list of names`);
  }
  return value as string[];
}

/** Reads `ml-random-forest` artifacts (format version 1) after validating their whole structure. */
export const mlRandomForestCodec: ModelCodec = {
  format: ML_RANDOM_FOREST_FORMAT,
  formatVersions: [1],
  decode(artifact: ModelArtifact): Model {
    const featureNames = names(artifact.featureNames, 'featureNames');
    const classNames = names(artifact.classNames, 'classNames');
    const params = artifact.params;
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new InvalidArtifactError('invalid ml-random-forest artifact: params must be an object');
    }
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
