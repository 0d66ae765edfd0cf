export type { JsonObject, JsonValue } from './json';
export type { Dataset, FeatureRows, FeatureType } from './dataset';
export type { Model, ModelArtifact, ModelCodec, ModelSignature } from './model';
export type { Trainer } from './trainer';
export type {
  AliasMove,
  DatasetLineage,
  ModelStore,
  ModelVersion,
  RegisterModelInput,
  RollbackOptions,
  SetAliasOptions,
  VersionChangeOptions,
  VersionRef,
  VersionStatus,
} from './store';
export type { DatasetStore, DatasetVersion, RegisterDatasetInput } from './dataset-store';
export type { AccuracyCheck, DriftReport, FeatureDrift } from './monitor';
export {
  LIFECYCLE_ACTIONS,
  LIFECYCLE_TRIGGERS,
  type DecisionLog,
  type DecisionRecord,
  type LifecycleAction,
  type LifecycleTrigger,
} from './decision-log';
export type { Registry, VerifyOptions, VerifyProblem, VerifyReport, VersionPage, VersionQuery } from './registry';
export type {
  ColumnFill,
  ColumnType,
  InputColumn,
  PipelineTarget,
  Preprocessing,
  RawRecord,
  RawRow,
  RawValue,
  UnseenCategory,
} from './pipeline';
