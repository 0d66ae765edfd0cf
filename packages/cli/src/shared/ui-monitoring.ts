import { join } from 'node:path';
import type { Registry } from '@mlops/core';
import { DriftLog, PredictionLog, windowedMetrics, windowedRegressionMetrics } from '@mlops/monitor';
import type { UiMonitoring } from '@mlops/ui';

/**
 * The UI's monitoring source for a directory holding `predictions.ndjson` (a `PredictionLog`) and `drift.ndjson` (a
 * `DriftLog`): windows of `windowRows` labelled predictions per version — accuracy and F1 for classifiers, MAE,
 * RMSE and R² for regressors — and the drift checks as logged.
 */
export function directoryMonitoring(dir: string, registry: Registry, windowRows: number): UiMonitoring {
  const predictions = new PredictionLog({ path: join(dir, 'predictions.ndjson') });
  const drift = new DriftLog({ path: join(dir, 'drift.ndjson') });
  return {
    async windows(model) {
      const records = await predictions.read({ model, labelled: true });
      if (records.length === 0) return [];
      const { signature } = await registry.getVersion(model, 'latest');
      const windows = signature.classNames
        ? windowedMetrics(records, { count: windowRows })
        : windowedRegressionMetrics(records, { count: windowRows });
      return windows
        .map(({ model: _, version, from, to, rows, ...metrics }) => ({ version, from, to, rows, metrics }))
        .sort((a, b) => a.from.localeCompare(b.from) || a.version - b.version);
    },
    drift: (model) => drift.read({ model }),
  };
}
