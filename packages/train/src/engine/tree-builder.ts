import type { RandomState } from '@mlops/core';
import type { BinnedFeatures } from './binning';
import { KernelMemory, type Kernels } from '../kernels/kernels';

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

/** Room for every node a tree on `rows` rows can have, up to 65,536 (then it doubles as it grows). */
function initialCapacity(rows: number): number {
  return Math.max(1, Math.min(2 * rows - 1, 1 << 16));
}

class GrowableTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  value: Float64Array;
  count = 0;
  /** `capacity`: nodes to make room for up front (a tree on n rows has at most 2n − 1). */
  constructor(
    private readonly classes: number,
    capacity: number,
  ) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.value = new Float64Array(capacity * classes);
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
    this.feature[this.count] = -1;
    this.threshold[this.count] = 0;
    this.left[this.count] = 0;
    return this.count++;
  }
  /** Starts a new tree in the same arrays. */
  reset(): void {
    this.count = 0;
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

/** Nodes at least this large build the histograms of all drawn features in one pass over their rows. */
const FUSED_MIN_ROWS = 64;

/** Where the best split of a node was found; `feature` -1 when none improves on the node. */
interface Split {
  feature: number;
  bin: number;
  gain: number;
}

/**
 * The working state of growing one tree. Each hot loop is a method of its own, so the JIT compiles
 * them early and small. Rows of the current node are `order[start, end)`, with their weight and target
 * side by side in `rowWeight`/`rowClass`/`rowValue` (partitioned together, read in sequence).
 */
export class TreeGrower {
  readonly codes: Uint8Array | Uint32Array;
  readonly cols: number;
  readonly bins: number;
  readonly slots: number;
  readonly regression: boolean;
  readonly criterion: TreeLimits['criterion'];
  readonly minSamplesLeaf: number;
  readonly maxFeatures: number;
  readonly order: Int32Array;
  readonly rowWeight: Float64Array;
  readonly rowClass: Int32Array;
  readonly rowValue: Float64Array;
  /** Per bin (per drawn feature when fused): `slots` statistics, and the number of rows. */
  readonly hist: Float64Array;
  readonly binRows: Int32Array;
  readonly touched: Int32Array;
  readonly isTouched: Uint8Array;
  /** The drawn features come first. */
  readonly features: Int32Array;
  readonly leftStats: Float64Array;
  readonly rightStats: Float64Array;
  readonly bestLeft: Float64Array;
  /** Per node, its statistics (class weights, or [weight, Σ w·y, Σ w·y²]). */
  stats: Float64Array;
  readonly split: Split = { feature: -1, bin: -1, gain: 0 };
  /** The node being split: where its statistics sit, their total, its rows, its impurity. */
  readonly node = { at: 0, total: 0, size: 0, impurity: 0 };
  readonly binned: BinnedFeatures;
  readonly tree: GrowableTree;
  /** Classification with Gini on byte codes: the split search and partition run as WebAssembly kernels. */
  private readonly wasm: WasmSearch | undefined;

  constructor(
    binned: BinnedFeatures,
    private readonly target: TreeTarget,
    private readonly limits: TreeLimits,
    /** Use the WebAssembly kernels where they apply (the JavaScript path gives the same trees; tests compare them). */
    kernels = true,
  ) {
    this.binned = binned;
    this.cols = binned.cols;
    this.bins = binned.bins;
    this.regression = target.kind === 'regression';
    this.slots = target.kind === 'regression' ? 3 : target.classes;
    this.criterion = limits.criterion;
    this.minSamplesLeaf = limits.minSamplesLeaf;
    this.maxFeatures = limits.maxFeatures;
    const rows = binned.rows;
    const memory =
      kernels && !this.regression && this.criterion === 'gini' && this.fused ? new KernelMemory() : undefined;
    // The arrays the kernels read live in their memory; JavaScript reads and writes them there too.
    const array = <T extends Int32Array | Float64Array | Uint8Array>(
      Kind: { new (length: number): T } & Parameters<KernelMemory['alloc']>[0],
      length: number,
    ): T => (memory ? (memory.alloc(Kind, length) as T) : new Kind(length));
    this.codes = memory ? array(Uint8Array, binned.codes.length) : binned.codes;
    if (memory) this.codes.set(binned.codes);
    this.order = array(Int32Array, rows);
    this.rowWeight = array(Float64Array, rows);
    this.rowClass = array(Int32Array, this.regression ? 0 : rows);
    this.rowValue = new Float64Array(this.regression ? rows : 0);
    const fused = this.fused ? this.maxFeatures : 1;
    this.hist = array(Float64Array, fused * this.bins * this.slots);
    this.binRows = array(Int32Array, fused * this.bins);
    this.touched = array(Int32Array, this.bins);
    this.isTouched = array(Uint8Array, this.bins);
    this.features = array(Int32Array, this.cols);
    this.leftStats = array(Float64Array, this.slots);
    this.rightStats = new Float64Array(this.slots);
    this.bestLeft = array(Float64Array, this.slots);
    this.stats = new Float64Array(initialCapacity(rows) * this.slots);
    this.tree = new GrowableTree(leafWidth(target), initialCapacity(rows));
    this.wasm = memory && this.wasmSearch(memory);
  }

  /** The kernels' view of this grower: its arrays' offsets (see `bestSplit` in kernels.wat). */
  private wasmSearch(memory: KernelMemory): WasmSearch {
    const layout = memory.alloc(Int32Array, 16);
    const binCounts = memory.alloc(Int32Array, this.cols);
    this.binned.edges.forEach((edges, f) => {
      binCounts[f] = edges.length + 1;
    });
    layout.set([
      this.codes.byteOffset,
      this.cols,
      this.order.byteOffset,
      this.rowWeight.byteOffset,
      this.rowClass.byteOffset,
      this.features.byteOffset,
      this.maxFeatures,
      binCounts.byteOffset,
      this.bins,
      this.slots,
      this.hist.byteOffset,
      this.binRows.byteOffset,
      this.touched.byteOffset,
      this.isTouched.byteOffset,
      this.leftStats.byteOffset,
      this.bestLeft.byteOffset,
    ]);
    return {
      kernels: memory.kernels,
      layout: layout.byteOffset,
      nodeStats: memory.alloc(Float64Array, this.slots),
      out: memory.alloc(Float64Array, 3),
    };
  }

  /** Takes the rows of positive weight, in order; returns how many. */
  private load(weights: Float64Array): number {
    const { target, order, rowWeight, rowClass, rowValue } = this;
    let used = 0;
    for (let r = 0; r < weights.length; r++) {
      if (!(weights[r]! > 0)) continue;
      order[used] = r;
      rowWeight[used] = weights[r]!;
      if (target.kind === 'regression') rowValue[used] = target.y[r]!;
      else rowClass[used] = target.y[r]!;
      used++;
    }
    return used;
  }

  /** Histograms of every drawn feature at once stay small (byte codes). */
  get fused(): boolean {
    return this.bins <= 256;
  }

  /** Statistics of the first `used` rows, into node 0's slots. */
  private rootStats(used: number): void {
    const { stats, rowWeight, rowClass, rowValue } = this;
    stats.fill(0, 0, this.slots);
    for (let i = 0; i < used; i++) {
      const w = rowWeight[i]!;
      if (this.regression) {
        const v = rowValue[i]!;
        stats[0]! += w;
        stats[1]! += w * v;
        stats[2]! += w * v * v;
      } else stats[rowClass[i]!]! += w;
    }
  }

  /** Fills the histograms of all drawn features in one pass over `order[start, end)`. */
  fillFused(start: number, end: number): void {
    const { codes, cols, bins, hist, binRows, order, rowWeight, rowClass, rowValue, features, maxFeatures } = this;
    const slots = this.slots;
    for (let i = start; i < end; i++) {
      const base = order[i]! * cols;
      const w = rowWeight[i]!;
      if (this.regression) {
        const v = rowValue[i]!;
        for (let k = 0; k < maxFeatures; k++) {
          const slot = k * bins + codes[base + features[k]!]!;
          const h = slot * 3;
          hist[h]! += w;
          hist[h + 1]! += w * v;
          hist[h + 2]! += w * v * v;
          binRows[slot]!++;
        }
      } else {
        const y = rowClass[i]!;
        for (let k = 0; k < maxFeatures; k++) {
          const slot = k * bins + codes[base + features[k]!]!;
          hist[slot * slots + y]! += w;
          binRows[slot]!++;
        }
      }
    }
  }

  /** Fills the histogram of feature `f` over the bins `order[start, end)` touches; returns their count. */
  fillTouched(f: number, start: number, end: number, nb: number): number {
    const { codes, cols, hist, binRows, order, rowWeight, rowClass, rowValue, touched, isTouched } = this;
    const slots = this.slots;
    let n = 0;
    for (let i = start; i < end; i++) {
      const bin = codes[order[i]! * cols + f]!;
      if (!isTouched[bin]) {
        isTouched[bin] = 1;
        touched[n++] = bin;
      }
      const w = rowWeight[i]!;
      if (this.regression) {
        const v = rowValue[i]!;
        const h = bin * 3;
        hist[h]! += w;
        hist[h + 1]! += w * v;
        hist[h + 2]! += w * v * v;
      } else hist[bin * slots + rowClass[i]!]! += w;
      binRows[bin]!++;
    }
    sortTouched(touched, n, isTouched, nb);
    return n;
  }

  /** Zeroes what `fillTouched` wrote. */
  clearTouched(n: number): void {
    const { hist, binRows, touched, isTouched, slots } = this;
    for (let t = 0; t < n; t++) {
      const bin = touched[t]!;
      isTouched[bin] = 0;
      binRows[bin] = 0;
      for (let c = bin * slots; c < bin * slots + slots; c++) hist[c] = 0; // inline: fill() costs a call per bin
    }
  }

  /**
   * Scans the split points of feature `f` — after each of its bins `touched[0, n)`, or `0 … n − 1` when `dense`
   * (histograms at bin offset `offset`; empty bins skipped) — and records in `split` any better than it holds.
   */
  scan(f: number, dense: boolean, offset: number, n: number): void {
    const { at, total, size, impurity: parentImpurity } = this.node;
    const { hist, binRows, touched, leftStats, rightStats, stats, slots, criterion, minSamplesLeaf } = this;
    leftStats.fill(0);
    let leftTotal = 0;
    let leftRows = 0;
    for (let t = 0; t < n; t++) {
      const bin = dense ? t : touched[t]!;
      const slot = offset + bin;
      if (binRows[slot] === 0) continue;
      for (let c = 0; c < slots; c++) leftStats[c]! += hist[slot * slots + c]!;
      if (this.regression) leftTotal = leftStats[0]!;
      else {
        leftTotal = 0;
        for (let c = 0; c < slots; c++) leftTotal += leftStats[c]!;
      }
      leftRows += binRows[slot]!;
      if (leftRows === size) break; // the last present bin: nothing left for the right
      if (leftRows < minSamplesLeaf || size - leftRows < minSamplesLeaf) continue;
      const rightTotal = total - leftTotal;
      for (let c = 0; c < slots; c++) rightStats[c] = stats[at + c]! - leftStats[c]!;
      const childImpurity =
        (leftTotal / total) * impurity(leftStats, 0, slots, leftTotal, criterion) +
        (rightTotal / total) * impurity(rightStats, 0, slots, rightTotal, criterion);
      const gain = parentImpurity - childImpurity;
      this.offer(f, bin, gain);
    }
  }

  /** Takes split `(f, bin)` of the node being split when its gain beats the best so far by more than 1e-12. */
  private offer(f: number, bin: number, gain: number): void {
    const split = this.split;
    if (!(gain > split.gain + 1e-12)) return;
    split.gain = gain;
    split.feature = f;
    split.bin = bin;
    this.bestLeft.set(this.leftStats);
  }

  /** `scan` for the Gini criterion, with the child impurities in closed form: 1 − (Σ l² / lt + Σ r² / rt) / total. */
  scanGini(f: number, dense: boolean, offset: number, n: number): void {
    const { at, total, size, impurity: parentImpurity } = this.node;
    const { hist, binRows, touched, leftStats, stats, slots, minSamplesLeaf } = this;
    leftStats.fill(0);
    let leftRows = 0;
    for (let t = 0; t < n; t++) {
      const bin = dense ? t : touched[t]!;
      const slot = offset + bin;
      if (binRows[slot] === 0) continue;
      let leftTotal = 0;
      let leftSquares = 0;
      let rightSquares = 0;
      for (let c = 0; c < slots; c++) {
        const l = leftStats[c]! + hist[slot * slots + c]!;
        leftStats[c] = l;
        const r = stats[at + c]! - l;
        leftTotal += l;
        leftSquares += l * l;
        rightSquares += r * r;
      }
      leftRows += binRows[slot]!;
      if (leftRows === size) break; // the last present bin: nothing left for the right
      if (leftRows < minSamplesLeaf || size - leftRows < minSamplesLeaf) continue;
      const gain = parentImpurity - 1 + (leftSquares / leftTotal + rightSquares / (total - leftTotal)) / total;
      this.offer(f, bin, gain);
    }
  }

  /** Moves the rows of `order[start, end)` whose bin of `f` is ≤ `bin` to the front; returns where the rest start. */
  partition(f: number, bin: number, start: number, end: number): number {
    const { codes, cols, order, rowWeight, rowClass, rowValue } = this;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if (codes[order[i]! * cols + f]! <= bin) i++;
      else {
        swap(order, i, j);
        swap(rowWeight, i, j);
        if (this.regression) swap(rowValue, i, j);
        else swap(rowClass, i, j);
        j--;
      }
    }
    return i;
  }

  /** Records the children's statistics (left from the split, right as the rest of the node's). */
  childStats(node: number, leftChild: number, capacity: number): void {
    const slots = this.slots;
    if (this.stats.length < capacity * slots) {
      const grown = new Float64Array(capacity * slots);
      grown.set(this.stats);
      this.stats = grown;
    }
    const { stats, bestLeft } = this;
    const at = node * slots;
    const leftAt = leftChild * slots;
    for (let c = 0; c < slots; c++) {
      stats[leftAt + c] = bestLeft[c]!;
      stats[leftAt + slots + c] = stats[at + c]! - bestLeft[c]!;
    }
  }

  /**
   * Grows one tree. `weights[row]` is the row's weight (bootstrap count × class weight); rows with weight 0 do
   * not take part. Splits are searched on per-node histograms (class counts, or weight, sum and sum of squares
   * for regression) for `maxFeatures` features drawn afresh at every split. Large nodes fill the drawn
   * features' histograms in one pass over their rows (a row's codes sit together); small ones histogram only
   * the bins their rows touch. A child's statistics come from its parent's split.
   */
  grow(weights: Float64Array, random: RandomState): FlatTree {
    const { edges, cols } = this.binned;
    const { slots, regression, features, maxFeatures, split, limits, tree, wasm } = this;
    const gini = limits.criterion === 'gini';
    const impurityDecrease = new Float64Array(cols);
    const used = this.load(weights);
    this.rootStats(used);
    for (let j = 0; j < cols; j++) features[j] = j;
    tree.reset();

    // Stack of [node, start, end, depth] over `order`.
    const stack: number[] = [tree.add(), 0, used, 0];
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      const node = stack.pop()!;
      const stats = this.stats;
      const at = node * slots;

      let total = 0;
      if (regression) total = stats[at]!;
      else for (let c = 0; c < slots; c++) total += stats[at + c]!;
      if (regression) tree.value[node] = stats[at + 1]! / total;
      else for (let c = 0; c < slots; c++) tree.value[at + c] = stats[at + c]! / total;

      const size = end - start;
      const parentImpurity = impurity(stats, at, slots, total, limits.criterion);
      if (
        depth >= limits.maxDepth ||
        size < limits.minSamplesSplit ||
        size < 2 * limits.minSamplesLeaf ||
        parentImpurity <= 1e-12
      ) {
        continue;
      }

      // Draw maxFeatures distinct features (partial Fisher–Yates), in the order they are searched.
      for (let k = 0; k < maxFeatures; k++) {
        const j = k + random.randomInterval(cols - 1 - k);
        const f = features[j]!;
        features[j] = features[k]!;
        features[k] = f;
      }
      const fused = this.fused && size >= FUSED_MIN_ROWS;
      if (wasm) {
        wasm.nodeStats.set(stats.subarray(at, at + slots));
        const { nodeStats, out } = wasm;
        const { minSamplesLeaf } = this;
        wasm.kernels.bestSplit(
          wasm.layout,
          start,
          end,
          nodeStats.byteOffset,
          total,
          size,
          parentImpurity,
          minSamplesLeaf,
          fused ? 1 : 0,
          out.byteOffset,
        );
        split.gain = out[0]!;
        split.feature = out[1]!;
        split.bin = out[2]!;
      } else {
        split.feature = -1;
        split.bin = -1;
        split.gain = 0;
        this.node.at = at;
        this.node.total = total;
        this.node.size = size;
        this.node.impurity = parentImpurity;
        if (fused) this.fillFused(start, end);
        for (let k = 0; k < maxFeatures; k++) {
          const f = features[k]!;
          const nb = edges[f]!.length + 1;
          const offset = fused ? k * this.bins : 0;
          const n = fused ? nb : this.fillTouched(f, start, end, nb);
          if (gini) this.scanGini(f, fused, offset, n);
          else this.scan(f, fused, offset, n);
          if (!fused) this.clearTouched(n);
        }
        if (fused) {
          this.hist.fill(0);
          this.binRows.fill(0);
        }
      }
      if (split.feature < 0) continue;

      const middle = wasm
        ? wasm.kernels.partitionRows(wasm.layout, split.feature, split.bin, start, end)
        : this.partition(split.feature, split.bin, start, end);
      const leftChild = tree.add();
      tree.add();
      this.childStats(node, leftChild, tree.feature.length);
      tree.feature[node] = split.feature;
      tree.threshold[node] = edges[split.feature]![split.bin]!;
      tree.left[node] = leftChild;
      impurityDecrease[split.feature]! += total * split.gain;
      stack.push(leftChild + 1, middle, end, depth + 1, leftChild, start, middle, depth + 1);
    }
    return tree.finish(impurityDecrease);
  }
}

/** The WebAssembly split search of a grower: its kernels, where its arrays are described, and its in/out slots. */
interface WasmSearch {
  readonly kernels: Kernels;
  readonly layout: number;
  readonly nodeStats: Float64Array;
  /** [gain, feature, bin] of the best split found. */
  readonly out: Float64Array;
}

function swap(a: Int32Array | Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * Sorts the first `n` bins of `touched` in place, ascending (no allocation): insertion sort for the few bins
 * small nodes touch, a pass over the `marked` bins below `bins` when they are dense, else a typed-array sort.
 */
function sortTouched(touched: Int32Array, n: number, marked: Uint8Array, bins: number): void {
  if (n > 16) {
    if (n * 16 < bins) {
      touched.subarray(0, n).sort();
      return;
    }
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
