import { basename, extname } from 'node:path';
import { defineCommand } from 'citty';
import { createPipeline, type JsonObject, type JsonValue, type Model, parseDecimal, type Trainer } from '@mlops/core';
import type { LoadedTable, TableOptions } from '@mlops/data';
import {
  gradientBoostingClassifier,
  gridSearch,
  gradientBoostingRegressor,
  logisticRegression,
  randomForestClassifier,
  randomForestRegressor,
} from '@mlops/train';
import { ARTIFACTS_ARG, checkWritableRegistry, openCliRegistry } from '../shared/open-cli-registry';
import { createOutput, progress } from '../shared/output';
import { readTable } from '../shared/read-table';
import { describeScores, scoreOf } from '../shared/scores';
import { choiceFlag, fractionFlag, integerFlag, UsageError } from '../shared/usage';

/** A numeric target with more distinct values than this (or 5% of the rows) is taken as a regression target. */
const MAX_NUMERIC_CLASSES = 20;

type Task = 'classification' | 'regression';

/**
 * Loads the table for the task asked for, or picks it: a numeric target with many distinct values is regression;
 * otherwise classification, with numeric class labels sorted as numbers (2 before 10), not as text. The rows held
 * out (stratified for classification) are split off before the preprocessing is learned.
 */
async function chooseTask(
  data: string,
  options: TableOptions,
  asked: Task | undefined,
  holdout: NonNullable<TableOptions['holdout']>,
  stratify: boolean,
): Promise<{ table: LoadedTable; task: Task; why: string }> {
  const load = (task: Task, extra: Partial<TableOptions> = {}) =>
    readTable(data, {
      ...options,
      ...extra,
      task,
      holdout: { ...holdout, stratify: stratify && task === 'classification' },
    });
  if (asked === 'regression') return { table: await load('regression'), task: asked, why: '--task' };
  // The classes, without a split (a numeric target may have classes of one row).
  const probe = await readTable(data, { ...options, task: 'classification' });
  const classes = probe.dataset.classNames ?? [];
  const numeric = classes.length > 0 && classes.every((c) => parseDecimal(c) !== undefined);
  if (!numeric)
    return {
      table: await load('classification'),
      task: 'classification',
      why: asked ? '--task' : 'the target is text',
    };
  const many = classes.length > Math.max(MAX_NUMERIC_CLASSES, probe.dataset.target.length * 0.05);
  if (many && !asked) {
    const why = `the target is numeric with ${classes.length} distinct values; --task classification to override`;
    return { table: await load('regression'), task: 'regression', why };
  }
  const classNames = [...classes].sort((a, b) => Number(a) - Number(b));
  return {
    table: await load('classification', { classNames }),
    task: 'classification',
    why: asked ? '--task' : `the target has ${classes.length} numeric classes`,
  };
}

/** The small grids `mlops train --search` cross-validates, per algorithm (documented in the flag's help and the README). */
const SEARCH_GRIDS: Record<'forest' | 'boosting' | 'logistic', Record<string, readonly JsonValue[]>> = {
  forest: { maxDepth: [null, 8], minSamplesLeaf: [1, 5] },
  boosting: { learningRate: [0.05, 0.1], maxLeafNodes: [15, 31] },
  logistic: { C: [0.1, 1, 10] },
};

