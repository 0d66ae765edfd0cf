import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { shared, sharedArray } from '../shared/shared-arrays';
import { startWorker } from '../shared/workers';
import type { BinnedRows } from './grower';
import { fillHistogram, fillRootHistograms, histogramLength, STRIDE } from './histograms';

/**
 * Where a boosting fit builds its histograms: the gradient, hessian and row-order arrays the fit loop and the
 * grower write, a pool of histograms, and the two builds. In one thread, or split by features over worker threads
 * sharing those arrays — the same sums either way, so the model is byte-identical whatever `nJobs` is.
 */
export interface HistogramEngine {
  /** Per output, the gradients and hessians of the training rows (the fit loop writes them). */
  readonly g: readonly Float64Array[];
  readonly h: readonly Float64Array[];
  /** The row order the grower partitions. */
  readonly order: Int32Array;
  /** A histogram from the pool (contents undefined). */
  take(): Float64Array;
  /** Returns a histogram to the pool. */
  give(hist: Float64Array): void;
  /** Fills `hist` from output `output`'s gradients over the rows `order[start, end)`. */
  build(hist: Float64Array, output: number, start: number, end: number): void;
  /** Fills `hists[k]` with output k's histogram over every row, in one pass. */
  roots(hists: readonly Float64Array[]): void;
  /** Stops the worker threads (a no-op in one thread). */
  close(): void;
}

/** Below this many feature values, worker threads cost more than they save. */
const MIN_PARALLEL_VALUES = 1_000_000;

/** Builds over fewer feature values than this stay in the calling thread: waking the workers costs more. */
const MIN_SHARED_BUILD = 50_000;

/** Polls of a shared counter before a thread sleeps on it (tens of microseconds). */
export const SPIN = 20_000;

/** How long the calling thread waits for a worker that does not move before giving up. */
const STALL_MS = 60_000;

/** A histogram engine for `data` with `outputs` gradient vectors, on `nJobs` threads when the data is big enough. */
export function createHistogramEngine(data: BinnedRows, outputs: number, nJobs: number): HistogramEngine {
  const threads = Math.min(nJobs, data.cols);
  return threads > 1 && data.rows * data.cols >= MIN_PARALLEL_VALUES
    ? new SharedEngine(data, outputs, threads)
    : new LocalEngine(data, outputs);
}

class LocalEngine implements HistogramEngine {
  readonly g: Float64Array[];
  readonly h: Float64Array[];
  readonly order: Int32Array;
  private readonly pool: Float64Array[] = [];
  private readonly scratch: Float64Array;

  constructor(
    private readonly data: BinnedRows,
    outputs: number,
  ) {
    this.g = Array.from({ length: outputs }, () => new Float64Array(data.rows));
    this.h = Array.from({ length: outputs }, () => new Float64Array(data.rows));
    this.order = new Int32Array(data.rows);
    this.scratch = new Float64Array(outputs > 1 ? data.cols * STRIDE * (2 * outputs + 1) : 0);
  }
  take(): Float64Array {
    return this.pool.pop() ?? new Float64Array(histogramLength(this.data.cols));
  }
  give(hist: Float64Array): void {
    this.pool.push(hist);
  }
  build(hist: Float64Array, output: number, start: number, end: number): void {
    const { codes, cols } = this.data;
    fillHistogram(codes, cols, hist, this.g[output]!, this.h[output]!, this.order, start, end, 0, cols);
  }
  roots(hists: readonly Float64Array[]): void {
    const { codes, cols, rows } = this.data;
    if (hists.length === 1) {
      for (let i = 0; i < rows; i++) this.order[i] = i;
      fillHistogram(codes, cols, hists[0]!, this.g[0]!, this.h[0]!, this.order, 0, rows, 0, cols);
    } else fillRootHistograms(codes, cols, rows, hists, this.g, this.h, this.scratch, 0, cols);
  }
  close(): void {}
}

/** Slots of the control block shared with the workers. */
export const Control = {
  /** Bumped for every command. */
  Generation: 0,
  /** The command: an `Op`. */
  Op: 1,
  /** A build's histogram id, row range and output. */
  Hist: 2,
  Start: 3,
  End: 4,
  Output: 5,
  /** Workers done with the current command (or started, before the first). */
  Done: 6,
  /** Set by a worker that failed. */
  Failed: 7,
  /** Histogram ids of the roots, one per output. */
  Roots: 8,
} as const;

/** Commands to the workers. */
export const Op = { Build: 1, Roots: 2, Exit: 3 } as const;
type Op = (typeof Op)[keyof typeof Op];

