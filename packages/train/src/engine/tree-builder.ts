import type { RandomState } from '@mlops/core';
import type { BinnedFeatures } from './binning';

/** Growth limits of one tree, with scikit-learn's meanings. */
export interface TreeLimits {
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** Features drawn (without replacement) at every split. */
  readonly maxFeatures: number;
  readonly criterion: 'gini' | 'entropy';
}

/**
 * A fitted tree in flat arrays. Node 0 is the root; an internal node's children are `left[i]` and
 * `left[i] + 1`. Leaves have `feature[i] = -1` and `value` holds their class distribution at `i * classes`.
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

function impurity(counts: Float64Array, offset: number, classes: number, total: number, entropy: boolean): number {
  let result = entropy ? 0 : 1;
  for (let c = 0; c < classes; c++) {
    const p = counts[offset + c]! / total;
    if (entropy) result -= p > 0 ? p * Math.log2(p) : 0;
    else result -= p * p;
  }
  return result;
}

/**
 * Grows one classification tree on binned features. `weights[row]` is how often a row was drawn
 * (bootstrap); rows with weight 0 do not take part. Splits are searched on per-node class histograms
 * over only the bins present in the node, for `maxFeatures` features drawn afresh at every split.
 */
export function buildTree(
  binned: BinnedFeatures,
  y: Int32Array,
  classes: number,
  weights: Int32Array,
  limits: TreeLimits,
  random: RandomState,
): FlatTree {
  const { codes, edges, rows, cols } = binned;
  const entropy = limits.criterion === 'entropy';
  const tree = new GrowableTree(classes);
  const order = new Int32Array(rows);
  let used = 0;
  for (let r = 0; r < rows; r++) if (weights[r]! > 0) order[used++] = r;

  const hist = new Float64Array(256 * classes);
  const touched = new Int32Array(256);
  const isTouched = new Uint8Array(256);
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
      nodeCounts[y[r]!]! += weights[r]!;
      total += weights[r]!;
    }
    for (let c = 0; c < classes; c++) tree.value[node * classes + c] = nodeCounts[c]! / total;
    tree.feature[node] = -1;

    const size = end - start;
    const parentImpurity = impurity(nodeCounts, 0, classes, total, entropy);
    if (depth >= limits.maxDepth || size < limits.minSamplesSplit || size < 2 * limits.minSamplesLeaf || parentImpurity <= 1e-12) {
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
        hist[bin * classes + y[r]!]! += weights[r]!;
      }
      const bins = touched.subarray(0, nTouched).sort();
      // Distinct-row counts per bin are needed for minSamplesLeaf; count them only when it matters.
      leftCounts.fill(0);
      let leftTotal = 0;
      let leftRows = 0;
      for (let t = 0; t < nTouched - 1; t++) {
        const bin = bins[t]!;
        let binTotal = 0;
        for (let c = 0; c < classes; c++) {
          const v = hist[bin * classes + c]!;
          leftCounts[c]! += v;
          binTotal += v;
        }
        leftTotal += binTotal;
        if (limits.minSamplesLeaf > 1) {
          leftRows = 0;
          for (let i = start; i < end; i++) if (codes[column + order[i]!]! <= bin) leftRows++;
          if (leftRows < limits.minSamplesLeaf || size - leftRows < limits.minSamplesLeaf) continue;
        }
        const rightTotal = total - leftTotal;
        for (let c = 0; c < classes; c++) rightCounts[c] = nodeCounts[c]! - leftCounts[c]!;
        const childImpurity =
          (leftTotal / total) * impurity(leftCounts, 0, classes, leftTotal, entropy) +
          (rightTotal / total) * impurity(rightCounts, 0, classes, rightTotal, entropy);
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
        hist.fill(0, bin * classes, bin * classes + classes);
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
