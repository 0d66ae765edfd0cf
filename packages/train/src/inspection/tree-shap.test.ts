import fc from 'fast-check';
import { createDataset, decodeModel, RandomState, type FeatureRows, type ModelArtifact } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { irisTest, irisTrain } from '../__fixtures__/iris-split';
import { type BoostingTarget, fitBoosting } from '../boosting/boosting';
import { gradientBoostingClassifier, gradientBoostingRegressor } from '../boosting/gradient-boosting';
import { treeValue } from '../boosting/grower';
import { gradientBoostingCodec } from '../boosting/model';
import { resolveGradientBoostingParams } from '../boosting/params';
import { fitForest, predictForestValues, type ForestData, type ForestParams } from '../engine/forest';
import type { FlatTree, TreeTarget } from '../engine/tree-builder';
import { randomForestCodec } from '../random-forest/codec';
import { randomForestClassifier } from '../random-forest/random-forest-classifier';
import { randomForestRegressor } from '../random-forest/random-forest-regressor';
import { boostedShapValues, forestShapValues } from './tree-shap';

/** Largest |expected + Σ_j values − output| over all rows and outputs. */
function sumError(forest: ForestData, x: Float64Array, rows: number): number {
  const { values, expected } = forestShapValues(forest, x, rows);
  const output = predictForestValues(forest, x, rows);
  const { cols, width } = forest;
  let worst = 0;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < width; k++) {
      let total = expected[k]!;
      for (let j = 0; j < cols; j++) total += values[(r * cols + j) * width + k]!;
      worst = Math.max(worst, Math.abs(total - output[r * width + k]!));
    }
  }
  return worst;
}

/** True cover of every node: the summed weight of the training rows routed through it. */
function trueCovers(tree: FlatTree, x: Float64Array, weights: Float64Array, cols: number): Float64Array {
  const cover = new Float64Array(tree.nodeCount);
  weights.forEach((w, r) => {
    let node = 0;
    cover[0]! += w;
    while (tree.feature[node]! >= 0) {
      const goLeft = x[r * cols + tree.feature[node]!]! <= tree.threshold[node]!;
      node = goLeft ? tree.left[node]! : tree.left[node]! + 1;
      cover[node]! += w;
    }
  });
  return cover;
}

/** A tree of either kind for the brute-force reference: `width` values per node, added × `scale` from `output` on. */
interface ReferenceTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly cover: Float64Array;
  readonly width: number;
  readonly output: number;
  readonly scale: number;
}

/** E[f(x) | x_S] with covers: follow x on features in S, otherwise average both children by cover. */
function conditional(tree: ReferenceTree, x: Float64Array, inS: number, node = 0): number[] {
  const { cover, width } = tree;
  const f = tree.feature[node]!;
  if (f < 0) return Array.from(tree.value.subarray(node * width, node * width + width));
  const l = tree.left[node]!;
  const r = tree.right[node]!;
  if (inS & (1 << f)) return conditional(tree, x, inS, x[f]! <= tree.threshold[node]! ? l : r);
  const a = conditional(tree, x, inS, l);
  const b = conditional(tree, x, inS, r);
  return a.map((v, k) => (cover[l]! * v + cover[r]! * b[k]!) / cover[node]!);
}

/** A forest's trees with their true covers, each adding its mean share to every output. */
function forestReference(forest: ForestData, covers: readonly Float64Array[]): ReferenceTree[] {
  return forest.trees.map((tree, t) => ({
    ...tree,
    right: tree.left.map((l) => l + 1),
    cover: covers[t]!,
    width: forest.width,
    output: 0,
    scale: 1 / forest.trees.length,
  }));
}

