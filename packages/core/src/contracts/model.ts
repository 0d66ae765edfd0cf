import type { FeatureRows, FeatureType } from './dataset';
import type { JsonObject, JsonValue } from './json';
import type { InputColumn } from './pipeline';

/**
 * A trained model serialised as plain JSON data: loading one never runs code. `format` names the
 * codec that can read it; `formatVersion` lets old artifacts keep loading after the format evolves.
 */
export interface ModelArtifact {
  /** Codec name, e.g. `ml-random-forest`. */
  readonly format: string;
  /** Version of that codec's payload layout. */
  readonly formatVersion: number;
  /** Feature names the model was trained on, in column order. */
  readonly featureNames: readonly string[];
  /** Class labels for classifiers (predictions are indices into it). */
  readonly classNames?: readonly string[];
  /** Effective hyperparameters. */
  readonly params: JsonObject;
  /** The raw input schema, for models that take raw records (pipelines); in `featureNames` order. */
  readonly inputs?: readonly InputColumn[];
  /** Codec-specific payload. */
  readonly payload: JsonValue;
}

/** Feature names, types and classes a model expects: what predict input is checked against. */
export interface ModelSignature {
  /** Feature names in column order. */
  readonly featureNames: readonly string[];
  /** Type of each feature, in column order. */
  readonly featureTypes: readonly FeatureType[];
  /** Class labels, for classifiers. */
  readonly classNames?: readonly string[];
  /**
   * The raw input schema (types, category levels, nullable and fill) for pipelines, which take raw records;
   * absent for models that take numeric rows only. `featureTypes` then says how each input is encoded.
   */
  readonly inputs?: readonly InputColumn[];
}

/** A trained model. For classifiers `predict` returns class indices into `classNames`. */
export interface Model {
  /** Codec name of this model's artifact. */
  readonly format: string;
  /** Feature names in column order. */
  readonly featureNames: readonly string[];
  /** Class labels, for classifiers. */
  readonly classNames?: readonly string[];
  /** Effective hyperparameters the model was trained with. */
  readonly params: JsonObject;
  /** One prediction per row. Throws `InvalidInputError` on a wrong column count or non-finite value. */
  predict(rows: FeatureRows): number[];
  /** Class probabilities per row (columns follow `classNames`), for classifiers that support it. */
  predictProba?(rows: FeatureRows): number[][];
  /** The model as JSON-safe data. */
  toArtifact(): ModelArtifact;
}

/** Turns artifacts of one format back into models. Must validate the payload and never evaluate code. */
export interface ModelCodec {
  /** The `format` it reads. */
  readonly format: string;
  /** The `formatVersion`s it reads. */
  readonly formatVersions: readonly number[];
  /** Rebuilds a model; throws `InvalidArtifactError` when the artifact is malformed. */
  decode(artifact: ModelArtifact): Model;
}
