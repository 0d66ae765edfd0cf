// Worker-thread entry: grows trees while any are left (posting each as it finishes), or predicts a block of rows.
import { parentPort, workerData } from 'node:worker_threads';
import { growTree, predictForestValues, type ForestJob } from './forest';
import { type SharedForest, unpackForest } from './shared-forest';

/** What a worker is started with. */
export type WorkerTask =
  | {
      readonly kind: 'grow';
      readonly job: ForestJob;
      /** Shared counter: the next tree index any thread may take. */
      readonly next: Int32Array;
    }
  | { readonly kind: 'predict'; readonly forest: SharedForest; readonly x: Float64Array; readonly rows: number };

/** Message from a growing worker: one finished tree. */
export interface TreeMessage {
  readonly index: number;
  readonly tree: ReturnType<typeof growTree>;
}

const task = workerData as WorkerTask;
if (task.kind === 'grow') {
  const total = task.job.treeSeeds.length;
  for (let index = Atomics.add(task.next, 0, 1); index < total; index = Atomics.add(task.next, 0, 1)) {
    const tree = growTree(task.job, index);
    const message: TreeMessage = { index, tree };
    const buffers = [tree.feature, tree.threshold, tree.left, tree.value, tree.impurityDecrease].map(
      (a) => a.buffer as ArrayBuffer,
    );
    parentPort!.postMessage(message, buffers);
  }
} else {
  const values = predictForestValues(unpackForest(task.forest), task.x, task.rows);
  parentPort!.postMessage(values, [values.buffer as ArrayBuffer]);
}
