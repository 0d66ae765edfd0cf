import { InvalidInputError } from '@mlops/core';
import type { BoostedEnsemble } from '../boosting/boosting';
import { categoryGoesLeft } from '../boosting/grower';
import { assertMatrix, type ForestData } from '../engine/forest';
import type { FlatTree } from '../engine/tree-builder';

/** SHAP values of a tree ensemble: `values` is row-major `rows × cols × width`, `expected` has `width` values. */
export interface TreeShapValues {
  readonly values: Float64Array;
  readonly expected: Float64Array;
}

/** SHAP values of a forest (see {@link forestShapValues}). */
export type ForestShapValues = TreeShapValues;

/**
 * A forest tree with, optionally, each node's share of its parent's cover (1 at the root). Trees decoded from an
 * artifact carry the shares it stored, or `null` when it predates them; fitted trees carry none: their shares are
 * reconstructed from their node values.
 */
export type CoveredTree = FlatTree & { readonly coverShare?: Float64Array | null };

const NO_COVERS =
  'SHAP values need the training weight (cover) of every tree node, which this forest does not carry: it was ' +
  'decoded from an artifact written before artifacts kept covers (leftCoverShare), so explain the model as fitted, ' +
  'or refit and save it again';

/**
 * Each node's share of its parent's cover (training sample weight; 1 at the root). A tree decoded from an artifact
 * has them stored (see {@link CoveredTree}). A fitted tree does not store covers, but it stores every node's
 * weighted mean leaf value (class distribution, or target mean), and a parent's value is the cover-weighted mean
 * of its children's: `p = a·l + (1 − a)·r` with `a` the left child's share. A split always has `l ≠ r` (it
 * decreases impurity), so `a` is their least-squares solution. Throws when the tree has no covers to give.
 */
export function coverShares(tree: CoveredTree, width: number): Float64Array {
  if (tree.coverShare) return tree.coverShare;
  if (tree.coverShare === null) throw new InvalidInputError(NO_COVERS);
  const { feature, left, value } = tree;
  const share = new Float64Array(tree.nodeCount);
  share[0] = 1;
  for (let node = 0; node < tree.nodeCount; node++) {
    if (feature[node]! < 0) continue;
    const l = left[node]!;
    let num = 0;
    let den = 0;
    let total = 0;
    for (let k = 0; k < width; k++) {
      const p = value[node * width + k]!;
      const vl = value[l * width + k]!;
      const vr = value[(l + 1) * width + k]!;
      num += (p - vr) * (vl - vr);
      den += (vl - vr) ** 2;
      total += p;
    }
    // A classifier's internal node holds a distribution: it sums to 1 unless the values were dropped.
    if (width > 1 && Math.abs(total - 1) > 1e-6) throw new InvalidInputError(NO_COVERS);
    const a = den > 0 ? num / den : 0.5;
    if (!(a >= -1e-6 && a <= 1 + 1e-6))
      throw new InvalidInputError(`${NO_COVERS} (node ${node}'s value is no mean of its children's)`);
    share[l] = Math.min(1, Math.max(0, a));
    share[l + 1] = 1 - share[l]!;
  }
  return share;
}

/**
 * A tree as TreeSHAP reads it. Node 0 is the root and children come after their parent; a node with
 * `feature < 0` is a leaf, and `value` holds `width` numbers per node (read at leaves only).
 */
interface ShapTree {
  readonly feature: Int32Array;
  /** x ≤ threshold goes left; at a NaN threshold (a category split) the codes in `leftCategories` do. */
  readonly threshold: Float64Array;
  readonly leftCategories?: Uint32Array;
  /** 1 where a missing value (NaN) goes left (boosted trees). */
  readonly missingLeft?: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  /** Each node's share of its parent's cover (1 at the root). */
  readonly share: Float64Array;
}

