import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { sharedArray } from '../shared/shared-arrays';
import { startWorker } from '../shared/workers';
import { type BinnedRows, type BoostedTree, createTreeGrower, type GrowLimits, type TreeGrower } from './grower';
import { BIN, histogramLength, KernelMemory, type Kernels, STRIDE } from '../kernels/kernels';

/**
 * Where a boosting fit runs: its arrays in one shared WebAssembly memory, the kernels on them, and the threads. On
 * several threads a multiclass fit grows each iteration's trees side by side (one per output, each thread taking
 * the next), a binary or regression fit splits each histogram's features between the threads. Either way every tree
 * is what one thread would grow, so the model is byte-identical whatever `nJobs` is.
 */
export interface BoostingEngine {
  /** Per output, the gradients and hessians of the training rows. */
  readonly g: readonly Float64Array[];
  readonly h: readonly Float64Array[];
  /** The raw predictions of the training rows, output after output (the fit loop sets the baseline). */
  readonly raw: Float64Array;
  /** The class index of each training row (classification; the fit loop fills it). */
  readonly labels: Int32Array;
  /** Sets `g` and `h` to the log loss's gradients and hessians at `raw` (binary, or softmax when several outputs). */
  classGradients(): void;
  /** Grows this iteration's tree of every output on the current gradients, adding their leaf values to `raw`. */
  growTrees(): BoostedTree[];
  /** Stops the worker threads (a no-op in one thread). */
  close(): void;
}

/** Below this many feature values, worker threads cost more than they save. */
const MIN_PARALLEL_VALUES = 1_000_000;

/** Histograms over fewer feature values than this stay in the calling thread: waking the workers costs more. */
const MIN_SHARED_BUILD = 50_000;

/** Polls of a shared counter before a thread sleeps on it (tens of microseconds). */
export const SPIN = 20_000;

/** How long the calling thread waits for a worker that does not move before giving up. */
const STALL_MS = 60_000;

/** A boosting engine for `data` with `outputs` gradient vectors, on `nJobs` threads when the data is big enough. */
export function createBoostingEngine(
  data: BinnedRows,
  outputs: number,
  limits: GrowLimits,
  nJobs: number,
): BoostingEngine {
  const threads = data.rows * data.cols >= MIN_PARALLEL_VALUES ? Math.min(nJobs, outputs > 1 ? outputs : data.cols) : 1;
  return new Engine(data, outputs, limits, threads);
}

/** The arrays of a fit that every thread shares. */
export interface FitArrays {
  /** Bin codes, row-major (what histograms read) and column-major (what partitions read). */
  readonly codes: Uint8Array;
  readonly columns: Uint8Array;
  /** Gradients, hessians and raw predictions, output after output (so threads growing trees of different outputs write apart). */
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  readonly raw: Float64Array;
  readonly labels: Int32Array;
}

/** Where each of a fit's shared arrays is (byte offsets), for another thread. */
type FitOffsets = { readonly [K in keyof FitArrays]: number };

/** The length of each shared array of a fit on `rows` × `cols` with `outputs` outputs. */
function fitLengths(rows: number, cols: number, outputs: number): { readonly [K in keyof FitArrays]: number } {
  const perOutput = rows * outputs;
  return {
    codes: rows * cols,
    columns: rows * cols,
    gradients: perOutput,
    hessians: perOutput,
    raw: perOutput,
    labels: rows,
  };
}

/** The shared arrays of a fit: allocated in `memory`, or (`offsets` given) found there. */
function fitArrays(memory: KernelMemory, rows: number, cols: number, outputs: number, offsets?: FitOffsets): FitArrays {
  const length = fitLengths(rows, cols, outputs);
  const get = <T extends Uint8Array | Int32Array | Float64Array>(
    Kind: { new (buffer: ArrayBufferLike, offset: number, length: number): T; readonly BYTES_PER_ELEMENT: number },
    name: keyof FitArrays,
  ): T => (offsets ? memory.view(Kind, offsets[name], length[name]) : memory.alloc(Kind, length[name]));
  return {
    codes: get(Uint8Array, 'codes'),
    columns: get(Uint8Array, 'columns'),
    gradients: get(Float64Array, 'gradients'),
    hessians: get(Float64Array, 'hessians'),
    raw: get(Float64Array, 'raw'),
    labels: get(Int32Array, 'labels'),
  };
}

