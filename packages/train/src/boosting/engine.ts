import type { Worker } from 'node:worker_threads';
import { sharedArray } from '../shared/shared-arrays';
import { startWorker } from '../shared/workers';
import type { BinnedRows } from './grower';
import { BIN, histogramLength, KernelMemory, kernelsModule, STRIDE } from './kernels';

/**
 * Where a boosting fit runs its hot loops: WebAssembly kernels on one shared memory holding the fit's bin codes,
 * gradients, hessians, row order and raw predictions, and a pool of histograms. Histograms are built in one thread
 * or split by features over worker threads — the same sums either way, so the model is byte-identical whatever
 * `nJobs` is.
 */
export interface BoostingEngine {
  /** Per output, the gradients and hessians of the training rows. */
  readonly g: readonly Float64Array[];
  readonly h: readonly Float64Array[];
  /** The row order the grower partitions. */
  readonly order: Int32Array;
  /** The raw predictions of the training rows, `outputs` per row (the fit loop sets the baseline). */
  readonly raw: Float64Array;
  /** The class index of each training row (classification; the fit loop fills it). */
  readonly labels: Int32Array;
  /** Sets `g` and `h` to the log loss's gradients and hessians at `raw` (binary, or softmax when several outputs). */
  classGradients(): void;
  /**
   * Reorders `order[start, end)` so the rows going left at a split on `feature` come first (each side keeping its
   * order); returns how many go left. Left: code ≤ `bin`, or missing and `missingLeft`; at a category split, the
   * codes whose bit is set in `set`.
   */
  partition(feature: number, start: number, end: number, bin: number, missingLeft: boolean, set?: Uint32Array): number;
  /** Adds `value` to output `k`'s raw prediction of the rows `order[start, end)`. */
  addToRows(k: number, start: number, end: number, value: number): void;
  /**
   * The best split of numeric feature `feature` of the leaf whose histogram is `hist`, when its gain beats `best`
   * (ties keep the first met: bins left to right with missing values right, then right to left with them left).
   */
  scanSplit(hist: Float64Array, feature: number, leaf: LeafSums, best: number): FoundSplit | undefined;
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

/** What a split search needs of a leaf: its sums, row count and score, and the growth limits. */
interface LeafSums {
  readonly sumG: number;
  readonly sumH: number;
  readonly count: number;
  /** G² / (H + l2), the leaf's own score. */
  readonly parent: number;
  readonly l2: number;
  readonly minSamplesLeaf: number;
}

/** A split found by `scanSplit`: its gain, bin, the left side's sums and count, and where missing values go. */
interface FoundSplit {
  readonly gain: number;
  readonly bin: number;
  readonly leftG: number;
  readonly leftH: number;
  readonly leftCount: number;
  readonly missingLeft: boolean;
}

/** Below this many feature values, worker threads cost more than they save. */
const MIN_PARALLEL_VALUES = 1_000_000;

/** Builds over fewer feature values than this stay in the calling thread: waking the workers costs more. */
const MIN_SHARED_BUILD = 50_000;

/** Polls of a shared counter before a thread sleeps on it (tens of microseconds). */
export const SPIN = 20_000;

/** How long the calling thread waits for a worker that does not move before giving up. */
const STALL_MS = 60_000;

/** A boosting engine for `data` with `outputs` gradient vectors, on `nJobs` threads when the data is big enough. */
export function createBoostingEngine(data: BinnedRows, outputs: number, nJobs: number): BoostingEngine {
  const threads = Math.min(nJobs, data.cols);
  return threads > 1 && data.rows * data.cols >= MIN_PARALLEL_VALUES
    ? new SharedEngine(data, outputs, threads)
    : new LocalEngine(data, outputs);
}

class LocalEngine implements BoostingEngine {
  readonly g: Float64Array[];
  readonly h: Float64Array[];
  readonly order: Int32Array;
  readonly raw: Float64Array;
  readonly labels: Int32Array;
  protected readonly memory = new KernelMemory();
  /** The row-major codes (what histograms read), copied into the kernels' memory. */
  protected readonly codes: Uint8Array;
  /** The column-major codes (what partitions read), likewise. */
  private readonly columns: Uint8Array;
  /** A partition's right side, and a category split's set, on their way. */
  private readonly scratch: Int32Array;
  private readonly set: Uint32Array;
  /** Where `scanSplit` reports a split. */
  private readonly found: Float64Array;
  private readonly pool: Float64Array[] = [];