/**
 * One path element array set of Algorithm 2: per element the feature, the fraction of zero paths (cover
 * share) and of one paths (x's branch) flowing through it, and the permutation weight. Each recursion
 * level works on its own copy, laid out one after the other.
 */
class Path {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
  constructor(depth: number) {
    const size = ((depth + 2) * (depth + 3)) / 2;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  /** Copies elements `[from, from + n)` to `to`. */
  copy(from: number, to: number, n: number): void {
    this.feature.copyWithin(to, from, from + n);
    this.zero.copyWithin(to, from, from + n);
    this.one.copyWithin(to, from, from + n);
    this.weight.copyWithin(to, from, from + n);
  }

  /** EXTEND: appends element `depth` of the path at `at` and updates the permutation weights. */
  extend(at: number, depth: number, zero: number, one: number, feature: number): void {
    const w = this.weight;
    this.feature[at + depth] = feature;
    this.zero[at + depth] = zero;
    this.one[at + depth] = one;
    w[at + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      w[at + i + 1]! += (one * w[at + i]! * (i + 1)) / (depth + 1);
      w[at + i] = (zero * w[at + i]! * (depth - i)) / (depth + 1);
    }
  }

  /** UNWIND: removes element `index` of the path at `at` (elements 0..depth), undoing its EXTEND. */
  unwind(at: number, depth: number, index: number): void {
    const w = this.weight;
    const one = this.one[at + index]!;
    const zero = this.zero[at + index]!;
    let next = w[at + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = w[at + i]!;
        w[at + i] = (next * (depth + 1)) / ((i + 1) * one);
        next = tmp - (w[at + i]! * zero * (depth - i)) / (depth + 1);
      } else w[at + i] = (w[at + i]! * (depth + 1)) / (zero * (depth - i));
    }
    for (let i = index; i < depth; i++) {
      this.feature[at + i] = this.feature[at + i + 1]!;
      this.zero[at + i] = this.zero[at + i + 1]!;
      this.one[at + i] = this.one[at + i + 1]!;
    }
  }

  /** Total permutation weight of the path at `at` were element `index` unwound (without unwinding it). */
  unwoundSum(at: number, depth: number, index: number): number {
    const w = this.weight;
    const one = this.one[at + index]!;
    const zero = this.zero[at + index]!;
    let next = w[at + depth]!;
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (next * (depth + 1)) / ((i + 1) * one);
        total += tmp;
        next = w[at + i]! - (tmp * zero * (depth - i)) / (depth + 1);
      } else if (zero !== 0) total += (w[at + i]! * (depth + 1)) / (zero * (depth - i));
    }
    return total;
  }
}

/** Depth (edges from the root to the deepest leaf) of a tree; children always follow their parent. */
function treeDepth(tree: ShapTree): number {
  const n = tree.feature.length;
  const depth = new Int32Array(n);
  let deepest = 0;
  for (let node = 0; node < n; node++) {
    deepest = Math.max(deepest, depth[node]!);
    if (tree.feature[node]! < 0) continue;
    // The longest way down: an artifact's node may be the child of more than one node.
    for (const child of [tree.left[node]!, tree.right[node]!]) depth[child] = Math.max(depth[child]!, depth[node]! + 1);
  }
  return deepest;
}

/** Where one tree's outputs go in a `cols × stride` contribution block and a `stride`-wide expected value. */
interface OutputSlot {
  /** Outputs of the tree: its values per leaf. */
  readonly width: number;
  /** Outputs per feature in the block. */
  readonly stride: number;
  /** The block output the tree's first output adds to. */
  readonly output: number;
}

/** TreeSHAP (Lundberg et al. 2018, Algorithm 2) for one tree, all its outputs at once. */
class TreeExplainer {
  private readonly path: Path;
  private x: Float64Array = new Float64Array(0);
  private xAt = 0;
  private phi: Float64Array = new Float64Array(0);
  private phiAt = 0;

  constructor(
    private readonly tree: ShapTree,
    private readonly slot: OutputSlot,
  ) {
    this.path = new Path(treeDepth(tree));
  }

