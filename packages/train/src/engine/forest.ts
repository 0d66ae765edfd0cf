import { InvalidInputError, RandomState } from '@mlops/core';
import { resolveMaxFeatures, type MaxFeatures } from '../params/max-features';
import { binFeatures, MAX_BINS, type BinnedFeatures } from './binning';
import { leafWidth, TreeGrower, type FlatTree, type TreeLimits, type TreeTarget } from './tree-builder';

/** Hyperparameters of the typed-array forest, named and defaulted as scikit-learn's RandomForestClassifier. */
export interface ForestParams {
  /** Trees (default 100). */
  readonly nEstimators?: number;
  /** `'sqrt'` (default), `'log2'`, `'all'`, a count, or a fraction of the columns — drawn at every split. */
  readonly maxFeatures?: MaxFeatures;
  /** Deepest a tree grows (default unlimited). */
  readonly maxDepth?: number | null;
  /** Fewest rows a node needs to be split (default 2). */
  readonly minSamplesSplit?: number;
  /** Fewest rows each child keeps (default 1). */
  readonly minSamplesLeaf?: number;
  /** Bootstrap the rows of each tree (default true). */
  readonly bootstrap?: boolean;
  /** Split quality: `'gini'` (default) or `'entropy'` for classification; regression uses `'squared_error'`. */
  readonly criterion?: 'gini' | 'entropy';
  /** Seed of every random choice (default 0). */
  readonly seed?: number;
  /** `'hist'` (default): ≤ 255 quantile bins per feature; `'exact'`: every distinct value, as scikit-learn. */
  readonly splitter?: 'hist' | 'exact';
  /** Bootstrap draws per tree: a count, or a fraction of the rows (default: all rows). */
  readonly maxSamples?: number | null;
  /** `'balanced'`: weigh classes by n / (classes × count), as scikit-learn (classification only). */
  readonly classWeight?: 'balanced' | null;
  /** Also compute the out-of-bag score (needs bootstrap). */
  readonly oobScore?: boolean;
}

/** A fitted forest: everything prediction needs, in flat arrays. */
export interface ForestData {
  readonly task: 'classification' | 'regression';
  readonly cols: number;
  /** Values per leaf: the number of classes, or 1 for regression. */
  readonly width: number;
  readonly trees: readonly FlatTree[];
  /** Out-of-bag accuracy (classification) or R² (regression), when asked for. */
  readonly oobScore?: number;
}

