import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadIris, trainTestSplit } from '@mlops/data';
import type { Registry } from '@mlops/core';
import { loadModel, openRegistry } from '@mlops/registry';
import { codecs } from '@mlops/train';
import { runIrisLifecycle, SKLEARN_TEST_PREDICTIONS } from './lifecycle';

const roots: string[] = [];
function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'mlops-iris-test-'));
  roots.push(root);
  return root;
}
afterAll(() =>
  roots.forEach((root) => {
    rmSync(root, { recursive: true, force: true });
  }),
);

describe('iris lifecycle example (one run, one behaviour per test)', () => {
  const root = tempRoot();
  const lines: string[] = [];
  let summary: Awaited<ReturnType<typeof runIrisLifecycle>>;
  let registry: Registry;
  beforeAll(async () => {
    summary = await runIrisLifecycle({ registryRoot: root, log: (line) => lines.push(line) });
    registry = await openRegistry(root);
  });
  afterAll(() => registry.close());

  it("splits like scikit-learn and predicts scikit-learn's 30 test labels", () => {
    expect([summary.trainRows, summary.testRows]).toEqual([120, 30]);
    expect(summary.predictions).toEqual([...SKLEARN_TEST_PREDICTIONS]);
    expect(summary.matchesScikitLearn).toBe(true);
    expect(summary.testAccuracy).toBe(1);
  });

  it('registers v1 with a checksum and reloads it with identical predictions', () => {
    expect(summary.registeredVersion).toBe(1);
    expect(summary.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.reloadedIdentical).toBe(true);
    expect(summary.datasetVersion).toBe(1);
  });

  it('versions pipelines that take raw records, retrains included', async () => {
    for (const version of [1, 2]) {
      const { artifact } = await registry.loadArtifact('iris', version);
      expect(artifact.format).toBe('mlops-pipeline');
    }
    const v1 = await loadModel(registry, 'iris', 1, codecs);
    expect(v1.inputs.map((c) => [c.name, c.type])).toEqual([
      ['sepal length (cm)', 'number'],
      ['sepal width (cm)', 'number'],
      ['petal length (cm)', 'number'],
      ['petal width (cm)', 'number'],
    ]);
    const record = {
      'sepal length (cm)': 5.1,
      'sepal width (cm)': 3.5,
      'petal length (cm)': 1.4,
      'petal width (cm)': 0.2,
    };
    expect(v1.predictLabels([record, { ...record, species: 'ignored' }])).toEqual(['setosa', 'setosa']);
    const [proba] = v1.predictProba([record]);
    expect(Object.keys(proba!)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(proba!.setosa).toBe(1);
    expect(lines.some((line) => line.includes('predictProba, least sure test record'))).toBe(true);
  });

  it('detects the petal shift and alerts on the accuracy drop', () => {
    const drifted = summary.drift.features.filter((f) => f.drifted).map((f) => f.feature);
    expect(drifted).toEqual(['petal length (cm)', 'petal width (cm)']);
    expect(summary.drift.datasetDrift).toBe(true);
    expect(summary.shiftedAccuracy).toBeLessThan(0.85);
    expect(summary.alerts).toBe(1);
  });

  it('logs predictions, joins labels and writes the drift report', () => {
    expect(summary.loggedAccuracy).toBe(summary.shiftedAccuracy);
    expect(summary.reportPath).toBe(join(root, 'monitoring', 'drift-report.html'));
    expect(readFileSync(summary.reportPath, 'utf8')).toContain('<svg class="histogram"');
    expect(readFileSync(summary.predictionLogPath, 'utf8').trim().split('\n')).toHaveLength(240); // 120 predictions + 120 labels
    expect(lines).toHaveLength(14);
  });

  it('retrains and promotes v2, which beats v1 on the holdout', async () => {
    expect(summary.decision.action).toBe('promoted');
    expect(summary.decision.championVersion).toBe(1);
    expect(summary.decision.challengerVersion).toBe(2);
    expect(summary.decision.metrics.challengerHoldoutAccuracy).toBeGreaterThan(
      summary.decision.metrics.championHoldoutAccuracy!,
    );
    expect(summary.productionVersion).toBe(2);
    const v2 = await registry.getVersion('iris', 'production');
    expect([v2.version, v2.parentVersion]).toEqual([2, 1]);
  });

  it('links each version to the dataset version it was trained on', async () => {
    expect((await registry.getVersion('iris', 1)).dataset).toEqual({
      fingerprint: summary.datasetFingerprint,
      name: 'iris-training',
      version: 1,
    });
    const retrainData = await registry.datasets.getVersion('iris-training', 2);
    expect(retrainData.rows).toBe(216); // the train split plus 96 of the 120 labelled production rows (24 held out to judge on)
    expect((await registry.getVersion('iris', 2)).dataset).toEqual({
      fingerprint: retrainData.fingerprint,
      name: 'iris-training',
      version: 2,
    });
    expect(await registry.searchVersions({ dataset: { name: 'iris-training', version: 2 } })).toMatchObject({
      total: 1,
    });
  });

  it('keeps one copy of the same training data and a clean registry', async () => {
    const { train } = trainTestSplit(loadIris(), { testSize: 0.2, seed: 42 });
    expect((await registry.datasets.register('iris-training', { dataset: train })).version).toBe(1);
    expect((await registry.datasets.listVersions('iris-training')).map((v) => v.version)).toEqual([1, 2]);
    expect((await registry.verify()).ok).toBe(true);
  });
});

describe('iris lifecycle example on other registries and as a script', () => {
  it.runIf(process.env.MLOPS_PG_URL)('runs the same loop on the PostgreSQL registry', async () => {
    const url = process.env.MLOPS_PG_URL!;
    const schema = `iris_test_${process.pid}`;
    const summary = await runIrisLifecycle({ postgres: { url, schema } });
    expect(summary.predictions).toEqual([...SKLEARN_TEST_PREDICTIONS]);
    expect(summary.reloadedIdentical).toBe(true);
    expect(summary.decision.action).toBe('promoted');
    const registry = await openRegistry(url, { schema });
    try {
      expect((await registry.getVersion('iris', 'production')).version).toBe(2);
      expect((await registry.verify()).ok).toBe(true);
    } finally {
      await registry.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    }
  });

  it.runIf(process.env.MLOPS_PG_URL)(
    'runs as a script on PostgreSQL + S3 (s3rver), artifacts in the bucket',
    async () => {
      const url = process.env.MLOPS_PG_URL!;
      const s3Dir = tempRoot();
      const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
      const s3 = spawn(process.execPath, [
        bin,
        '-d',
        s3Dir,
        '-a',
        '127.0.0.1',
        '-p',
        '0',
        '--configure-bucket',
        'models',
      ]);
      try {
        const endpoint = await new Promise<string>((resolve, reject) => {
          s3.stdout.on('data', (chunk: Buffer) => {
            const port = /listening on 127\.0\.0\.1:(\d+)/.exec(chunk.toString())?.[1];
            if (port) resolve(`http://127.0.0.1:${port}`);
          });
          s3.once('exit', () => reject(new Error('s3rver exited')));
        });
        const env = {
          ...process.env,
          AWS_ENDPOINT_URL: endpoint,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
        };
        const result = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'src/main.ts', '--postgres', url, '--artifacts', 's3://models/iris'],
          { cwd: join(import.meta.dirname, '..'), encoding: 'utf8', env },
        );
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toContain('artifacts in s3://models/iris');
        expect(result.stdout).toContain('done     production = iris v2');
        const schema = /PostgreSQL schema (iris_\d+)/.exec(result.stdout)![1]!;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        try {
          const { rows } = await admin.query(
            `SELECT count(*) FILTER (WHERE artifact IS NULL AND artifact_key LIKE 'iris/sha256/%') AS in_s3, count(*) AS n FROM "${schema}".versions`,
          );
          expect(rows[0]).toEqual({ in_s3: '2', n: '2' });
        } finally {
          await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
          await admin.end();
        }
      } finally {
        s3.kill();
      }
    },
    60_000,
  );

  it('runs as a script and prints the readable summary', () => {
    const root = tempRoot();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', root], {
      cwd: join(import.meta.dirname, '..'),
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`scikit-learn [${SKLEARN_TEST_PREDICTIONS.join(', ')}] → identical`);
    expect(result.stdout).toContain('retrain  promoted: accuracy 0.4 fell under 0.85; challenger v2 scored');
    expect(result.stdout).toContain('done     production = iris v2');
  });
});
