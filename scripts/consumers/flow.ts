// The consumer app, written once and run three ways (ESM TypeScript, CommonJS, esbuild bundle): iris
// train → save → load → predict → monitor through the published @mlops packages.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accuracyScore, decodeModel } from '@mlops/core';
import { loadIris, trainTestSplit } from '@mlops/data';
import { detectDrift, ksTest } from '@mlops/monitor';
import { FileSystemModelStore } from '@mlops/registry';
import { randomForestClassifier, randomForestCodec } from '@mlops/train';

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
console.log(
  JSON.stringify({
    version,
    accuracy: accuracyScore(test.target, predictions),
    datasetDrift: report.datasetDrift,
    ks: ksTest(
      [0.61, -1.2, 0.35, 2.1, 0.0, -0.44, 1.37, 0.92, -0.05, 0.5, 1.8, -2.3],
      [1.1, 2.4, 0.7, 1.9, 3.05, 0.2, 1.45, 2.2, 0.95, 1.6, 2.75, 0.4, 1.25, 1.0],
    ).pValue,
  }),
);
