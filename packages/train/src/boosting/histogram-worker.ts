// Worker-thread entry of a boosting fit: fills its share of the features of the histograms the calling thread asks
// for, or grows whole trees (taking the next output from a shared counter), until told to exit.
import { workerData } from 'node:worker_threads';
import { type BoostingWorkerData, Control, classGradients, Op, SPIN, TreeWorkspace, workerFit } from './engine';
import { createTreeGrower } from './grower';

const start = workerData as BoostingWorkerData;
const { control, port, outputs, f0, f1 } = start;
const { memory, data, arrays } = workerFit(start);
const { kernels } = memory;
/** This thread's own workspace and grower, made for the first trees it grows. */
let grower: { workspace: TreeWorkspace; grow: ReturnType<typeof createTreeGrower> } | undefined;

/** Fills features [f0, f1) of the histogram the calling thread is building. */
const build = () => {
  const k = control[Control.Output]!;
  const [hist, from, to] = [control[Control.Hist]!, control[Control.Start]!, control[Control.End]!];
  const [g, h] = [arrays.gradients.byteOffset + k * data.rows * 8, arrays.hessians.byteOffset + k * data.rows * 8];
  kernels.fill(arrays.codes.byteOffset, data.cols, hist, g, h, start.order, from, to, f0, f1);
};

/** Grows the trees of the outputs this thread takes, posting each to the calling thread. */
const grow = () => {
  if (!grower) {
    const workspace = new TreeWorkspace(memory, data, arrays, outputs);
    grower = { workspace, grow: createTreeGrower(data, start.limits, workspace) };
  }
  const last = control[Control.Last]!;
  for (let k = Atomics.add(control, Control.Next, 1); k < last; k = Atomics.add(control, Control.Next, 1))
    port.postMessage({ k, tree: grower.workspace.growTree(grower.grow, k) });
};

/** Computes the gradients of this worker's share of the rows (worker t of n: the t-th share after the caller's). */
const gradients = () => {
  const share = control[Control.Start]!;
  const from = share * start.thread;
  classGradients(kernels, arrays, data.rows, outputs, Math.min(from, data.rows), Math.min(from + share, data.rows));
};

const finish = () => {
  Atomics.add(control, Control.Done, 1);
  Atomics.notify(control, Control.Done);
};

finish(); // started
for (let generation = 0; ; ) {
  for (let spin = 0; spin < SPIN && Atomics.load(control, Control.Generation) === generation; spin++);
  Atomics.wait(control, Control.Generation, generation);
  generation = Atomics.load(control, Control.Generation);
  const op = control[Control.Op];
  if (op === Op.Exit) break;
  try {
    if (op === Op.Build) build();
    else if (op === Op.Gradients) gradients();
    else grow();
  } catch {
    Atomics.store(control, Control.Failed, 1);
  }
  finish();
}
port.close();
