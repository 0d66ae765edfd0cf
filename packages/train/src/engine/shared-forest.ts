import type { ForestData } from './forest';
import { shared } from '../shared/shared-arrays';
import type { FlatTree } from './tree-builder';

/** A forest's trees packed into shared memory: prediction workers read them without a copy of their own. */
export interface SharedForest {
  readonly task: ForestData['task'];
  readonly cols: number;
  readonly width: number;
  /** Nodes of each tree, in order; the arrays below hold the trees one after another. */
  readonly nodeCounts: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly value: Float64Array;
}

const packed = new WeakMap<ForestData, SharedForest>();

/** `forest` in shared memory, packed once per forest (later predictions reuse it). */
export function sharedForest(forest: ForestData): SharedForest {
  const known = packed.get(forest);
  if (known) return known;
  const nodes = forest.trees.reduce((n, t) => n + t.nodeCount, 0);
  const feature = shared(new Int32Array(nodes));
  const threshold = shared(new Float64Array(nodes));
  const left = shared(new Int32Array(nodes));
  const value = shared(new Float64Array(nodes * forest.width));
  let at = 0;
  for (const tree of forest.trees) {
    feature.set(tree.feature.subarray(0, tree.nodeCount), at);
    threshold.set(tree.threshold.subarray(0, tree.nodeCount), at);
    left.set(tree.left.subarray(0, tree.nodeCount), at);
    value.set(tree.value.subarray(0, tree.nodeCount * forest.width), at * forest.width);
    at += tree.nodeCount;
  }
  const nodeCounts = Int32Array.from(forest.trees, (t) => t.nodeCount);
  const result: SharedForest = {
    task: forest.task,
    cols: forest.cols,
    width: forest.width,
    nodeCounts,
    feature,
    threshold,
    left,
    value,
  };
  packed.set(forest, result);
  return result;
}

/** The forest a {@link SharedForest} holds, its trees as views (what prediction reads; no importances). */
export function unpackForest(forest: SharedForest): ForestData {
  const trees: FlatTree[] = [];
  let at = 0;
  for (const count of forest.nodeCounts) {
    trees.push({
      feature: forest.feature.subarray(at, at + count),
      threshold: forest.threshold.subarray(at, at + count),
      left: forest.left.subarray(at, at + count),
      value: forest.value.subarray(at * forest.width, (at + count) * forest.width),
      nodeCount: count,
      impurityDecrease: new Float64Array(forest.cols),
    });
    at += count;
  }
  return { task: forest.task, cols: forest.cols, width: forest.width, trees };
}