  /** Cover-weighted mean leaf value per output, added to `out` (`stride` wide). */
  addExpected(out: Float64Array): void {
    const { feature, left, right, value, share } = this.tree;
    const { width, output } = this.slot;
    const cover = Float64Array.from(share);
    for (let node = 0; node < feature.length; node++) {
      if (feature[node]! >= 0) {
        cover[left[node]!]! *= cover[node]!;
        cover[right[node]!]! *= cover[node]!;
      } else for (let k = 0; k < width; k++) out[output + k]! += cover[node]! * value[node * width + k]!;
    }
  }

  /** Adds the row of `x` at `xAt` to the `cols × stride` contributions of `phi` at `phiAt`. */
  explain(x: Float64Array, xAt: number, phi: Float64Array, phiAt: number): void {
    this.x = x;
    this.xAt = xAt;
    this.phi = phi;
    this.phiAt = phiAt + this.slot.output;
    this.recurse(0, 0, 0, 1, 1, -1);
  }

  /** RECURSE: `parentAt` is the parent's path, `depth` the index this node's element gets in its own copy. */
  private recurse(node: number, parentAt: number, depth: number, zero: number, one: number, feature: number): void {
    const { path, tree } = this;
    const { width, stride } = this.slot;
    const at = parentAt + depth + 1;
    path.copy(parentAt, at, depth);
    path.extend(at, depth, zero, one, feature);
    const split = tree.feature[node]!;
    if (split < 0) {
      // Leaf: every feature on the path gets its share of the leaf value, for each output.
      for (let i = 1; i <= depth; i++) {
        const scale = path.unwoundSum(at, depth, i) * (path.one[at + i]! - path.zero[at + i]!);
        const out = this.phiAt + path.feature[at + i]! * stride;
        for (let k = 0; k < width; k++) this.phi[out + k]! += scale * tree.value[node * width + k]!;
      }
      return;
    }
    const l = tree.left[node]!;
    const r = tree.right[node]!;
    const value = this.x[this.xAt + split]!;
    const threshold = tree.threshold[node]!;
    const left = Number.isNaN(value)
      ? tree.missingLeft?.[node] === 1
      : Number.isNaN(threshold)
        ? categoryGoesLeft(tree.leftCategories, node, value)
        : value <= threshold;
    const hot = left ? l : r;
    const cold = hot === l ? r : l;
    // A feature already on the path is unwound first, its fractions carried into the children.
    let inZero = 1;
    let inOne = 1;
    let d = depth;
    let index = 1;
    while (index <= d && path.feature[at + index] !== split) index++;
    if (index <= d) {
      inZero = path.zero[at + index]!;
      inOne = path.one[at + index]!;
      path.unwind(at, d, index);
      d--;
    }
    this.child(hot, at, d + 1, tree.share[hot]! * inZero, inOne, split);
    this.child(cold, at, d + 1, tree.share[cold]! * inZero, 0, split);
  }

  /** Recurses into a child, unless no coalition reaches it (no cover and not x's branch): it adds nothing. */
  private child(node: number, at: number, depth: number, zero: number, one: number, feature: number): void {
    if (zero > 0 || one > 0) this.recurse(node, at, depth, zero, one, feature);
  }
}

/**
 * Adds the TreeSHAP values of `trees` for the `rows × cols` matrix `x` to `values` (row-major `rows × cols ×
 * stride`) and their expected values to `expected`, each tree's outputs where its slot says.
 */
function addTreeShap(
  trees: readonly (readonly [ShapTree, OutputSlot])[],
  x: Float64Array,
  rows: number,
  cols: number,
  into: TreeShapValues,
): void {
  for (const [tree, slot] of trees) {
    const explainer = new TreeExplainer(tree, slot);
    explainer.addExpected(into.expected);
    for (let r = 0; r < rows; r++) explainer.explain(x, r * cols, into.values, r * cols * slot.stride);
  }
}

