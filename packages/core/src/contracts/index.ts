export type { JsonObject, JsonValue } from './json';
export type { Dataset, FeatureRows } from './dataset';
export type { Model, ModelArtifact, ModelCodec, ModelSignature } from './model';
export type { Trainer } from './trainer';
export type {
  DatasetLineage,
  ModelStore,
  ModelVersion,
  RegisterModelInput,
  SetAliasOptions,
  VersionRef,
} from './store';
export type { AccuracyCheck, DriftReport, FeatureDrift } from './monitor';
