import { RandomState } from '@mlops/core';
import { binFeatures, binOf, MISSING_BIN } from '../engine/binning';
import { type BinnedRows, type BoostedTree, treeValueOnCodes } from './grower';
import { createBoostingEngine } from './engine';
import type { GradientBoostingParams } from './params';

/** What boosting fits: class indices (log loss; softmax over k > 2 classes) or values (half squared error). */
export type BoostingTarget =
  | { readonly kind: 'classification'; readonly y: Int32Array; readonly classes: number }
  | { readonly kind: 'regression'; readonly y: Float64Array };

/** A fitted ensemble: raw prediction = baseline + Σ tree values, per output. */
export interface BoostedEnsemble {
  readonly task: 'classification' | 'regression';
  readonly cols: number;
  /** Raw outputs: 1 for regression and two classes (the log-odds of the second), else one per class. */
  readonly outputs: number;
  readonly baseline: Float64Array;
  /** Iteration-major: the tree of iteration i for output k is `trees[i * outputs + k]`. */
  readonly trees: readonly BoostedTree[];
  /** Validation losses per iteration (the baseline's first), when early stopping ran. */
  readonly validationLoss?: readonly number[];
}

/** Rows split into training and validation (stratified by class when there are classes), seeded. */
function validationSplit(target: BoostingTarget, fraction: number, seed: number): { train: number[]; valid: number[] } {
  const n = target.y.length;
  const order = Array.from(new RandomState(seed).permutation(n));
  if (target.kind === 'regression') {
    const cut = Math.ceil(n * fraction);
    return { valid: order.slice(0, cut).sort((a, b) => a - b), train: order.slice(cut).sort((a, b) => a - b) };
  }
  const byClass = Array.from({ length: target.classes }, () => [] as number[]);
  for (const i of order) byClass[target.y[i]!]!.push(i);
  const valid = byClass.flatMap((rows) => rows.slice(0, Math.round(rows.length * fraction)));
  const held = new Set(valid);
  return { valid: valid.sort((a, b) => a - b), train: order.filter((i) => !held.has(i)).sort((a, b) => a - b) };
}

/** Row-major bin codes of the given rows of `x`, with the training rows' edges. */
function codesOf(
  x: Float64Array,
  rows: readonly number[],
  cols: number,
  edges: readonly Float64Array[],
  categories: readonly number[],
): Uint8Array {
  const codes = new Uint8Array(rows.length * cols);
  rows.forEach((r, i) => {
    for (let f = 0; f < cols; f++) {
      const value = x[r * cols + f]!;
      codes[i * cols + f] = Number.isNaN(value) ? MISSING_BIN : categories[f] ? value : binOf(edges[f]!, value);
    }
  });
  return codes;
}

/** Loss of raw predictions `raw` (n × outputs) against `target` rows `rows` (mean log loss or half squared error). */
function lossOf(raw: Float64Array, target: BoostingTarget, rows: readonly number[], outputs: number): number {
  let total = 0;
  rows.forEach((r, i) => {
    if (target.kind === 'regression') {
      const d = raw[i]! - target.y[r]!;
      total += 0.5 * d * d;
    } else if (outputs === 1) {
      const z = raw[i]!;
      const m = target.y[r] === 1 ? z : -z;
      total += m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
    } else {
      let top = -Infinity;
      for (let k = 0; k < outputs; k++) top = Math.max(top, raw[i * outputs + k]!);
      let sum = 0;
      for (let k = 0; k < outputs; k++) sum += Math.exp(raw[i * outputs + k]! - top);
      total += Math.log(sum) + top - raw[i * outputs + target.y[r]!]!;
    }
  });
  return total / rows.length;
}

/**
 * Histogram gradient boosting (scikit-learn's `HistGradientBoosting*`): features binned once (≤ `maxBins` quantile
 * bins), a baseline, then each iteration one tree per output fitted to the loss's gradients and hessians, leaf values
 * −learningRate · G / (H + l2). With early stopping a seeded `validationFraction` of the rows is held out and fitting
 * stops when the last `nIterNoChange` iterations did not lower its loss by more than `tol` (scikit-learn's rule).
 */
