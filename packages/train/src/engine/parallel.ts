import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import {
  forestOf,
  growTree,
  predictForestValues,
  prepareForest,
  type ForestData,
  type ForestJob,
  type ForestParams,
} from './forest';
import { resolveJobs, startWorker } from '../shared/workers';
import { shared, sharedArray } from '../shared/shared-arrays';
import { sharedForest } from './shared-forest';
import type { TreeMessage, WorkerTask } from './forest-worker';
import type { FlatTree, TreeTarget } from './tree-builder';

/** How a fit runs; none of it changes the result. */
export interface FitRunOptions {
  /** Worker threads (default: available cores). Same seed → same forest whatever this is. */
  readonly nJobs?: number;
  /** Called after each tree with (trees done, trees in all). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Cancels the fit: the promise rejects with the signal's reason and no model is returned. */
  readonly signal?: AbortSignal;
}

/** Below this many row-trees, workers cost more than they save. */
const MIN_PARALLEL_WORK = 200_000;

function inThread(job: ForestJob, options: FitRunOptions): Promise<FlatTree[]> {
  return (async () => {
    const trees: FlatTree[] = [];
    for (let t = 0; t < job.treeSeeds.length; t++) {
      options.signal?.throwIfAborted();
      trees.push(growTree(job, t));
      options.onProgress?.(t + 1, job.treeSeeds.length);
      if (options.signal) await new Promise((resolve) => setImmediate(resolve)); // let an abort arrive
    }
    return trees;
  })();
}

/** The job as workers get it: big arrays in shared memory, the raw features left out (out-of-bag scoring stays here). */
function sharedJob(job: ForestJob): ForestJob {
  const target: TreeTarget =
    job.target.kind === 'regression'
      ? { kind: 'regression', y: shared(job.target.y) }
      : { kind: 'classification', y: shared(job.target.y), classes: job.target.classes };
  return {
    ...job,
    binned: { ...job.binned, codes: shared(job.binned.codes) },
    target,
    rowWeights: shared(job.rowWeights),
    x: new Float64Array(0),
  };
}

/**
 * Grows the trees on this thread and `workers − 1` worker threads. Each thread takes the next tree index
 * from a shared counter until none is left, so a slow thread holds up no one; a tree depends only on its
 * index, so which thread grows it changes nothing.
 */
function inWorkers(job: ForestJob, workers: number, options: FitRunOptions): Promise<FlatTree[]> {
  const total = job.treeSeeds.length;
  const trees = new Array<FlatTree>(total);
  const next = sharedArray(Int32Array, 1);
  const task: WorkerTask = { kind: 'grow', job: sharedJob(job), next };
  return new Promise((resolve, reject) => {
    let done = 0;
    let stopped = false;
    const pool: Worker[] = [];
    const stop = (error?: unknown) => {
      if (stopped) return;
      stopped = true;
      Atomics.store(next, 0, total); // no thread starts another tree
      pool.forEach((w) => void w.terminate());
      options.signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(trees);
      else reject(error);
    };
    const finished = (index: number, tree: FlatTree) => {
      trees[index] = tree;
      done++;
      options.onProgress?.(done, total);
      if (done === total) stop();
    };
    const onAbort = () => stop(options.signal!.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    for (let w = 1; w < workers; w++) {
      const worker = startWorker('forest-worker', task);
      pool.push(worker);
      worker.on('message', ({ index, tree }: TreeMessage) => {
        if (!stopped) finished(index, tree);
      });
      worker.on('error', (error) => stop(error));
      worker.on('exit', (code) => {
        if (done < total && code !== 0)
          stop(new Error(`a forest worker exited with code ${code} before its trees were done`));
      });
    }
    // This thread's share, a tree at a time, letting worker messages and an abort in between.
    const growHere = () => {
      if (stopped) return;
      const index = Atomics.add(next, 0, 1);
      if (index >= total) return;
      try {
        finished(index, growTree(job, index));
      } catch (error) {
        stop(error);
        return;
      }
      setImmediate(growHere);
    };
    setImmediate(growHere);
  });
}

/**
 * Fits a forest, on worker threads when the job is big enough. Trees are assigned by index and
 * each grows from its own seed, so the forest is identical for every `nJobs`.
 */
export async function fitForestAsync(
  x: Float64Array,
  rows: number,
  cols: number,
  target: TreeTarget,
  params: ForestParams = {},
  options: FitRunOptions = {},
): Promise<ForestData> {
  options.signal?.throwIfAborted();
  const nJobs = resolveJobs(options.nJobs, availableParallelism());
  const job = prepareForest(x, rows, cols, target, params);
  const workers = Math.min(nJobs, job.treeSeeds.length);
  const parallel = workers > 1 && rows * job.treeSeeds.length >= MIN_PARALLEL_WORK;
  const trees = parallel ? await inWorkers(job, workers, options) : await inThread(job, options);
  return forestOf(job, trees);
}

/**
 * `predictForestValues` on several threads for large batches: rows are cut into `nJobs` contiguous blocks, the first
 * predicted in this thread, the others on worker threads reading the forest from shared memory; the result is
 * identical to the in-thread one.
 */
export async function predictForestValuesAsync(
  forest: ForestData,
  x: Float64Array,
  rows: number,
  nJobs?: number,
): Promise<Float64Array> {
  const jobs = Math.min(resolveJobs(nJobs, availableParallelism()), rows);
  if (jobs < 2 || rows * forest.trees.length < MIN_PARALLEL_WORK * 10) return predictForestValues(forest, x, rows);
  const cols = forest.cols;
  const blocks = Array.from(
    { length: jobs },
    (_, b) => [Math.floor((b * rows) / jobs), Math.floor(((b + 1) * rows) / jobs)] as const,
  );
  const packedForest = sharedForest(forest);
  const others = blocks.slice(1).map(
    ([from, to]) =>
      new Promise<Float64Array>((resolve, reject) => {
        const task: WorkerTask = {
          kind: 'predict',
          forest: packedForest,
          x: x.slice(from * cols, to * cols),
          rows: to - from,
        };
        const worker = startWorker('forest-worker', task);
        worker.once('message', (values: Float64Array) => {
          void worker.terminate();
          resolve(values);
        });
        worker.once('error', reject);
      }),
  );
  const [from, to] = blocks[0]!;
  const parts = [
    predictForestValues(forest, x.subarray(from * cols, to * cols), to - from),
    ...(await Promise.all(others)),
  ];
  const out = new Float64Array(rows * forest.width);
  parts.forEach((part, b) => {
    out.set(part, blocks[b]![0] * forest.width);
  });
  return out;
}
