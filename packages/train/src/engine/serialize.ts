import { InvalidArtifactError, InvalidInputError } from '@mlops/core';
import { type CoveredTree, coverShares } from '../inspection/tree-shap';
import { fromBase64, toBase64 } from '../shared/base64-arrays';
import type { ForestData } from './forest';

/** JSON-safe forest: a header plus little-endian typed arrays in base64. */
export interface EncodedForest {
  readonly formatVersion: 1;
  readonly task: 'classification' | 'regression';
  readonly cols: number;
  /** Values per leaf: classes, or 1 for regression. */
  readonly width: number;
  /** Nodes per tree. */
  readonly nodeCounts: readonly number[];
  /** Int32 per node: split feature, or −1 for a leaf. */
  readonly feature: string;
  /** Float64 per internal node, in node order: the threshold (value ≤ threshold goes left). */
  readonly threshold: string;
  /** Int32 per internal node, in node order: the left child (the right one follows it). */
  readonly left: string;
  /** Float64 × width per leaf, in node order: the class distribution or the mean. */
  readonly value: string;
  /** Float64 × cols per tree: weighted impurity decrease per feature. */
  readonly impurityDecrease: string;
  /** Out-of-bag score, when computed. */
  readonly oobScore?: number;
  /**
   * Float64 per internal node, in node order: the left child's share of the node's cover (training sample weight),
   * the right child having the rest; what TreeSHAP needs. Absent from artifacts written before it.
   */
  readonly leftCoverShare?: string;
}

/** Encodes a forest compactly: internal nodes keep no class values, leaves keep no split. */
export function encodeForest(forest: ForestData): EncodedForest {
  const classes = forest.width;
  const shares = leftCoverShares(forest);
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const value: number[] = [];
  for (const tree of forest.trees) {
    for (let i = 0; i < tree.nodeCount; i++) {
      const f = tree.feature[i]!;
      feature.push(f);
      if (f >= 0) {
        threshold.push(tree.threshold[i]!);
        left.push(tree.left[i]!);
      } else for (let c = 0; c < classes; c++) value.push(tree.value[i * classes + c]!);
    }
  }
  return {
    formatVersion: 1,
    task: forest.task,
    cols: forest.cols,
    width: classes,
    nodeCounts: forest.trees.map((t) => t.nodeCount),
    feature: toBase64(Int32Array.from(feature)),
    threshold: toBase64(Float64Array.from(threshold)),
    left: toBase64(Int32Array.from(left)),
    value: toBase64(Float64Array.from(value)),
    impurityDecrease: toBase64(Float64Array.from(forest.trees.flatMap((t) => Array.from(t.impurityDecrease)))),
    ...(forest.oobScore === undefined ? {} : { oobScore: forest.oobScore }),
    ...(shares === undefined ? {} : { leftCoverShare: toBase64(shares) }),
  };
}

/**
 * The left child's cover share of every internal node, in node order: stored ones for a decoded forest,
 * reconstructed from the node values for a fitted one (deterministic: the same forest gives the same bytes).
 * None for a forest decoded from an artifact without them, or (never seen) one whose node values are no means.
 */
function leftCoverShares(forest: ForestData): Float64Array | undefined {
  const shares: number[] = [];
  try {
    for (const tree of forest.trees) {
      const share = coverShares(tree, forest.width);
      for (let i = 0; i < tree.nodeCount; i++) if (tree.feature[i]! >= 0) shares.push(share[tree.left[i]!]!);
    }
  } catch (error) {
    if (error instanceof InvalidInputError) return undefined;
    throw error;
  }
  return Float64Array.from(shares);
}

const fail = (problem: string): never => {
  throw new InvalidArtifactError(`invalid forest: ${problem}`);
};

function positiveInt(value: unknown, field: string, max: number): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max)
    fail(`${field} must be an integer in [1, ${max}]`);
  return value as number;
}

/**
 * Decodes and validates a forest: every length, feature index and child index is checked (children
 * come after their parent, so no cycle can exist), every number is finite. Never evaluates code. Its trees
 * carry their cover shares for TreeSHAP (`null` when the artifact predates them).
 */
