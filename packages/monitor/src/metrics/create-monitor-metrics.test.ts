import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMonitorMetrics } from './create-monitor-metrics';

const report = {
  features: [
    { feature: 'petal length (cm)', test: 'ks', statistic: 0.62, pValue: 1e-9, threshold: 0.05, drifted: true },
    { feature: 'sepal width (cm)', test: 'ks', statistic: 0.08, pValue: 0.6, threshold: 0.05, drifted: false },
  ],
  driftedCount: 1,
  driftedShare: 0.5,
  datasetDrift: true,
  referenceRows: 120,
  currentRows: 120,
};

describe('createMonitorMetrics', () => {
  it('serves accuracy, F1, predictions and drift on /metrics, scraped over real HTTP', async () => {
    const metrics = createMonitorMetrics();
    metrics.recordPredictions('iris', 1, 30);
    metrics.recordPredictions('iris', 1);
    metrics.recordPredictions('iris', 2, 5);
    metrics.recordAccuracy('iris', 1, {
      accuracy: 0.8,
      rows: 120,
      threshold: 0.85,
      alert: true,
      checkedAt: '2026-01-01T00:00:00.000Z',
    });
    metrics.recordWindow({ model: 'iris', version: 2, rows: 50, accuracy: 0.96, f1: 0.955, from: '', to: '' });
    metrics.recordDrift('iris', report);
    const server = await metrics.serve({ port: 0 });
    try {
      const response = await fetch(server.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      const lines = text.split('\n').filter((line) => !line.startsWith('#'));
      expect(lines).toEqual(
        expect.arrayContaining([
          'mlops_predictions_total{model="iris",version="1"} 31',
          'mlops_predictions_total{model="iris",version="2"} 5',
          'mlops_model_accuracy{model="iris",version="1"} 0.8',
          'mlops_model_accuracy{model="iris",version="2"} 0.96',
          'mlops_model_f1{model="iris",version="2"} 0.955',
          'mlops_window_rows{model="iris",version="2"} 50',
          'mlops_feature_drift_score{model="iris",feature="petal length (cm)",test="ks"} 0.62',
          'mlops_feature_drifted{model="iris",feature="petal length (cm)"} 1',
          'mlops_feature_drifted{model="iris",feature="sepal width (cm)"} 0',
          'mlops_dataset_drift_share{model="iris"} 0.5',
        ]),
      );
      expect(text).toContain('# TYPE mlops_predictions_total counter');
      expect(text).toContain('# HELP mlops_model_accuracy Latest measured accuracy, per model version.');
      expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('keeps registries separate and checks labels', async () => {
    const a = createMonitorMetrics({ prefix: 'shop_' });
    const b = createMonitorMetrics();
    a.recordPredictions('m', 1);
    expect(await a.metrics()).toContain('shop_predictions_total{model="m",version="1"} 1');
    expect(await b.metrics()).not.toContain('model="m"');
    expect(() => a.recordAccuracy('m', 0, 0.5)).toThrow('metrics need a positive integer version, got 0');
    expect(() => createMonitorMetrics({ prefix: 'bad-prefix' })).toThrow('is not a valid Prometheus name');
  });

  it('answers a malformed request target with 400 and keeps serving', async () => {
    const server = await createMonitorMetrics().serve({ port: 0 });
    const port = Number(new URL(server.url).port);
    const raw = (target: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk;
        });
        socket.on('close', () => resolve(text));
        socket.write(`GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
      });
    try {
      for (const target of ['//[', 'http://[', '//a:99999/metrics'])
        expect(await raw(target)).toMatch(/^HTTP\/1\.1 400 /);
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
