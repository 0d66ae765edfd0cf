import type { DriftReport } from '@mlops/core';

/** Scores of one window of labelled predictions of one model version. */
export interface MonitoringWindow {
  readonly version: number;
  /** Time of the window's first and last prediction, ISO 8601. */
  readonly from: string;
  readonly to: string;
  /** Labelled predictions in the window. */
  readonly rows: number;
  /** e.g. `accuracy` and `f1` for a classifier, `mae`, `rmse` and `r2` for a regressor. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** One drift check of a model's inputs. */
export interface DriftCheck {
  /** When it ran, ISO 8601. */
  readonly time: string;
  /** The version serving the checked data, when known. */
  readonly version?: number;
  readonly report: DriftReport;
}

/**
 * Where the UI reads a model's production behaviour from. `mlops ui --monitoring DIR` builds one from the prediction
 * log and the drift log of `@mlops/monitor`; any other source (a database, a metrics store) can implement it.
 */
export interface UiMonitoring {
  /** Consecutive windows of labelled predictions, oldest first. */
  windows(model: string): Promise<readonly MonitoringWindow[]>;
  /** Drift checks, oldest first. */
  drift(model: string): Promise<readonly DriftCheck[]>;
}
