import { InvalidArtifactError, type JsonObject, type Model, type ModelArtifact, type ModelCodec } from '@mlops/core';
import { loadMlRandomForest } from './load';
import { artifactNames, artifactParams } from '../shared/artifact-fields';
import { ML_RANDOM_FOREST_FORMAT, MlRandomForestModel } from './model';
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
 * can be registered and served through the `Model` contract. Accepts the live `toJSON()` object or its parsed
 * JSON text; the structure is validated first (`InvalidArtifactError` naming the path at fault).
 */
export function fromMlRandomForestJSON(json: unknown, names: MlRandomForestImport): Model {
  const featureNames = artifactNames(names.featureNames, 'featureNames', ML_RANDOM_FOREST_FORMAT);
  const classNames = artifactNames(names.classNames, 'classNames', ML_RANDOM_FOREST_FORMAT);
  const payload = plainJson(json);
  validateForestPayload(payload, featureNames.length, classNames.length);
  const forest = loadMlRandomForest().RandomForestClassifier.load(JSON.parse(JSON.stringify(payload)));
  return new MlRandomForestModel(forest, payload as JsonObject, [...featureNames], [...classNames], names.params ?? {});
}

/** The value as plain JSON data: `forest.toJSON()` still holds ml-matrix `Matrix` leaves and tree-node instances. */
function plainJson(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError('not JSON data');
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidArtifactError(
      `invalid ml-random-forest artifact: payload is not JSON data (${(error as Error).message})`,
    );
  }
}
