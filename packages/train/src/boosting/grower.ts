import type { TreeWorkspace } from './engine';
import { MISSING_BIN } from '../engine/binning';
import { BIN, STRIDE } from '../kernels/kernels';

/** Bin codes of the training rows, and what each feature's bins mean. */
export interface BinnedRows {
  /** Row-major: `codes[row * cols + feature]` (what histograms read). */
  readonly codes: Uint8Array;
  /** The same, column-major: `columns[feature * rows + row]` (what partitions read). */
  readonly columns: Uint8Array;
  readonly rows: number;
  readonly cols: number;
  /** Per feature, bin b holds the values ≤ edges[f][b] (the last bin has no upper edge). */
  readonly edges: readonly Float64Array[];
  /** Per feature, its number of categories when it is a category column (codes are its bins), else 0. */
  readonly categories: readonly number[];
  /** Per feature, whether some training row misses it (code `MISSING_BIN`). */
  readonly missing: readonly boolean[];
}

/** Growth limits of one boosted tree, with scikit-learn's `HistGradientBoosting*` meanings. */
export interface GrowLimits {
  readonly maxLeafNodes: number;
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly l2Regularization: number;
  readonly learningRate: number;
}

/**
 * A boosted tree in flat arrays. Node 0 is the root; leaves have `feature[i] = -1` and their (shrunk) value in
 * `value[i]`; an internal node sends a row left when its feature is ≤ `threshold[i]` (a bin edge; `bin[i]` on codes).
 */
export interface BoostedTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly bin: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  /** Loss reduction of each split (0 at leaves): what feature importances sum. */
  readonly gain: Float64Array;
  /** Training rows that reached each node (TreeSHAP's cover). */
  readonly cover: Float64Array;
  /**
   * 1 where a missing value (`NaN`) goes left: learned when the training rows miss the feature, else toward the
   * child with more rows (scikit-learn's rule); 0 at leaves.
   */
  readonly missingLeft: Uint8Array;
  /**
   * Category splits, when the tree has any: per node 8 words (256 bits), bit c set when category code c goes left;
   * all zero at numeric splits and leaves. A category split has a NaN threshold.
   */
  readonly leftCategories?: Uint32Array;
}

/** Words of a node's category bitset. */
export const CATEGORY_WORDS = 8;
/** Least rows a category needs to be ordered by its gradients (scikit-learn's `MIN_CAT_SUPPORT`); rarer ones go right. */
const MIN_CATEGORY_SUPPORT = 10;

/** Whether category code `value` goes left at a category split `node` (an unknown or non-integer code goes right). */
export function categoryGoesLeft(leftCategories: Uint32Array | undefined, node: number, value: number): boolean {
  if (!leftCategories || !(Number.isInteger(value) && value >= 0 && value < 256)) return false;
  return ((leftCategories[node * CATEGORY_WORDS + (value >>> 5)]! >>> (value & 31)) & 1) === 1;
}

/** Whether `value` (a raw feature value, or a bin code) goes left at internal node `node`. */
function goesLeft(tree: BoostedTree, node: number, value: number, onCodes = false): boolean {
  if (onCodes ? value === MISSING_BIN : Number.isNaN(value)) return tree.missingLeft[node] === 1;
  if (Number.isNaN(tree.threshold[node]!)) return categoryGoesLeft(tree.leftCategories, node, value);
  return onCodes ? value <= tree.bin[node]! : value <= tree.threshold[node]!;
}

/** Least hessian a child needs (scikit-learn's `min_hessian_to_split`). */
const MIN_HESSIAN = 1e-3;

/** Per feature and bin, three numbers side by side: sum of gradients, sum of hessians, row count. */
type Histogram = Float64Array;

interface Leaf {
  readonly node: number;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  readonly sumG: number;
  readonly sumH: number;
  hist: Histogram | undefined;
  gain: number;
  feature: number;
  bin: number;
  leftG: number;
  leftH: number;
  leftCount: number;
  /** For a category split: the categories going left. */
  leftSet: Uint32Array | undefined;
  /** Whether missing values go left (learned by the split search when the feature has some). */
  missingLeft: boolean;
}

