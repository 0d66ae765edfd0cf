import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIris } from '@mlops/data';
import { FileSystemModelStore } from '@mlops/registry';
import { randomForestClassifier } from '@mlops/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPredictionServer, type PredictionServer } from './server';

const root = mkdtempSync(join(tmpdir(), 'mlops-serve-'));
const store = new FileSystemModelStore({ root });
const iris = loadIris();
let server: PredictionServer;
const post = (body: unknown) =>
  fetch(`${server.url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  for (const seed of [1, 2]) {
    const model = await randomForestClassifier({ nEstimators: 10, seed }).fit(iris);
    await store.register('iris', { artifact: model.toArtifact(), tags: { seed: String(seed) } });
  }
  await store.setAlias('iris', 'production', 1);
  server = await startPredictionServer({ store, name: 'iris', ref: 'production', port: 0, reloadMs: 50 });
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('prediction server over real HTTP', () => {
  it('predicts positional rows and records, with class names and the version', async () => {
    const response = await post({ rows: [iris.features[0], iris.features[100]] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      model: 'iris',
      version: 1,
      predictions: [0, 2],
      classes: ['setosa', 'virginica'],
    });
    const record = Object.fromEntries(iris.featureNames.map((name, j) => [name, iris.features[60]![j]]));
    expect(await (await post([record])).json()).toMatchObject({ predictions: [1], classes: ['versicolor'] });
    expect(await (await post({ rows: [] })).json()).toMatchObject({ predictions: [] });
  });

  it('rejects input that does not match the signature, naming the row and feature', async () => {
    const short = await post({ rows: [[1, 2, 3]] });
    expect(short.status).toBe(400);
    expect(await short.json()).toEqual({
      error:
        'row 0 has 3 values but iris v1 takes 4 (sepal length (cm), sepal width (cm), petal length (cm), petal width (cm))',
    });
    const unknown = await post({ rows: [{ 'sepal length (cm)': 1, colour: 2 }] });
    expect(await unknown.json()).toEqual({ error: 'row 0 has feature "colour", which iris v1 does not take' });
    expect((await post('{"rows": [')).status).toBe(400);
    expect((await post('{"__proto__": {"rows": []}}')).status).toBe(400);
    expect((await post({ nothing: true })).status).toBe(400);
    expect((await post('x'.repeat(2 << 20))).status).toBe(413);
    expect((await fetch(`${server.url}/predict`)).status).toBe(405);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('reports health and Prometheus metrics', async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toMatchObject({
      status: 'ok',
      model: 'iris',
      ref: 'production',
      version: 1,
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^mlops_predictions_total\{model="iris",version="1"\} \d+$/m);
    expect(metrics).toContain('# TYPE mlops_prediction_duration_seconds histogram');
  });

  it('follows the alias when it moves (hot reload), without failing requests', async () => {
    await store.setAlias('iris', 'production', 2, { expectedVersion: 1 });
    const deadline = Date.now() + 5000;
    while (server.version !== 2 && Date.now() < deadline) {
      expect((await post({ rows: [iris.features[0]] })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(server.version).toBe(2);
    expect(await (await post({ rows: [iris.features[0]] })).json()).toMatchObject({ version: 2 });
    await store.setAlias('iris', 'production', 1, { expectedVersion: 2 });
  });

  it('answers a bounded burst of 10,000 requests on loopback (p50/p99 printed)', async () => {
    const total = 10_000;
    const concurrency = 32;
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++;
          const t = performance.now();
          const response = await post({ rows: [iris.features[i % 150]] });
          const body = (await response.json()) as { predictions?: number[] };
          latencies.push(performance.now() - t);
          if (response.status !== 200 || body.predictions?.length !== 1) failures++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    console.log(
      `load test: ${total} requests, ${concurrency} concurrent, ${(total / seconds).toFixed(0)} req/s; latency p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`,
    );
    expect(latencies).toHaveLength(total);
    expect(failures).toBe(0);
  }, 120_000);
});
