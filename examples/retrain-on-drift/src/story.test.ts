import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecisionRecord, Registry } from '@mlops/core';
import { loadModel, openRegistry } from '@mlops/registry';
import { codecs } from '@mlops/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetrainOnDrift, STORY_POLICY, storyData, storyLifecycle } from './story';

const roots: string[] = [];
function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'mlops-retrain-test-'));
  roots.push(root);
  return root;
}
afterAll(() =>
  roots.forEach((root) => {
    rmSync(root, { recursive: true, force: true });
  }),
);
const exampleDir = join(import.meta.dirname, '..');

describe('retrain on drift (one run, one behaviour per test)', () => {
  const root = tempRoot();
  const lines: string[] = [];
  let summary: Awaited<ReturnType<typeof runRetrainOnDrift>>;
  let registry: Registry;
  beforeAll(async () => {
    summary = await runRetrainOnDrift({ registryRoot: root, log: (line) => lines.push(line) });
    registry = await openRegistry(root);
  });
  afterAll(() => registry.close());

  it('bootstraps v1, keeps it, promotes v2 on the shift, rejects a poisoned candidate, rolls back', () => {
    expect(
      summary.decisions.map((d) => [
        d.trigger,
        d.action,
        d.championVersion,
        d.challengerVersion,
        d.productionVersion,
        d.metrics,
      ]),
    ).toEqual([
      ['bootstrap', 'bootstrapped', undefined, 1, 1, { challengerHoldoutAccuracy: 29 / 30 }],
      ['new-data', 'kept', 1, undefined, 1, { championAccuracy: 29 / 30, batchRows: 30 }],
      [
        'accuracy',
        'promoted',
        1,
        2,
        2,
        {
          championAccuracy: 15 / 30,
          batchRows: 30,
          challengerHoldoutAccuracy: 27 / 30,
          championHoldoutAccuracy: 24 / 30,
        },
      ],
      [
        'accuracy',
        'rejected',
        2,
        3,
        2,
        {
          championAccuracy: 1 / 30,
          batchRows: 30,
          challengerHoldoutAccuracy: 7 / 30,
          championHoldoutAccuracy: 14 / 30,
        },
      ],
      ['rollback', 'rolled-back', 2, undefined, 1, {}],
    ]);
    expect(summary.decisions.map((d) => d.triggers)).toEqual([
      undefined,
      undefined,
      ['accuracy', 'drift'],
      ['accuracy', 'drift'],
      undefined,
    ]);
    expect(summary.versions).toBe(3);
    expect(summary.productionVersion).toBe(1);
  });

  it("starts from an honest holdout (old device only), then judges on the last two batches' held-out halves", async () => {
    const { holdout, batches } = await storyData();
    const newDevice = new Set(batches.shifted.features.map((row) => JSON.stringify(row)));
    expect(holdout.target).toHaveLength(30);
    expect(holdout.features.filter((row) => newDevice.has(JSON.stringify(row)))).toEqual([]);
    expect(STORY_POLICY).toEqual({ holdoutShare: 0.5, holdoutWindow: 30, holdoutSeed: 0 });
    expect(summary.judgedOn).toEqual([
      { challengerVersion: 1, rows: 30, oldDevice: 30, newDevice: 0, rotatedLabels: 0 }, // the initial holdout
      { challengerVersion: 2, rows: 30, oldDevice: 15, newDevice: 15, rotatedLabels: 0 }, // days 1 and 2
      { challengerVersion: 3, rows: 30, oldDevice: 0, newDevice: 30, rotatedLabels: 15 }, // days 2 and 3
    ]);
    expect(lines.filter((line) => line.startsWith('  · judged on'))).toEqual([
      '  · judged on 30 held-out rows: 30 old-device, 0 new-device',
      '  · judged on 30 held-out rows: 15 old-device, 15 new-device',
      '  · judged on 30 held-out rows: 0 old-device, 30 new-device (15 of them with rotated labels)',
    ]);
  });

  it('alerts twice and names the drifted features', () => {
    expect(summary.accuracyAlerts).toBe(2);
    expect(lines.filter((line) => line.startsWith('day ') && line.includes('accuracy'))).toEqual([
      'day 1 (same device): 30 labelled records → v1 accuracy 0.967; drift: none',
      'day 2 (new device): 30 labelled records → v1 accuracy 0.500 (ALERT < 0.85); drift: petal length (cm), petal width (cm)',
      'day 3 (labels rotated by a broken review tool): 30 labelled records → v2 accuracy 0.033 (ALERT < 0.85); drift: petal length (cm), petal width (cm)',
    ]);
  });

  it('trains v2 on a registered dataset version of the data so far, with v1 as parent', async () => {
    const v2 = await registry.getVersion('iris', 2);
    const training = await registry.datasets.getVersion('iris-training', v2.dataset!.version!);
    expect(v2.dataset).toEqual({ name: 'iris-training', version: training.version, fingerprint: training.fingerprint });
    expect(training.rows).toBe(120); // 90 reference + 15 + 15 new rows (half of each batch is held out to judge on)
    expect(v2.parentVersion).toBe(1);
  });

  it('versions pipelines that take raw records: the bootstrap and every retrain', async () => {
    const versions = await registry.listVersions('iris');
    for (const { version } of versions)
      expect((await registry.loadArtifact('iris', version)).artifact.format).toBe('mlops-pipeline');
    const served = await loadModel(registry, 'iris', 'production', codecs);
    const record = {
      'sepal length (cm)': 6.3,
      'sepal width (cm)': 3.3,
      'petal length (cm)': 6,
      'petal width (cm)': 2.5,
    };
    expect(served.predictLabels([record, { ...record, species: 'virginica' }])).toEqual(['virginica', 'virginica']);
  });

  it('records the alias moves and every decision, and leaves a clean registry', async () => {
    expect((await registry.aliasHistory('iris', 'production')).map((m) => [m.kind, m.version])).toEqual([
      ['set', 1],
      ['set', 2],
      ['rollback', 1],
    ]);
    const log = await registry.decisions.list('iris');
    expect(log.filter((r) => r.phase === 'done')).toHaveLength(5);
    expect((await registry.verify()).ok).toBe(true);
  });
});

