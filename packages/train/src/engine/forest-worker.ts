// Worker-thread entry: grows the trees it is asked for and posts each one back as it finishes.
import { parentPort, workerData } from 'node:worker_threads';
import { growTree, type ForestJob } from './forest';

/** Message from a worker: one finished tree. */
export interface TreeMessage {
  readonly index: number;
  readonly tree: ReturnType<typeof growTree>;
}

const { job, indices } = workerData as { job: ForestJob; indices: number[] };
for (const index of indices) {
  const tree = growTree(job, index);
  const message: TreeMessage = { index, tree };
  const buffers = [tree.feature, tree.threshold, tree.left, tree.value, tree.impurityDecrease].map((a) => a.buffer as ArrayBuffer);
  parentPort!.postMessage(message, buffers);
}