export const train = defineCommand({
  meta: {
    name: 'train',
    description: 'Train a model (random forest, gradient boosting or logistic regression) on a table and register it',
  },
  args: {
    data: { type: 'string', required: true, description: 'iris, or a .csv / .tsv / .json / .ndjson file' },
    target: { type: 'string', description: 'Column to predict (required; iris: species)' },
    registry: { type: 'string', description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY)' },
    artifacts: ARTIFACTS_ARG,
    name: { type: 'string', description: 'Model name (default: the data file name)' },
    algorithm: {
      type: 'string',
      default: 'forest',
      description:
        'forest (random forest), boosting (histogram gradient boosting) or logistic (logistic regression on standardised inputs; classification)',
    },
    trees: { type: 'string', default: '100', description: 'Number of trees (forest)' },
    seed: { type: 'string', default: '42', description: 'Seed of the split and the forest' },
    'test-size': { type: 'string', default: '0.2', description: 'Share of rows held out for the accuracy' },
    alias: {
      type: 'string',
      default: 'production',
      description: 'Alias set to the new version if it does not exist yet',
    },
    missing: {
      type: 'string',
      default: 'impute',
      description:
        'Blank cells: impute (median / most frequent, learned here, reused at prediction), keep (left missing for --algorithm boosting, which learns where they go), drop, error',
    },
    task: {
      type: 'string',
      description: 'classification or regression (default: regression for a numeric target with many distinct values)',
    },
    unseen: {
      type: 'string',
      default: 'error',
      description:
        'A category not seen in training, at prediction time: error (refused, naming it) or missing (filled like a blank)',
    },
    stratify: {
      type: 'boolean',
      default: true,
      description: 'Hold out the same share of each class (--no-stratify for classes with a single row)',
    },
    features: { type: 'string', description: 'Feature columns, comma-separated (default: all but the target)' },
    exclude: { type: 'string', description: 'Columns to leave out, comma-separated (e.g. an id)' },
    search: {
      type: 'boolean',
      description: `Pick hyperparameters by 3-fold cross-validation on the training rows first: ${Object.entries({
        forest: 'maxDepth null|8 × minSamplesLeaf 1|5',
        boosting: 'learningRate 0.05|0.1 × maxLeafNodes 15|31',
        logistic: 'C 0.1|1|10',
      })
        .map(([a, g]) => `${a}: ${g}`)
        .join('; ')}`,
    },
    json: { type: 'boolean', description: 'Print the result as JSON' },
  },
  async run({ args }) {
    await checkWritableRegistry(args.registry, args.artifacts); // before training, not after
    const out = createOutput(Boolean(args.json));
    const target = args.target ?? (args.data === 'iris' ? 'species' : undefined);
    if (!target) throw new UsageError('--target is required for a data file');
    const name = args.name ?? (args.data === 'iris' ? 'iris' : basename(args.data, extname(args.data)));
    const seed = integerFlag(args.seed, 'seed', 0, 2 ** 32 - 1);
    const trees = integerFlag(args.trees, 'trees', 1, 10_000);
    const algorithm = choiceFlag(args.algorithm, 'algorithm', ['forest', 'boosting', 'logistic'] as const);
    const testSize = fractionFlag(args['test-size'], 'test-size');
    const missingPolicy = choiceFlag(args.missing, 'missing', ['impute', 'keep', 'drop', 'error'] as const);
    if (missingPolicy === 'keep' && algorithm !== 'boosting')
      throw new UsageError(
        `--missing keep needs --algorithm boosting (it handles missing values); the ${algorithm === 'forest' ? 'forest' : 'logistic regression'} needs them filled: --missing impute`,
      );
    const unseen = choiceFlag(args.unseen, 'unseen', ['error', 'missing'] as const);
    const asked =
      args.task === undefined ? undefined : choiceFlag(args.task, 'task', ['classification', 'regression'] as const);
    const list = (text: string | undefined) =>
      text
        ?.split(',')
        .map((c) => c.trim())
        .filter(Boolean);
    const features = list(args.features);
    const exclude = list(args.exclude);
    const options: TableOptions = {
      target,
      name,
      missing: missingPolicy,
      unseenCategory: unseen,
      ...(features ? { features } : {}),
      ...(exclude ? { exclude } : {}),
    };
    const holdout = { testSize, seed };
    const { table, task, why } = await chooseTask(args.data, options, asked, holdout, args.stratify);
    const { dataset: part, test, preprocessing, missing, droppedRows } = table;
    const rows = part.target.length + (test?.target.length ?? 0);
    out.line(
      `data     ${rows} rows × ${part.featureNames.length} features (${part.featureNames.join(', ')})` +
        (task === 'classification' ? `; classes ${part.classNames?.join(', ')}` : ''),
    );
    out.line(`task     ${task} (${why})`);
    const filled = part.featureNames.flatMap((column) => (missing[column] ? [[column, missing[column]] as const] : []));
    if (filled.length > 0 || droppedRows.length > 0) {
      const how = missingPolicy === 'impute' ? 'filled' : missingPolicy === 'keep' ? 'kept for the model' : 'missing';
      const skipped =
        droppedRows.length > 0
          ? `; skipped ${droppedRows.length} rows (${missingPolicy === 'drop' ? 'blank cells' : 'no target'})`
          : '';
      out.line(`missing  ${how}: ${filled.map(([column, n]) => `${column} ${n}`).join(', ') || 'none'}${skipped}`);
    }
    if (!test) throw new Error('the held-out rows are missing');
    if (algorithm === 'logistic' && task !== 'classification')
      throw new UsageError(
        `--algorithm logistic is a classifier, and this is a ${task} (${why}): use --algorithm forest or boosting`,
      );
    const params = { nEstimators: trees, seed };
    const run = { onProgress: progress('train    trees', out) };
    const classify = task === 'classification';
    const trainer =
      algorithm === 'logistic'
        ? logisticRegression()
        : algorithm === 'boosting'
          ? classify
            ? gradientBoostingClassifier({ seed })
            : gradientBoostingRegressor({ seed })
          : classify
            ? randomForestClassifier(params, run)
            : randomForestRegressor(params, run);
    const described = {
      logistic: 'logistic regression',
      boosting: `gradient boosting (seed ${seed})`,
      forest: `random forest (${trees} trees, seed ${seed})`,
    }[algorithm];
    let searched: { best: Partial<JsonObject>; mean: number; std: number; candidates: number } | undefined;
    let estimator: Model;
    if (args.search) {
      const found = await gridSearch(trainer as Trainer<JsonObject>, part, SEARCH_GRIDS[algorithm], { folds: 3, seed });
      searched = {
        best: found.best.params,
        mean: found.best.mean,
        std: found.best.std,
        candidates: found.candidates.length,
      };
      estimator = found.model;
      out.line(
        `search   ${found.candidates.length} candidates, 3-fold: best ${JSON.stringify(found.best.params)} (cross-validated ${found.best.mean.toFixed(4)} ± ${found.best.std.toFixed(4)})`,
      );
    } else estimator = await trainer.fit(part);
    const pipeline = createPipeline(preprocessing, estimator);
    const metrics = scoreOf(pipeline.classNames, test.target, pipeline.estimator.predict(test.features));
    const scored = describeScores(metrics);
    const store = await openCliRegistry(args.registry, args.artifacts, { create: true });
    try {
      // The held-out rows, as the lifecycle's holdout (`mlops ingest` judges challengers on them).
      const heldOut = await store.datasets.register(`${name}-holdout`, {
        dataset: test,
        description: `held-out rows of ${args.data}`,
      });
      const snapshot = await store.datasets.register(`${name}-training`, {
        dataset: part,
        description: `training split of ${args.data}`,
      });
      const registered = await store.register(name, {
        artifact: pipeline.toArtifact(),
        metrics,
        dataset: snapshot,
        tags: {
          trainer: trainer.name,
          source: args.data,
          ...(searched ? { search: 'grid', searchBest: JSON.stringify(searched.best), searchFolds: '3' } : {}),
        },
        description: `${described} on ${args.data}`,
      });
      const aliased = (await store.getAlias(name, args.alias)) === undefined;
      if (aliased)
        await store.setAlias(name, args.alias, registered.version, {
          expectedVersion: null,
          reason: 'first model (mlops train)',
        });
      const result = {
        name,
        version: registered.version,
        task,
        algorithm,
        ...(searched ? { search: searched } : {}),
        metrics,
        ...(task === 'classification' ? { accuracy: metrics.accuracy } : {}),
        trainRows: part.target.length,
        testRows: test.target.length,
        dataset: { name: snapshot.name, version: snapshot.version, fingerprint: snapshot.fingerprint },
        alias: aliased ? args.alias : null,
        sha256: registered.artifact.sha256,
        features: part.featureNames,
        inputs: preprocessing.inputs,
        unseenCategory: preprocessing.unseenCategory,
        missing,
        skippedRows: droppedRows.length,
      };
      out.result(
        result,
        () =>
          `saved    ${name} v${registered.version}: ${scored} on ${test.target.length} held-out rows; datasets ${snapshot.name} v${snapshot.version}, ${heldOut.name} v${heldOut.version}` +
          (aliased ? `; alias ${args.alias} → v${registered.version}` : ''),
      );
    } finally {
      await store.close();
    }
  },
});
