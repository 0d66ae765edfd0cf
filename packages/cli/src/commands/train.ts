import { basename, extname } from 'node:path';
import { defineCommand } from 'citty';
import { accuracyScore, InvalidInputError } from '@mlops/core';
import { type LoadedTable, parseDecimal, type TableOptions, trainTestSplit } from '@mlops/data';
import {
  meanAbsoluteError,
  r2Score,
  randomForestClassifier,
  randomForestRegressor,
  rootMeanSquaredError,
} from '@mlops/train';
import { openCliRegistry } from '../shared/open-cli-registry';
import { createOutput, progress } from '../shared/output';
import { readTable } from '../shared/read-table';
import { ENCODING_TAG } from '../shared/served-model';

/** A numeric target with more distinct values than this (or 5% of the rows) is taken as a regression target. */
const MAX_NUMERIC_CLASSES = 20;

/**
 * Loads the table for the task asked for, or picks it: a numeric target with many distinct values is regression;
 * otherwise classification, with numeric class labels sorted as numbers (2 before 10), not as text.
 */
async function chooseTask(
  data: string,
  options: TableOptions,
  asked: 'classification' | 'regression' | undefined,
): Promise<{ table: LoadedTable; task: 'classification' | 'regression'; why: string }> {
  if (asked === 'regression')
    return { table: await readTable(data, { ...options, task: 'regression' }), task: asked, why: '--task' };
  const table = await readTable(data, options);
  const classes = table.dataset.classNames ?? [];
  const numeric = classes.length > 0 && classes.every((c) => parseDecimal(c) !== undefined);
  if (!numeric) return { table, task: 'classification', why: asked ? '--task' : 'the target is text' };
  const many = classes.length > Math.max(MAX_NUMERIC_CLASSES, table.dataset.target.length * 0.05);
  if (many && !asked) {
    const why = `the target is numeric with ${classes.length} distinct values; --task classification to override`;
    return { table: await readTable(data, { ...options, task: 'regression' }), task: 'regression', why };
  }
  const classNames = [...classes].sort((a, b) => Number(a) - Number(b));
  return {
    table: await readTable(data, { ...options, classNames }),
    task: 'classification',
    why: asked ? '--task' : `the target has ${classes.length} numeric classes`,
  };
}

