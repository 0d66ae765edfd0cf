// The consumer app, written once and run three ways (ESM TypeScript, CommonJS, esbuild bundle): iris
// train → save → load → predict → monitor through the published @mlops packages, then a real table (text
// categories, blanks, an id) as a pipeline: fit → register → loadModel → raw records in, labels out.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accuracyScore, createPipeline, decodeModel, inputJsonSchema } from '@mlops/core';
import { loadCsv, loadIris, trainTestSplit } from '@mlops/data';
import { detectDrift, ksTest } from '@mlops/monitor';
import { FileSystemModelStore, loadModel, openRegistry } from '@mlops/registry';
import { codecs, randomForestClassifier, randomForestCodec } from '@mlops/train';

const iris = loadIris();
const { train, test } = trainTestSplit(iris, { testSize: 0.2, seed: 42 });
const model = await randomForestClassifier({ nEstimators: 20, seed: 42 }).fit(train);
const store = new FileSystemModelStore({ root: mkdtempSync(join(tmpdir(), 'consumer-registry-')) });
const { version } = await store.register('iris', {
  artifact: model.toArtifact(),
  metrics: { accuracy: accuracyScore(test.target, model.predict(test.features)) },
});
await store.setAlias('iris', 'production', version, { expectedVersion: null });
const served = decodeModel((await store.loadArtifact('iris', 'production')).artifact, [randomForestCodec]);
const predictions: number[] = served.predict(test.features);
const report = detectDrift(train.features, test.features, { featureNames: train.featureNames });

// A real table: the pipeline learns levels and fills from the training rows and is what gets versioned.
const homes = ['RENT', 'OWN', 'MORTGAGE'];
const csv = [
  'id,income,home,purpose,default',
  ...Array.from({ length: 80 }, (_, i) => {
    const income = i % 9 === 4 ? '' : String(20_000 + ((i * 7919) % 90_000));
    const home = i % 11 === 6 ? '' : homes[i % 3];
    return `A${i},${income},${home},${['car', 'house', 'school'][i % 4 === 0 ? 2 : i % 2]},${(i * 7919) % 90_000 < 30_000 ? 'yes' : 'no'}`;
  }),
].join('\n');
const table = await loadCsv(
  { text: csv },
  { target: 'default', exclude: ['id'], missing: 'impute', holdout: { testSize: 0.25, seed: 1, stratify: true } },
);
const forest = await randomForestClassifier({ nEstimators: 20, seed: 42 }).fit(table.dataset);
const registry = await openRegistry(mkdtempSync(join(tmpdir(), 'consumer-pipelines-')));
await registry.register('loans', { artifact: createPipeline(table.preprocessing, forest).toArtifact() });
const loans = await loadModel(registry, 'loans', 1, codecs);
const requests = [
  { id: 'B1', income: '', home: 'RENT', purpose: 'car' },
  { income: 95_000, home: null, purpose: 'house' },
];
const labels = loans.predictLabels(requests);
const probabilities = loans.predictProba(requests);
// Plain JSON, as a client fetching GET /schema would see it (this file also runs as untyped CommonJS).
const schema = JSON.parse(JSON.stringify(inputJsonSchema(table.preprocessing)));
await registry.close();
console.log(
  JSON.stringify({
    version,
    accuracy: accuracyScore(test.target, predictions),
    datasetDrift: report.datasetDrift,
    ks: ksTest(
      [0.61, -1.2, 0.35, 2.1, 0.0, -0.44, 1.37, 0.92, -0.05, 0.5, 1.8, -2.3],
      [1.1, 2.4, 0.7, 1.9, 3.05, 0.2, 1.45, 2.2, 0.95, 1.6, 2.75, 0.4, 1.25, 1.0],
    ).pValue,
    pipeline: {
      format: loans.version.artifact.format,
      labels,
      classes: Object.keys(probabilities[0] ?? {}),
      homeLevels: schema.properties.home.enum,
    },
  }),
);
