import {
  createDataset,
  createLifecycle,
  type Dataset,
  type Lifecycle,
  type LifecycleDecision,
  type LifecyclePolicy,
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
 * How the story's lifecycle judges champion and challengers (see README.md). Its batches are small (30 labelled rows
 * a day), so:
 *
 * - `holdoutWindow: 30` — models are judged on the last 30 held-out rows: the held-out halves of the last two
 *   batches. On day 2 (the shift) that is 15 day-1 rows (old device) and 15 day-2 rows (new device): the initial
 *   holdout (old device only) has left the set, so the challenger trained after the shift is judged half on what the
 *   new device sends, yet must still handle the old one. With the default window (1,000 rows) the 30 old-device rows
 *   of the initial holdout stay and outvote the 6 post-shift rows (36 of 42): v2 is rejected, 38/42 vs 39/42.
 * - `holdoutShare: 0.5` — half of each batch (15 rows) is held out, never trained on. With the default 0.2 a batch
 *   gives 6 rows and a two-batch window 12: one row moves a score by 0.08, and v2 ties v1 at 10/12 (a tie keeps the
 *   champion). The price: each retrain learns from only 15 of the 30 new rows.
 *
 * The trade-off of a small window: it follows a shift sooner, but judges on fewer rows and trusts the most recent
 * labels more — on day 3 the batch with broken labels is half of the set the models are judged on (the challenger
 * trained on it still loses, but both scores fall). A large window is stabler and harder to mislead, but slower to
 * follow the world. The seed is the default (0), spelled out because the draw decides which rows judge.
 */
export const STORY_POLICY = { holdoutShare: 0.5, holdoutWindow: 30, holdoutSeed: 0 } as const satisfies LifecyclePolicy;

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
  // The initial holdout is what a real user has on day 0: labelled rows from the old device only (the future is
  // unknown). Rows from the new device join the evaluation set as batches arrive (see STORY_POLICY).
  const holdout = holdoutBase;
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
 * kill lands mid-run; `dieOnFit: n` makes the process SIGKILL itself when training starts for the n-th time;
 * `policy` replaces {@link STORY_POLICY} (the tests compare it with the default policy).
 */
export async function storyLifecycle(
  location: string,
  extra: { trainDelayMs?: number; dieOnFit?: number; policy?: LifecyclePolicy } = {},
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
    policy: extra.policy ?? STORY_POLICY,
    detectDrift: (ref, cur) => detectDrift(ref.features, cur.features, { featureNames: ref.featureNames }),
  });
  return { lifecycle, registry };
}

/** The rows a run judged its champion and challenger on, by where they came from. */
interface JudgedOn {
  /** The challenger the run trained. */
  readonly challengerVersion: number;
  readonly rows: number;
  readonly oldDevice: number;
  readonly newDevice: number;
  /** New-device rows whose labels the broken review tool rotated (among `newDevice`). */
  readonly rotatedLabels: number;
}

/** What the story measured. */
export interface StorySummary {
  readonly decisions: readonly LifecycleDecision[];
  /** For each run that trained a challenger, the evaluation set it was judged on. */
  readonly judgedOn: readonly JudgedOn[];
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
  // Which rows judged a run: the holdout dataset version its `started` record names, sorted by device (new-device rows
  // are the shifted ones, recognised by their measurements; rotated labels by a target other than the true one).
  const newDeviceLabel = new Map(
    batches.shifted.features.map((row, i) => [JSON.stringify(row), batches.shifted.target[i]]),
  );
  const judgedOn: JudgedOn[] = [];
  const showJudged = async (decision: LifecycleDecision) => {
    if (decision.challengerVersion === undefined) return;
    const started = (await lifecycle.history()).find((r) => r.runId === decision.runId && r.phase === 'started');
    if (!started?.holdout) return;
    const { dataset } = await registry.datasets.load(started.holdout.name, started.holdout.version);
    const labels = dataset.features.map((row) => newDeviceLabel.get(JSON.stringify(row)));
    const newDevice = labels.filter((label) => label !== undefined).length;
    const rotatedLabels = labels.filter((label, i) => label !== undefined && label !== dataset.target[i]).length;
    const rows = dataset.target.length;
    judgedOn.push({
      challengerVersion: decision.challengerVersion,
      rows,
      oldDevice: rows - newDevice,
      newDevice,
      rotatedLabels,
    });
    log(
      `  · judged on ${rows} held-out rows: ${rows - newDevice} old-device, ${newDevice} new-device${rotatedLabels ? ` (${rotatedLabels} of them with rotated labels)` : ''}`,
    );
  };
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
    await showJudged(await lifecycle.ingest(batch));
  };

  log(
    `day 0: no model yet; every version will be a pipeline: raw records of ${preprocessing.inputs.length} measurements in, ${preprocessing.target.name} out`,
  );
  log(
    `policy: half of each batch is held out to judge on; models are judged on the last ${STORY_POLICY.holdoutWindow} held-out rows (at first the initial holdout: old-device rows only)`,
  );
  await showJudged(await lifecycle.bootstrap());
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
  return { decisions, judgedOn, accuracyAlerts, productionVersion, versions };
}