/** Shapley values by enumerating every feature subset, `cols × width`, and the value of the empty set. */
function bruteForce(trees: readonly ReferenceTree[], base: readonly number[], cols: number, x: Float64Array) {
  const width = base.length;
  const game = Array.from({ length: 1 << cols }, (_, s) => {
    const sum = [...base];
    for (const tree of trees) {
      conditional(tree, x, s).forEach((v, k) => {
        sum[tree.output + k]! += v * tree.scale;
      });
    }
    return sum;
  });
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const size = (s: number) => [...s.toString(2)].filter((b) => b === '1').length;
  const phi = new Float64Array(cols * width);
  for (let j = 0; j < cols; j++) {
    for (let s = 0; s < 1 << cols; s++) {
      if (s & (1 << j)) continue;
      const weight = (factorial(size(s)) * factorial(cols - size(s) - 1)) / factorial(cols);
      for (let k = 0; k < width; k++) phi[j * width + k]! += weight * (game[s | (1 << j)]![k]! - game[s]![k]!);
    }
  }
  return { phi, expected: game[0]! };
}

/** `rows × cols` uniform features and a target that depends on the first three. */
function synthetic(rows: number, cols: number, seed: number) {
  const random = new RandomState(seed);
  const x = Float64Array.from({ length: rows * cols }, () => Math.round(random.random() * 20) / 4);
  const score = (r: number) => x[r * cols]! - 0.7 * x[r * cols + 1]! + 0.3 * x[r * cols + 2]! * x[r * cols]!;
  return { x, score };
}