/** What a histogram worker is started with. */
export interface HistogramWorkerData {
  readonly codes: Uint8Array;
  readonly rows: number;
  readonly cols: number;
  readonly g: readonly Float64Array[];
  readonly h: readonly Float64Array[];
  readonly order: Int32Array;
  readonly control: Int32Array;
  /** The features this worker fills: [f0, f1). */
  readonly f0: number;
  readonly f1: number;
  /** Where new histograms arrive as `{ id, hist }`. */
  readonly port: MessagePort;
}

class SharedEngine implements HistogramEngine {
  readonly g: Float64Array[];
  readonly h: Float64Array[];
  readonly order: Int32Array;
  private readonly control: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly ids = new Map<Float64Array, number>();
  private readonly pool: Float64Array[] = [];
  private readonly scratch: Float64Array;
  /** Features this thread fills: [0, mine). */
  private readonly mine: number;

  constructor(
    private readonly data: BinnedRows,
    outputs: number,
    threads: number,
  ) {
    const { rows, cols } = data;
    this.g = Array.from({ length: outputs }, () => sharedArray(Float64Array, rows));
    this.h = Array.from({ length: outputs }, () => sharedArray(Float64Array, rows));
    this.order = sharedArray(Int32Array, rows);
    this.control = sharedArray(Int32Array, Control.Roots + outputs);
    const codes = shared(data.codes);
    const cut = (t: number) => Math.round((t * cols) / threads);
    this.mine = cut(1);
    this.scratch = new Float64Array(outputs > 1 ? this.mine * STRIDE * (2 * outputs + 1) : 0);
    for (let t = 1; t < threads; t++) {
      const { port1, port2 } = new MessageChannel();
      const workerData: HistogramWorkerData = {
        codes,
        rows,
        cols,
        g: this.g,
        h: this.h,
        order: this.order,
        control: this.control,
        f0: cut(t),
        f1: cut(t + 1),
        port: port2,
      };
      this.workers.push(startWorker('histogram-worker', workerData, [port2]));
      this.ports.push(port1);
    }
    this.await(); // every worker has started
  }

  take(): Float64Array {
    const pooled = this.pool.pop();
    if (pooled) return pooled;
    const hist = sharedArray(Float64Array, histogramLength(this.data.cols));
    const id = this.ids.size;
    this.ids.set(hist, id);
    for (const port of this.ports) port.postMessage({ id, hist });
    return hist;
  }
  give(hist: Float64Array): void {
    this.pool.push(hist);
  }
  build(hist: Float64Array, output: number, start: number, end: number): void {
    const { codes, cols } = this.data;
    if ((end - start) * cols < MIN_SHARED_BUILD) {
      fillHistogram(codes, cols, hist, this.g[output]!, this.h[output]!, this.order, start, end, 0, cols);
      return;
    }
    const { control } = this;
    control[Control.Hist] = this.ids.get(hist)!;
    control[Control.Output] = output;
    control[Control.Start] = start;
    control[Control.End] = end;
    this.dispatch(Op.Build);
    fillHistogram(codes, cols, hist, this.g[output]!, this.h[output]!, this.order, start, end, 0, this.mine);
    this.await();
  }
  roots(hists: readonly Float64Array[]): void {
    const { codes, cols, rows } = this.data;
    if (hists.length === 1) {
      for (let i = 0; i < rows; i++) this.order[i] = i;
      this.build(hists[0]!, 0, 0, rows);
      return;
    }
    hists.forEach((hist, k) => {
      this.control[Control.Roots + k] = this.ids.get(hist)!;
    });
    this.dispatch(Op.Roots);
    fillRootHistograms(codes, cols, rows, hists, this.g, this.h, this.scratch, 0, this.mine);
    this.await();
  }
  close(): void {
    this.dispatch(Op.Exit);
    for (const worker of this.workers) void worker.terminate();
    for (const port of this.ports) port.close();
  }

  private dispatch(op: Op): void {
    const { control } = this;
    control[Control.Op] = op;
    Atomics.store(control, Control.Done, 0);
    Atomics.add(control, Control.Generation, 1);
    Atomics.notify(control, Control.Generation);
  }

  /** Blocks until every worker is done with the current command. */
  private await(): void {
    const { control } = this;
    const workers = this.workers.length;
    // Spin a little first: the workers are usually about done, and sleeping costs a wake-up.
    for (let spin = 0; spin < SPIN && Atomics.load(control, Control.Done) < workers; spin++);
    for (let done = Atomics.load(control, Control.Done); done < workers; done = Atomics.load(control, Control.Done)) {
      if (Atomics.wait(control, Control.Done, done, STALL_MS) === 'timed-out') {
        this.close();
        throw new Error(`a histogram worker did not answer for ${STALL_MS / 1000} s (did it fail to start?)`);
      }
    }
    if (Atomics.load(control, Control.Failed)) {
      this.close();
      throw new Error('a histogram worker failed');
    }
  }
}