export function decodeForest(json: unknown): ForestData {
  if (typeof json !== 'object' || json === null) return fail('must be an object');
  const e = json as Record<string, unknown>;
  if (e.formatVersion !== 1) fail(`formatVersion ${String(e.formatVersion)} is not supported (supported: 1)`);
  const cols = positiveInt(e.cols, 'cols', 1 << 20);
  const task = e.task;
  if (task !== 'classification' && task !== 'regression') return fail('task must be "classification" or "regression"');
  const classes = positiveInt(e.width, 'width', 1 << 16);
  if (task === 'regression' ? classes !== 1 : classes < 2) fail(`width ${classes} does not fit a ${task} forest`);
  const counts = e.nodeCounts;
  if (!Array.isArray(counts) || counts.length === 0) return fail('nodeCounts must be a non-empty array');
  counts.forEach((n, t) => {
    positiveInt(n, `nodeCounts[${t}]`, 1 << 26);
  });
  const totalNodes = (counts as number[]).reduce((a, b) => a + b, 0);
  const feature = fromBase64(e.feature, Int32Array, 'feature', totalNodes, fail);
  const internal = feature.reduce((n, f) => n + (f >= 0 ? 1 : 0), 0);
  const threshold = fromBase64(e.threshold, Float64Array, 'threshold', internal, fail);
  const left = fromBase64(e.left, Int32Array, 'left', internal, fail);
  const value = fromBase64(e.value, Float64Array, 'value', (totalNodes - internal) * classes, fail);
  const decrease = fromBase64(e.impurityDecrease, Float64Array, 'impurityDecrease', counts.length * cols, fail);
  if (!decrease.every((v) => v >= 0 && Number.isFinite(v))) fail('impurityDecrease must hold finite numbers ≥ 0');
  const leftShare =
    e.leftCoverShare === undefined
      ? null
      : fromBase64(e.leftCoverShare, Float64Array, 'leftCoverShare', internal, fail);
  if (leftShare && !leftShare.every((v) => v >= 0 && v <= 1)) fail('leftCoverShare must hold numbers in [0, 1]');

  let at = 0;
  let split = 0;
  let leaf = 0;
  const trees: CoveredTree[] = (counts as number[]).map((n, t) => {
    const coverShare = leftShare ? new Float64Array(n) : null;
    if (coverShare) coverShare[0] = 1;
    const tree = {
      feature: feature.slice(at, at + n),
      threshold: new Float64Array(n),
      left: new Int32Array(n),
      value: new Float64Array(n * classes),
      nodeCount: n,
      impurityDecrease: decrease.slice(t * cols, (t + 1) * cols),
      coverShare,
    };
    for (let i = 0; i < n; i++) {
      const f = tree.feature[i]!;
      if (f >= cols || f < -1) fail(`tree ${t} node ${i} splits on feature ${f}, outside [0, ${cols - 1}]`);
      if (f >= 0) {
        const th = threshold[split]!;
        const l = left[split++]!;
        if (!Number.isFinite(th)) fail(`tree ${t} node ${i} has threshold ${th}`);
        if (!(l > i && l + 1 < n))
          fail(`tree ${t} node ${i} has children ${l}, ${l + 1}: they must come after it and inside the tree`);
        tree.threshold[i] = th;
        tree.left[i] = l;
        if (coverShare && leftShare) {
          coverShare[l] = leftShare[split - 1]!;
          coverShare[l + 1] = 1 - coverShare[l]!;
        }
      } else {
        for (let c = 0; c < classes; c++) {
          const v = value[leaf * classes + c]!;
          const ok = task === 'regression' ? Number.isFinite(v) : v >= 0 && v <= 1;
          if (!ok)
            fail(`tree ${t} leaf ${i} has value ${v}, ${task === 'regression' ? 'not finite' : 'outside [0, 1]'}`);
          tree.value[i * classes + c] = v;
        }
        leaf++;
      }
    }
    at += n;
    return tree;
  });
  const oob = e.oobScore;
  if (oob !== undefined && !(typeof oob === 'number' && Number.isFinite(oob) && oob <= 1))
    fail('oobScore must be a finite number ≤ 1');
  return { task, cols, width: classes, trees, ...(oob === undefined ? {} : { oobScore: oob as number }) };
}
