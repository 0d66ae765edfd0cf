import { accuracyScore, createLifecycle, type DriftReport, fingerprint, type LifecycleDecision } from '@mlops/core';
import { loadIris, shiftFeatures, trainTestSplit } from '@mlops/data';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accuracyAlert,
  createAccuracyMonitor,
  createAlerter,
  detectDrift,
  PredictionLog,
  renderDriftReport,
  rollingMetrics,
} from '@mlops/monitor';
import { FileSystemModelStore, loadModel, PostgresModelStore } from '@mlops/registry';
import { codecs, randomForestClassifier } from '@mlops/train';

/** scikit-learn 1.2's `RandomForestClassifier(random_state=42)` predictions on the iris test split (seed 42). */
export const SKLEARN_TEST_PREDICTIONS = [
  1, 0, 2, 1, 1, 0, 1, 2, 1, 1, 2, 0, 0, 0, 0, 1, 2, 1, 1, 2, 0, 2, 0, 2, 2, 2, 2, 2, 0, 0,
] as const;

/** Everything the example measured, as data (the printed summary is made from it). */
export interface IrisLifecycleSummary {
  readonly trainRows: number;
  readonly testRows: number;
  readonly datasetFingerprint: string;
  readonly datasetVersion: number;
  readonly predictions: number[];
  readonly matchesScikitLearn: boolean;
  readonly testAccuracy: number;
  readonly registeredVersion: number;
  readonly artifactSha256: string;
  readonly artifactBytes: number;
  readonly reloadedIdentical: boolean;
  readonly drift: DriftReport;
  readonly shiftedAccuracy: number;
  readonly alerts: number;
  /** The NDJSON prediction log and the HTML drift report the monitoring step wrote. */
  readonly predictionLogPath: string;
  readonly reportPath: string;
  /** Accuracy of the served version over the logged, labelled predictions. */
  readonly loggedAccuracy: number;
  readonly decision: LifecycleDecision;
  readonly productionVersion: number;
}

/** Options of {@link runIrisLifecycle}. */
export interface IrisLifecycleOptions {
  /** Registry directory (created if missing), for the default filesystem registry. */
  readonly registryRoot?: string;
  /** Use PostgreSQL instead: a connection string, and the schema to keep the registry in. */
  readonly postgres?: { readonly url: string; readonly schema?: string };
  /** Receives one readable line per step. */
  readonly log?: (line: string) => void;
  /** Where the prediction log and the drift report go (default `<registryRoot>/monitoring`, or a temporary directory). */
  readonly monitoringDir?: string;
}

const PETAL_SHIFT = { 'petal length (cm)': 1.2, 'petal width (cm)': 0.5 };

/** Runs iris: split → train → register → reload → predict → monitor a shifted batch → retrain → promote. */
export async function runIrisLifecycle(options: IrisLifecycleOptions): Promise<IrisLifecycleSummary> {
  const opened: PostgresModelStore[] = [];
  const openStore = async (): Promise<FileSystemModelStore | PostgresModelStore> => {
    if (!options.postgres) return new FileSystemModelStore({ root: options.registryRoot ?? 'registry' });
    const pgStore = new PostgresModelStore({
      connectionString: options.postgres.url,
      schema: options.postgres.schema ?? 'mlops',
    });
    opened.push(pgStore);
    await pgStore.migrate();
    return pgStore;
  };
  const where = options.postgres
    ? `PostgreSQL schema ${options.postgres.schema ?? 'mlops'}`
    : `registry at ${options.registryRoot}`;
  try {
    return await runLoop(options, openStore, where);
  } finally {
    await Promise.all(opened.map((pgStore) => pgStore.close()));
  }
}

type OpenStore = () => Promise<FileSystemModelStore | PostgresModelStore>;

