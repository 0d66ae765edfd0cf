import type { DatasetStore } from './dataset-store';
import type { DecisionLog } from './decision-log';
import type { ModelStore, ModelVersion, VersionStatus } from './store';

/** What `searchVersions` looks for; every given condition must hold. */
export interface VersionQuery {
  /** Only this model. */
  readonly name?: string;
  /** Every listed tag must be present with this value. */
  readonly tags?: Readonly<Record<string, string>>;
  /** A metric bound, e.g. `{ name: 'accuracy', min: 0.9 }`. */
  readonly metric?: { readonly name: string; readonly min?: number; readonly max?: number };
  /** Only versions with this status (default: both). */
  readonly status?: VersionStatus;
  /** Only versions trained on this dataset (and version, if given): the models a dataset version fed. */
  readonly dataset?: { readonly name: string; readonly version?: number };
  /** Page size, 1–1000 (default 50). */
  readonly limit?: number;
  /** Versions to skip, for the next pages (default 0). */
  readonly offset?: number;
}

/** A page of matching versions, newest first, and how many match in all. */
export interface VersionPage {
  readonly versions: ModelVersion[];
  readonly total: number;
}

/** One problem found by `verify()`. */
export interface VerifyProblem {
  /**
   * `dataset` when the problem is a dataset version's (then `name` is the dataset's), `storage` when it is the artifact
   * storage's (then `name` is its location, `s3://bucket/prefix/`); absent for models.
   */
  readonly kind?: 'dataset' | 'storage';
  /** Model or dataset name (or the unexpected directory name under `models/` or `datasets/`). */
  readonly name: string;
  /** Version concerned, if any. */
  readonly version?: number;
  /** Alias concerned, if any. */
  readonly alias?: string;
  /** What is wrong, as a sentence. */
  readonly problem: string;
}

/** Options of `verify()`; backends without object storage have nothing they apply to. */
export interface VerifyOptions {
  /** Delete objects in object storage that no version references (left by uploads that never committed). */
  readonly repair?: boolean;
  /** With `repair`, only orphaned objects older than this are deleted (default one hour). */
  readonly orphanGraceMs?: number;
}

/** Result of `verify()`: problems as data, plus what was repaired. */
export interface VerifyReport {
  /** True when no problem was found. */
  readonly ok: boolean;
  /** Model versions whose record and artifact checksum were checked (deleted ones excluded). */
  readonly checkedVersions: number;
  /** Dataset versions whose record, checksum and fingerprint were checked. */
  readonly checkedDatasetVersions: number;
  /** Everything found wrong, in model/version order. */
  readonly problems: VerifyProblem[];
  /** Names of leftover staging entries removed from `tmp/` (sorted). */
  readonly removedTempEntries: string[];
  /** Other safe repairs made, as sentences (e.g. finishing a deletion a crash cut short). */
  readonly repairs: string[];
  /**
   * Objects in the registry's object storage that no version references (an upload whose transaction never
   * committed); only backends with object storage report them.
   */
  readonly orphanedObjects?: readonly { readonly key: string; readonly bytes: number; readonly lastModified: string }[];
}

/**
 * A registry: model versions (it is a {@link ModelStore}), the dataset versions they were trained on, the lifecycle's
 * decision log, search, an integrity check and a way to release it. Every backend implements it (the filesystem and
 * PostgreSQL ones in `@mlops/registry`, `MemoryRegistry` in `@mlops/core/testing`); the lifecycle, the CLI and the
 * examples take one. `describeRegistryConformance` from `@mlops/core/testing` checks a backend against it.
 */
export interface Registry extends ModelStore {
  /** Dataset versions; model lineage naming a dataset version is checked against them. */
  readonly datasets: DatasetStore;
  /** The lifecycle's decisions and run lease. */
  readonly decisions: DecisionLog;
  /** Versions matching a query (name, tags, metric bounds, status, dataset), newest first, a page at a time. */
  searchVersions(query?: VersionQuery): Promise<VersionPage>;
  /** Checks every stored version, alias and dataset; problems are returned as data, never thrown. */
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  /** Releases connections (a no-op where there are none). */
  close(): Promise<void>;
}
