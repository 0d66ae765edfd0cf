import { createServer, type Server } from 'node:http';
import { InvalidInputError, type AccuracyCheck, type DriftReport } from '@mlops/core';
import { lazyModule, listen } from '@mlops/core/internal';
import type * as PromClient from 'prom-client';
import type { WindowMetrics } from '../performance/windows';

/** Options of {@link createMonitorMetrics}. */
export interface MonitorMetricsOptions {
  /** Metric name prefix (default `mlops_`). */
  readonly prefix?: string;
  /** Registry to register into (default: a new one, so nothing global is touched). */
  readonly registry?: PromClient.Registry;
  /** Also collect Node.js process metrics (default false). */
  readonly processMetrics?: boolean;
}

/** Where {@link MonitorMetrics.serve} listens. */
export interface ServeOptions {
  /** Port (default 9464, Prometheus' registered exporter port; 0 picks a free one). */
  readonly port?: number;
  /** Host (default `127.0.0.1`; use `0.0.0.0` to be scraped from elsewhere). */
  readonly host?: string;
}

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Model-monitoring metrics in Prometheus' format (prom-client). */
export interface MonitorMetrics {
  readonly registry: PromClient.Registry;
  /** Counts served predictions of a model version. */
  recordPredictions(model: string, version: number, count?: number): void;
  /** Sets the accuracy gauge of a model version from an accuracy check. */
  recordAccuracy(model: string, version: number, check: AccuracyCheck | number): void;
  /** Sets accuracy, F1 and window size gauges from a performance window. */
  recordWindow(window: WindowMetrics): void;
  /** Observes how long serving one request took (seconds), for `mlops_prediction_duration_seconds`. */
  recordLatency(model: string, version: number, seconds: number): void;
  /** Sets the drift score and flag of every feature, and the share of drifted features, of a model. */
  recordDrift(model: string, report: DriftReport): void;
  /** The text exposition Prometheus scrapes. */
  metrics(): Promise<string>;
  /** Serves `GET /metrics` over HTTP. */
  serve(options?: ServeOptions): Promise<MetricsServer>;
}

/**
 * prom-client, loaded on first use: an app that imports only the statistics of this package does not
 * load it, and bundlers do not pull it into bundles that never create metrics.
 */
const loadPromClient = lazyModule<typeof PromClient>(import.meta.url, 'prom-client');

/**
 * Prometheus metrics for monitored models: `mlops_predictions_total{model,version}`,
 * `mlops_model_accuracy{model,version}`, `mlops_model_f1{model,version}`, `mlops_window_rows{model,version}`,
 * `mlops_prediction_duration_seconds{model,version}` (histogram), `mlops_feature_drift_score{model,feature,test}`
 * (KS statistic or distance), `mlops_feature_drifted{model,feature}` and `mlops_dataset_drift_share{model}`.
 */
export function createMonitorMetrics(options: MonitorMetricsOptions = {}): MonitorMetrics {
  const prefix = options.prefix ?? 'mlops_';
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix))
    throw new InvalidInputError(`metric prefix ${JSON.stringify(prefix)} is not a valid Prometheus name`);
  const client = loadPromClient();
  const registry = options.registry ?? new client.Registry();
  const registers = [registry];
  if (options.processMetrics) client.collectDefaultMetrics({ register: registry, prefix });
  const versionLabels = ['model', 'version'] as const;
  const predictions = new client.Counter({
    name: `${prefix}predictions_total`,
    help: 'Predictions served, per model version.',
    labelNames: versionLabels,
    registers,
  });
  const accuracy = new client.Gauge({
    name: `${prefix}model_accuracy`,
    help: 'Latest measured accuracy, per model version.',
    labelNames: versionLabels,
    registers,
  });
  const f1 = new client.Gauge({
    name: `${prefix}model_f1`,
    help: 'Latest macro F1 over a window of labelled predictions.',
    labelNames: versionLabels,
    registers,
  });
  const windowRows = new client.Gauge({
    name: `${prefix}window_rows`,
    help: 'Labelled predictions in the latest window.',
    labelNames: versionLabels,
    registers,
  });
  const driftScore = new client.Gauge({
    name: `${prefix}feature_drift_score`,
    help: 'Drift statistic per feature (KS statistic, or the distance for wasserstein/jensenshannon).',
    labelNames: ['model', 'feature', 'test'] as const,
    registers,
  });
  const drifted = new client.Gauge({
    name: `${prefix}feature_drifted`,
    help: '1 when the feature drifted, else 0.',
    labelNames: ['model', 'feature'] as const,
    registers,
  });
  const latency = new client.Histogram({
    name: `${prefix}prediction_duration_seconds`,
    help: 'Time to serve one prediction request, per model version.',
    labelNames: versionLabels,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers,
  });
  const driftShare = new client.Gauge({
    name: `${prefix}dataset_drift_share`,
    help: 'Share of drifted features.',
    labelNames: ['model'] as const,
    registers,
  });

  const labels = (model: string, version: number) => {
    if (typeof model !== 'string' || model === '') throw new InvalidInputError('metrics need a model name');
    if (!Number.isSafeInteger(version) || version < 1)
      throw new InvalidInputError(`metrics need a positive integer version, got ${version}`);
    return { model, version: String(version) };
  };

  const metrics: MonitorMetrics = {
    registry,
    recordPredictions(model, version, count = 1) {
      if (!(Number.isFinite(count) && count >= 0))
        throw new InvalidInputError(`prediction count must be ≥ 0, got ${count}`);
      predictions.inc(labels(model, version), count);
    },
    recordAccuracy(model, version, check) {
      accuracy.set(labels(model, version), typeof check === 'number' ? check : check.accuracy);
    },
    recordLatency(model, version, seconds) {
      if (!(Number.isFinite(seconds) && seconds >= 0))
        throw new InvalidInputError(`latency must be ≥ 0 seconds, got ${seconds}`);
      latency.observe(labels(model, version), seconds);
    },
    recordWindow(window) {
      const l = labels(window.model, window.version);
      accuracy.set(l, window.accuracy);
      f1.set(l, window.f1);
      windowRows.set(l, window.rows);
    },
    recordDrift(model, report) {
      if (typeof model !== 'string' || model === '') throw new InvalidInputError('metrics need a model name');
      for (const feature of report.features) {
        driftScore.set({ model, feature: feature.feature, test: feature.test }, feature.statistic);
        drifted.set({ model, feature: feature.feature }, feature.drifted ? 1 : 0);
      }
      driftShare.set({ model }, report.driftedShare);
    },
    metrics: () => registry.metrics(),
    async serve(serveOptions = {}) {
      const server: Server = createServer((req, res) => {
        let path: string;
        try {
          path = new URL(req.url ?? '/', 'http://localhost').pathname;
        } catch {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('malformed request target\n');
          return;
        }
        if (req.method !== 'GET' || path !== '/metrics') {
          res
            .writeHead(path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain' })
            .end(path === '/metrics' ? 'use GET\n' : 'not found\n');
          return;
        }
        registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
          () => res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n'),
        );
      });
      const listening = await listen(server, serveOptions.port ?? 9464, serveOptions.host ?? '127.0.0.1');
      return { url: `${listening.url}/metrics`, close: listening.close };
    },
  };
  return metrics;
}