/** Checks a row-major matrix of `rows × cols` finite values (or NaN, with `allowMissing`); names the first bad cell. */
export function assertMatrix(x: Float64Array, rows: number, cols: number, what: string, allowMissing = false): void {
  if (!Number.isInteger(rows) || rows < 1) throw new InvalidInputError(`${what} has no rows`);
  if (!Number.isInteger(cols) || cols < 1) throw new InvalidInputError(`${what} has no columns`);
  if (x.length !== rows * cols)
    throw new InvalidInputError(`${what} has ${x.length} values, expected ${rows} × ${cols}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) && !(allowMissing && Number.isNaN(x[i]!))) {
      const row = Math.floor(i / cols);
      throw new InvalidInputError(`${what} row ${row}, column ${i % cols} is ${x[i]}: expected a finite number`, {
        row,
        column: i % cols,
      });
    }
  }
}

/** Everything a tree needs, shared by all trees of one fit (and sent to worker threads as is). */
export interface ForestJob {
  readonly binned: BinnedFeatures;
  /** The raw features, row-major (for out-of-bag scoring). */
  readonly x: Float64Array;
  readonly target: TreeTarget;
  readonly limits: TreeLimits;
  readonly bootstrap: boolean;
  /** Bootstrap draws per tree. */
  readonly draws: number;
  /** Weight of each row from its class (all 1 without class weights). */
  readonly rowWeights: Float64Array;
  /** Compute the out-of-bag score after growing. */
  readonly oobScore: boolean;
  /** One seed per tree, drawn up front: trees may be grown in any order or thread, same result. */
  readonly treeSeeds: readonly number[];
}

function assertTarget(target: TreeTarget, rows: number): void {
  const { y } = target;
  if (y.length !== rows) throw new InvalidInputError(`target has ${y.length} values but features have ${rows} rows`);
  if (target.kind === 'regression') {
    y.forEach((v, i) => {
      if (!Number.isFinite(v))
        throw new InvalidInputError(`target row ${i} is ${v}: expected a finite number`, { row: i });
    });
    return;
  }
  const { classes } = target;
  const seen = new Set<number>();
  y.forEach((c, i) => {
    if (!(c >= 0 && c < classes))
      throw new InvalidInputError(`target row ${i} is ${c}: expected a class index in [0, ${classes - 1}]`, { row: i });
    seen.add(c);
  });
  if (seen.size < 2) throw new InvalidInputError(`training data has ${seen.size} class: a classifier needs at least 2`);
}

/** Validates the inputs, bins the features and draws the tree seeds. */
export function prepareForest(
  x: Float64Array,
  rows: number,
  cols: number,
  target: TreeTarget,
  params: ForestParams = {},
): ForestJob {
  assertMatrix(x, rows, cols, 'features');
  assertTarget(target, rows);
  const nEstimators = params.nEstimators ?? 100;
  if (!Number.isInteger(nEstimators) || nEstimators < 1)
    throw new InvalidInputError(`nEstimators must be an integer ≥ 1, got ${nEstimators}`);
  if (params.oobScore && params.bootstrap === false) throw new InvalidInputError('oobScore needs bootstrap: true');
  const master = new RandomState(params.seed ?? 0);
  return {
    binned: binFeatures(x, rows, cols, params.splitter === 'exact' ? Infinity : MAX_BINS),
    x,
    target,
    limits: {
      maxDepth: params.maxDepth ?? Infinity,
      minSamplesSplit: params.minSamplesSplit ?? 2,
      minSamplesLeaf: params.minSamplesLeaf ?? 1,
      maxFeatures: resolveMaxFeatures(params.maxFeatures ?? 'sqrt', cols),
      criterion: target.kind === 'regression' ? 'squared_error' : (params.criterion ?? 'gini'),
    },
    bootstrap: params.bootstrap ?? true,
    draws: bootstrapDraws(params.maxSamples ?? null, rows),
    rowWeights: rowWeights(target, params.classWeight ?? null),
    oobScore: params.oobScore ?? false,
    treeSeeds: Array.from({ length: nEstimators }, () => master.nextUint32()),
  };
}

function bootstrapDraws(maxSamples: number | null, rows: number): number {
  if (maxSamples === null) return rows;
  const ok = maxSamples > 0 && (Number.isInteger(maxSamples) ? maxSamples <= rows : maxSamples < 1);
  if (!ok)
    throw new InvalidInputError(`maxSamples ${maxSamples} must be a count in [1, ${rows}] or a fraction in (0, 1)`);
  return Number.isInteger(maxSamples) ? maxSamples : Math.max(1, Math.round(rows * maxSamples));
}

function rowWeights(target: TreeTarget, classWeight: 'balanced' | null): Float64Array {
  const weights = new Float64Array(target.y.length).fill(1);
  if (classWeight === null) return weights;
  if (classWeight !== 'balanced' || target.kind !== 'classification') {
    throw new InvalidInputError(
      `classWeight ${JSON.stringify(classWeight)} is not supported: use 'balanced' on a classifier, or null`,
    );
  }
  const counts = new Float64Array(target.classes);
  target.y.forEach((c) => {
    counts[c]!++;
  });
  const present = counts.filter((c) => c > 0).length;
  target.y.forEach((c, i) => {
    weights[i] = target.y.length / (present * counts[c]!);
  });
  return weights;
}

/** Bootstrap counts of tree `index` (all ones without bootstrap): the first draws of its own seed. */
function drawRows(job: ForestJob, random: RandomState): Float64Array {
  const rows = job.binned.rows;
  const counts = new Float64Array(rows);
  if (job.bootstrap) for (let i = 0; i < job.draws; i++) counts[random.randomInterval(rows - 1)]!++;
  else counts.fill(1);
  return counts;
}

/** One grower per job and thread: its working arrays serve every tree it grows. */
const growers = new WeakMap<ForestJob, TreeGrower>();

/** Grows tree `index` of a job: its bootstrap sample and every split come from its own seed. */
export function growTree(job: ForestJob, index: number): FlatTree {
  const random = new RandomState(job.treeSeeds[index]!);
  const weights = drawRows(job, random);
  for (let r = 0; r < weights.length; r++) weights[r]! *= job.rowWeights[r]!;
  let grower = growers.get(job);
  if (!grower) {
    grower = new TreeGrower(job.binned, job.target, job.limits);
    growers.set(job, grower);
  }
  return grower.grow(weights, random);
}

/**
 * Out-of-bag score: every row is predicted only by the trees whose bootstrap left it out, and scored
 * (accuracy for classification, R² for regression) over the rows that had at least one such tree.
 * Each tree's sample is redrawn from its seed, so nothing extra is kept while growing.
 */
function outOfBagScore(job: ForestJob, forest: ForestData): number {
  if (!job.bootstrap) throw new InvalidInputError('oobScore needs bootstrap: true');
  const { rows, cols } = job.binned;
  const width = forest.width;
  const sums = new Float64Array(rows * width);
  const votes = new Int32Array(rows);
  forest.trees.forEach((tree, t) => {
    const counts = drawRows(job, new RandomState(job.treeSeeds[t]!));
    for (let r = 0; r < rows; r++) {
      if (counts[r] !== 0) continue;
      let node = 0;
      while (tree.feature[node]! >= 0) {
        const f = tree.feature[node]!;
        node = job.x[r * cols + f]! <= tree.threshold[node]! ? tree.left[node]! : tree.left[node]! + 1;
      }
      for (let c = 0; c < width; c++) sums[r * width + c]! += tree.value[node * width + c]!;
      votes[r]!++;
    }
  });
  const scored: number[] = [];
  for (let r = 0; r < rows; r++) if (votes[r]! > 0) scored.push(r);
  if (scored.length === 0) throw new InvalidInputError('no row was ever out of bag: use more trees for oobScore');
  if (job.target.kind === 'classification') {
    const predicted = argmaxRows(sums, rows, width);
    return scored.filter((r) => predicted[r] === job.target.y[r]).length / scored.length;
  }
  const actual = scored.map((r) => job.target.y[r]!);
  const mean = actual.reduce((a, b) => a + b, 0) / actual.length;
  const residual = scored.reduce((a, r, i) => a + (actual[i]! - sums[r]! / votes[r]!) ** 2, 0);
  const total = actual.reduce((a, v) => a + (v - mean) ** 2, 0);
  return total === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / total;
}

/** The fitted forest of a job, from its grown trees (with its out-of-bag score when the job asks for it). */
export function forestOf(job: ForestJob, trees: readonly FlatTree[]): ForestData {
  const forest: ForestData = { task: job.target.kind, cols: job.binned.cols, width: leafWidth(job.target), trees };
  return job.oobScore ? { ...forest, oobScore: outOfBagScore(job, forest) } : forest;
}

/** Fits a random forest on a row-major `rows × cols` matrix and a target, in this thread. */
export function fitForest(
  x: Float64Array,
  rows: number,
  cols: number,
  target: TreeTarget,
  params: ForestParams = {},
): ForestData {
  const job = prepareForest(x, rows, cols, target, params);
  return forestOf(
    job,
    job.treeSeeds.map((_, t) => growTree(job, t)),
  );
}

/**
 * Mean of the trees' leaf values per row, row-major `rows × width`: class probabilities (scikit-learn's
 * `predict_proba`) for classification, the prediction for regression.
 */
export function predictForestValues(forest: ForestData, x: Float64Array, rows: number): Float64Array {
  assertMatrix(x, rows, forest.cols, 'predict input');
  const { width: classes, cols } = forest;
  const out = new Float64Array(rows * classes);
  for (const tree of forest.trees) {
    const { feature, threshold, left, value } = tree;
    for (let r = 0; r < rows; r++) {
      let node = 0;
      let f = feature[0]!;
      const base = r * cols;
      while (f >= 0) {
        node = x[base + f]! <= threshold[node]! ? left[node]! : left[node]! + 1;
        f = feature[node]!;
      }
      const o = r * classes;
      const v = node * classes;
      for (let c = 0; c < classes; c++) out[o + c]! += value[v + c]!;
    }
  }
  const n = forest.trees.length;
  for (let i = 0; i < out.length; i++) out[i]! /= n;
  return out;
}

/**
 * Impurity-based feature importances (scikit-learn's `feature_importances_`): each tree's weighted
 * impurity decreases per feature, normalised to sum 1, averaged over trees, normalised again.
 */
export function forestImportances(forest: ForestData): Float64Array {
  const total = new Float64Array(forest.cols);
  for (const tree of forest.trees) {
    const sum = tree.impurityDecrease.reduce((a, b) => a + b, 0);
    if (sum > 0) for (let j = 0; j < forest.cols; j++) total[j]! += tree.impurityDecrease[j]! / sum;
  }
  const sum = total.reduce((a, b) => a + b, 0);
  return sum > 0 ? total.map((v) => v / sum) : total;
}

/** Class index per row: argmax of the mean probabilities (ties to the lower index). */
export function predictForest(forest: ForestData, x: Float64Array, rows: number): Int32Array {
  return argmaxRows(predictForestValues(forest, x, rows), rows, forest.width);
}

/** Per row of a row-major `rows × k` matrix, the index of its largest value (ties to the lower index). */
export function argmaxRows(proba: Float64Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[r * k + c]! > proba[r * k + best]!) best = c;
    out[r] = best;
  }
  return out;
}
