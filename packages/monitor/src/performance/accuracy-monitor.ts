import { type AccuracyCheck, accuracyScore, type Clock, InvalidInputError, systemClock } from '@mlops/core';

/** Options of {@link createAccuracyMonitor}. */
export interface AccuracyMonitorOptions {
  /** Accuracy under which an alert fires (default 0.85, as in the reference loop). */
  readonly threshold?: number;
  /** Called with the check whenever accuracy falls under the threshold. */
  readonly onAlert?: (check: AccuracyCheck) => unknown;
  /** Clock for `checkedAt` (default the system clock; `ManualClock` in tests). */
  readonly clock?: Pick<Clock, 'now'>;
}

/** Watches accuracy over labelled batches. */
export interface AccuracyMonitor {
  /** Scores one labelled batch, records it, and alerts when it is under the threshold. */
  check(actual: readonly number[], predicted: readonly number[]): Promise<AccuracyCheck>;
  /** Every check so far, oldest first. */
  readonly history: readonly AccuracyCheck[];
}

/** Creates an accuracy monitor: the "monitor accuracy daily and alert if it drops" step. */
export function createAccuracyMonitor(options: AccuracyMonitorOptions = {}): AccuracyMonitor {
  const threshold = options.threshold ?? 0.85;
  if (!(threshold >= 0 && threshold <= 1)) throw new InvalidInputError(`threshold must be in [0, 1], got ${threshold}`);
  const clock = options.clock ?? systemClock;
  const history: AccuracyCheck[] = [];
  return {
    history,
    async check(actual, predicted) {
      const accuracy = accuracyScore(actual, predicted);
      const check: AccuracyCheck = {
        accuracy,
        rows: actual.length,
        threshold,
        alert: accuracy < threshold,
        checkedAt: new Date(clock.now()).toISOString(),
      };
      history.push(check);
      if (check.alert) await options.onAlert?.(check);
      return check;
    },
  };
}