async function runLoop(
  options: IrisLifecycleOptions,
  openStore: OpenStore,
  where: string,
): Promise<IrisLifecycleSummary> {
  const log = options.log ?? (() => {});
  const iris = loadIris();
  const { train, test } = trainTestSplit(iris, { testSize: 0.2, seed: 42 });
  const datasetFingerprint = fingerprint(train);
  log(
    `data     iris: ${iris.target.length} rows × ${iris.featureNames.length} features; split seed 42 → ${train.target.length} train / ${test.target.length} test`,
  );

  const trainer = randomForestClassifier({ nEstimators: 100, seed: 42 });
  const model = await trainer.fit(train);
  const predictions = model.predict(test.features);
  const testAccuracy = accuracyScore(test.target, predictions);
  const matchesScikitLearn = predictions.every((p, i) => p === SKLEARN_TEST_PREDICTIONS[i]);
  log(`train    random forest, 100 trees, seed 42 → test accuracy ${testAccuracy.toFixed(4)}`);
  log(`         predictions  [${predictions.join(', ')}]`);
  log(
    `         scikit-learn [${SKLEARN_TEST_PREDICTIONS.join(', ')}] → ${matchesScikitLearn ? 'identical' : 'DIFFERENT'}`,
  );

  const store = await openStore();
  const trainSnapshot = await store.datasets.register('iris-training', {
    dataset: train,
    description: 'iris train split (seed 42)',
  });
  log(
    `version  dataset iris-training v${trainSnapshot.version} (${trainSnapshot.rows} rows, fingerprint ${trainSnapshot.fingerprint.slice(0, 12)}…; same content → same version)`,
  );
  const v1 = await store.register('iris', {
    artifact: model.toArtifact(),
    metrics: { accuracy: testAccuracy },
    dataset: trainSnapshot,
    description: 'random forest on the iris train split (seed 42)',
  });
  await store.setAlias('iris', 'production', v1.version, { expectedVersion: null, reason: 'first model' });
  log(
    `save     registered iris v${v1.version} (${v1.artifact.bytes} bytes, sha256 ${v1.artifact.sha256.slice(0, 12)}…) → alias production`,
  );

  const reopened = await openStore();
  const served = await loadModel(reopened, 'iris', 'production', codecs);
  const reloadedPredictions = served.predict(test.features);
  const reloadedIdentical = reloadedPredictions.every((p, i) => p === predictions[i]);
  log(
    `load     new registry instance: iris@production = v${served.version.version}, checksum verified, predictions ${reloadedIdentical ? 'identical' : 'DIFFERENT'}`,
  );

  // Production: a new measuring device reads petals larger. A labelled batch comes back from review.
  const fresh = shiftFeatures(train, { seed: 7, offsets: PETAL_SHIFT });
  const holdout = shiftFeatures(test, { seed: 8, offsets: PETAL_SHIFT });
  const drift = detectDrift(train.features, fresh.features, { featureNames: train.featureNames });
  const drifted = drift.features
    .filter((f) => f.drifted)
    .map((f) => `${f.feature} (KS ${f.statistic.toFixed(3)}, p ${f.pValue?.toExponential(2)})`);
  log(
    `monitor  shifted batch of ${fresh.target.length} rows: drift in ${drifted.join(', ') || 'nothing'}; dataset drift ${drift.datasetDrift ? 'yes' : 'no'}`,
  );

  const monitoringDir =
    options.monitoringDir ??
    (options.postgres || !options.registryRoot
      ? mkdtempSync(join(tmpdir(), 'mlops-monitoring-'))
      : join(options.registryRoot, 'monitoring'));
  mkdirSync(monitoringDir, { recursive: true });
  const reportPath = join(monitoringDir, 'drift-report.html');
  writeFileSync(
    reportPath,
    renderDriftReport(drift, {
      reference: train.features,
      current: fresh.features,
      title: 'iris: training data vs shifted batch',
    }),
  );

  // Every served prediction goes to the log; the reviewed labels are joined to it later.
  const predictionLog = new PredictionLog({ path: join(monitoringDir, 'predictions.ndjson') });
  const servedPredictions = served.predict(fresh.features);
  const logged = await predictionLog.append(
    fresh.features.map((inputs, i) => ({
      model: 'iris',
      version: served.version.version,
      inputs,
      prediction: servedPredictions[i]!,
    })),
  );
  for (const [i, record] of logged.entries()) await predictionLog.label(record.id, fresh.target[i]!);
  const [window] = rollingMetrics(await predictionLog.read({ model: 'iris' }), { count: 1000 });
  const loggedAccuracy = window?.accuracy ?? Number.NaN;

  let alerts = 0;
  const alerter = createAlerter({ count: () => void alerts++ });
  const monitor = createAccuracyMonitor({
    threshold: 0.85,
    onAlert: (c) => alerter.send(accuracyAlert(c, { model: 'iris', version: served.version.version })),
  });
  const check = await monitor.check(fresh.target, servedPredictions);
  log(
    `         ${logged.length} predictions logged, labels joined: accuracy ${check.accuracy.toFixed(4)} (F1 ${window?.f1.toFixed(4)}) ${check.alert ? `< ${check.threshold} → alert` : `≥ ${check.threshold}`}`,
  );
  log(`         drift report ${reportPath}`);

  // The automated loop: production is scored on the labelled batch; under 0.85 a challenger is trained on the
  // training data plus the batch, versioned, and promoted only if it beats production on the holdout.
  const lifecycle = createLifecycle({
    modelName: 'iris',
    trainer,
    codecs,
    store: reopened,
    datasets: reopened.datasets,
    decisions: reopened.decisions,
    reference: train,
    holdout,
    policy: { threshold: 0.85 },
  });
  const decision = await lifecycle.ingest(fresh);
  log(`retrain  ${decision.action}: ${decision.reason}`);
  const productionVersion = (await reopened.getAlias('iris', 'production')) ?? 0;
  log(`done     production = iris v${productionVersion}; ${where}`);

  return {
    trainRows: train.target.length,
    testRows: test.target.length,
    datasetFingerprint,
    datasetVersion: trainSnapshot.version,
    predictions,
    matchesScikitLearn,
    testAccuracy,
    registeredVersion: v1.version,
    artifactSha256: v1.artifact.sha256,
    artifactBytes: v1.artifact.bytes,
    reloadedIdentical,
    drift,
    shiftedAccuracy: check.accuracy,
    alerts,
    predictionLogPath: predictionLog.path,
    reportPath,
    loggedAccuracy,
    decision,
    productionVersion,
  };
}
