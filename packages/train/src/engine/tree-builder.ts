import type { RandomState } from '@mlops/core';
import type { BinnedFeatures } from './binning';

/** Growth limits of one tree, with scikit-learn's meanings. */
export interface TreeLimits {
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** Features drawn (without replacement) at every split. */
  readonly maxFeatures: number;
  /** `gini`/`entropy` for classification, `squared_error` for regression. */
  readonly criterion: 'gini' | 'entropy' | 'squared_error';
}

/** What a tree learns: class indices in [0, classes), or real values. */
export type TreeTarget =
  | { readonly kind: 'classification'; readonly y: Int32Array; readonly classes: number }
  | { readonly kind: 'regression'; readonly y: Float64Array };

/** Values stored per leaf: the class distribution, or the mean. */
export function leafWidth(target: TreeTarget): number {
  return target.kind === 'classification' ? target.classes : 1;
}

/**
 * A fitted tree in flat arrays. Node 0 is the root; an internal node's children are `left[i]` and
 * `left[i] + 1`. Leaves have `feature[i] = -1`; `value` holds, at `i * width`, their class distribution
 * (classification) or mean target (regression).
 */
export interface FlatTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly value: Float64Array;
  readonly nodeCount: number;
  /** Weighted impurity decrease per feature, summed over this tree's splits (for importances). */
  readonly impurityDecrease: Float64Array;
}

class GrowableTree {
  feature = new Int32Array(64);
  threshold = new Float64Array(64);
  left = new Int32Array(64);
  value: Float64Array;
  count = 0;
  constructor(private readonly classes: number) {
    this.value = new Float64Array(64 * classes);
  }
  add(): number {
    if (this.count === this.feature.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, size: number): T => {
        const b = new (a.constructor as new (n: number) => T)(size);
        b.set(a);
        return b;
      };
      const size = this.count * 2;
      this.feature = grow(this.feature, size);
      this.threshold = grow(this.threshold, size);
      this.left = grow(this.left, size);
      this.value = grow(this.value, size * this.classes);
    }
    return this.count++;
  }
  finish(impurityDecrease: Float64Array): FlatTree {
    const n = this.count;
    return {
      impurityDecrease,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      value: this.value.slice(0, n * this.classes),
      nodeCount: n,
    };
  }
}

/** Impurity of the node statistics at `offset` with weight `total`: Gini, entropy, or variance. */
function impurity(
  stats: Float64Array,
  offset: number,
  width: number,
  total: number,
  criterion: TreeLimits['criterion'],
): number {
  if (criterion === 'squared_error') {
    const mean = stats[offset + 1]! / total;
    return Math.max(0, stats[offset + 2]! / total - mean * mean);
  }
  const entropy = criterion === 'entropy';
  let result = entropy ? 0 : 1;
  for (let c = 0; c < width; c++) {
    const p = stats[offset + c]! / total;
    if (entropy) result -= p > 0 ? p * Math.log2(p) : 0;
    else result -= p * p;
  }
  return result;
}

/**
 * Grows one tree on binned features. `weights[row]` is the row's weight (bootstrap count × class weight); rows
 * with weight 0 do not take part. Splits are searched on per-node histograms (class counts, or weight,
 * sum and sum of squares for regression) over only the bins present in the node, for `maxFeatures`
 * features drawn afresh at every split.
 */