export const train = defineCommand({
  meta: { name: 'train', description: 'Train a random forest on a table and register it' },
  args: {
    data: { type: 'string', required: true, description: 'iris, or a .csv / .json / .ndjson file' },
    target: { type: 'string', description: 'Column to predict (iris: species)' },
    registry: { type: 'string', description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY)' },
    name: { type: 'string', description: 'Model name (default: the data file name)' },
    trees: { type: 'string', default: '100', description: 'Number of trees' },
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
      description: 'Blank cells: impute (median / most frequent, learned here, reused at prediction), drop, error',
    },
    task: {
      type: 'string',
      description: 'classification or regression (default: regression for a numeric target with many distinct values)',
    },
    features: { type: 'string', description: 'Feature columns, comma-separated (default: all but the target)' },
    exclude: { type: 'string', description: 'Columns to leave out, comma-separated (e.g. an id)' },
    json: { type: 'boolean', description: 'Print the result as JSON' },
  },
  async run({ args }) {
    const out = createOutput(Boolean(args.json));
    const target = args.target ?? (args.data === 'iris' ? 'species' : undefined);
    if (!target) throw new Error('--target is required for a data file');
    const name = args.name ?? (args.data === 'iris' ? 'iris' : basename(args.data, extname(args.data)));
    const seed = Number(args.seed);
    const missingPolicy = args.missing;
    if (missingPolicy !== 'impute' && missingPolicy !== 'drop' && missingPolicy !== 'error') {
      throw new InvalidInputError(`--missing must be impute, drop or error, got ${JSON.stringify(missingPolicy)}`);
    }
    const list = (text: string | undefined) =>
      text
        ?.split(',')
        .map((c) => c.trim())
        .filter(Boolean);
    const features = list(args.features);
    const exclude = list(args.exclude);
    if (args.task !== undefined && args.task !== 'classification' && args.task !== 'regression') {
      throw new InvalidInputError(`--task must be classification or regression, got ${JSON.stringify(args.task)}`);
    }
    const options: TableOptions = {
      target,
      name,
      missing: missingPolicy,
      ...(features ? { features } : {}),
      ...(exclude ? { exclude } : {}),
    };
    const { table, task, why } = await chooseTask(args.data, options, args.task);
    const { dataset, encoding, missing, droppedRows } = table;
    out.line(
      `data     ${dataset.target.length} rows × ${dataset.featureNames.length} features (${dataset.featureNames.join(', ')})` +
        (task === 'classification' ? `; classes ${dataset.classNames?.join(', ')}` : ''),
    );
    out.line(`task     ${task} (${why})`);
    const filled = Object.entries(missing).filter(([column]) => column !== target);
    if (filled.length > 0 || droppedRows.length > 0) {
      const how = missingPolicy === 'impute' ? 'filled' : 'missing';
      const skipped =
        droppedRows.length > 0
          ? `; skipped ${droppedRows.length} rows (${missingPolicy === 'drop' ? 'blank cells' : 'no target'})`
          : '';
      out.line(`missing  ${how}: ${filled.map(([column, n]) => `${column} ${n}`).join(', ') || 'none'}${skipped}`);
    }
    const { train: part, test } = trainTestSplit(dataset, {
      testSize: Number(args['test-size']),
      seed,
      ...(task === 'classification' ? { stratify: dataset.target } : {}),
    });
    const params = { nEstimators: Number(args.trees), seed };
    const run = { onProgress: progress('train    trees', out) };
    const trainer =
      task === 'classification' ? randomForestClassifier(params, run) : randomForestRegressor(params, run);
    const model = await trainer.fit(part);
    const predicted = model.predict(test.features);
    const metrics: Record<string, number> =
      task === 'classification'
        ? { accuracy: accuracyScore(test.target, predicted) }
        : {
            r2: r2Score(test.target, predicted),
            mae: meanAbsoluteError(test.target, predicted),
            rmse: rootMeanSquaredError(test.target, predicted),
          };
    const scored = Object.entries(metrics)
      .map(
        ([metric, value]) =>
          `${metric === 'r2' ? 'R²' : metric === 'mae' ? 'MAE' : metric === 'rmse' ? 'RMSE' : metric} ${value.toFixed(4)}`,
      )
      .join(', ');
    const store = await openCliRegistry(args.registry);
    try {
      const snapshot = await store.datasets.register(`${name}-training`, {
        dataset: part,
        description: `training split of ${args.data}`,
      });
      const registered = await store.register(name, {
        artifact: model.toArtifact(),
        metrics,
        dataset: snapshot,
        tags: { trainer: trainer.name, source: args.data, [ENCODING_TAG]: JSON.stringify(encoding.toJSON()) },
        description: `random forest (${args.trees} trees, seed ${seed}) on ${args.data}`,
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
        metrics,
        ...(task === 'classification' ? { accuracy: metrics.accuracy } : {}),
        trainRows: part.target.length,
        testRows: test.target.length,
        dataset: { name: snapshot.name, version: snapshot.version, fingerprint: snapshot.fingerprint },
        alias: aliased ? args.alias : null,
        sha256: registered.artifact.sha256,
        features: dataset.featureNames,
        missing,
        skippedRows: droppedRows.length,
      };
      out.result(
        result,
        () =>
          `saved    ${name} v${registered.version}: ${scored} on ${test.target.length} held-out rows; dataset ${snapshot.name} v${snapshot.version}` +
          (aliased ? `; alias ${args.alias} → v${registered.version}` : ''),
      );
    } finally {
      await store.close();
    }
  },
});
