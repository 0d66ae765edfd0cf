export { FileSystemModelStore } from './store/file-system-store';
export type { FileSystemModelStoreOptions, VerifyProblem, VerifyReport } from './store/options';
export { FileSystemDatasetStore } from './store/file-system-dataset-store';
export { FileSystemDecisionLog } from './store/file-system-decision-log';
export { PostgresDatasetStore } from './postgres/postgres-dataset-store';
export { NAME_PATTERN, assertValidName, type NameKind } from './names/names';
export { PostgresModelStore, type PostgresModelStoreOptions } from './postgres/postgres-store';
export { loadModel, type NamedRow, type RegisteredModel } from './serving/load-model';
export type { VersionPage, VersionQuery } from './search/search';
