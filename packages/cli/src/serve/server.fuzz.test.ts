import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createPipeline } from '@mlops/core';
import { loadCsv } from '@mlops/data';
import { FileSystemModelStore } from '@mlops/registry';
import { randomForestClassifier } from '@mlops/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, rawRequest } from './__fixtures__/raw-http';
import { startPredictionServer, type PredictionServer } from './server';

// Fixed seeds and run counts: the suite explores the same inputs on every run, in a few seconds.
const root = mkdtempSync(join(tmpdir(), 'mlops-serve-fuzz-'));
const store = new FileSystemModelStore({ root });
let server: PredictionServer;
const port = () => Number(new URL(server.url).port);

const csv =
  'age,plan,score,churn\n31,basic,0.5,no\n45,pro,,yes\n22,basic,0.1,no\n51,pro,0.9,yes\n38,team,0.4,no\n29,team,0.7,yes\n';

beforeAll(async () => {
  const { dataset, preprocessing } = await loadCsv(
    { text: csv },
    { target: 'churn', columns: { score: { type: 'number', missing: { impute: 'median' } } } },
  );
  const model = await randomForestClassifier({ nEstimators: 3, seed: 1 }).fit(dataset);
  await store.register('churn', { artifact: createPipeline(preprocessing, model).toArtifact() });
  server = await startPredictionServer({
    store,
    name: 'churn',
    ref: 1,
    port: 0,
    headersTimeoutMs: 2000,
    requestTimeoutMs: 2000,
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const status = async (request: string) => (await rawRequest(port(), request)).status;

/** Any JSON value, biased towards what a /predict body looks like. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      null,
      true,
      false,
      0,
      -0,
      1e308,
      -1,
      3.5,
      '',
      'basic',
      'pro',
      '0x10',
      ' 3 ',
      'NaN',
      '__proto__',
      'constructor',
    ),
    fc.double(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.constantFrom('age', 'plan', 'score', 'churn', 'rows', 'proba', '__proto__', 'x'), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value;

describe('prediction server fuzz (never a 5xx, never down)', () => {
  it('answers random request targets below 500', async () => {
    const target = fc.oneof(
      fc
        .string({
          unit: fc.constantFrom('/', '[', ']', ':', '%', '@', '?', '#', '.', 'a', '9', '\\', '|', '{', '~'),
          maxLength: 20,
        })
        .map((t) => `/${t}`),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }).filter((t) => !/\s/.test(t)),
    );
    await fc.assert(
      fc.asyncProperty(
        target,
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'),
        async (path, method) => {
          const answer = await status(httpRequest(method, path, method === 'POST' ? '{"rows":[]}' : ''));
          if (answer !== undefined) expect(answer).toBeLessThan(500);
        },
      ),
      { seed: 11, numRuns: 250 },
    );
  });

  it('answers random headers below 500', async () => {
    const header = fc.tuple(
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }),
      fc.string({ unit: 'binary-ascii', maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(header, { maxLength: 5 }), async (headers) => {
        const answer = await status(httpRequest('POST', '/predict', '{"rows":[]}', Object.fromEntries(headers)));
        if (answer !== undefined) expect(answer).toBeLessThan(500);
      }),
      { seed: 12, numRuns: 250 },
    );
  });

  it('answers random JSON bodies (and broken ones) with 200 or 4xx', async () => {
    const body = fc.oneof(
      json.map((v) => JSON.stringify(v) ?? 'null'),
      fc.record({ rows: fc.array(json, { maxLength: 4 }) }).map((v) => JSON.stringify(v)),
      fc
        .record({
          rows: fc.array(fc.record({ age: json, plan: json, score: json }, { requiredKeys: [] }), { maxLength: 4 }),
        })
        .map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const answer = await status(httpRequest('POST', '/predict', text, { 'content-type': 'application/json' }));
        expect(answer).toBeDefined();
        expect(answer === 200 || (answer! >= 400 && answer! < 500)).toBe(true);
      }),
      { seed: 13, numRuns: 400 },
    );
  });

  it('is still up and predicting after the fuzzing', async () => {
    const answer = await fetch(`${server.url}/predict`, {
      method: 'POST',
      body: JSON.stringify({ rows: [{ age: 40, plan: 'pro', score: '' }] }),
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { version: number }).version).toBe(1);
  });
});