/**
 * Exact TreeSHAP values (Lundberg et al. 2018) of a forest for the row-major `rows × cols` matrix `x`: per row,
 * feature and output (class probability, or the regression value), with node covers (the training sample weight
 * reaching each node) as the background distribution. For every row `i` and output `k`, `expected[k] + Σ_j
 * values[(i·cols + j)·width + k]` equals the forest's output (the mean over trees); `expected` is the mean over
 * trees of their cover-weighted mean leaf value. Fitted forests have their covers reconstructed, decoded ones
 * read them from the artifact; throws on a forest decoded from an artifact written before artifacts kept covers.
 */
export function forestShapValues(forest: ForestData, x: Float64Array, rows: number): ForestShapValues {
  assertMatrix(x, rows, forest.cols, 'shap input');
  const { cols, width, trees } = forest;
  const slot: OutputSlot = { width, stride: width, output: 0 };
  const shapTrees = trees.map((tree: CoveredTree): readonly [ShapTree, OutputSlot] => [
    {
      ...tree,
      right: tree.left.map((l, node) => (tree.feature[node]! >= 0 ? l + 1 : -1)),
      share: coverShares(tree, width),
    },
    slot,
  ]);
  const result = { values: new Float64Array(rows * cols * width), expected: new Float64Array(width) };
  addTreeShap(shapTrees, x, rows, cols, result);
  for (let k = 0; k < width; k++) result.expected[k]! /= trees.length;
  for (let i = 0; i < result.values.length; i++) result.values[i]! /= trees.length;
  return result;
}

/**
 * Exact TreeSHAP values of a gradient-boosted ensemble for the row-major `rows × cols` matrix `x`, in raw output
 * space (the log-odds for two classes, a margin per class for more, the value for regression): `values` is
 * `rows × cols × outputs`. The background is each tree's cover (training rows per node); `expected[k]` is
 * the baseline plus the cover-weighted mean leaf value of output `k`'s trees, so `expected[k] + Σ_j
 * values[(i·cols + j)·outputs + k]` is the raw output `k` of row `i` (baseline + Σ trees).
 */
export function boostedShapValues(ensemble: BoostedEnsemble, x: Float64Array, rows: number): TreeShapValues {
  assertMatrix(x, rows, ensemble.cols, 'shap input', true);
  const { cols, outputs, trees } = ensemble;
  const shapTrees = trees.map((tree, t): readonly [ShapTree, OutputSlot] => {
    const share = new Float64Array(tree.feature.length);
    share[0] = 1;
    for (let node = 0; node < tree.feature.length; node++) {
      if (tree.feature[node]! < 0) continue;
      const l = tree.left[node]!;
      const r = tree.right[node]!;
      // The children's covers add up to their parent's; normalised, the shares add up to 1 whatever an artifact says.
      const total = tree.cover[l]! + tree.cover[r]!;
      share[l] = tree.cover[l]! / total;
      share[r] = tree.cover[r]! / total;
    }
    return [
      { ...tree, share },
      { width: 1, stride: outputs, output: t % outputs },
    ];
  });
  const result = { values: new Float64Array(rows * cols * outputs), expected: Float64Array.from(ensemble.baseline) };
  addTreeShap(shapTrees, x, rows, cols, result);
  return result;
}

/** SHAP values as nested arrays: `values[row][feature][output]`, and `expected[output]`. */
export function nestedShapValues(
  shap: TreeShapValues,
  rows: number,
  cols: number,
): { values: number[][][]; expected: number[] } {
  const width = shap.expected.length;
  return {
    values: Array.from({ length: rows }, (_, i) =>
      Array.from({ length: cols }, (_, j) =>
        Array.from(shap.values.subarray((i * cols + j) * width, (i * cols + j + 1) * width)),
      ),
    ),
    expected: Array.from(shap.expected),
  };
}