export function buildTree(
  binned: BinnedFeatures,
  target: TreeTarget,
  weights: Float64Array,
  limits: TreeLimits,
  random: RandomState,
): FlatTree {
  const { codes, edges, rows, cols } = binned;
  const { criterion } = limits;
  const regression = target.kind === 'regression';
  const yClass = target.kind === 'classification' ? target.y : new Int32Array(0);
  const yValue = target.kind === 'regression' ? target.y : new Float64Array(0);
  // Histogram slots per bin: class counts, or [weight, Σ w·y, Σ w·y²].
  const classes = regression ? 3 : target.classes;
  const width = leafWidth(target);
  const tree = new GrowableTree(width);
  const order = new Int32Array(rows);
  let used = 0;
  for (let r = 0; r < rows; r++) if (weights[r]! > 0) order[used++] = r;

  const bins = binned.bins;
  const hist = new Float64Array(bins * classes);
  const binRows = new Int32Array(bins);
  const touched = new Int32Array(bins);
  const isTouched = new Uint8Array(bins);
  const features = Int32Array.from({ length: cols }, (_, j) => j);
  const nodeCounts = new Float64Array(classes);
  const leftCounts = new Float64Array(classes);
  const rightCounts = new Float64Array(classes);
  const impurityDecrease = new Float64Array(cols);

  // Stack of [node, start, end, depth] over `order`.
  const stack: number[] = [tree.add(), 0, used, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;

    nodeCounts.fill(0);
    let total = 0;
    for (let i = start; i < end; i++) {
      const r = order[i]!;
      const w = weights[r]!;
      if (regression) {
        const v = yValue[r]!;
        nodeCounts[0]! += w;
        nodeCounts[1]! += w * v;
        nodeCounts[2]! += w * v * v;
      } else nodeCounts[yClass[r]!]! += w;
      total += w;
    }
    if (regression) tree.value[node] = nodeCounts[1]! / total;
    else for (let c = 0; c < classes; c++) tree.value[node * classes + c] = nodeCounts[c]! / total;
    tree.feature[node] = -1;

    const size = end - start;
    const parentImpurity = impurity(nodeCounts, 0, classes, total, criterion);
    if (
      depth >= limits.maxDepth ||
      size < limits.minSamplesSplit ||
      size < 2 * limits.minSamplesLeaf ||
      parentImpurity <= 1e-12
    ) {
      continue;
    }

    let bestGain = 0;
    let bestFeature = -1;
    let bestBin = -1;
    // Draw maxFeatures distinct features (partial Fisher–Yates).
    for (let k = 0; k < limits.maxFeatures; k++) {
      const j = k + random.randomInterval(cols - 1 - k);
      const f = features[j]!;
      features[j] = features[k]!;
      features[k] = f;

      const column = f * rows;
      let nTouched = 0;
      for (let i = start; i < end; i++) {
        const r = order[i]!;
        const bin = codes[column + r]!;
        if (!isTouched[bin]) {
          isTouched[bin] = 1;
          touched[nTouched++] = bin;
        }
        const w = weights[r]!;
        if (regression) {
          const v = yValue[r]!;
          const at = bin * 3;
          hist[at]! += w;
          hist[at + 1]! += w * v;
          hist[at + 2]! += w * v * v;
        } else hist[bin * classes + yClass[r]!]! += w;
        binRows[bin]!++;
      }
      sortTouched(touched, nTouched, isTouched);
      const present = touched;
      leftCounts.fill(0);
      let leftTotal = 0;
      let leftRows = 0;
      for (let t = 0; t < nTouched - 1; t++) {
        const bin = present[t]!;
        for (let c = 0; c < classes; c++) leftCounts[c]! += hist[bin * classes + c]!;
        if (regression) leftTotal = leftCounts[0]!;
        else {
          leftTotal = 0;
          for (let c = 0; c < classes; c++) leftTotal += leftCounts[c]!;
        }
        leftRows += binRows[bin]!;
        if (leftRows < limits.minSamplesLeaf || size - leftRows < limits.minSamplesLeaf) continue;
        const rightTotal = total - leftTotal;
        for (let c = 0; c < classes; c++) rightCounts[c] = nodeCounts[c]! - leftCounts[c]!;
        const childImpurity =
          (leftTotal / total) * impurity(leftCounts, 0, classes, leftTotal, criterion) +
          (rightTotal / total) * impurity(rightCounts, 0, classes, rightTotal, criterion);
        const gain = parentImpurity - childImpurity;
        if (gain > bestGain + 1e-12) {
          bestGain = gain;
          bestFeature = f;
          bestBin = bin;
        }
      }
      for (let t = 0; t < nTouched; t++) {
        const bin = touched[t]!;
        isTouched[bin] = 0;
        binRows[bin] = 0;
        for (let c = bin * classes; c < bin * classes + classes; c++) hist[c] = 0; // inline: fill() costs a call per bin
      }
    }
    if (bestFeature < 0) continue;

    // Partition the node's rows: bins ≤ bestBin go left.
    const column = bestFeature * rows;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if (codes[column + order[i]!]! <= bestBin) i++;
      else {
        const tmp = order[i]!;
        order[i] = order[j]!;
        order[j--] = tmp;
      }
    }
    const leftChild = tree.add();
    tree.add();
    tree.feature[node] = bestFeature;
    tree.threshold[node] = edges[bestFeature]![bestBin]!;
    tree.left[node] = leftChild;
    impurityDecrease[bestFeature]! += total * bestGain;
    stack.push(leftChild + 1, i, end, depth + 1, leftChild, start, i, depth + 1);
  }
  return tree.finish(impurityDecrease);
}

/**
 * Sorts the first `n` bins of `touched` in place, ascending: insertion sort for the few bins small nodes touch, else
 * a pass over the `marked` bins in order (no allocation either way).
 */
function sortTouched(touched: Int32Array, n: number, marked: Uint8Array): void {
  if (n > 16) {
    let k = 0;
    for (let bin = 0; k < n; bin++) if (marked[bin]) touched[k++] = bin;
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = touched[i]!;
    let j = i - 1;
    while (j >= 0 && touched[j]! > v) {
      touched[j + 1] = touched[j]!;
      j--;
    }
    touched[j + 1] = v;
  }
}
