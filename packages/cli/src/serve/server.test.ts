import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPipeline } from '@mlops/core';
import { loadCsv, loadIris } from '@mlops/data';
import { FileSystemModelStore } from '@mlops/registry';
import { randomForestClassifier, randomForestRegressor } from '@mlops/train';
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
  it('predicts positional rows and records as class labels, with probabilities when asked', async () => {
    const response = await post({ rows: [iris.features[0], iris.features[100]] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ model: 'iris', version: 1, predictions: ['setosa', 'virginica'] });
    const record = Object.fromEntries(iris.featureNames.map((name, j) => [name, iris.features[60]![j]]));
    const withProba = (await (await post({ rows: [record], proba: true })).json()) as {
      predictions: string[];
      probabilities: Record<string, number>[];
    };
    expect(withProba.predictions).toEqual(['versicolor']);
    expect(Object.keys(withProba.probabilities[0]!)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Object.values(withProba.probabilities[0]!).reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(await (await post({ rows: [] })).json()).toMatchObject({ predictions: [] });
  });

  it('rejects input that does not match the signature, naming the row and feature', async () => {
    const short = await post({ rows: [[1, 2, 3]] });
    expect(short.status).toBe(400);
    expect(await short.json()).toEqual({
      error:
        'predict input for iris v1 row 0 has 3 values but the model takes 4 (sepal length (cm), sepal width (cm), petal length (cm), petal width (cm))',
    });
    const unknown = await post({ rows: [{ 'sepal length (cm)': 1, colour: 2 }] });
    expect(await unknown.json()).toEqual({
      error:
        'predict input for iris v1 row 0 has column "colour", which is not an input of the model (inputs: sepal length (cm), sepal width (cm), petal length (cm), petal width (cm))',
    });
    expect(await (await post([iris.features[0]])).json()).toEqual({
      error: 'send {"rows": [...], "proba"?: true}: records by column name, or positional rows',
    });
    expect(await (await post({ rows: [], probability: true })).json()).toEqual({
      error:
        'unknown field "probability": send {"rows": [...], "proba"?: true}: records by column name, or positional rows',
    });
    expect(await (await post({ rows: [], proba: 'yes' })).json()).toEqual({ error: '"proba" must be true or false' });
    expect((await post('{"rows": [')).status).toBe(400);
    expect((await post('{"__proto__": {"rows": []}}')).status).toBe(400);
    expect((await post({ nothing: true })).status).toBe(400);
    expect((await post('x'.repeat(2 << 20))).status).toBe(413);
    expect((await fetch(`${server.url}/predict`)).status).toBe(405);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/schema`, { method: 'POST' })).status).toBe(405);
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

describe('prediction server for a pipeline trained on a real table', () => {
  const csv = [
    'id,income,home,purpose,years,default',
    ...Array.from({ length: 60 }, (_, i) => {
      const home = ['RENT', 'OWN', 'MORTGAGE'][i % 3];
      const income = i % 7 === 0 ? '' : String(20 + ((i * 37) % 80));
      const purpose = i % 11 === 0 ? '' : ['car', 'house', 'school'][i % 5 === 0 ? 2 : i % 2];
      return `${1000 + i},${income},${home},${purpose},${i % 13},${(i * 37) % 80 < 35 ? 'yes' : 'no'}`;
    }),
  ].join('\n');
  let loans: PredictionServer;
  let prices: PredictionServer;

  beforeAll(async () => {
    const table = await loadCsv({ text: csv }, { target: 'default', exclude: ['id'], missing: 'impute' });
    const forest = await randomForestClassifier({ nEstimators: 10, seed: 3 }).fit(table.dataset);
    await store.register('loans', { artifact: createPipeline(table.preprocessing, forest).toArtifact() });
    loans = await startPredictionServer({ store, name: 'loans', ref: 1, port: 0 });
    const regression = await loadCsv(
      { text: csv },
      { target: 'income', exclude: ['id', 'default'], task: 'regression', missing: 'impute' },
    );
    const regressor = await randomForestRegressor({ nEstimators: 5, seed: 3 }).fit(regression.dataset);
    await store.register('incomes', { artifact: createPipeline(regression.preprocessing, regressor).toArtifact() });
    prices = await startPredictionServer({ store, name: 'incomes', ref: 1, port: 0 });
  });
  afterAll(async () => {
    await loans?.close();
    await prices?.close();
  });

  const call = async (server: PredictionServer, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('takes raw records with text categories and blanks, and refuses an unseen category with a 400', async () => {
    const rows = [
      { id: 'x1', income: 30, home: 'RENT', purpose: 'car', years: 2 },
      { income: null, home: 'OWN', purpose: '', years: 5, default: 'no' },
      [55, 'MORTGAGE', 'school', 1],
    ];
    const answer = await call(loans, '/predict', { rows, proba: true });
    expect(answer.status).toBe(200);
    expect(answer.body.predictions).toHaveLength(3);
    expect((answer.body.predictions as string[]).every((p) => p === 'no' || p === 'yes')).toBe(true);
    expect(Object.keys((answer.body.probabilities as object[])[0]!)).toEqual(['no', 'yes']);
    const unseen = await call(loans, '/predict', { rows: [{ income: 1, home: 'CASTLE', purpose: 'car', years: 1 }] });
    expect(unseen).toEqual({
      status: 400,
      body: {
        error:
          'predict input for loans v1 row 0, column "home" is "CASTLE", which is not one of its levels (MORTGAGE, OWN, RENT)',
      },
    });
  });

  it('describes its input as JSON Schema 2020-12 and its endpoints as OpenAPI 3.1', async () => {
    const schema = await call(loans, '/schema');
    expect(schema.body).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'loans v1 input',
      type: 'object',
      additionalProperties: false,
      required: [],
    });
    const properties = schema.body.properties as Record<string, Record<string, unknown>>;
    expect(properties.home).toMatchObject({ type: ['string', 'null'], enum: ['MORTGAGE', 'OWN', 'RENT', null] });
    expect(properties.purpose).toMatchObject({ enum: ['car', 'house', 'school', null] });
    expect(properties.income).toMatchObject({ type: ['number', 'null'] });
    expect(properties.id).toEqual({ description: 'accepted and ignored' });
    const openapi = await call(loans, '/openapi.json');
    expect(openapi.body).toMatchObject({ openapi: '3.1.0', info: { title: 'loans prediction server', version: '1' } });
    expect(Object.keys(openapi.body.paths as object)).toEqual(['/predict', '/schema', '/health', '/metrics']);
    expect((openapi.body.components as { schemas: { Record: unknown } }).schemas.Record).toEqual(
      (({ $schema: _, title: __, ...rest }) => rest)(schema.body),
    );
  });

  it('serves a regression pipeline: numbers, no probabilities', async () => {
    const answer = await call(prices, '/predict', { rows: [{ home: 'OWN', purpose: 'car', years: 3 }] });
    expect(answer.status).toBe(200);
    expect(typeof (answer.body.predictions as unknown[])[0]).toBe('number');
    const proba = await call(prices, '/predict', { rows: [{ home: 'OWN', purpose: 'car', years: 3 }], proba: true });
    expect(proba).toEqual({
      status: 400,
      body: { error: 'predictProba needs a classifier, and incomes v1 is a regression model' },
    });
  });
});
