import { beforeEach, describe, expect, it } from 'vitest';
import { concatDatasets, createDataset } from '../validation/dataset';
import { blobs } from '../testing/blobs';
import { centroidCodec, centroidTrainer } from '../testing/centroid-trainer';
import { MemoryDatasetStore, MemoryModelStore } from '../testing/memory-store';
import { fingerprint } from '../fingerprint/fingerprint';
import { runRetrainStep } from './retrain-step';

const reference = blobs(0, 2);
const clock = () => new Date('2026-01-02T03:04:05.000Z');

describe('runRetrainStep', () => {
  let store: MemoryModelStore;
  const base = () => ({
    store,
    trainer: centroidTrainer,
    codecs: [centroidCodec],
    modelName: 'toy',
    reference,
    now: clock,
  });
  beforeEach(() => {
    store = new MemoryModelStore();
  });

  it('bootstraps a production model when none exists', async () => {
    const decision = await runRetrainStep({ ...base(), fresh: blobs(0, 2, 2), holdout: blobs(0, 2, 4) });
    expect(decision).toEqual({
      action: 'bootstrapped',
      reason: 'no "production" model existed; trained v1 (holdout accuracy 1) and promoted it',
      threshold: 0.85,
      challenger: { version: 1, holdoutAccuracy: 1 },
      productionVersion: 1,
      decidedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(await store.getAlias('toy', 'production')).toBe(1);
    expect((await store.getVersion('toy', 1)).dataset).toEqual({
      fingerprint: fingerprint(concatDatasets(reference, blobs(0, 2, 2))),
      name: 'blobs',
    });
  });

  it('versions the training data and links the model version to it when given a dataset store', async () => {
    const datasets = new MemoryDatasetStore();
    const fresh = blobs(0, 2, 2);
    await runRetrainStep({
      ...base(),
      fresh,
      holdout: blobs(0, 2, 4),
      datasets: { store: datasets, name: 'toy-train' },
    });
    const snapshot = await datasets.getDatasetVersion('toy-train', 1);
    expect(snapshot.fingerprint).toBe(fingerprint(concatDatasets(reference, fresh)));
    expect((await store.getVersion('toy', 1)).dataset).toEqual({
      fingerprint: snapshot.fingerprint,
      name: 'toy-train',
      version: 1,
    });
  });

  it('keeps the champion while accuracy holds', async () => {
    await runRetrainStep({ ...base(), fresh: blobs(0, 2, 2), holdout: blobs(0, 2, 4) });
    const decision = await runRetrainStep({ ...base(), fresh: blobs(0, 2), holdout: blobs(0, 2) });
    expect(decision.action).toBe('kept');
    expect(decision.reason).toBe('v1 accuracy 1 on fresh data is at or above 0.85');
    expect(await store.listVersions('toy')).toHaveLength(1);
  });

  it('retrains on an accuracy drop and promotes a better challenger', async () => {
    await runRetrainStep({ ...base(), fresh: blobs(0, 2, 2), holdout: blobs(0, 2, 4) });
    // The world shifted: class 0 now sits at 1.4, class 1 at 3.4. Old centroids (0, 2) call every class-0 row (1.2–1.6) class 1.
    const shifted = blobs(1.4, 3.4);
    const decision = await runRetrainStep({
      ...base(),
      reference: shifted,
      fresh: shifted,
      holdout: blobs(1.4, 3.4, 5),
    });
    expect(decision.action).toBe('promoted');
    expect(decision.champion).toEqual({ version: 1, freshAccuracy: 0.5, holdoutAccuracy: 0.5 });
    expect(decision.challenger).toEqual({ version: 2, holdoutAccuracy: 1 });
    expect(decision.productionVersion).toBe(2);
    expect(decision.reason).toBe(
      'v1 accuracy 0.5 fell under 0.85; challenger v2 scored 1 vs 0.5 on the holdout and was promoted',
    );
    expect(await store.getAlias('toy', 'production')).toBe(2);
    const v2 = await store.getVersion('toy', 2);
    expect(v2.parentVersion).toBe(1);
    expect(v2.metrics).toEqual({ championHoldoutAccuracy: 0.5, holdoutAccuracy: 1 });
    expect(v2.tags).toEqual({ trainer: 'centroid', trigger: 'accuracy' });
    expect(store.aliasMoves.at(-1)?.reason).toBe(decision.reason);
  });

  it('registers but rejects a challenger that is not better', async () => {
    await runRetrainStep({ ...base(), fresh: blobs(0, 2, 2), holdout: blobs(0, 2, 4) });
    // Fresh data is mislabelled (classes swapped): accuracy drops, but the holdout still favours the champion.
    const swapped = createDataset({ ...blobs(0, 2), target: blobs(0, 2).target.map((t) => 1 - t) });
    const decision = await runRetrainStep({ ...base(), fresh: swapped, holdout: blobs(0, 2) });
    expect(decision.action).toBe('rejected');
    expect(decision.productionVersion).toBe(1);
    expect(decision.challenger?.version).toBe(2);
    expect(decision.champion?.holdoutAccuracy).toBe(1);
    expect(await store.getAlias('toy', 'production')).toBe(1);
  });

  it('honours a custom threshold, alias and minimum improvement', async () => {
    await runRetrainStep({ ...base(), alias: 'live', fresh: blobs(0, 2, 2), holdout: blobs(0, 2, 4) });
    const shifted = blobs(1.4, 3.4);
    const decision = await runRetrainStep({
      ...base(),
      alias: 'live',
      reference: shifted,
      fresh: shifted,
      holdout: shifted,
      threshold: 0.5,
    });
    expect(decision.action).toBe('kept');
    const strict = await runRetrainStep({
      ...base(),
      alias: 'live',
      reference: shifted,
      fresh: shifted,
      holdout: shifted,
      minImprovement: 0.5,
    });
    expect(strict.action).toBe('rejected');
    expect(await store.getAlias('toy', 'live')).toBe(1);
  });

  it('rejects a threshold outside [0, 1]', async () => {
    await expect(runRetrainStep({ ...base(), fresh: reference, holdout: reference, threshold: 1.5 })).rejects.toThrow(
      'threshold must be in [0, 1], got 1.5',
    );
  });
});
