import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadIris, trainTestSplit } from '@mlops/data';
import { FileSystemModelStore, PostgresModelStore } from '@mlops/registry';
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

describe('iris lifecycle example', () => {
  it('reproduces scikit-learn, round-trips through the registry, detects the shift and promotes a retrained v2', async () => {
    const root = tempRoot();
    const lines: string[] = [];
    const summary = await runIrisLifecycle({ registryRoot: root, log: (line) => lines.push(line) });

    expect(summary.trainRows).toBe(120);
    expect(summary.testRows).toBe(30);
    expect(summary.predictions).toEqual([...SKLEARN_TEST_PREDICTIONS]);
    expect(summary.matchesScikitLearn).toBe(true);
    expect(summary.testAccuracy).toBe(1);
    expect(summary.registeredVersion).toBe(1);
    expect(summary.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.reloadedIdentical).toBe(true);

    const drifted = summary.drift.features.filter((f) => f.drifted).map((f) => f.feature);
    expect(drifted).toEqual(['petal length (cm)', 'petal width (cm)']);
    expect(summary.drift.datasetDrift).toBe(true);
    expect(summary.shiftedAccuracy).toBeLessThan(0.85);
    expect(summary.alerts).toBe(1);

    expect(summary.decision.action).toBe('promoted');
    expect(summary.decision.championVersion).toBe(1);
    expect(summary.decision.challengerVersion).toBe(2);
    expect(summary.decision.metrics.challengerHoldoutAccuracy).toBeGreaterThan(
      summary.decision.metrics.championHoldoutAccuracy!,
    );
    expect(summary.productionVersion).toBe(2);
    expect(lines).toHaveLength(12);
    expect(summary.loggedAccuracy).toBe(summary.shiftedAccuracy);
    expect(summary.reportPath).toBe(join(root, 'monitoring', 'drift-report.html'));
    expect(readFileSync(summary.reportPath, 'utf8')).toContain('<svg class="histogram"');
    expect(readFileSync(summary.predictionLogPath, 'utf8').trim().split('\n')).toHaveLength(240); // 120 predictions + 120 labels
    expect(summary.datasetVersion).toBe(1);

    const store = new FileSystemModelStore({ root });
    const v2 = await store.getVersion('iris', 'production');
    expect(v2.version).toBe(2);
    expect(v2.parentVersion).toBe(1);
    expect((await store.getVersion('iris', 1)).dataset).toEqual({
      fingerprint: summary.datasetFingerprint,
      name: 'iris-training',
      version: 1,
    });
    const retrainData = await store.datasets.getVersion('iris-training', 2);
    expect(retrainData.rows).toBe(240); // the train split plus the labelled production batch
    expect(v2.dataset).toEqual({ fingerprint: retrainData.fingerprint, name: 'iris-training', version: 2 });
    expect(await store.searchVersions({ dataset: { name: 'iris-training', version: 2 } })).toMatchObject({ total: 1 });
    expect((await store.verify()).ok).toBe(true);

    // The same training data again → the same dataset version, no new copy.
    const { train } = trainTestSplit(loadIris(), { testSize: 0.2, seed: 42 });
    expect((await store.datasets.register('iris-training', { dataset: train })).version).toBe(1);
    expect((await store.datasets.listVersions('iris-training')).map((v) => v.version)).toEqual([1, 2]);
  });

  it.runIf(process.env.MLOPS_PG_URL)('runs the same loop on the PostgreSQL registry', async () => {
    const url = process.env.MLOPS_PG_URL!;
    const schema = `iris_test_${process.pid}`;
    const summary = await runIrisLifecycle({ postgres: { url, schema } });
    expect(summary.predictions).toEqual([...SKLEARN_TEST_PREDICTIONS]);
    expect(summary.reloadedIdentical).toBe(true);
    expect(summary.decision.action).toBe('promoted');
    const store = new PostgresModelStore({ connectionString: url, schema });
    try {
      expect((await store.getVersion('iris', 'production')).version).toBe(2);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    }
  });

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
