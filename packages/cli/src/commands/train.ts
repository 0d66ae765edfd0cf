import { basename, extname } from 'node:path';
import { defineCommand } from 'citty';
import { accuracyScore, InvalidInputError } from '@mlops/core';
import { trainTestSplit } from '@mlops/data';
import { randomForestClassifier } from '@mlops/train';
import { openCliRegistry } from '../shared/open-cli-registry';
import { createOutput, progress } from '../shared/output';
import { readTable } from '../shared/read-table';
import { ENCODING_TAG } from '../shared/served-model';

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
    const { dataset, encoding, missing, droppedRows } = await readTable(args.data, {
      target,
      name,
      missing: missingPolicy,
      ...(features ? { features } : {}),
      ...(exclude ? { exclude } : {}),
    });
    out.line(
      `data     ${dataset.target.length} rows × ${dataset.featureNames.length} features (${dataset.featureNames.join(', ')}); classes ${dataset.classNames?.join(', ')}`,
    );
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
      stratify: dataset.target,
    });
    const trainer = randomForestClassifier(
      { nEstimators: Number(args.trees), seed },
      { onProgress: progress('train    trees', out) },
    );
    const model = await trainer.fit(part);
    const testAccuracy = accuracyScore(test.target, model.predict(test.features));
    const store = await openCliRegistry(args.registry);
    try {
      const snapshot = await store.datasets.register(`${name}-training`, {
        dataset: part,
        description: `training split of ${args.data}`,
      });
      const registered = await store.register(name, {
        artifact: model.toArtifact(),
        metrics: { accuracy: testAccuracy },
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
        accuracy: testAccuracy,
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
          `saved    ${name} v${registered.version}: accuracy ${testAccuracy.toFixed(4)} on ${test.target.length} held-out rows; dataset ${snapshot.name} v${snapshot.version}` +
          (aliased ? `; alias ${args.alias} → v${registered.version}` : ''),
      );
    } finally {
      await store.close();
    }
  },
});
