/** Drift of one feature between a reference and a current sample. */
export interface FeatureDrift {
  /** Feature name. */
  readonly feature: string;
  /** Test or distance used, e.g. `ks`, `chisquare`, `z`, `wasserstein`, `jensenshannon`. */
  readonly test: string;
  /** Test statistic or distance (for KS: the largest CDF gap, in [0, 1]). */
  readonly statistic: number;
  /** p-value, for statistical tests (absent for distances). */
  readonly pValue?: number;
  /** Significance level for tests; the distance at which drift starts for distances. */
  readonly threshold: number;
  /** Tests: `pValue < threshold` (after any correction); distances: `statistic ≥ threshold`. */
  readonly drifted: boolean;
}

/** Per-feature drift plus the dataset verdict. Plain data: safe to JSON-serialise. */
export interface DriftReport {
  /** One entry per feature, in column order. */
  readonly features: readonly FeatureDrift[];
  /** Number of drifted features. */
  readonly driftedCount: number;
  /** Share of drifted features, in [0, 1]. */
  readonly driftedShare: number;
  /** True when `driftedShare` reaches the dataset-drift share. */
  readonly datasetDrift: boolean;
  /** Rows in the reference and current samples. */
  readonly referenceRows: number;
  /** Rows in the current sample. */
  readonly currentRows: number;
  /** `exact` on the data itself, `sketch` on mergeable sketches (approximate; see the monitor package). */
  readonly mode?: 'exact' | 'sketch';
}

/** Accuracy of one labelled batch against a threshold. */
export interface AccuracyCheck {
  /** Accuracy in [0, 1]. */
  readonly accuracy: number;
  /** Rows evaluated. */
  readonly rows: number;
  /** Threshold it was held to. */
  readonly threshold: number;
  /** True when accuracy fell under the threshold. */
  readonly alert: boolean;
  /** When it was checked, ISO 8601. */
  readonly checkedAt: string;
}