describe('why the story sets a holdout policy: day 2 under other policies', () => {
  it.each([
    // The default: judged on 42 rows, the 30 old-device rows of the initial holdout, 6 held out of day 1, 6 of day 2.
    ['the default policy (share 0.2, window 1,000)', {}, 38 / 42, 39 / 42],
    // A two-batch window at the default share: only 12 rows, and v2 ties v1 (a tie keeps the champion).
    ['a two-batch window at share 0.2 (12 rows)', { holdoutWindow: 12 }, 10 / 12, 10 / 12],
  ])('under %s the shift challenger v2 is rejected', async (_name, policy, challenger, champion) => {
    const { lifecycle, registry } = await storyLifecycle(tempRoot(), { policy });
    try {
      const { batches } = await storyData();
      await lifecycle.bootstrap();
      await lifecycle.ingest(batches.sameWorld);
      const day2 = await lifecycle.ingest(batches.shifted);
      expect([day2.action, day2.challengerVersion, day2.productionVersion]).toEqual(['rejected', 2, 1]);
      expect(day2.metrics.challengerHoldoutAccuracy).toBe(challenger);
      expect(day2.metrics.championHoldoutAccuracy).toBe(champion);
    } finally {
      await registry.close();
    }
  });
});

describe('retrain on drift as a process', () => {
  it('runs as a script', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', tempRoot()], {
      cwd: exampleDir,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      '→ PROMOTED: accuracy 0.5 fell under 0.85 and the new data drifted; challenger v2 scored 0.9 vs 0.8 on the holdout and was promoted',
    );
    expect(result.stdout).toContain(
      "challenger v3 scored 0.2333, not above v2's 0.4667 on the holdout: kept v2, archived v3",
    );
    expect(result.stdout).toContain('done: production = iris v1');
  });

  it('survives SIGKILL at random moments of a retrain: a restart resumes without registering twice', async () => {
    const worker = join(exampleDir, 'src', '__fixtures__', 'crash-worker.ts');
    const outcomes: string[] = [];
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let kill = 0; kill < 8; kill++) {
      const root = tempRoot();
      const child = spawn(process.execPath, ['--import', 'tsx', worker, 'ingest', root], {
        cwd: exampleDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve())); // the worker is up
      await new Promise((resolve) => setTimeout(resolve, 50 + random() * 700));
      child.kill('SIGKILL');
      await exited;
      const after = spawnSync(process.execPath, ['--import', 'tsx', worker, 'resume', root], {
        cwd: exampleDir,
        encoding: 'utf8',
      });
      expect(after.stderr).toBe('');
      const state = JSON.parse(after.stdout) as {
        resumed: string | null;
        production: number | null;
        versions: { version: number; run: string }[];
        decisions: DecisionRecord[];
        verify: { ok: boolean };
      };
      outcomes.push(state.resumed ?? 'nothing to resume');
      // Never two versions of one run; production is a complete, registered version; every started run is done.
      const runs = state.versions.map((v) => v.run);
      expect(new Set(runs).size).toBe(runs.length);
      if (state.production !== null) expect(state.versions.map((v) => v.version)).toContain(state.production);
      const started = new Set(state.decisions.filter((d) => d.phase === 'started').map((d) => d.runId));
      const done = new Set(state.decisions.filter((d) => d.phase === 'done').map((d) => d.runId));
      expect([...started].filter((run) => !done.has(run))).toEqual([]);
      expect(state.verify.ok).toBe(true);
    }
    // The kills landed at different moments: at least one run had to be resumed.
    expect(outcomes.some((o) => o !== 'nothing to resume')).toBe(true);
  }, 120_000);
});
