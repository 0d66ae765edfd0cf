import {
  accuracyScore,
  createLifecycle,
  createPipeline,
  type Dataset,
  type DriftReport,
  fingerprint,
  type LifecycleDecision,
  pipelineTrainer,
  type Registry,
} from '@mlops/core';
import { buildTable, irisRecords, shiftFeatures } from '@mlops/data';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accuracyAlert,
  createAccuracyMonitor,
  createAlerter,
  detectDrift,
  DriftLog,
  PredictionLog,
  renderDriftReport,
  rollingMetrics,
} from '@mlops/monitor';
import { loadModel, openRegistry } from '@mlops/registry';
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
  /**
   * Use PostgreSQL instead: a connection string, the schema to keep the registry in, and optionally where artifacts
   * and dataset snapshots go (`s3://bucket/prefix`; endpoint and credentials from the AWS environment variables).
   */
  readonly postgres?: { readonly url: string; readonly schema?: string; readonly artifacts?: string };
  /** Receives one readable line per step. */
  readonly log?: (line: string) => void;
  /** Where the prediction log and the drift report go (default `<registryRoot>/monitoring`, or a temporary directory). */
  readonly monitoringDir?: string;
}

const PETAL_SHIFT = { 'petal length (cm)': 1.2, 'petal width (cm)': 0.5 };

/** Runs iris: split → train → register → reload → predict → monitor a shifted batch → retrain → promote. */
export async function runIrisLifecycle(options: IrisLifecycleOptions): Promise<IrisLifecycleSummary> {
  // A directory or a postgres:// URL: the example never names a backend, openRegistry picks it.
  const location = options.postgres?.url ?? options.registryRoot ?? 'registry';
  const schema = options.postgres ? (options.postgres.schema ?? 'mlops') : undefined;
  const opened: Registry[] = [];
  const open = async (): Promise<Registry> => {
    const artifacts = options.postgres?.artifacts;
    const registry = await openRegistry(location, {
      ...(schema === undefined ? {} : { schema }),
      ...(artifacts === undefined ? {} : { artifacts }),
    });
    opened.push(registry);
    return registry;
  };
  const where =
    schema === undefined
      ? `registry at ${location}`
      : `PostgreSQL schema ${schema}${options.postgres?.artifacts ? `, artifacts in ${options.postgres.artifacts}` : ''}`;
  try {
    return await runLoop(options, open, where);
  } finally {
    await Promise.all(opened.map((registry) => registry.close()));
  }
}

/** Rows as the raw records a caller would send: one object per row, keyed by column name. */
function recordsOf(dataset: Dataset): Record<string, number>[] {
  return dataset.features.map((row) => Object.fromEntries(dataset.featureNames.map((name, j) => [name, row[j]!])));
}

