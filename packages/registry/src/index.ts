export { FileSystemModelStore } from './filesystem/file-system-store';
export type { FileSystemModelStoreOptions } from './filesystem/options';
// Constructed by the model stores (`store.datasets`, `store.decisions`), never by users: types only.
export type { FileSystemDatasetStore } from './filesystem/file-system-dataset-store';
export type { FileSystemDecisionLog } from './filesystem/file-system-decision-log';
export type { PostgresDatasetStore } from './postgres/postgres-dataset-store';
export type { PostgresDecisionLog } from './postgres/postgres-decision-log';
export { NAME_PATTERN, assertValidName, isValidName, type NameKind } from './names/names';
export { MAX_JSON_DEPTH } from './json/json-safety';
export {
  PostgresModelStore,
  type PostgresModelStoreOptions,
} from './postgres/postgres-store';
export {
  bodyOf,
  parseS3Url,
  type ObjectBody,
  type ObjectStore,
  type S3Location,
  type StorageOwner,
  type StoredObject,
} from './objects/object-store';
export { S3ObjectStore, type S3ObjectStoreOptions } from './objects/s3-object-store';
export { isPostgresLocation, openRegistry, type OpenRegistryOptions } from './open-registry';
export { isPipelineModel, loadModel, type RegisteredModel } from './serving/load-model';
export {
  migrateRegistry,
  moveArtifactsToObjectStorage,
  type MigrationCounts,
  type MigrationOptions,
  type MigrationProgress,
  type MigrationReport,
} from './migration/migrate-registry';
