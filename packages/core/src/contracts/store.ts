import type { FeatureType } from './dataset';
import type { JsonObject } from './json';
import type { ModelArtifact, ModelSignature } from './model';

/** Which version to fetch: a version number, an alias name (e.g. `production`), or `latest`. */
export type VersionRef = number | string;

/**
 * Lineage of the data a model version was trained on. With `name` and `version` it links a registered
 * dataset version (a `DatasetVersion` is itself a valid lineage), and the store checks that it exists
 * with this fingerprint.
 */
export interface DatasetLineage {
  /** Content fingerprint (sha256 hex) of the training dataset. */
  readonly fingerprint: string;
  /** Dataset name, when known. */
  readonly name?: string;
  /** Dataset version, when the dataset is versioned; requires `name`. */
  readonly version?: number;
}

/** What the caller supplies to register a new model version. */
export interface RegisterModelInput {
  /** The model as data. */
  readonly artifact: ModelArtifact;
  /** Hyperparameters (defaults to the artifact's). */
  readonly params?: JsonObject;
  /** Evaluation metrics, e.g. `{ accuracy: 0.97 }`. */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Free-form string tags. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Human-readable description. */
  readonly description?: string;
  /** Training data lineage. */
  readonly dataset?: DatasetLineage;
  /** Version this one was derived from (e.g. the champion it challenges). */
  readonly parentVersion?: number;
  /**
   * Type of each feature for the signature. Defaults to the linked dataset version's types, else every
   * feature is `number`.
   */
  readonly featureTypes?: readonly FeatureType[];
}

/** `active`, or `archived`: kept and loadable by number, but skipped by `latest` and not aliasable. */
export type VersionStatus = 'active' | 'archived';

/** Stored facts about one registered model version. Immutable once written, except `status`. */
export interface ModelVersion {
  /** Model name. */
  readonly name: string;
  /** Version number, from 1, assigned by the store. */
  readonly version: number;
  /** Creation time, ISO 8601. */
  readonly createdAt: string;
  /** Hyperparameters. */
  readonly params: JsonObject;
  /** Evaluation metrics. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Free-form tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** Description, possibly empty. */
  readonly description: string;
  /** Training data lineage. */
  readonly dataset?: DatasetLineage;
  /** Parent version. */
  readonly parentVersion?: number;
  /** Feature names and classes from the artifact, feature types from the input or the linked dataset. */
  readonly signature: ModelSignature;
  /** Whether the version is archived. The only field that changes after registration. */
  readonly status: VersionStatus;
  /** Artifact format, size and checksum. */
  readonly artifact: {
    readonly format: string;
    readonly formatVersion: number;
    readonly sha256: string;
    readonly bytes: number;
  };
}

/** Options of an alias move. */
export interface SetAliasOptions {
  /** Compare-and-set: the version the alias must point to now (`null`: must not exist), else `ConflictError`. */
  readonly expectedVersion?: number | null;
  /** Why it moved, kept in the alias history. */
  readonly reason?: string;
}

/** One move of an alias, as kept in its history. */
export interface AliasMove {
  /** Alias that moved. */
  readonly alias: string;
  /** Version it now points to. */
  readonly version: number;
  /** Version it pointed to before, or `null` when it was created. */
  readonly previousVersion: number | null;
  /** `set` for `setAlias`, `rollback` for `rollback` (which undoes the latest `set` not yet undone). */
  readonly kind: 'set' | 'rollback';
  /** Why it moved (empty when no reason was given). */
  readonly reason: string;
  /** When it moved, ISO 8601. */
  readonly at: string;
}

/** Options of a rollback. */
export interface RollbackOptions {
  /** Compare-and-set: the version the alias must point to now, else `ConflictError`. */
  readonly expectedVersion?: number;
  /** Why, kept in the alias history (default `rollback`). */
  readonly reason?: string;
}

/** Options of archiving, restoring or deleting a version. */
export interface VersionChangeOptions {
  /** Why, kept with the change. */
  readonly reason?: string;
}

/** A registry of versioned models. The lifecycle and the examples depend on this contract only. */
export interface ModelStore {
  /** Stores a new version (numbers 1, 2, 3… per name) and returns its record. */
  register(name: string, input: RegisterModelInput): Promise<ModelVersion>;
  /** Metadata of a version by number, alias or `latest` (the newest active version); `NotFoundError` if absent. */
  getVersion(name: string, ref: VersionRef): Promise<ModelVersion>;
  /** Loads and verifies (checksum) an artifact; `IntegrityError` if it was altered. */
  loadArtifact(name: string, ref: VersionRef): Promise<{ version: ModelVersion; artifact: ModelArtifact }>;
  /** All versions of a model that were not deleted, oldest first. */
  listVersions(name: string): Promise<ModelVersion[]>;
  /** All model names, sorted. */
  listModels(): Promise<string[]>;
  /** Points `alias` at an active `version`. */
  setAlias(name: string, alias: string, version: number, options?: SetAliasOptions): Promise<void>;
  /** The version an alias points to, or `undefined`. */
  getAlias(name: string, alias: string): Promise<number | undefined>;
  /**
   * Moves `alias` back to where it pointed before its latest `setAlias` not yet rolled back (so repeated
   * rollbacks walk further back); `ConflictError` when there is nothing to go back to.
   */
  rollback(name: string, alias: string, options?: RollbackOptions): Promise<AliasMove>;
  /** Every move of the model's aliases (or of one alias), oldest first. */
  aliasHistory(name: string, alias?: string): Promise<AliasMove[]>;
  /** Archives a version no alias points at; numbers of other versions never change. */
  archiveVersion(name: string, version: number, options?: VersionChangeOptions): Promise<ModelVersion>;
  /** Makes an archived version active again. */
  restoreVersion(name: string, version: number, options?: VersionChangeOptions): Promise<ModelVersion>;
  /**
   * Deletes a version no alias points at: record and artifact are removed, the number is never reused,
   * and asking for it later says it was deleted.
   */
  deleteVersion(name: string, version: number, options?: VersionChangeOptions): Promise<void>;
}
