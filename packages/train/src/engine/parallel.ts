import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvalidInputError } from '@mlops/core';
import { forestOf, growTree, prepareForest, type ForestData, type ForestJob, type ForestParams } from './forest';
import type { TreeMessage } from './forest-worker';
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

function workerEntry(): { url: URL; entry?: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./ts-worker-bootstrap.mjs', here), entry: new URL('./forest-worker.ts', here).href };
  return { url: new URL('./forest-worker.js', here) };
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
  const { url, entry } = workerEntry();
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
      const worker = new Worker(url, { workerData: { job, indices, entry } });
      pool.push(worker);
      worker.on('message', ({ index, tree }: TreeMessage) => {
        trees[index] = tree;
        done++;
        options.onProgress?.(done, total);
        if (done === total) stop();
      });
      worker.on('error', (error) => stop(error));
      worker.on('exit', (code) => {
        if (done < total && code !== 0) stop(new Error(`a forest worker exited with code ${code} before its trees were done`));
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
  const nJobs = options.nJobs ?? availableParallelism();
  if (!Number.isInteger(nJobs) || nJobs < 1) throw new InvalidInputError(`nJobs must be an integer ≥ 1, got ${nJobs}`);
  const job = prepareForest(x, rows, cols, target, params);
  const workers = Math.min(nJobs, job.treeSeeds.length);
  const parallel = workers > 1 && rows * job.treeSeeds.length >= MIN_PARALLEL_WORK;
  const trees = parallel ? await inWorkers(job, workers, options) : await inThread(job, options);
  return forestOf(job, trees);
}
