import { type TransferListItem, Worker } from 'node:worker_threads';
import { InvalidInputError } from '@mlops/core';

/** Worker-thread entries: their sources, relative to this file (the build puts each next to the bundle as `<name>.js`). */
const SOURCES = {
  'forest-worker': '../engine/forest-worker.ts',
  'histogram-worker': '../boosting/histogram-worker.ts',
  'search-worker': '../model-selection/search-worker.ts',
} as const;

/** Starts worker entry `name` with `workerData`, from the built package or (tests, tsx) from the TypeScript sources. */
export function startWorker(
  name: keyof typeof SOURCES,
  workerData: unknown,
  transferList: readonly TransferListItem[] = [],
): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const entry = new URL(SOURCES[name], here).href;
    return new Worker(new URL('./ts-worker-bootstrap.mjs', here), {
      workerData: { entry, data: workerData },
      transferList: [...transferList],
    });
  }
  return new Worker(new URL(`./${name}.js`, here), { workerData, transferList: [...transferList] });
}

/** A thread count option: `nJobs`, or `fallback` when absent; `InvalidInputError` unless a whole number ≥ 1. */
export function resolveJobs(nJobs: number | undefined, fallback: number): number {
  const jobs = nJobs ?? fallback;
  if (!Number.isInteger(jobs) || jobs < 1) throw new InvalidInputError(`nJobs must be an integer ≥ 1, got ${jobs}`);
  return jobs;
}