describe('forestShapValues', () => {
  it('sums to the predicted probabilities on iris, for every test row and class', async () => {
    const model = await randomForestClassifier({ nEstimators: 10, seed: 1 }).fit(irisTrain);
    const { values, expected } = model.shapValues(irisTest.features);
    const proba = model.predictProba(irisTest.features);
    expect(values).toHaveLength(30);
    expect(expected.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    proba.forEach((p, i) => {
      expect(values[i]).toHaveLength(4);
      p.forEach((pk, k) => {
        const total = values[i]!.reduce((a, v) => a + v[k]!, expected[k]!);
        expect(Math.abs(total - pk)).toBeLessThan(1e-9);
      });
      // Probabilities sum to 1, so each feature's contributions over the classes sum to 0.
      values[i]!.forEach((v) => {
        expect(Math.abs(v.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
      });
    });
  });

  it('sums to the prediction of a regressor', async () => {
    const { x, score } = synthetic(200, 4, 3);
    const features = Array.from({ length: 200 }, (_, r) => Array.from(x.subarray(r * 4, r * 4 + 4)));
    const data = createDataset({
      features,
      target: features.map((_, r) => score(r)),
      featureNames: ['a', 'b', 'c', 'd'],
    });
    const model = await randomForestRegressor({ nEstimators: 20, seed: 0, maxDepth: 8 }).fit(data);
    const { values, expected } = model.shapValues(features.slice(0, 50));
    model.predict(features.slice(0, 50)).forEach((p, i) => {
      expect(values[i]!.every((v) => v.length === 1)).toBe(true);
      expect(Math.abs(values[i]!.reduce((a, v) => a + v[0]!, expected[0]!) - p)).toBeLessThan(1e-9);
    });
  });

  const exactCases: readonly [string, TreeTarget, ForestParams][] = (() => {
    const { score } = synthetic(80, 5, 7);
    const scores = Array.from({ length: 80 }, (_, r) => score(r));
    // Unbalanced classes and balanced class weights: covers are weights, not row counts.
    const y = Int32Array.from(scores, (s) => (s < 0 ? 0 : s < 1.5 ? 1 : 2));
    return [
      [
        'classifier',
        { kind: 'classification', y, classes: 3 },
        { classWeight: 'balanced', criterion: 'entropy', maxDepth: 6 },
      ],
      ['regressor', { kind: 'regression', y: Float64Array.from(scores) }, { maxDepth: 5 }],
    ];
  })();
  it.each(exactCases)('equals brute-force Shapley values with the true covers (%s)', (_, target, params) => {
    const { x } = synthetic(80, 5, 7);
    const forest = fitForest(x, 80, 5, target, { ...params, nEstimators: 4, maxFeatures: 2, bootstrap: false });
    expect(forest.trees.every((t) => t.nodeCount > 5)).toBe(true);
    const weights = new Float64Array(80).fill(1);
    if (target.kind === 'classification') {
      const counts = [0, 1, 2].map((c) => target.y.filter((v) => v === c).length);
      target.y.forEach((c, r) => {
        weights[r] = 80 / (3 * counts[c]!);
      });
    }
    const covers = forest.trees.map((tree) => trueCovers(tree, x, weights, 5));
    const rows = 12;
    const { values, expected } = forestShapValues(forest, x.subarray(0, rows * 5), rows);
    for (let r = 0; r < rows; r++) {
      const reference = bruteForce(
        forestReference(forest, covers),
        new Array<number>(forest.width).fill(0),
        5,
        x.subarray(r * 5, r * 5 + 5),
      );
      reference.expected.forEach((e, k) => {
        expect(Math.abs(expected[k]! - e)).toBeLessThan(1e-9);
      });
      reference.phi.forEach((v, i) => {
        expect(Math.abs(values[r * reference.phi.length + i]! - v)).toBeLessThan(1e-9);
      });
    }
  });

  it('sums to the output on random small datasets', () => {
    const dataset = fc.record({
      rows: fc.integer({ min: 4, max: 30 }),
      cols: fc.integer({ min: 1, max: 4 }),
      seed: fc.integer({ min: 0, max: 1000 }),
      classes: fc.integer({ min: 1, max: 3 }),
      maxDepth: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      bootstrap: fc.boolean(),
      nEstimators: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(dataset, ({ rows, cols, seed, classes, maxDepth, bootstrap, nEstimators }) => {
        const random = new RandomState(seed);
        const x = Float64Array.from({ length: rows * cols }, () => Math.floor(random.random() * 5) - 2);
        // classes 1 means regression.
        const target: TreeTarget =
          classes === 1
            ? { kind: 'regression', y: Float64Array.from({ length: rows }, () => 1 + random.random() * 9) }
            : { kind: 'classification', y: Int32Array.from({ length: rows }, (_, r) => r % classes), classes };
        const forest = fitForest(x, rows, cols, target, { seed, maxDepth, bootstrap, nEstimators, maxFeatures: 'all' });
        expect(sumError(forest, x, rows)).toBeLessThan(1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it('gives a model decoded from its artifact exactly the values of the model as fitted', async () => {
    const classifier = await randomForestClassifier({ nEstimators: 5, seed: 1 }).fit(irisTrain);
    const { x, score } = synthetic(60, 3, 1);
    const features = Array.from({ length: 60 }, (_, r) => Array.from(x.subarray(r * 3, r * 3 + 3)));
    const data = createDataset({ features, target: features.map((_, r) => score(r)), featureNames: ['a', 'b', 'c'] });
    const regressor = await randomForestRegressor({ nEstimators: 5, seed: 1 }).fit(data);
    for (const [model, rows] of [
      [classifier, irisTest.features],
      [regressor, features],
    ] as const) {
      const artifact = JSON.parse(JSON.stringify(model.toArtifact())) as ModelArtifact;
      const loaded = decodeModel(artifact, [randomForestCodec]) as typeof model;
      expect(loaded.shapValues(rows)).toEqual(model.shapValues(rows));
      // Saved again, the decoded model writes the same artifact.
      expect(JSON.stringify(loaded.toArtifact())).toBe(JSON.stringify(artifact));
    }
  });

  it('refuses a model decoded from an artifact written before artifacts kept covers', async () => {
    const classifier = await randomForestClassifier({ nEstimators: 3, seed: 1 }).fit(irisTrain);
    const { x, score } = synthetic(60, 3, 1);
    const features = Array.from({ length: 60 }, (_, r) => Array.from(x.subarray(r * 3, r * 3 + 3)));
    const data = createDataset({ features, target: features.map((_, r) => score(r)), featureNames: ['a', 'b', 'c'] });
    const regressor = await randomForestRegressor({ nEstimators: 3, seed: 1 }).fit(data);
    for (const [model, rows] of [
      [classifier, irisTest.features],
      [regressor, features],
    ] as const) {
      const artifact = JSON.parse(JSON.stringify(model.toArtifact())) as ModelArtifact;
      const old = { ...artifact, payload: { ...(artifact.payload as object), leftCoverShare: undefined } };
      const loaded = decodeModel(JSON.parse(JSON.stringify(old)) as ModelArtifact, [randomForestCodec]) as typeof model;
      expect(loaded.predict(rows)).toEqual(model.predict(rows));
      expect(() => loaded.shapValues(rows)).toThrow('decoded from an artifact written before artifacts kept covers');
      // Saving it again invents no covers.
      expect(loaded.toArtifact().payload).not.toHaveProperty('leftCoverShare');
    }
  });

  it('checks its input like predict', async () => {
    const model = await randomForestClassifier({ nEstimators: 2, seed: 1 }).fit(irisTrain);
    expect(() => model.shapValues([[1, 2, 3]])).toThrow();
    const { x } = synthetic(10, 4, 1);
    const forest = fitForest(x, 10, 4, { kind: 'regression', y: Float64Array.from({ length: 10 }, (_, i) => i) });
    expect(() => forestShapValues(forest, new Float64Array(3), 1)).toThrow('shap input has 3 values, expected 1 × 4');
  });
});

/** A boosted model's raw outputs (baseline + Σ trees), `rows × outputs`. */
const rawOutputs = (model: object, rows: FeatureRows) => (model as { raw(rows: FeatureRows): Float64Array }).raw(rows);

/** Largest |expected + Σ_j values − raw| over all rows and outputs of a boosted model. */
function boostedSumError(
  model: { shapValues(rows: FeatureRows): { values: number[][][]; expected: number[] } },
  rows: FeatureRows,
) {
  const { values, expected } = model.shapValues(rows);
  const raw = rawOutputs(model, rows);
  const outputs = expected.length;
  expect(raw.length).toBe(rows.length * outputs);
  expect(values).toHaveLength(rows.length);
  let worst = 0;
  values.forEach((row, i) => {
    expect(row).toHaveLength(rows[0]!.length);
    for (let k = 0; k < outputs; k++) {
      const total = row.reduce((a, v) => a + v[k]!, expected[k]!);
      worst = Math.max(worst, Math.abs(total - raw[i * outputs + k]!));
    }
  });
  return worst;
}

describe('boosted shapValues', () => {
  it('sums to the raw margins on iris, for every test row and class', async () => {
    const model = await gradientBoostingClassifier({ maxIter: 20 }).fit(irisTrain);
    const { values, expected } = model.shapValues(irisTest.features);
    expect(expected).toHaveLength(3);
    expect(values.every((row) => row.every((v) => v.length === 3))).toBe(true);
    expect(boostedSumError(model, irisTest.features)).toBeLessThan(1e-9);
  });

  it('sums to the log-odds of a binary classifier and the value of a regressor', async () => {
    const keep = irisTrain.target.flatMap((k, i) => (k > 0 ? [i] : []));
    const binary = createDataset({
      features: keep.map((i) => irisTrain.features[i]!),
      target: keep.map((i) => irisTrain.target[i]! - 1),
      featureNames: irisTrain.featureNames,
      classNames: irisTrain.classNames!.slice(1),
    });
    const classifier = await gradientBoostingClassifier({ maxIter: 20 }).fit(binary);
    expect(classifier.shapValues(irisTest.features).expected).toHaveLength(1);
    expect(boostedSumError(classifier, irisTest.features)).toBeLessThan(1e-9);

    const { x, score } = synthetic(200, 4, 3);
    const features = Array.from({ length: 200 }, (_, r) => Array.from(x.subarray(r * 4, r * 4 + 4)));
    const data = createDataset({
      features,
      target: features.map((_, r) => score(r)),
      featureNames: ['a', 'b', 'c', 'd'],
    });
    const regressor = await gradientBoostingRegressor({ maxIter: 20 }).fit(data);
    const rows = features.slice(0, 50);
    expect(boostedSumError(regressor, rows)).toBeLessThan(1e-9);
    const { values, expected } = regressor.shapValues(rows);
    regressor.predict(rows).forEach((p, i) => {
      expect(Math.abs(values[i]!.reduce((a, v) => a + v[0]!, expected[0]!) - p)).toBeLessThan(1e-9);
    });
  });

  const boostedCases: readonly [string, BoostingTarget][] = (() => {
    const { score } = synthetic(80, 5, 7);
    const scores = Array.from({ length: 80 }, (_, r) => score(r));
    return [
      [
        'three classes',
        { kind: 'classification', y: Int32Array.from(scores, (s) => (s < 0 ? 0 : s < 1.5 ? 1 : 2)), classes: 3 },
      ],
      ['two classes', { kind: 'classification', y: Int32Array.from(scores, (s) => (s < 0.5 ? 0 : 1)), classes: 2 }],
      ['regression', { kind: 'regression', y: Float64Array.from(scores) }],
    ];
  })();
  it.each(boostedCases)('equals brute-force Shapley values with the tree covers (%s)', (_, target) => {
    const { x } = synthetic(80, 5, 7);
    const params = resolveGradientBoostingParams({ maxIter: 4, minSamplesLeaf: 4, maxLeafNodes: 8, learningRate: 0.3 });
    const ensemble = fitBoosting(x, 80, 5, target, params);
    expect(ensemble.trees.every((t) => t.feature.length > 5)).toBe(true);
    const { outputs, baseline } = ensemble;
    const trees = ensemble.trees.map((tree, t) => ({ ...tree, width: 1, output: t % outputs, scale: 1 }));
    const rows = 12;
    const { values, expected } = boostedShapValues(ensemble, x.subarray(0, rows * 5), rows);
    for (let r = 0; r < rows; r++) {
      const row = x.subarray(r * 5, r * 5 + 5);
      const reference = bruteForce(trees, Array.from(baseline), 5, row);
      reference.expected.forEach((e, k) => {
        expect(Math.abs(expected[k]! - e)).toBeLessThan(1e-9);
      });
      reference.phi.forEach((v, i) => {
        expect(Math.abs(values[r * reference.phi.length + i]! - v)).toBeLessThan(1e-9);
      });
      // And the values sum to baseline + Σ trees.
      for (let k = 0; k < outputs; k++) {
        let raw = baseline[k]!;
        for (let t = k; t < ensemble.trees.length; t += outputs) raw += treeValue(ensemble.trees[t]!, row, 0);
        let total = expected[k]!;
        for (let j = 0; j < 5; j++) total += values[(r * 5 + j) * outputs + k]!;
        expect(Math.abs(total - raw)).toBeLessThan(1e-9);
      }
    }
  });

  it('gives a model decoded from its artifact exactly the values of the model as fitted', async () => {
    const model = await gradientBoostingClassifier({ maxIter: 20 }).fit(irisTrain);
    const artifact = JSON.parse(JSON.stringify(model.toArtifact())) as ModelArtifact;
    const loaded = decodeModel(artifact, [gradientBoostingCodec]) as typeof model;
    expect(loaded.shapValues(irisTest.features)).toEqual(model.shapValues(irisTest.features));
  });

  it('checks its input like predict', async () => {
    const model = await gradientBoostingClassifier({ maxIter: 2 }).fit(irisTrain);
    expect(() => model.shapValues([[1, 2, 3]])).toThrow();
    expect(() => model.shapValues([])).toThrow('predict input has no rows');
  });
});
