import type { JsonObject } from './json';
import type { ModelArtifact, ModelSignature } from './model';

/** Which version to fetch: a version number, an alias name (e.g. `production`), or `latest`. */
export type VersionRef = number | string;

/** Lineage of the data a model version was trained on. */
export interface DatasetLineage {
  /** Content fingerprint (sha256 hex) of the training dataset. */
  readonly fingerprint: string;
  /** Dataset name, when known. */
  readonly name?: string;
  /** Dataset version, when the dataset is versioned. */
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
}

/** Stored facts about one registered model version. Immutable once written. */
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
  /** Feature names and classes, from the artifact. */
  readonly signature: ModelSignature;
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

/** A registry of versioned models. The lifecycle and the examples depend on this contract only. */
export interface ModelStore {
  /** Stores a new version (numbers 1, 2, 3… per name) and returns its record. */
  register(name: string, input: RegisterModelInput): Promise<ModelVersion>;
  /** Metadata of a version by number, alias or `latest`; `NotFoundError` if absent. */
  getVersion(name: string, ref: VersionRef): Promise<ModelVersion>;
  /** Loads and verifies (checksum) an artifact; `IntegrityError` if it was altered. */
  loadArtifact(name: string, ref: VersionRef): Promise<{ version: ModelVersion; artifact: ModelArtifact }>;
  /** All versions of a model, oldest first. */
  listVersions(name: string): Promise<ModelVersion[]>;
  /** All model names, sorted. */
  listModels(): Promise<string[]>;
  /** Points `alias` at `version`. */
  setAlias(name: string, alias: string, version: number, options?: SetAliasOptions): Promise<void>;
  /** The version an alias points to, or `undefined`. */
  getAlias(name: string, alias: string): Promise<number | undefined>;
}
