import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../schedule/clock';
import { createDataset } from '../validation/dataset';
import { blobs } from '../testing/blobs';
import { centroidCodec, centroidTrainer } from '../testing/centroid-trainer';
import { MemoryRegistry } from '../testing/memory-store';
import type { Preprocessing } from '../contracts/pipeline';
import type { Trainer } from '../contracts/trainer';
import { pipelineCodec } from '../pipeline/pipeline-codec';
import { createPipeline, type PipelineModel } from '../pipeline/pipeline-model';
import { pipelineTrainer } from '../pipeline/pipeline-trainer';
import { createLifecycle } from './create-lifecycle';
import type { JsonObject } from '../contracts/json';
import type { LifecycleEvent, LifecycleOptions } from './types';

describe('createLifecycle', () => {
  let store: MemoryRegistry;
  let decisions: MemoryRegistry['decisions'];
  let runs: number;
  // Most tests are about the runs, not the evaluation set: every batch row trains (holdoutShare 0) unless a test says.
  const make = (extra: Partial<LifecycleOptions> = {}) =>
    createLifecycle({
      modelName: 'toy',
      trainer: centroidTrainer,
      codecs: [centroidCodec],
      registry: store,
      reference: blobs(0, 2),
      holdout: blobs(2, 4, 5),
      clock: new ManualClock(new Date('2026-02-01T00:00:00Z')),
      newRunId: () => `run-${++runs}`,
      ...extra,
      policy: { holdoutShare: 0, ...extra.policy },
    });
  beforeEach(() => {
    store = new MemoryRegistry();
    decisions = store.decisions;
    runs = 0;
  });

  it('bootstraps, keeps a model that still scores, and retrains and promotes when accuracy drops', async () => {
    const lifecycle = make();
    const seen: LifecycleEvent['type'][] = [];
    lifecycle.on((event) => seen.push(event.type));
    const first = await lifecycle.bootstrap();
    expect(first).toMatchObject({
      runId: 'run-1',
      trigger: 'bootstrap',
      action: 'bootstrapped',
      challengerVersion: 1,
      productionVersion: 1,
    });
    expect(seen).toEqual(['run-started', 'challenger-registered', 'decision']);
    expect(decisions.records.map((r) => `${r.runId}:${r.phase}`)).toEqual([
      'run-1:started',
      'run-1:registered',
      'run-1:done',
    ]);
    expect(decisions.records[0]!.training).toEqual({
      name: 'toy-training',
      version: 1,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await store.getVersion('toy', 1)).dataset).toEqual({
      name: 'toy-training',
      version: 1,
      fingerprint: decisions.records[0]!.training!.fingerprint,
    });

    const kept = await lifecycle.ingest(blobs(0, 2, 4));
    expect(kept).toMatchObject({
      trigger: 'new-data',
      action: 'kept',
      productionVersion: 1,
      metrics: { championAccuracy: 1, batchRows: 8 },
    });
    expect(kept.reason).toBe('v1 accuracy 1 on 8 new rows is at or above 0.85');

    const shifted = await lifecycle.ingest(blobs(2, 4));
    expect(shifted).toMatchObject({
      trigger: 'accuracy',
      action: 'promoted',
      championVersion: 1,
      challengerVersion: 2,
      productionVersion: 2,
    });
    expect(shifted.reason).toMatch(
      /^accuracy 0\.5 fell under 0\.85; challenger v2 scored 0\.\d+ vs 0\.5 on the holdout and was promoted$/,
    );
    const v2 = await store.getVersion('toy', 2);
    expect(v2).toMatchObject({
      parentVersion: 1,
      tags: { lifecycleRun: 'run-3', trigger: 'accuracy' },
      dataset: { name: 'toy-training', version: 2 },
    });
    expect((await lifecycle.trainingData()).target).toHaveLength(20 + 8 + 20);
  });

  it('rejects a challenger that is not better by the margin, retrains on drift, and rolls back', async () => {
    const lifecycle = make({ policy: { minImprovement: 0.9 }, detectDrift: () => ({ datasetDrift: true }) });
    await lifecycle.bootstrap();
    const rejected = await lifecycle.ingest(blobs(0, 2, 4)); // accuracy holds, but the batch "drifted"
    expect(rejected).toMatchObject({
      trigger: 'drift',
      action: 'rejected',
      championVersion: 1,
      challengerVersion: 2,
      productionVersion: 1,
    });
    expect(rejected.reason).toMatch(
      /^the new data drifted; challenger v2 scored .* not above v1's .* \+ 0\.9 on the holdout: kept v1, archived v2$/,
    );
    expect((await store.getVersion('toy', 2)).status).toBe('archived'); // a rejected challenger is archived

    const promoting = make({ policy: { retrainOnNewData: true } });
    expect(await promoting.ingest(blobs(2, 4))).toMatchObject({ action: 'promoted', productionVersion: 3 });
    const back = await promoting.rollback('v3 misbehaves in production');
    expect(back).toMatchObject({
      trigger: 'rollback',
      action: 'rolled-back',
      championVersion: 3,
      productionVersion: 1,
    });
    expect(back.reason).toBe('v3 misbehaves in production: "production" moved back from v3 to v1');
    expect(decisions.records.at(-1)).toMatchObject({ phase: 'done', action: 'rolled-back', productionVersion: 1 });
  });

  it('ingests the same rows once, whatever their source, recording the skip', async () => {
    const lifecycle = make({ policy: { retrainOnNewData: true } });
    await lifecycle.bootstrap();
    const first = await lifecycle.ingest(blobs(2, 4, 6), { source: 'day-1.csv' });
    expect(first.action).toBe('rejected'); // retrained on the new rows, not better on the holdout
    const rows = (await lifecycle.trainingData()).target.length;
    const fits = centroidTrainer.fits;
    const copy = await lifecycle.ingest(blobs(2, 4, 6), { source: 'day-1 (copy).csv' });
    expect(copy).toMatchObject({ trigger: 'new-data', action: 'skipped' });
    expect(copy.reason).toBe('already ingested (the same rows, from day-1.csv) by run run-2: nothing to do');
    expect(centroidTrainer.fits).toBe(fits); // nothing trained
    expect((await lifecycle.trainingData()).target).toHaveLength(rows); // nothing added
    expect(decisions.records.at(-1)).toMatchObject({
      phase: 'done',
      action: 'skipped',
      source: 'day-1 (copy).csv',
      batch: { name: 'toy-batches', version: 1, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/), rows: 12 },
    });
    // New rows at a path already ingested (a refreshed file) are new data.
    expect((await lifecycle.ingest(blobs(0, 2, 3), { source: 'day-1.csv' })).action).not.toBe('skipped');
  });

  it('finishes a run an error left open before the next one, so the batch counts once', async () => {
    const lifecycle = make();
    await lifecycle.bootstrap();
    const before = (await lifecycle.trainingData()).target.length;
    decisions.failOn = 'registered';
    await expect(lifecycle.ingest(blobs(2, 4), { source: 'b1.csv' })).rejects.toThrow(
      'crash before writing "registered"',
    );
    decisions.failOn = undefined;
    // The same file again (a watcher retrying it): the open run is finished first, then the batch is a skip.
    const again = await lifecycle.ingest(blobs(2, 4), { source: 'b1.csv' });
    expect(again.action).toBe('skipped');
    expect((await lifecycle.trainingData()).target).toHaveLength(before + 20); // blobs(2, 4): 20 rows, once
    expect(decisions.records.filter((r) => r.phase === 'done').map((r) => r.action)).toEqual([
      'bootstrapped',
      'promoted',
      'skipped',
    ]);
  });

  it('records every trigger that fired, and carries the champion tags over to the challenger', async () => {
    const lifecycle = make({ detectDrift: () => true });
    await lifecycle.bootstrap();
    // The user tags production's version; the run tags are replaced by the challenger's own.
    const v1 = await store.getVersion('toy', 1);
    (v1.tags as Record<string, string>).team = 'risk';
    const decision = await lifecycle.ingest(blobs(2, 4));
    expect(decision).toMatchObject({ trigger: 'accuracy', action: 'promoted' });
    expect(decision.reason).toMatch(/^accuracy 0\.5 fell under 0\.85 and the new data drifted; challenger v2/);
    expect(decisions.records.filter((r) => r.runId === decision.runId).map((r) => r.triggers)).toEqual([
      ['accuracy', 'drift'],
      ['accuracy', 'drift'],
      ['accuracy', 'drift'],
    ]);
    expect((await store.getVersion('toy', 2)).tags).toEqual({
      team: 'risk',
      lifecycleRun: decision.runId,
      trigger: 'accuracy',
      trainer: 'centroid',
    });
  });

  it('keeps its state in the registry: a new lifecycle over it continues with the same training data', async () => {
    const first = make();
    await first.bootstrap();
    await first.ingest(blobs(0, 2, 3), { source: 'day-1.csv' }); // kept: the batch joins the training data
    await first.ingest(blobs(0, 2, 2), { source: 'day-2.csv' }); // kept
    const trained = await first.trainingData();
    expect(trained.target).toHaveLength(20 + 6 + 4);
    // Another process: nothing in memory, the same registry.
    const second = make();
    expect(await second.trainingData()).toEqual(trained);
    expect((await second.ingest(blobs(0, 2, 3), { source: 'day-1 again.csv' })).action).toBe('skipped');
    // The first process sees what the second one ingests.
    await second.ingest(blobs(0, 2, 1), { source: 'day-3.csv' });
    expect((await first.trainingData()).target).toHaveLength(20 + 6 + 4 + 2);
    expect(
      decisions.records.filter((r) => r.batch).map((r) => [r.source, r.action, r.batch!.name, r.batch!.version]),
    ).toEqual([
      ['day-1.csv', 'kept', 'toy-batches', 1],
      ['day-2.csv', 'kept', 'toy-batches', 2],
      ['day-1 again.csv', 'skipped', 'toy-batches', 1],
      ['day-3.csv', 'kept', 'toy-batches', 3],
    ]);
  });

  it('holds a seeded share of each batch out to judge on: the evaluation set follows the world', async () => {
    // The initial holdout knows only the old world; the world then moves.
    const lifecycle = make({
      holdout: blobs(0, 2, 5),
      policy: { holdoutShare: 0.25, holdoutWindow: 20, retrainOnNewData: true },
    });
    await lifecycle.bootstrap();
    const shifted = blobs(2, 4, 20); // 40 rows: 10 held out, 30 trained on
    const decision = await lifecycle.ingest(shifted, { source: 'shifted.csv' });
    expect((await lifecycle.trainingData()).target).toHaveLength(20 + 30);
    const started = decisions.records.find((r) => r.runId === decision.runId && r.phase === 'started')!;
    const judged = (await store.datasets.load(started.holdout!.name, started.holdout!.version)).dataset;
    // The run was judged on the initial 10 rows and the 10 held-out new ones (window 20), recorded in the log.
    expect(judged.target).toHaveLength(20);
    // Every new row went to exactly one side: the 30 trained on and the 10 judged on make up the batch.
    const rows = (d: typeof judged, from: number) =>
      d.features.slice(from).map((row, i) => `${row.join(',')}:${d.target[from + i]}`);
    const trained = await lifecycle.trainingData();
    expect([...rows(trained, 20), ...rows(judged, 10)].sort()).toEqual(rows(shifted, 0).sort());
    // The same batch always splits the same way, so another process rebuilds the same evaluation set.
    const other = make({ holdout: blobs(0, 2, 5), policy: { holdoutShare: 0.25, holdoutWindow: 20 } });
    expect(await other.trainingData()).toEqual(await lifecycle.trainingData());
    expect(() => make({ policy: { holdoutShare: 1 } })).toThrow('holdoutShare must be in [0, 1), got 1');
    expect(() => make({ policy: { holdoutWindow: 0 } })).toThrow('holdoutWindow must be a whole number of rows ≥ 1');
  });

  it('leaves the training data as it was when a decision fails before it is recorded', async () => {
    const lifecycle = make({
      detectDrift: () => {
        throw new Error('drift test broke');
      },
    });
    await lifecycle.bootstrap();
    const rows = (await lifecycle.trainingData()).target.length;
    await expect(lifecycle.ingest(blobs(0, 2, 4))).rejects.toThrow('drift test broke');
    expect((await lifecycle.trainingData()).target).toHaveLength(rows);
  });

  it('resumes a run that crashed before recording its challenger, without registering it twice', async () => {
    const lifecycle = make();
    await lifecycle.bootstrap();
    decisions.failOn = 'registered';
    const fitsBefore = centroidTrainer.fits;
    await expect(lifecycle.ingest(blobs(2, 4))).rejects.toThrow('crash before writing "registered"');
    expect((await store.listVersions('toy')).map((v) => v.version)).toEqual([1, 2]); // v2 registered, run not finished
    expect(await store.getAlias('toy', 'production')).toBe(1);

    const restarted = make(); // a new process: fresh state, same registry
    const resumed = await restarted.resume();
    expect(resumed).toMatchObject({ runId: 'run-2', action: 'promoted', challengerVersion: 2, productionVersion: 2 });
    expect(centroidTrainer.fits - fitsBefore).toBe(1); // trained once, before the crash
    expect((await store.listVersions('toy')).map((v) => v.version)).toEqual([1, 2]);
    expect(await restarted.resume()).toBeUndefined();
    expect((await restarted.trainingData()).target).toHaveLength(40);
  });

  it('resumes a run that crashed after promoting, recording what had happened', async () => {
    const lifecycle = make();
    await lifecycle.bootstrap();
    decisions.failOn = 'done';
    await expect(lifecycle.ingest(blobs(2, 4))).rejects.toThrow('crash before writing "done"');
    expect(await store.getAlias('toy', 'production')).toBe(2);
    const resumed = await make().resume();
    expect(resumed).toMatchObject({ action: 'promoted', challengerVersion: 2, productionVersion: 2 });
    expect(resumed!.reason).toBe('v2 was already promoted when the interrupted run resumed');
  });

  it('evaluates on a schedule with an injectable clock and streams events', async () => {
    const clock = new ManualClock(new Date('2026-02-01T00:00:00Z'));
    const lifecycle = make({ clock });
    await lifecycle.bootstrap();
    const stream = lifecycle.events();
    let day = 0;
    const task = lifecycle.start(() => (++day === 2 ? blobs(2, 4) : blobs(0, 2, 2)));
    await clock.advance(2 * 86_400_000 + 1000);
    task.stop();
    const decided: string[] = [];
    for await (const event of stream) {
      if (event.type === 'decision') decided.push(`${event.decision.trigger}:${event.decision.action}`);
      if (decided.length === 2) break;
    }
    // evaluate() only scores: the retrain uses the training data (no new rows), so the challenger is no better.
    expect(decided).toEqual(['schedule:kept', 'schedule:rejected']);
    expect(task.runs).toBe(2);
  });

  it('refuses batches with other columns', async () => {
    const lifecycle = make();
    const other = createDataset({ features: [[1, 2]], target: [0], featureNames: ['x', 'y'], classNames: ['a', 'b'] });
    await expect(lifecycle.ingest(other)).rejects.toThrow(
      'a new batch must have the features [x] of the training data and class labels',
    );
  });

  it('runs inside the registry run lease, so two lifecycles over one registry never run at once', async () => {
    const first = make();
    const second = make();
    const results = await Promise.all([first.bootstrap(), second.bootstrap()]);
    expect(decisions.mostHolders).toBe(1);
    expect(results.map((r) => r.action).sort()).toEqual(['bootstrapped', 'kept']); // the second saw the first's version
    expect((await store.listVersions('toy')).length).toBe(1);
  });

  it('rebuilds its training data from the log, loading only the batches recorded since its last run', async () => {
    const lifecycle = make();
    await lifecycle.bootstrap();
    const loads = vi.spyOn(store.datasets, 'load');
    await lifecycle.ingest(blobs(0, 2, 4));
    await lifecycle.ingest(blobs(0, 2, 6));
    loads.mockClear();
    await lifecycle.ingest(blobs(0, 2, 8));
    expect(loads.mock.calls.map(([name, version]) => `${name}@${version}`)).toEqual(['toy-batches@2']);
    loads.mockClear();
    // A new process over the same registry loads the base once and every batch since, and sees the same rows.
    const fresh = make();
    expect((await fresh.trainingData()).target.length).toBe((await lifecycle.trainingData()).target.length);
    expect(loads.mock.calls.map(([name, version]) => `${name}@${version}`)).toEqual([
      'toy-training@1',
      'toy-holdout@1',
      'toy-batches@1',
      'toy-batches@2',
      'toy-batches@3',
      'toy-batches@3', // the first lifecycle: only the batch its last run had not seen
    ]);
  });

  describe('pipelines on a table whose categories and classes grow', () => {
    const pre: Preprocessing = {
      inputs: [
        { name: 'size', type: 'number', nullable: false, missingCount: 0 },
        { name: 'shape', type: 'category', levels: ['round', 'square'], nullable: false, missingCount: 0 },
      ],
      target: { name: 'kind', task: 'classification', classNames: ['a', 'b'] },
      dropped: [],
      missingValues: [],
      unseenCategory: 'error',
    };
    // Class k sits at size 10·k with shape k: rows as [size, shape code], labels by index into `classes`.
    const table = (rows: readonly [number, number, number][], shapes: string[], classes: string[]) =>
      createDataset({
        features: rows.map(([size, shape]) => [size, shape]),
        target: rows.map(([, , k]) => k),
        featureNames: ['size', 'shape'],
        classNames: classes,
        levels: [null, shapes],
      });
    const around = (k: number, n: number, shape = k): [number, number, number][] =>
      Array.from({ length: n }, (_, i) => [10 * k + (i % 3) - 1, shape, k]);
    const reference = table([...around(0, 6), ...around(1, 6)], ['round', 'square'], ['a', 'b']);
    const holdout = table([...around(0, 3), ...around(1, 3)], ['round', 'square'], ['a', 'b']);
    // Production meets triangles of a new kind "c": a new level and a new class at once.
    const batch = table(
      [...around(0, 4), ...around(1, 4), ...around(2, 12)],
      ['round', 'square', 'triangle'],
      ['a', 'b', 'c'],
    );
    const makePipeline = (trainer: Trainer<JsonObject, PipelineModel>) =>
      make({
        trainer: trainer as unknown as LifecycleOptions['trainer'],
        codecs: [pipelineCodec([centroidCodec])],
        reference,
        holdout,
        policy: { holdoutShare: 0.5 },
      });

    it('retrains the whole pipeline: the promoted version knows the new level and class and serves them', async () => {
      const lifecycle = makePipeline(pipelineTrainer(centroidTrainer, pre));
      await lifecycle.bootstrap();
      const decision = await lifecycle.ingest(batch);
      expect(decision).toMatchObject({ action: 'promoted', triggers: ['accuracy'], productionVersion: 2 });
      // The champion cannot serve triangles: those rows count as misses, never as an error of the run.
      expect(decision.metrics.championAccuracy).toBe(8 / 20);
      expect(decision.reason).toMatch(/was promoted; its inputs: column "shape" gained levels triangle; new class c$/);
      const { artifact } = await store.loadArtifact('toy', 'production');
      const served = pipelineCodec([centroidCodec]).decode(artifact) as PipelineModel;
      expect(
        served.predictLabels([
          { size: 20, shape: 'triangle' },
          { size: 0, shape: 'round' },
        ]),
      ).toEqual(['c', 'a']);
      expect((await store.getVersion('toy', 2)).signature?.inputs?.[1]?.levels).toEqual([
        'round',
        'square',
        'triangle',
      ]);
      expect((await lifecycle.trainingData()).classNames).toEqual(['a', 'b', 'c']);
    });

    it('rejects a challenger whose inputs would refuse what production serves, unless the policy allows it', async () => {
      // A trainer that retypes "size" as whole numbers: production's requests with decimals would be refused.
      const retyping: Trainer<JsonObject, PipelineModel> = {
        name: 'retyping',
        async fit(dataset, params) {
          const fitted = await pipelineTrainer(centroidTrainer, pre).fit(dataset, params as never);
          const inputs = fitted.preprocessing.inputs.map((c) =>
            c.name === 'size' ? { ...c, type: 'integer' as const } : c,
          );
          return createPipeline({ ...fitted.preprocessing, inputs }, fitted.estimator);
        },
      };
      await makePipeline(pipelineTrainer(centroidTrainer, pre)).bootstrap();
      const decision = await makePipeline(retyping).ingest(batch);
      expect(decision).toMatchObject({ action: 'rejected', productionVersion: 1, challengerVersion: 2 });
      expect(decision.reason).toBe(
        `challenger v2's inputs are incompatible with production's (column "size" changed from number to integer): kept v1, archived v2`,
      );
      expect((await store.getVersion('toy', 2)).status).toBe('archived');

      store = new MemoryRegistry();
      await makePipeline(pipelineTrainer(centroidTrainer, pre)).bootstrap();
      const allowed = await make({
        trainer: retyping as unknown as LifecycleOptions['trainer'],
        codecs: [pipelineCodec([centroidCodec])],
        reference,
        holdout,
        policy: { holdoutShare: 0.5, allowIncompatibleInputs: true },
      }).ingest(batch);
      expect(allowed).toMatchObject({ action: 'promoted', productionVersion: 2 });
    });
  });
});
