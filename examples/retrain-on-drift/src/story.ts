import {
  concatDatasets,
  createDataset,
  createLifecycle,
  type Dataset,
  type Lifecycle,
  type LifecycleDecision,
  pipelineTrainer,
  type Registry,
} from '@mlops/core';
import { buildTable, irisRecords, shiftFeatures, trainTestSplit } from '@mlops/data';
import { createAccuracyMonitor, detectDrift } from '@mlops/monitor';
import { loadModel, openRegistry } from '@mlops/registry';
import { codecs, randomForestClassifier } from '@mlops/train';

/** A new measuring device reads petals larger. */
const PETAL_SHIFT = { 'petal length (cm)': 1.2, 'petal width (cm)': 0.5 };
/**
 * The data of the story: what v1 is trained on, the holdout, the batches that arrive, and the preprocessing every
 * version applies to raw records (learned from the reference rows of the raw iris table).
 */
export async function storyData() {
  const table = await buildTable(irisRecords(), {
    target: 'species',
    name: 'iris',
    holdout: { testSize: 0.4, seed: 3, stratify: true },
  });
  const { dataset: reference, preprocessing } = table;
  const test = table.test!;
  const { train: holdoutBase, test: batchBase } = trainTestSplit(test, {
    testSize: 0.5,
    seed: 4,
    stratify: test.target,
  });
  // The holdout covers both worlds, so a model must handle old and new devices to win on it.
  const holdout = concatDatasets(holdoutBase, shiftFeatures(holdoutBase, { seed: 5, offsets: PETAL_SHIFT }));
  const shifted = shiftFeatures(batchBase, { seed: 11, offsets: PETAL_SHIFT });
  // A batch whose labels a broken review tool rotated: training on it can only hurt.
  const poisoned = createDataset({ ...shifted, target: shifted.target.map((t) => (t + 1) % 3), name: 'poisoned' });
  return { reference, holdout, preprocessing, batches: { sameWorld: batchBase, shifted, poisoned } };
}

/** Opens a registry directory, or `postgres://…#schema` for a PostgreSQL registry (default schema `mlops`). */
function openStory(location: string): Promise<Registry> {
  if (!/^postgres(ql)?:\/\//.test(location)) return openRegistry(location);
  const [url, schema] = location.split('#');
  return openRegistry(url!, schema ? { schema } : {});
}

/** Rows as the raw records a caller would send: one object per row, keyed by column name. */
function recordsOf(dataset: Dataset): Record<string, number>[] {
  return dataset.features.map((row) => Object.fromEntries(dataset.featureNames.map((name, j) => [name, row[j]!])));
}

/**
 * The lifecycle of the story (also what the crash tests' child processes run). `trainDelayMs` slows training so a
 * kill lands mid-run; `dieOnFit: n` makes the process SIGKILL itself when training starts for the n-th time.
 */
export async function storyLifecycle(
  location: string,
  extra: { trainDelayMs?: number; dieOnFit?: number } = {},
): Promise<{ lifecycle: Lifecycle; registry: Registry }> {
  const { reference, holdout, preprocessing } = await storyData();
  const forest = randomForestClassifier({ nEstimators: 50, seed: 42 });
  let fits = 0;
  const slowOrDying: typeof forest = {
    ...forest,
    fit: async (data, params) => {
      if (++fits === extra.dieOnFit) process.kill(process.pid, 'SIGKILL');
      if (extra.trainDelayMs) await new Promise((r) => setTimeout(r, extra.trainDelayMs));
      return forest.fit(data, params);
    },
  };
  const registry = await openStory(location);
  const lifecycle = createLifecycle({
    modelName: 'iris',
    // Every version is a pipeline (iris preprocessing + forest): it takes raw records, retrains included.
    trainer: pipelineTrainer(slowOrDying, preprocessing),
    codecs,
    registry,
    reference,
    holdout,
    detectDrift: (ref, cur) => detectDrift(ref.features, cur.features, { featureNames: ref.featureNames }),
  });
  return { lifecycle, registry };
}

/** What the story measured. */
export interface StorySummary {
  readonly decisions: readonly LifecycleDecision[];
  readonly accuracyAlerts: number;
  readonly productionVersion: number | undefined;
  readonly versions: number;
}

/** v1 serves; the world shifts; the lifecycle retrains and promotes v2; a bad candidate is rejected; a rollback restores v1. */
export async function runRetrainOnDrift(options: {
  registryRoot: string;
  log?: (line: string) => void;
}): Promise<StorySummary> {
  const log = options.log ?? (() => {});
  const { lifecycle, registry } = await storyLifecycle(options.registryRoot);
  try {
    return await tellStory(lifecycle, registry, options.registryRoot, log);
  } finally {
    await registry.close();
  }
}

async function tellStory(
  lifecycle: Lifecycle,
  registry: Registry,
  where: string,
  log: (line: string) => void,
): Promise<StorySummary> {
  const { batches, preprocessing } = await storyData();
  const decisions: LifecycleDecision[] = [];
  lifecycle.on((event) => {
    if (event.type === 'run-started')
      log(`  · run ${event.runId.slice(0, 8)} started (${event.trigger}): training on ${event.trainingRows} rows`);
    if (event.type === 'challenger-registered') log(`  · registered challenger iris v${event.version}`);
    if (event.type === 'decision') {
      decisions.push(event.decision);
      log(`  → ${event.decision.action.toUpperCase()}: ${event.decision.reason}`);
    }
  });
  let accuracyAlerts = 0;
  const monitor = createAccuracyMonitor({ threshold: 0.85, onAlert: () => void accuracyAlerts++ });
  const watch = async (name: string, batch: Dataset) => {
    const production = await registry.getAlias('iris', 'production');
    if (production !== undefined) {
      // Production serves raw records: the loaded pipeline encodes them itself.
      const served = await loadModel(registry, 'iris', production, codecs);
      const check = await monitor.check(batch.target, served.predict(recordsOf(batch)));
      const drift = detectDrift((await lifecycle.trainingData()).features, batch.features, {
        featureNames: batch.featureNames,
      });
      const drifted = drift.features.filter((f) => f.drifted).map((f) => f.feature);
      log(
        `${name}: ${batch.target.length} labelled records → v${production} accuracy ${check.accuracy.toFixed(3)}${check.alert ? ' (ALERT < 0.85)' : ''}; drift: ${drifted.join(', ') || 'none'}`,
      );
    }
    await lifecycle.ingest(batch);
  };

  log(
    `day 0: no model yet; every version will be a pipeline: raw records of ${preprocessing.inputs.length} measurements in, ${preprocessing.target.name} out`,
  );
  await lifecycle.bootstrap();
  await watch('day 1 (same device)', batches.sameWorld);
  await watch('day 2 (new device)', batches.shifted);
  await watch('day 3 (labels rotated by a broken review tool)', batches.poisoned);
  log('day 4: support reports wrong answers from v2 on an old-device site; rolling back');
  await lifecycle.rollback('old-device site reports wrong answers from v2');
  const productionVersion = await registry.getAlias('iris', 'production');
  const versions = (await registry.listVersions('iris')).length;
  log(
    `done: production = iris v${productionVersion}; ${versions} versions; ${(await lifecycle.history()).length} decision-log lines in ${where}`,
  );
  return { decisions, accuracyAlerts, productionVersion, versions };
}
