import type { Dataset, FeatureType } from './dataset';

/** What the caller supplies to register a dataset snapshot. */
export interface RegisterDatasetInput {
  /** The data; validated like `createDataset`. */
  readonly dataset: Dataset;
  /** Human-readable description (kept from the first registration of this content). */
  readonly description?: string;
  /** Free-form string tags (kept from the first registration of this content). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Stored facts about one dataset version. Immutable. Usable as a model's `DatasetLineage`. */
export interface DatasetVersion {
  /** Dataset name. */
  readonly name: string;
  /** Version number, from 1, assigned by the store. */
  readonly version: number;
  /** Content fingerprint (`fingerprint(dataset)`, sha256 hex). */
  readonly fingerprint: string;
  /** Creation time, ISO 8601. */
  readonly createdAt: string;
  /** Description, possibly empty. */
  readonly description: string;
  /** Free-form tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** Number of rows. */
  readonly rows: number;
  /** Feature names in column order. */
  readonly featureNames: readonly string[];
  /** Feature types in column order. */
  readonly featureTypes: readonly FeatureType[];
  /** Class labels, for classification data. */
  readonly classNames?: readonly string[];
  /** Category levels per feature column (`null` for numeric ones), when the data has them. */
  readonly levels?: readonly (readonly string[] | null)[];
  /** Size and checksum of the stored data. */
  readonly data: { readonly sha256: string; readonly bytes: number };
}

/**
 * A registry of dataset snapshots, versioned by content: registering data whose fingerprint a version
 * of that name already has returns that version and stores nothing new.
 */
export interface DatasetStore {
  /** Stores a snapshot as the next version (1, 2, 3… per name), or returns the version with the same content. */
  register(name: string, input: RegisterDatasetInput): Promise<DatasetVersion>;
  /** Metadata of a dataset version by number or `latest`; `NotFoundError` if absent. */
  getVersion(name: string, ref: number | 'latest'): Promise<DatasetVersion>;
  /** The version of `name` with this content fingerprint, or `undefined`. */
  findVersion(name: string, fingerprint: string): Promise<DatasetVersion | undefined>;
  /** Loads a snapshot, checksum and fingerprint verified (`IntegrityError`). */
  load(name: string, ref: number | 'latest'): Promise<{ version: DatasetVersion; dataset: Dataset }>;
  /** All versions of a dataset, oldest first. */
  listVersions(name: string): Promise<DatasetVersion[]>;
  /** All dataset names, sorted. */
  list(): Promise<string[]>;
}
