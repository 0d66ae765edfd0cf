import {
  alignDataset,
  createDataset,
  createLifecycle,
  type Dataset,
  decodeModel,
  InvalidInputError,
  type Lifecycle,
  levelsOf,
  type Preprocessing,
  type JsonObject,
  type Registry,
  pipelineTrainer,
  type Trainer,
} from '@mlops/core';
import { detectDrift } from '@mlops/monitor';
import { isPipelineModel } from '@mlops/registry';
import {
  codecs,
  GRADIENT_BOOSTING_FORMAT,
  type GradientBoostingParams,
  gradientBoostingClassifier,
  LOGISTIC_REGRESSION_FORMAT,
  type LogisticRegressionParams,
  logisticRegression,
  type RandomForestParams,
  randomForestClassifier,
} from '@mlops/train';
import { readInputs } from './read-table';

/** What `mlops ingest` and `mlops watch` run: the lifecycle of a model trained with `mlops train`. */
export interface CliLifecycle {
  readonly lifecycle: Lifecycle;
  /**
   * Reads a labelled file with production's preprocessing, learning the category levels and classes it adds
   * (a retrain serves them); rows without a label are left out.
   */
  readBatch(path: string): Promise<Dataset>;
}

/** Policy flags shared by `mlops ingest` and `mlops watch`. */
export interface CliPolicy {
  readonly threshold: number;
  readonly minImprovement: number;
  readonly holdoutShare: number;
}

/**
 * The lifecycle of `name`'s production version: its pipeline's preprocessing, its training data (the version's
 * dataset lineage) and the held-out rows `mlops train` registered (`<name>-holdout`); challengers are production's
 * kind of estimator (random forest, gradient boosting or logistic regression) with its hyperparameters, in the same
 * preprocessing.
 */
export async function openCliLifecycle(store: Registry, name: string, policy: CliPolicy): Promise<CliLifecycle> {
  const { version, artifact } = await store.loadArtifact(name, 'production');
  const label = `${name} v${version.version}`;
  const model = decodeModel(artifact, codecs);
  if (!isPipelineModel(model))
    throw new InvalidInputError(`${label} is not a pipeline: train it with mlops train to run its lifecycle`, { name });
  if (model.task !== 'classification')
    throw new InvalidInputError(`${label} is a regression model: the lifecycle judges classifiers by accuracy`, {
      name,
    });
  const lineage = version.dataset;
  if (lineage?.name === undefined || lineage.version === undefined)
    throw new InvalidInputError(`${label} names no training dataset version to retrain from`, { name });
  const pre = model.preprocessing;
  // Data stored before datasets carried levels holds codes of production's levels (which only ever grow).
  const coded = (data: Dataset): Dataset =>
    data.levels || !pre.inputs.some((c) => c.type === 'category')
      ? data
      : createDataset({ ...data, levels: levelsOf(pre) }, { allowMissing: true });
  const reference = coded((await store.datasets.load(lineage.name, lineage.version)).dataset);
  const holdoutVersion = (await store.datasets.listVersions(`${name}-holdout`)).at(-1);
  if (!holdoutVersion)
    throw new InvalidInputError(`no held-out rows for ${name} (dataset ${name}-holdout): train it with mlops train`, {
      name,
    });
  const holdout = coded((await store.datasets.load(holdoutVersion.name, holdoutVersion.version)).dataset);
  // Challengers are production's kind of estimator with its hyperparameters.
  const format = model.estimator.format;
  const estimator: Trainer<JsonObject> =
    format === LOGISTIC_REGRESSION_FORMAT
      ? logisticRegression(version.params as Partial<LogisticRegressionParams>)
      : format === GRADIENT_BOOSTING_FORMAT
        ? gradientBoostingClassifier(version.params as Partial<GradientBoostingParams>)
        : randomForestClassifier(version.params as Partial<RandomForestParams>);
  const lifecycle = createLifecycle({
    modelName: name,
    trainer: pipelineTrainer(estimator, pre),
    codecs,
    registry: store,
    reference,
    holdout,
    policy,
    detectDrift: (before, batch) => {
      // The batch's codes on the training data's levels (joined by name), new levels included.
      const aligned = alignDataset(before, batch);
      return detectDrift(before.features, aligned.features, {
        featureNames: before.featureNames,
        columns: pre.inputs.map((c, j) =>
          c.type === 'category' ? { ...c, levels: aligned.levels?.[j] ?? c.levels } : c,
        ),
      });
    },
  });
  return {
    lifecycle,
    async readBatch(path) {
      const inputs = await readInputs(path, pre, { extend: true });
      const grown: Preprocessing = inputs.extended?.preprocessing ?? pre;
      const target = pre.target.name;
      if (!inputs.target)
        throw new InvalidInputError(`${path} has no "${target}" column: the lifecycle needs labelled rows`, {
          columnName: target,
        });
      const labelled = inputs.rows.flatMap((_, i) => (inputs.target![i] === null ? [] : [i]));
      if (labelled.length === 0) throw new InvalidInputError(`${path} has no labelled rows (column "${target}")`);
      return createDataset(
        {
          features: labelled.map((i) => inputs.rows[i]!),
          target: labelled.map((i) => inputs.target![i]!),
          featureNames: reference.featureNames,
          ...(reference.featureTypes ? { featureTypes: reference.featureTypes } : {}),
          classNames: grown.target.classNames!,
          ...(reference.levels ? { levels: levelsOf(grown) } : {}),
        },
        { allowMissing: true },
      ); // blanks of columns that keep them are NaN
    },
  };
}