/** Grows trees on `data` (see {@link createTreeGrower}). */
export type TreeGrower = (
  output: number,
  root: Histogram,
  onLeaf: (start: number, end: number, value: number) => void,
) => BoostedTree;

/**
 * A grower of trees on `data` in one thread's `workspace` (its kernels, histograms and row order). Each call grows
 * one tree best split first (scikit-learn's leaf-wise growth) on output `output`'s gradients and hessians
 * (`workspace.g`/`workspace.h`) of the rows in `workspace.order` (reordered in place so each leaf's rows are
 * contiguous), starting from the root histogram `root` (taken back into the workspace's pool); histograms are built
 * for the smaller child of a split and subtracted from the parent's for the larger one; `onLeaf(start, end, value)`
 * is called for every leaf's range of `order`.
 * Deterministic: ties go to the lower feature, then the lower bin, then the older leaf.
 */
export function createTreeGrower(data: BinnedRows, limits: GrowLimits, workspace: TreeWorkspace): TreeGrower {
  const { cols, edges } = data;
  const { minSamplesLeaf, l2Regularization: l2 } = limits;
  const order = workspace.order;
  return (output, rootHist, onLeaf) => {
    const g = workspace.g[output]!;
    const h = workspace.h[output]!;
    const feature: number[] = [];
    const threshold: number[] = [];
    const bin: number[] = [];
    let leftCategories: number[] | undefined;
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    const gain: number[] = [];
    const cover: number[] = [];
    const missingLeftOf: number[] = [];
    const newNode = (): number => {
      missingLeftOf.push(0);
      feature.push(-1);
      threshold.push(0);
      bin.push(0);
      left.push(-1);
      right.push(-1);
      value.push(0);
      gain.push(0);
      cover.push(0);
      return feature.length - 1;
    };

    const build = (start: number, end: number): Histogram => {
      const hist = workspace.take();
      workspace.build(hist, output, start, end);
      return hist;
    };

    const score = (sg: number, sh: number) => (sg * sg) / (sh + l2);

    /** Takes a candidate split of `leaf` (left sums `gl`, `hl`, `nl`) when its gain beats the best so far. */
    const offer = (
      leaf: Leaf,
      gain: number,
      f: number,
      bin: number,
      gl: number,
      hl: number,
      nl: number,
      set: Uint32Array | undefined,
      missingLeft: boolean,
    ): void => {
      if (!(gain > leaf.gain)) return;
      leaf.gain = gain;
      leaf.feature = f;
      leaf.bin = bin;
      leaf.leftG = gl;
      leaf.leftH = hl;
      leaf.leftCount = nl;
      leaf.leftSet = set;
      leaf.missingLeft = missingLeft;
    };

    /** The best split of a leaf into its `gain` … fields (gain 0: none). */
    const findSplit = (leaf: Leaf): void => {
      leaf.gain = 0;
      leaf.feature = -1;
      const count = leaf.end - leaf.start;
      if (!leaf.hist) return;
      const hist = leaf.hist!;
      const { sumG, sumH } = leaf;
      const parent = score(sumG, sumH);
      const sums = { sumG, sumH, count, parent, l2, minSamplesLeaf };
      for (let f = 0; f < cols; f++) {
        if (data.categories[f]) {
          const found = categorySplit(
            hist,
            f,
            data.categories[f]!,
            data.missing[f]!,
            sumG,
            sumH,
            count,
            parent,
            l2,
            minSamplesLeaf,
          );
          if (found) {
            const missingLeft = ((found.set[MISSING_BIN >>> 5]! >>> (MISSING_BIN & 31)) & 1) === 1;
            offer(leaf, found.gain, f, 0, found.g, found.h, found.n, found.set, missingLeft);
          }
          continue;
        }
        const found = workspace.scanSplit(hist, f, sums, leaf.gain);
        if (found)
          offer(
            leaf,
            found.gain,
            f,
            found.bin,
            found.leftG,
            found.leftH,
            found.leftCount,
            undefined,
            found.missingLeft,
          );
      }
    };

    const leafOf = (
      node: number,
      start: number,
      end: number,
      depth: number,
      sumG: number,
      sumH: number,
      hist?: Histogram,
    ): Leaf => {
      cover[node] = end - start;
      return {
        node,
        start,
        end,
        depth,
        sumG,
        sumH,
        hist,
        gain: 0,
        feature: -1,
        bin: 0,
        leftG: 0,
        leftH: 0,
        leftCount: 0,
        leftSet: undefined,
        missingLeft: false,
      };
    };

    let sumG = 0;
    let sumH = 0;
    for (let i = 0; i < order.length; i++) {
      sumG += g[order[i]!]!;
      sumH += h[order[i]!]!;
    }
    const root = leafOf(newNode(), 0, order.length, 0, sumG, sumH, rootHist);
    findSplit(root);
    const leaves: Leaf[] = [root];
    while (leaves.length < limits.maxLeafNodes) {
      let best = -1;
      for (let i = 0; i < leaves.length; i++)
        if (leaves[i]!.gain > 0 && (best < 0 || leaves[i]!.gain > leaves[best]!.gain)) best = i;
      if (best < 0) break;
      const parent = leaves[best]!;
      const { start, end, feature: f, bin: b, leftSet: set } = parent;
      if (!data.missing[f]) {
        // No training row misses the feature: a missing value will follow the larger side.
        parent.missingLeft = parent.leftCount > end - start - parent.leftCount;
        if (set)
          set[MISSING_BIN >>> 5] =
            (set[MISSING_BIN >>> 5]! & ~(1 << (MISSING_BIN & 31))) | (Number(parent.missingLeft) << (MISSING_BIN & 31));
      }
      const missingLeft = Number(parent.missingLeft);
      workspace.partition(f, start, end, b, parent.missingLeft, set);
      const mid = start + parent.leftCount;
      const depth = parent.depth + 1;
      const leftLeaf = leafOf(newNode(), start, mid, depth, parent.leftG, parent.leftH);
      const rightLeaf = leafOf(newNode(), mid, end, depth, parent.sumG - parent.leftG, parent.sumH - parent.leftH);
      // Children get histograms only when they may still be split (not after the last split of the tree).
      const splittable = (leaf: Leaf) =>
        leaves.length + 1 < limits.maxLeafNodes &&
        leaf.depth < limits.maxDepth &&
        leaf.end - leaf.start >= 2 * minSamplesLeaf;
      const [small, large] = mid - start <= end - mid ? [leftLeaf, rightLeaf] : [rightLeaf, leftLeaf];
      const reused = parent.hist!;
      parent.hist = undefined;
      if (splittable(small) || splittable(large)) {
        const built = build(small.start, small.end);
        if (splittable(large)) {
          workspace.subtract(reused, built);
          large.hist = reused;
        } else workspace.give(reused);
        if (splittable(small)) small.hist = built;
        else workspace.give(built);
      } else workspace.give(reused);
      const node = parent.node;
      feature[node] = f;
      bin[node] = b;
      // A split after the last value bin sends every value left (and missing values right).
      threshold[node] = set ? Number.NaN : b < edges[f]!.length ? edges[f]![b]! : Number.MAX_VALUE;
      missingLeftOf[node] = missingLeft;
      if (set) {
        leftCategories ??= [];
        for (let w = 0; w < CATEGORY_WORDS; w++) leftCategories[node * CATEGORY_WORDS + w] = set[w]!;
      }
      left[node] = leftLeaf.node;
      right[node] = rightLeaf.node;
      gain[node] = parent.gain;
      findSplit(leftLeaf);
      findSplit(rightLeaf);
      leaves.splice(best, 1, leftLeaf, rightLeaf);
    }
    for (const leaf of leaves) {
      const v = (-limits.learningRate * leaf.sumG) / (leaf.sumH + l2);
      value[leaf.node] = v;
      onLeaf(leaf.start, leaf.end, v);
      if (leaf.hist) workspace.give(leaf.hist);
    }
    return {
      feature: Int32Array.from(feature),
      threshold: Float64Array.from(threshold),
      bin: Int32Array.from(bin),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
      gain: Float64Array.from(gain),
      cover: Float64Array.from(cover),
      missingLeft: Uint8Array.from(missingLeftOf),
      ...(leftCategories
        ? {
            leftCategories: Uint32Array.from(
              { length: feature.length * CATEGORY_WORDS },
              (_, i) => leftCategories![i] ?? 0,
            ),
          }
        : {}),
    };
  };
}

