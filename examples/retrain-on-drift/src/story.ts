import {
  concatDatasets,
  createDataset,
  createLifecycle,
  decodeModel,
  type Dataset,
  type Lifecycle,
  type LifecycleDecision,
} from '@mlops/core';
import { loadIris, shiftFeatures, trainTestSplit } from '@mlops/data';
import { createAccuracyMonitor, detectDrift } from '@mlops/monitor';
import { FileSystemModelStore, PostgresModelStore } from '@mlops/registry';
import { codecs, randomForestClassifier } from '@mlops/train';

/** A new measuring device reads petals larger. */
const PETAL_SHIFT = { 'petal length (cm)': 1.2, 'petal width (cm)': 0.5 };
/** The data of the story: what v1 is trained on, the holdout, and the batches that arrive. */
export function storyData() {
  const iris = loadIris();
  const { train: reference, test } = trainTestSplit(iris, { testSize: 0.4, seed: 3, stratify: iris.target });
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
  return { reference, holdout, batches: { sameWorld: batchBase, shifted, poisoned } };
}

/** A registry directory, or `postgres://…#schema` for a PostgreSQL registry. */
function openStory(location: string): FileSystemModelStore | PostgresModelStore {
  if (!location.startsWith('postgres://')) return new FileSystemModelStore({ root: location });
  const [connectionString, schema] = location.split('#');
  return new PostgresModelStore({ connectionString: connectionString!, ...(schema ? { schema } : {}) });
}

/**
 * The lifecycle of the story (also what the crash tests' child processes run). `trainDelayMs` slows training so a
 * kill lands mid-run; `dieOnFit: n` makes the process SIGKILL itself when training starts for the n-th time.
 */
export function storyLifecycle(
  location: string,
  extra: { trainDelayMs?: number; dieOnFit?: number } = {},
): { lifecycle: Lifecycle; store: FileSystemModelStore | PostgresModelStore } {
  const store = openStory(location);
  const { reference, holdout } = storyData();
  const forest = randomForestClassifier({ nEstimators: 50, seed: 42 });
  let fits = 0;
  const trainer = {
    ...forest,
    fit: async (data: Dataset, params?: object) => {
      if (++fits === extra.dieOnFit) process.kill(process.pid, 'SIGKILL');
      if (extra.trainDelayMs) await new Promise((r) => setTimeout(r, extra.trainDelayMs));
      return forest.fit(data, params as never);
    },
  };
  const lifecycle = createLifecycle({
    modelName: 'iris',
    trainer,
    codecs,
    store,
    datasets: store.datasets,
    decisions: store.decisions,
    reference,
    holdout,
    detectDrift: (ref, cur) => detectDrift(ref.features, cur.features, { featureNames: ref.featureNames }),
  });
  return { lifecycle, store };
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
  const { lifecycle, store } = storyLifecycle(options.registryRoot);
  const { batches } = storyData();
  const decisions: LifecycleDecision[] = [];
  lifecycle.on((event) => {
    if (event.type === 'run-started')
      log(
        `  · run ${event.runId.slice(0, 8)} started (${event.trigger}): training on ${lifecycle.trainingData.target.length} rows`,
      );
    if (event.type === 'challenger-registered') log(`  · registered challenger iris v${event.version}`);
    if (event.type === 'decision') {
      decisions.push(event.decision);
      log(`  → ${event.decision.action.toUpperCase()}: ${event.decision.reason}`);
    }
  });
  let accuracyAlerts = 0;
  const monitor = createAccuracyMonitor({ threshold: 0.85, onAlert: () => void accuracyAlerts++ });
  const watch = async (name: string, batch: Dataset) => {
    const production = await store.getAlias('iris', 'production');
    if (production !== undefined) {
      const model = decodeModel((await store.loadArtifact('iris', production)).artifact, codecs);
      const check = await monitor.check(batch.target, model.predict(batch.features));
      const drift = detectDrift(lifecycle.trainingData.features, batch.features, { featureNames: batch.featureNames });
      const drifted = drift.features.filter((f) => f.drifted).map((f) => f.feature);
      log(
        `${name}: ${batch.target.length} labelled rows → v${production} accuracy ${check.accuracy.toFixed(3)}${check.alert ? ' (ALERT < 0.85)' : ''}; drift: ${drifted.join(', ') || 'none'}`,
      );
    }
    await lifecycle.ingest(batch);
  };

  log('day 0: no model yet');
  await lifecycle.bootstrap();
  await watch('day 1 (same device)', batches.sameWorld);
  await watch('day 2 (new device)', batches.shifted);
  await watch('day 3 (labels rotated by a broken review tool)', batches.poisoned);
  log('day 4: support reports wrong answers from v2 on an old-device site; rolling back');
  await lifecycle.rollback('old-device site reports wrong answers from v2');
  const productionVersion = await store.getAlias('iris', 'production');
  const versions = (await store.listVersions('iris')).length;
  log(
    `done: production = iris v${productionVersion}; ${versions} versions; ${(await lifecycle.history()).length} decision-log lines in ${options.registryRoot}`,
  );
  return { decisions, accuracyAlerts, productionVersion, versions };
}