export function fitBoosting(
  x: Float64Array,
  rows: number,
  cols: number,
  target: BoostingTarget,
  params: GradientBoostingParams,
  /** Per feature, its number of categories for a category column split by category sets (≤ 255), else 0. */
  categories: readonly number[] = [],
  /** Threads that build histograms (default 1); the model is the same whatever this is. */
  nJobs = 1,
): BoostedEnsemble {
  const early = params.earlyStopping === 'auto' ? rows > 10_000 : params.earlyStopping;
  const split = early
    ? validationSplit(target, params.validationFraction, params.seed)
    : { train: Array.from({ length: rows }, (_, i) => i), valid: [] };
  const train = split.train;
  const n = train.length;
  const xTrain = new Float64Array(n * cols);
  train.forEach((r, i) => {
    xTrain.set(x.subarray(r * cols, (r + 1) * cols), i * cols);
  });
  const binned = binFeatures(xTrain, n, cols, params.maxBins);
  const categoryCounts = Array.from({ length: cols }, (_, f) => categories[f] ?? 0);
  const codes = binned.codes as Uint8Array; // ≤ 255 bins: bytes
  const columns = new Uint8Array(n * cols);
  for (let f = 0; f < cols; f++) {
    for (let i = 0; i < n; i++) {
      const value = xTrain[i * cols + f]!;
      if (categoryCounts[f] && !Number.isNaN(value)) codes[i * cols + f] = value; // a category's code is its bin
      columns[f * n + i] = codes[i * cols + f]!;
    }
  }
  const missing = Array.from({ length: cols }, (_, f) => {
    for (let i = 0; i < n; i++) if (codes[i * cols + f] === MISSING_BIN) return true;
    return false;
  });
  const data: BinnedRows = { codes, columns, rows: n, cols, edges: binned.edges, categories: categoryCounts, missing };
  const validCodes = codesOf(x, split.valid, cols, binned.edges, categoryCounts);
  const classes = target.kind === 'classification' ? target.classes : 1;
  const outputs = classes > 2 ? classes : 1;
  const y = (i: number) => target.y[train[i]!]!;

  // Baseline: the mean, the log-odds, or the log of each class's share.
  const baseline = new Float64Array(outputs);
  if (target.kind === 'regression') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += y(i);
    baseline[0] = sum / n;
  } else {
    const counts = new Float64Array(classes);
    for (let i = 0; i < n; i++) counts[y(i)]!++;
    const share = (k: number) => Math.min(Math.max(counts[k]! / n, 1e-15), 1 - 1e-15);
    if (outputs === 1) baseline[0] = Math.log(share(1) / (1 - share(1)));
    else for (let k = 0; k < outputs; k++) baseline[k] = Math.log(share(k));
  }
  const validRaw = new Float64Array(split.valid.length * outputs);
  for (let i = 0; i < split.valid.length; i++) validRaw.set(baseline, i * outputs);

  const trees: BoostedTree[] = [];
  const scores = early ? [-lossOf(validRaw, target, split.valid, outputs)] : [];
  const limits = {
    maxLeafNodes: params.maxLeafNodes,
    maxDepth: params.maxDepth ?? Number.POSITIVE_INFINITY,
    minSamplesLeaf: params.minSamplesLeaf,
    l2Regularization: params.l2Regularization,
    learningRate: params.learningRate,
  };
  const engine = createBoostingEngine(data, outputs, limits, nJobs);
  try {
    const { g, h, raw, labels } = engine;
    for (let k = 0; k < outputs; k++) raw.fill(baseline[k]!, k * n, (k + 1) * n);
    if (target.kind === 'classification') for (let i = 0; i < n; i++) labels[i] = y(i);
    for (let iteration = 0; iteration < params.maxIter; iteration++) {
      if (target.kind === 'regression') {
        h[0]!.fill(1);
        for (let i = 0; i < n; i++) g[0]![i] = raw[i]! - y(i);
      } else engine.classGradients();
      engine.growTrees().forEach((tree, k) => {
        trees.push(tree);
        for (let i = 0; i < split.valid.length; i++)
          validRaw[i * outputs + k]! += treeValueOnCodes(tree, validCodes, i, cols);
      });
      if (early) {
        scores.push(-lossOf(validRaw, target, split.valid, outputs));
        if (scores.length > params.nIterNoChange) {
          const reference = scores[scores.length - params.nIterNoChange - 1]! + params.tol;
          if (!scores.slice(-params.nIterNoChange).some((s) => s > reference)) break;
        }
      }
    }
  } finally {
    engine.close();
  }
  return {
    task: target.kind,
    cols,
    outputs,
    baseline,
    trees,
    ...(early ? { validationLoss: scores.map((s) => -s) } : {}),
  };
}
