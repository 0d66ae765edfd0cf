import type { Worker } from 'node:worker_threads';
import { sharedArray } from '../shared/shared-arrays';
import { startWorker } from '../shared/workers';
import type { BinnedRows } from './grower';
import { HistogramMemory, histogramLength, histogramsModule } from './histograms';

/**
 * Where a boosting fit builds its histograms: the gradient, hessian and row-order arrays the fit loop and the
 * grower write, a pool of histograms, and the builds — WebAssembly kernels on one shared memory, in one thread or
 * split by features over worker threads. The same sums either way, so the model is byte-identical whatever `nJobs` is.
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
  /** Fills `hists[k]` with output k's histogram over every row (and leaves `order` the identity). */
  roots(hists: readonly Float64Array[]): void;
  /** `into -= from`: a sibling's histogram from its parent's. */
  subtract(into: Float64Array, from: Float64Array): void;
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
  protected readonly memory = new HistogramMemory();
  /** The row-major codes, copied into the kernels' memory. */
  protected readonly codes: Uint8Array;
  private readonly pool: Float64Array[] = [];

  constructor(
    protected readonly data: BinnedRows,
    outputs: number,
  ) {
    const { memory } = this;
    this.codes = memory.alloc(Uint8Array, data.codes.length);
    this.codes.set(data.codes);
    this.g = Array.from({ length: outputs }, () => memory.alloc(Float64Array, data.rows));
    this.h = Array.from({ length: outputs }, () => memory.alloc(Float64Array, data.rows));
    this.order = memory.alloc(Int32Array, data.rows);
  }
  take(): Float64Array {
    return this.pool.pop() ?? this.memory.alloc(Float64Array, histogramLength(this.data.cols));
  }
  give(hist: Float64Array): void {
    this.pool.push(hist);
  }
  build(hist: Float64Array, output: number, start: number, end: number): void {
    this.fill(hist, output, start, end, this.data.cols);
  }
  roots(hists: readonly Float64Array[]): void {
    for (let i = 0; i < this.data.rows; i++) this.order[i] = i;
    hists.forEach((hist, k) => {
      this.build(hist, k, 0, this.data.rows);
    });
  }
  subtract(into: Float64Array, from: Float64Array): void {
    this.memory.subtract(into, from);
  }
  close(): void {}

  /** Fills features `[0, f1)` of `hist` in this thread. */
  protected fill(hist: Float64Array, output: number, start: number, end: number, f1: number): void {
    const { codes, data, g, h, order } = this;
    this.memory.fill(codes, data.cols, hist, g[output]!, h[output]!, order, start, end, 0, f1);
  }
}

/** Slots of the control block shared with the workers. */
export const Control = {
  /** Bumped for every command. */
  Generation: 0,
  /** The command: an `Op`. */
  Op: 1,
  /** Workers done with the current command (or started, before the first). */
  Done: 2,
  /** Set by a worker that failed. */
  Failed: 3,
  /** A build's histogram (byte offset), row range and output. */
  Hist: 4,
  Start: 5,
  End: 6,
  Output: 7,
} as const;

/** Commands to the workers. */
export const Op = { Build: 1, Exit: 2 } as const;
type Op = (typeof Op)[keyof typeof Op];

/** What a histogram worker is started with: the kernels' module and memory, and byte offsets into it. */
export interface HistogramWorkerData {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly codes: number;
  readonly cols: number;
  readonly g: readonly number[];
  readonly h: readonly number[];
  readonly order: number;
  readonly control: Int32Array;
  /** The features this worker fills: [f0, f1). */
  readonly f0: number;
  readonly f1: number;
}

class SharedEngine extends LocalEngine {
  private readonly control = sharedArray(Int32Array, Control.Output + 1);
  private readonly workers: Worker[] = [];
  /** Features this thread fills: [0, mine). */
  private readonly mine: number;

  constructor(data: BinnedRows, outputs: number, threads: number) {
    super(data, outputs);
    const { cols } = data;
    const cut = (t: number) => Math.round((t * cols) / threads);
    this.mine = cut(1);
    for (let t = 1; t < threads; t++) {
      const workerData: HistogramWorkerData = {
        module: histogramsModule(),
        memory: this.memory.memory,
        codes: this.codes.byteOffset,
        cols,
        g: this.g.map((a) => a.byteOffset),
        h: this.h.map((a) => a.byteOffset),
        order: this.order.byteOffset,
        control: this.control,
        f0: cut(t),
        f1: cut(t + 1),
      };
      this.workers.push(startWorker('histogram-worker', workerData));
    }
    this.await(); // every worker has started
  }

  override build(hist: Float64Array, output: number, start: number, end: number): void {
    if ((end - start) * this.data.cols < MIN_SHARED_BUILD) {
      super.build(hist, output, start, end);
      return;
    }
    const { control } = this;
    control[Control.Hist] = hist.byteOffset;
    control[Control.Output] = output;
    control[Control.Start] = start;
    control[Control.End] = end;
    this.dispatch(Op.Build);
    this.fill(hist, output, start, end, this.mine);
    this.await();
  }
  override close(): void {
    this.dispatch(Op.Exit);
    for (const worker of this.workers) void worker.terminate();
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
