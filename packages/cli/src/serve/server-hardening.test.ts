import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIris } from '@mlops/data';
import { FileSystemModelStore } from '@mlops/registry';
import { randomForestClassifier } from '@mlops/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, rawRequest } from './__fixtures__/raw-http';
import { startPredictionServer, type PredictionServer } from './server';

const root = mkdtempSync(join(tmpdir(), 'mlops-serve-hardening-'));
const store = new FileSystemModelStore({ root });
let server: PredictionServer;
const port = () => Number(new URL(server.url).port);

beforeAll(async () => {
  const model = await randomForestClassifier({ nEstimators: 5, seed: 1 }).fit(loadIris());
  await store.register('iris', { artifact: model.toArtifact() });
  server = await startPredictionServer({
    store,
    name: 'iris',
    ref: 1,
    port: 0,
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    keepAliveTimeoutMs: 200,
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('prediction server: malformed requests', () => {
  it.each(['//[', 'http://[', '//a:99999/health', '//%', '///[', 'http://a:-1/', '//[::1'])(
    'answers 400 to the request target %j and keeps serving',
    async (target) => {
      const answer = await rawRequest(port(), httpRequest('GET', target));
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('{"error":"malformed request target"}');
      expect((await rawRequest(port(), httpRequest('GET', '/health'))).status).toBe(200);
    },
  );

  it('cuts off a client that stalls in its headers (408) or its body, and keeps serving', async () => {
    const started = Date.now();
    const headers = await rawRequest(port(), 'GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n', 5000);
    expect(headers.status).toBe(408);
    const body = await rawRequest(
      port(),
      'POST /predict HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 100\r\n\r\n{"rows":',
      5000,
    );
    expect(body.status).toBe(408);
    expect(Date.now() - started).toBeLessThan(4000);
    expect((await rawRequest(port(), httpRequest('GET', '/health'))).status).toBe(200);
  });

  it('refuses a declared body over the limit at once, and does not log a client that hangs up as an internal error', async () => {
    const lines: string[] = [];
    const small = await startPredictionServer({
      store,
      name: 'iris',
      ref: 1,
      port: 0,
      maxBodyBytes: 100,
      log: (l) => lines.push(l),
    });
    try {
      const smallPort = Number(new URL(small.url).port);
      const started = Date.now();
      const declared = await rawRequest(
        smallPort,
        'POST /predict HTTP/1.1\r\nhost: x\r\ncontent-length: 99999999999\r\n\r\n{',
        5000,
      );
      expect(declared.status).toBe(413);
      expect(Date.now() - started).toBeLessThan(2000);
      const socket = connect(smallPort, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write('POST /predict HTTP/1.1\r\nhost: x\r\ncontent-length: 50\r\n\r\n{"rows"');
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(lines.filter((line) => line.startsWith('internal error'))).toEqual([]);
      expect((await rawRequest(smallPort, httpRequest('GET', '/health'))).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('closes an idle keep-alive connection after keepAliveTimeoutMs', async () => {
    const socket = connect(port(), '127.0.0.1');
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    socket.on('data', () => undefined);
    socket.write('GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    const opened = Date.now();
    expect((await closed) - opened).toBeLessThan(3000);
  });

  it('rejects timeouts that are not whole milliseconds in range', async () => {
    for (const headersTimeoutMs of [0, -1, Number.POSITIVE_INFINITY, Number.NaN, 1.5]) {
      await expect(startPredictionServer({ store, name: 'iris', ref: 1, port: 0, headersTimeoutMs })).rejects.toThrow(
        /^headersTimeoutMs must be an integer number of milliseconds in \[1, 3600000\]/,
      );
    }
  });
});

describe('prediction server: one number grammar and no ignored columns for records', () => {
  it('rejects hex, binary, padded and infinite numbers and unknown columns, naming row and column', async () => {
    const { loadCsv } = await import('@mlops/data');
    const { createPipeline } = await import('@mlops/core');
    const csv = 'age,plan,churn\n31,basic,no\n45,pro,yes\n22,basic,no\n51,pro,yes\n';
    const { dataset, preprocessing } = await loadCsv({ text: csv }, { target: 'churn' });
    const model = await randomForestClassifier({ nEstimators: 3, seed: 1 }).fit(dataset);
    await store.register('churn', { artifact: createPipeline(preprocessing, model).toArtifact() });
    const churn = await startPredictionServer({ store, name: 'churn', ref: 1, port: 0 });
    try {
      const post = async (rows: unknown[]) => {
        const answer = await fetch(`${churn.url}/predict`, { method: 'POST', body: JSON.stringify({ rows }) });
        return [answer.status, ((await answer.json()) as { error?: string }).error];
      };
      expect(await post([{ age: '40', plan: 'pro' }])).toEqual([200, undefined]);
      for (const age of ['0x10', '0b11', '0o7', ' 3 ', 'Infinity', '1_000', '']) {
        const [status, error] = await post([{ age, plan: 'pro' }]);
        expect(status).toBe(400);
        expect(error).toMatch(/^predict input for churn v1 row 0, column "age"/);
      }
      expect(await post([{ age: 40, plan: 'pro', colour: 'red' }])).toEqual([
        400,
        expect.stringMatching(/row 0.*"colour"/),
      ]);
    } finally {
      await churn.close();
    }
  });
});