/** A tree's value for one row of bin codes (row-major, `cols` per row). */
export function treeValueOnCodes(tree: BoostedTree, codes: Uint8Array, row: number, cols: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = goesLeft(tree, node, codes[row * cols + tree.feature[node]!]!, true) ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

/** A tree's value for one row of raw features (`x[offset + feature]`). */
export function treeValue(tree: BoostedTree, x: Float64Array, offset: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = goesLeft(tree, node, x[offset + tree.feature[node]!]!) ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

/**
 * The best split of a category column's histogram (scikit-learn's): categories with at least
 * `MIN_CATEGORY_SUPPORT` rows ordered by G / (H + support), then every prefix of that order — scanned from both
 * ends — tried as the left set; rarer categories go right. `undefined` when no split keeps `minSamplesLeaf` rows
 * and some hessian on both sides.
 */
function categorySplit(
  hist: Float64Array,
  f: number,
  categories: number,
  missing: boolean,
  sumG: number,
  sumH: number,
  count: number,
  parent: number,
  l2: number,
  minSamplesLeaf: number,
): { gain: number; g: number; h: number; n: number; set: Uint32Array } | undefined {
  const base = f * STRIDE * BIN;
  const used: number[] = [];
  for (let c = 0; c < categories; c++) if (hist[base + c * BIN + 2]! >= MIN_CATEGORY_SUPPORT) used.push(c);
  // Missing values are one more category (their code), as in scikit-learn.
  if (missing && hist[base + MISSING_BIN * BIN + 2]! >= MIN_CATEGORY_SUPPORT) used.push(MISSING_BIN);
  if (used.length < 2) return undefined;
  const ratio = (c: number) => hist[base + c * BIN]! / (hist[base + c * BIN + 1]! + MIN_CATEGORY_SUPPORT);
  used.sort((a, b) => ratio(a) - ratio(b) || a - b);
  let best: { gain: number; g: number; h: number; n: number; size: number; reversed: boolean } | undefined;
  for (const reversed of [false, true]) {
    const ordered = reversed ? used.slice().reverse() : used;
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let k = 0; k < ordered.length - 1; k++) {
      const at = base + ordered[k]! * BIN;
      gl += hist[at]!;
      hl += hist[at + 1]!;
      nl += hist[at + 2]!;
      if (nl < minSamplesLeaf || count - nl < minSamplesLeaf) continue;
      const hr = sumH - hl;
      if (hl < MIN_HESSIAN || hr < MIN_HESSIAN) continue;
      const gr = sumG - gl;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
      if (gain > (best?.gain ?? 0)) best = { gain, g: gl, h: hl, n: nl, size: k + 1, reversed };
    }
  }
  if (!best) return undefined;
  const set = new Uint32Array(CATEGORY_WORDS);
  for (const c of (best.reversed ? used.slice().reverse() : used).slice(0, best.size)) set[c >>> 5]! |= 1 << (c & 31);
  return { gain: best.gain, g: best.g, h: best.h, n: best.n, set };
}