async function runLoop(
  options: IrisLifecycleOptions,
  open: () => Promise<Registry>,
  where: string,
): Promise<IrisLifecycleSummary> {
  const log = options.log ?? (() => {});
  // The raw table: the preprocessing (input columns, types, classes) is learned from the training rows only, and
  // the held-out rows are scikit-learn's `train_test_split(test_size=0.2, random_state=42)` test rows.
  const table = await buildTable(irisRecords(), {
    target: 'species',
    name: 'iris',
    holdout: { testSize: 0.2, seed: 42 },
  });
  const { dataset: train, preprocessing } = table;
  const test = table.test!;
  const testRecords = recordsOf(test);
  const datasetFingerprint = fingerprint(train);
  log(
    `data     iris: ${train.target.length + test.target.length} raw records × ${preprocessing.inputs.length} inputs → ${preprocessing.target.name} (${preprocessing.target.classNames?.join(' / ')}); split seed 42 → ${train.target.length} train / ${test.target.length} test`,
  );

  // The version is a pipeline: the preprocessing learned from the table, then the forest fitted on its rows.
  const forest = await randomForestClassifier({ nEstimators: 100, seed: 42 }).fit(train);
  const pipeline = createPipeline(preprocessing, forest);
  const predictions = pipeline.predict(testRecords);
  const testAccuracy = accuracyScore(test.target, predictions);
  const matchesScikitLearn = predictions.every((p, i) => p === SKLEARN_TEST_PREDICTIONS[i]);
  log(
    `train    pipeline: iris preprocessing + random forest (100 trees, seed 42) → test accuracy ${testAccuracy.toFixed(4)}`,
  );
  log(`         predictions  [${predictions.join(', ')}]`);
  log(
    `         scikit-learn [${SKLEARN_TEST_PREDICTIONS.join(', ')}] → ${matchesScikitLearn ? 'identical' : 'DIFFERENT'}`,
  );

  const registry = await open();
  const trainSnapshot = await registry.datasets.register('iris-training', {
    dataset: train,
    description: 'iris train split (seed 42)',
  });
  log(
    `version  dataset iris-training v${trainSnapshot.version} (${trainSnapshot.rows} rows, fingerprint ${trainSnapshot.fingerprint.slice(0, 12)}…; same content → same version)`,
  );
  const artifact = pipeline.toArtifact();
  const v1 = await registry.register('iris', {
    artifact,
    metrics: { accuracy: testAccuracy },
    dataset: trainSnapshot,
    description: 'iris pipeline: random forest on the iris train split (seed 42)',
  });
  await registry.setAlias('iris', 'production', v1.version, { expectedVersion: null, reason: 'first model' });
  log(
    `save     registered iris v${v1.version} (${artifact.format}, ${v1.artifact.bytes} bytes, sha256 ${v1.artifact.sha256.slice(0, 12)}…) → alias production`,
  );

  // A new registry instance, as a serving process would open it: raw records in, labels and probabilities out.
  const reopened = await open();
  const served = await loadModel(reopened, 'iris', 'production', codecs);
  const classNames = served.version.signature.classNames ?? [];
  const reloadedLabels = served.predictLabels(testRecords);
  const reloadedIdentical =
    reloadedLabels.length === predictions.length &&
    reloadedLabels.every((label, i) => label === classNames[predictions[i]!]);
  log(
    `load     new registry instance: iris@production = v${served.version.version} (takes ${served.inputs.map((c) => c.name).join(', ')}), checksum verified`,
  );
  log(
    `         predictLabels on the ${testRecords.length} raw test records: ${reloadedLabels.slice(0, 3).join(', ')}, … (${reloadedIdentical ? 'identical to' : 'DIFFERENT from'} before saving)`,
  );
  // Probabilities keyed by class: shown for the test record the forest is least sure about.
  const probabilities = served.predictProba(testRecords);
  const leastSure = probabilities.reduce(
    (best, p, i) => (Math.max(...Object.values(p)) < Math.max(...Object.values(probabilities[best]!)) ? i : best),
    0,
  );
  const described = Object.entries(probabilities[leastSure]!)
    .map(([label, p]) => `${label} ${p.toFixed(3)}`)
    .join(', ');
  log(`         predictProba, least sure test record ${JSON.stringify(testRecords[leastSure])} → ${described}`);

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

  // Each drift check goes to the drift log, which `mlops ui --monitoring` draws over time.
  await new DriftLog({ path: join(monitoringDir, 'drift.ndjson') }).append({
    model: 'iris',
    version: served.version.version,
    report: drift,
  });

  // Every served prediction goes to the log; the reviewed labels are joined to it later.
  const predictionLog = new PredictionLog({ path: join(monitoringDir, 'predictions.ndjson') });
  const freshRecords = recordsOf(fresh);
  const servedPredictions = served.predict(freshRecords);
  const logged = await predictionLog.append(
    freshRecords.map((inputs, i) => ({
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
  // Its trainer fits pipelines with the same preprocessing, so every retrained version takes raw records too.
  const lifecycle = createLifecycle({
    modelName: 'iris',
    trainer: pipelineTrainer(randomForestClassifier({ nEstimators: 100, seed: 42 }), preprocessing),
    codecs,
    registry: reopened,
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