  constructor(
    protected readonly data: BinnedRows,
    protected readonly outputs: number,
  ) {
    const { memory } = this;
    const { rows } = data;
    this.codes = memory.alloc(Uint8Array, data.codes.length);
    this.codes.set(data.codes);
    this.columns = memory.alloc(Uint8Array, data.columns.length);
    this.columns.set(data.columns);
    // One block per quantity, output after output (the softmax kernel writes them so).
    const gradients = memory.alloc(Float64Array, rows * outputs);
    const hessians = memory.alloc(Float64Array, rows * outputs);
    this.g = Array.from({ length: outputs }, (_, k) => gradients.subarray(k * rows, (k + 1) * rows));
    this.h = Array.from({ length: outputs }, (_, k) => hessians.subarray(k * rows, (k + 1) * rows));
    this.order = memory.alloc(Int32Array, rows);
    this.raw = memory.alloc(Float64Array, rows * outputs);
    this.labels = memory.alloc(Int32Array, rows);
    this.scratch = memory.alloc(Int32Array, rows);
    this.set = memory.alloc(Uint32Array, 8);
    this.found = memory.alloc(Float64Array, 6);
  }
  classGradients(): void {
    const { kernels } = this.memory;
    const { raw, labels, outputs } = this;
    const [g, h] = [this.g[0]!.byteOffset, this.h[0]!.byteOffset];
    if (outputs === 1) kernels.logisticGradients(raw.byteOffset, labels.byteOffset, this.data.rows, g, h);
    else kernels.softmaxGradients(raw.byteOffset, labels.byteOffset, this.data.rows, outputs, g, h);
  }
  partition(feature: number, start: number, end: number, bin: number, missingLeft: boolean, set?: Uint32Array): number {
    if (set) this.set.set(set);
    const column = this.columns.byteOffset + feature * this.data.rows;
    const { order, scratch } = this;
    const setAt = set ? this.set.byteOffset : 0;
    const left = Number(missingLeft);
    return this.memory.kernels.partition(column, order.byteOffset, scratch.byteOffset, start, end, bin, left, setAt);
  }
  addToRows(k: number, start: number, end: number, value: number): void {
    this.memory.kernels.addToRows(this.raw.byteOffset, this.order.byteOffset, start, end, this.outputs, k, value);
  }
  scanSplit(hist: Float64Array, feature: number, leaf: LeafSums, best: number): FoundSplit | undefined {
    const { data, found } = this;
    const last = (data.categories[feature] || data.edges[feature]!.length + 1) - 1;
    const missing = data.missing[feature]!;
    const { sumG, sumH, count, parent, l2, minSamplesLeaf } = leaf;
    const at = hist.byteOffset + feature * STRIDE * BIN * 8;
    const end = missing ? last + 1 : last;
    const better = this.memory.kernels.scanSplit(
      at,
      end,
      last,
      Number(missing),
      sumG,
      sumH,
      count,
      parent,
      l2,
      minSamplesLeaf,
      best,
      found.byteOffset,
    );
    if (!better) return undefined;
    return {
      gain: found[0]!,
      bin: found[1]!,
      leftG: found[2]!,
      leftH: found[3]!,
      leftCount: found[4]!,
      missingLeft: found[5] === 1,
    };
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
    this.memory.kernels.subtract(into.byteOffset, from.byteOffset, into.length);
  }
  close(): void {}

  /** Fills features `[0, f1)` of `hist` in this thread. */
  protected fill(hist: Float64Array, output: number, start: number, end: number, f1: number): void {
    const { codes, order } = this;
    const [g, h] = [this.g[output]!.byteOffset, this.h[output]!.byteOffset];
    this.memory.kernels.fill(
      codes.byteOffset,
      this.data.cols,
      hist.byteOffset,
      g,
      h,
      order.byteOffset,
      start,
      end,
      0,
      f1,
    );
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
        module: kernelsModule(),
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
