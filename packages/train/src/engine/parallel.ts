import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvalidInputError } from '@mlops/core';
import {
  forestOf,
  growTree,
  predictForestValues,
  prepareForest,
  type ForestData,
  type ForestJob,
  type ForestParams,
} from './forest';
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

function startWorker(task: WorkerTask): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const entry = new URL('./forest-worker.ts', here).href;
    return new Worker(new URL('./ts-worker-bootstrap.mjs', here), { workerData: { ...task, entry } });
  }
  return new Worker(new URL('./forest-worker.js', here), { workerData: task });
}

function resolveJobs(nJobs: number | undefined): number {
  const jobs = nJobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new InvalidInputError(`nJobs must be an integer ≥ 1, got ${jobs}`);
  return jobs;
}

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

function inWorkers(job: ForestJob, workers: number, options: FitRunOptions): Promise<FlatTree[]> {
  const total = job.treeSeeds.length;
  const trees = new Array<FlatTree>(total);
  return new Promise((resolve, reject) => {
    let done = 0;
    const pool: Worker[] = [];
    const stop = (error?: unknown) => {
      pool.forEach((w) => void w.terminate());
      options.signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(trees);
      else reject(error);
    };
    const onAbort = () => stop(options.signal!.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    for (let w = 0; w < workers; w++) {
      const indices = Array.from({ length: total }, (_, t) => t).filter((t) => t % workers === w);
      const worker = startWorker({ kind: 'grow', job: { ...job, x: new Float64Array(0) }, indices }); // raw x stays here
      pool.push(worker);
      worker.on('message', ({ index, tree }: TreeMessage) => {
        trees[index] = tree;
        done++;
        options.onProgress?.(done, total);
        if (done === total) stop();
      });
      worker.on('error', (error) => stop(error));
      worker.on('exit', (code) => {
        if (done < total && code !== 0)
          stop(new Error(`a forest worker exited with code ${code} before its trees were done`));
      });
    }
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
  const nJobs = resolveJobs(options.nJobs);
  const job = prepareForest(x, rows, cols, target, params);
  const workers = Math.min(nJobs, job.treeSeeds.length);
  const parallel = workers > 1 && rows * job.treeSeeds.length >= MIN_PARALLEL_WORK;
  const trees = parallel ? await inWorkers(job, workers, options) : await inThread(job, options);
  return forestOf(job, trees);
}

/**
 * `predictForestValues` on worker threads for large batches: rows are cut into `nJobs` contiguous
 * blocks, each predicted by every tree in its own thread; the result is identical to the in-thread one.
 */
export async function predictForestValuesAsync(
  forest: ForestData,
  x: Float64Array,
  rows: number,
  nJobs?: number,
): Promise<Float64Array> {
  const jobs = Math.min(resolveJobs(nJobs), rows);
  if (jobs < 2 || rows * forest.trees.length < MIN_PARALLEL_WORK * 10) return predictForestValues(forest, x, rows);
  const cols = forest.cols;
  const blocks = Array.from(
    { length: jobs },
    (_, b) => [Math.floor((b * rows) / jobs), Math.floor(((b + 1) * rows) / jobs)] as const,
  );
  const parts = await Promise.all(
    blocks.map(
      ([from, to]) =>
        new Promise<Float64Array>((resolve, reject) => {
          const worker = startWorker({ kind: 'predict', forest, x: x.slice(from * cols, to * cols), rows: to - from });
          worker.once('message', (values: Float64Array) => {
            void worker.terminate();
            resolve(values);
          });
          worker.once('error', reject);
        }),
    ),
  );
  const out = new Float64Array(rows * forest.width);
  parts.forEach((part, b) => {
    out.set(part, blocks[b]![0] * forest.width);
  });
  return out;
}