/** Sets the log loss's gradients and hessians of rows [start, end) at their raw predictions (softmax: `outputs` > 1). */
export function classGradients(
  kernels: Kernels,
  arrays: FitArrays,
  rows: number,
  outputs: number,
  start: number,
  end: number,
): void {
  const [raw, labels, g, h] = [arrays.raw, arrays.labels, arrays.gradients, arrays.hessians].map((a) => a.byteOffset);
  if (outputs === 1) kernels.logisticGradients(raw!, labels!, start, end, g!, h!);
  else kernels.softmaxGradients(raw!, labels!, start, end, rows, outputs, g!, h!);
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

/** What one thread's tree grower works with: the fit's shared arrays, and its own row order, histograms and scratch. */
export class TreeWorkspace {
  /** Per output, the gradients and hessians (views of the shared arrays). */
  readonly g: readonly Float64Array[];
  readonly h: readonly Float64Array[];
  /** The row order the grower partitions (this thread's own). */
  readonly order: Int32Array;
  /** A partition's right side, a category split's set on its way in, and where `scanSplit` reports. */
  private readonly scratch: Int32Array;
  private readonly set: Uint32Array;
  private readonly found: Float64Array;
  private readonly pool: Float64Array[] = [];

  constructor(
    protected readonly memory: KernelMemory,
    readonly data: BinnedRows,
    protected readonly arrays: FitArrays,
    readonly outputs: number,
  ) {
    const { rows } = data;
    this.g = Array.from({ length: outputs }, (_, k) => arrays.gradients.subarray(k * rows, (k + 1) * rows));
    this.h = Array.from({ length: outputs }, (_, k) => arrays.hessians.subarray(k * rows, (k + 1) * rows));
    this.order = memory.alloc(Int32Array, rows);
    this.scratch = memory.alloc(Int32Array, rows);
    this.set = memory.alloc(Uint32Array, 8);
    this.found = memory.alloc(Float64Array, 6);
  }

  /** Grows output `k`'s tree with `grow` (a grower on this workspace) and adds its leaf values to the raw predictions. */
  growTree(grow: TreeGrower, k: number): BoostedTree {
    const { order } = this;
    for (let i = 0; i < order.length; i++) order[i] = i;
    const root = this.take();
    this.build(root, k, 0, order.length);
    const raw = this.arrays.raw.byteOffset + k * order.length * 8; // output k's raw predictions
    const { kernels } = this.memory;
    return grow(k, root, (start, end, value) => kernels.addToRows(raw, order.byteOffset, start, end, value));
  }

  /**
   * Reorders `order[start, end)` so the rows going left at a split on `feature` come first (each side keeping its
   * order); returns how many go left. Left: code ≤ `bin`, or missing and `missingLeft`; at a category split, the
   * codes whose bit is set in `set`.
   */
  partition(feature: number, start: number, end: number, bin: number, missingLeft: boolean, set?: Uint32Array): number {
    if (set) this.set.set(set);
    const column = this.arrays.columns.byteOffset + feature * this.data.rows;
    const { order, scratch } = this;
    const setAt = set ? this.set.byteOffset : 0;
    const left = Number(missingLeft);
    return this.memory.kernels.partition(column, order.byteOffset, scratch.byteOffset, start, end, bin, left, setAt);
  }

  /**
   * The best split of numeric feature `feature` of the leaf whose histogram is `hist`, when its gain beats `best`
   * (ties keep the first met: bins left to right with missing values right, then right to left with them left).
   */
  scanSplit(hist: Float64Array, feature: number, leaf: LeafSums, best: number): FoundSplit | undefined {
    const { data, found } = this;
    const last = (data.categories[feature] || data.edges[feature]!.length + 1) - 1;
    const missing = data.missing[feature]!;
    const { sumG, sumH, count, parent, l2, minSamplesLeaf } = leaf;
    const at = hist.byteOffset + feature * STRIDE * BIN * 8;
    const end = missing ? last + 1 : last;
    const out = found.byteOffset;
    const { kernels } = this.memory;
    if (!kernels.scanSplit(at, end, last, +missing, sumG, sumH, count, parent, l2, minSamplesLeaf, best, out)) return;
    return {
      gain: found[0]!,
      bin: found[1]!,
      leftG: found[2]!,
      leftH: found[3]!,
      leftCount: found[4]!,
      missingLeft: found[5] === 1,
    };
  }

  /** A histogram from the pool (contents undefined). */
  take(): Float64Array {
    return this.pool.pop() ?? this.memory.alloc(Float64Array, histogramLength(this.data.cols));
  }
  /** Returns a histogram to the pool. */
  give(hist: Float64Array): void {
    this.pool.push(hist);
  }
  /** `into -= from`: a sibling's histogram from its parent's. */
  subtract(into: Float64Array, from: Float64Array): void {
    this.memory.kernels.subtract(into.byteOffset, from.byteOffset, into.length);
  }
  /** Fills `hist` from output `output`'s gradients over the rows `order[start, end)`. */
  build(hist: Float64Array, output: number, start: number, end: number): void {
    this.fill(hist, output, start, end, 0, this.data.cols);
  }

  /** Fills features `[f0, f1)` of `hist` in this thread. */
  fill(hist: Float64Array, output: number, start: number, end: number, f0: number, f1: number): void {
    const { codes } = this.arrays;
    const [g, h, order] = [this.g[output]!.byteOffset, this.h[output]!.byteOffset, this.order.byteOffset];
    this.memory.kernels.fill(codes.byteOffset, this.data.cols, hist.byteOffset, g, h, order, start, end, f0, f1);
  }
}

/** A workspace whose big histograms are split by features between this thread and the workers (when `shared`). */
class FeatureSplitWorkspace extends TreeWorkspace {
  /** Whether the workers help (not while they grow trees of their own). */
  shared = true;

  constructor(
    memory: KernelMemory,
    data: BinnedRows,
    arrays: FitArrays,
    outputs: number,
    private readonly workers: WorkerPool,
    /** Features this thread fills: [0, mine). */
    private readonly mine: number,
  ) {
    super(memory, data, arrays, outputs);
  }
  override build(hist: Float64Array, output: number, start: number, end: number): void {
    if (!this.shared || (end - start) * this.data.cols < MIN_SHARED_BUILD) {
      super.build(hist, output, start, end);
      return;
    }
    const { control } = this.workers;
    control[Control.Hist] = hist.byteOffset;
    control[Control.Output] = output;
    control[Control.Start] = start;
    control[Control.End] = end;
    this.workers.dispatch(Op.Build);
    this.fill(hist, output, start, end, 0, this.mine);
    this.workers.await();
  }
}

class Engine implements BoostingEngine {
  readonly g: readonly Float64Array[];
  readonly h: readonly Float64Array[];
  readonly raw: Float64Array;
  readonly labels: Int32Array;
  private readonly memory = new KernelMemory();
  private readonly arrays: FitArrays;
  private readonly workspace: TreeWorkspace;
  private readonly grow: TreeGrower;
  /** The worker threads, when there are any; by trees when several outputs, else by features. */
  private readonly workers: WorkerPool | undefined;

  constructor(
    private readonly data: BinnedRows,
    private readonly outputs: number,
    limits: GrowLimits,
    threads: number,
  ) {
    const { memory } = this;
    const { rows, cols } = data;
    const arrays = fitArrays(memory, rows, cols, outputs);
    arrays.codes.set(data.codes);
    arrays.columns.set(data.columns);
    this.arrays = arrays;
    this.raw = arrays.raw;
    this.labels = arrays.labels;
    const cut = (t: number) => Math.round((t * cols) / threads);
    const workers = threads > 1 ? new WorkerPool() : undefined;
    this.workers = workers;
    this.workspace = workers
      ? new FeatureSplitWorkspace(memory, data, arrays, outputs, workers, cut(1))
      : new TreeWorkspace(memory, data, arrays, outputs);
    const offsets = Object.fromEntries(Object.entries(arrays).map(([name, a]) => [name, a.byteOffset])) as FitOffsets;
    workers?.start(threads - 1, (t, port) => ({
      memory: memory.memory,
      top: memory.top,
      arrays: offsets,
      rows,
      cols,
      edges: data.edges,
      categories: data.categories,
      missing: data.missing,
      outputs,
      limits,
      port,
      order: this.workspace.order.byteOffset,
      thread: t,
      f0: cut(t),
      f1: cut(t + 1),
    }));
    this.g = this.workspace.g;
    this.h = this.workspace.h;
    this.grow = createTreeGrower(data, limits, this.workspace);
  }

  classGradients(): void {
    const { workers, data } = this;
    if (!workers) {
      classGradients(this.memory.kernels, this.arrays, data.rows, this.outputs, 0, data.rows);
      return;
    }
    // Rows split between the threads, this one first.
    const share = Math.ceil(data.rows / (workers.size + 1));
    workers.control[Control.Start] = share;
    workers.dispatch(Op.Gradients);
    classGradients(this.memory.kernels, this.arrays, data.rows, this.outputs, 0, share);
    workers.await();
  }

  growTrees(): BoostedTree[] {
    const { workers, workspace, grow, outputs } = this;
    if (!workers || !(workspace instanceof FeatureSplitWorkspace))
      return Array.from({ length: outputs }, (_, k) => workspace.growTree(grow, k));
    // One tree a thread while every thread has one (each takes the next output), the workers posting theirs; the
    // trees left over grown here, the workers helping with their histograms.
    const trees: BoostedTree[] = new Array(outputs);
    const side = outputs - (outputs % (workers.size + 1));
    if (side > 0) {
      const { control } = workers;
      Atomics.store(control, Control.Next, 0);
      control[Control.Last] = side;
      workers.dispatch(Op.Grow);
      workspace.shared = false;
      for (let k = Atomics.add(control, Control.Next, 1); k < side; k = Atomics.add(control, Control.Next, 1))
        trees[k] = workspace.growTree(grow, k);
      workers.await();
      workspace.shared = true;
      for (const port of workers.ports) {
        for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
          const { k, tree } = m.message as { k: number; tree: BoostedTree };
          trees[k] = tree;
        }
      }
    }
    for (let k = side; k < outputs; k++) trees[k] = workspace.growTree(grow, k);
    return trees;
  }

  close(): void {
    this.workers?.close();
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
  /** The next output whose tree is to grow, and the end of those grown one a thread. */
  Next: 8,
  Last: 9,
} as const;

/** Commands to the workers: fill a share of a histogram's features, grow trees, compute a share of the gradients, exit. */
export const Op = { Build: 1, Grow: 2, Gradients: 3, Exit: 4 } as const;
type Op = (typeof Op)[keyof typeof Op];

/** What a boosting worker is started with: the fit's memory and where its arrays are, the data's bins, the limits. */
export interface BoostingWorkerData extends Omit<BinnedRows, 'codes' | 'columns'> {
  readonly memory: WebAssembly.Memory;
  readonly top: Int32Array;
  readonly arrays: FitOffsets;
  readonly outputs: number;
  readonly limits: GrowLimits;
  readonly control: Int32Array;
  /** Where the worker posts the trees it grows (`{ k, tree }`). */
  readonly port: MessagePort;
  /** This worker's number (the calling thread is 0). */
  readonly thread: number;
  /** For histogram builds: the calling thread's row order (byte offset) and this worker's features [f0, f1). */
  readonly order: number;
  readonly f0: number;
  readonly f1: number;
}

/** A boosting worker's view of the fit: the shared arrays and bins, rebuilt from its start data. */
export function workerFit(d: BoostingWorkerData): { memory: KernelMemory; data: BinnedRows; arrays: FitArrays } {
  const memory = new KernelMemory({ memory: d.memory, top: d.top });
  const arrays = fitArrays(memory, d.rows, d.cols, d.outputs, d.arrays);
  const { codes, columns } = arrays;
  const data: BinnedRows = { ...d, codes, columns };
  return { memory, data, arrays };
}

/** Worker threads driven through a shared control block, each with a port for what it sends back. */
class WorkerPool {
  readonly control = sharedArray(Int32Array, Control.Last + 1);
  readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];

  /** How many workers there are. */
  get size(): number {
    return this.workers.length;
  }

  /** Starts `count` workers, worker t (from 1) with `dataFor(t, port)` and this pool's control block. */
  start(count: number, dataFor: (t: number, port: MessagePort) => Omit<BoostingWorkerData, 'control'>): void {
    for (let t = 1; t <= count; t++) {
      const { port1, port2 } = new MessageChannel();
      const workerData = { ...dataFor(t, port2), control: this.control };
      this.workers.push(startWorker('histogram-worker', workerData, [port2]));
      this.ports.push(port1);
    }
    this.await(); // every worker has started
  }

  dispatch(op: Op): void {
    const { control } = this;
    control[Control.Op] = op;
    Atomics.store(control, Control.Done, 0);
    Atomics.add(control, Control.Generation, 1);
    Atomics.notify(control, Control.Generation);
  }

  /** Blocks until every worker is done with the current command. */
  await(): void {
    const { control } = this;
    const workers = this.workers.length;
    // Spin a little first: the workers are usually about done, and sleeping costs a wake-up.
    for (let spin = 0; spin < SPIN && Atomics.load(control, Control.Done) < workers; spin++);
    for (let done = Atomics.load(control, Control.Done); done < workers; done = Atomics.load(control, Control.Done)) {
      if (Atomics.wait(control, Control.Done, done, STALL_MS) === 'timed-out') {
        this.close();
        throw new Error(`a boosting worker did not answer for ${STALL_MS / 1000} s (did it fail to start?)`);
      }
    }
    if (Atomics.load(control, Control.Failed)) {
      this.close();
      throw new Error('a boosting worker failed');
    }
  }

  close(): void {
    this.dispatch(Op.Exit);
    for (const worker of this.workers) void worker.terminate();
    for (const port of this.ports) port.close();
  }
}
