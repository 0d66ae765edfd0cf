// What `verify()` returns on both backends (the filesystem one also repairs; PostgreSQL has nothing to repair).

/** One problem found by `verify()`. */
export interface VerifyProblem {
  /** `dataset` when the problem is a dataset version's (then `name` is the dataset's); absent for models. */
  readonly kind?: 'dataset';
  /** Model or dataset name (or the unexpected directory name under `models/` or `datasets/`). */
  readonly name: string;
  /** Version concerned, if any. */
  readonly version?: number;
  /** Alias concerned, if any. */
  readonly alias?: string;
  /** What is wrong, as a sentence. */
  readonly problem: string;
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
}
