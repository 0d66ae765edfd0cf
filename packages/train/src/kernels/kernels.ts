import { sharedArray } from '../shared/shared-arrays';
import { KERNELS_WASM } from './kernels-wasm';

/** Bins of one feature in a histogram: codes are bytes. */
export const STRIDE = 256;

/** Doubles per bin: Σ gradient, Σ hessian, row count, and 0 (so a row's gradient and hessian add in one step). */
export const BIN = 4;

/** Doubles in one histogram of `cols` features. */
export function histogramLength(cols: number): number {
  return cols * STRIDE * BIN;
}

/** WebAssembly page size. */
const PAGE = 65_536;

let compiled: WebAssembly.Module | undefined;

/** The package's WebAssembly kernels (`kernels.wat`), compiled once per thread. */
function kernelsModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(KERNELS_WASM, 'base64'));
  return compiled;
}

/** The kernels, on byte offsets into their memory (see `kernels.wat`). */
export interface Kernels {
  fill(
    codes: number,
    cols: number,
    hist: number,
    g: number,
    h: number,
    order: number,
    start: number,
    end: number,
    f0: number,
    f1: number,
  ): void;
  subtract(into: number, from: number, length: number): void;
  partition(
    column: number,
    order: number,
    scratch: number,
    start: number,
    end: number,
    bin: number,
    missingLeft: number,
    set: number,
  ): number;
  addToRows(raw: number, order: number, start: number, end: number, value: number): void;
  exp(x: number): number;
  logisticGradients(raw: number, labels: number, start: number, end: number, g: number, h: number): void;
  softmaxGradients(
    raw: number,
    labels: number,
    start: number,
    end: number,
    rows: number,
    outputs: number,
    g: number,
    h: number,
  ): void;
  scanSplit(
    hist: number,
    end: number,
    last: number,
    missing: number,
    sumG: number,
    sumH: number,
    count: number,
    parent: number,
    l2: number,
    minLeaf: number,
    best: number,
    out: number,
  ): number;
  argsort(values: number, n: number, work: number, bits: number): number;
  bestSplit(
    tree: number,
    start: number,
    end: number,
    nodeStats: number,
    total: number,
    size: number,
    impurity: number,
    minLeaf: number,
    fused: number,
    out: number,
  ): void;
  partitionRows(tree: number, f: number, bin: number, start: number, end: number): number;
  sortColumn(
    x: number,
    rows: number,
    cols: number,
    c: number,
    column: number,
    work: number,
    bits: number,
    sorted: number,
    present: number,
  ): number;
  codeColumn(
    sorted: number,
    order: number,
    present: number,
    rows: number,
    edges: number,
    nEdges: number,
    missing: number,
    bins: number,
    codes: number,
    cols: number,
    c: number,
    wide: number,
  ): void;
}

/** The kernels of `module` working on `memory` (each thread instantiates its own on the shared memory). */
function kernelsOn(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernels {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Kernels;
}

type Typed = Uint8Array | Int32Array | Uint32Array | Float64Array;
type TypedKind<T extends Typed> = { new (buffer: ArrayBufferLike, offset: number, length: number): T } & {
  readonly BYTES_PER_ELEMENT: number;
};

/**
 * One shared WebAssembly memory and the kernels on it: the arrays the kernels touch — for a boosting fit (bin codes,
 * gradients, hessians, row order, raw predictions, histograms) — are allocated here, so the kernels read them where
 * JavaScript writes them and worker threads see them too. Any thread may allocate (the high-water mark is shared)
 * and grow it; growing a shared memory leaves earlier arrays valid.
 */
export class KernelMemory {
  readonly memory: WebAssembly.Memory;
  /** Bytes handed out so far, in slot 0 (shared by every thread on this memory). */
  readonly top: Int32Array;
  readonly kernels: Kernels;

  /** A new memory, or (in a worker thread) the one another thread shares with its high-water mark. */
  constructor(from?: { readonly memory: WebAssembly.Memory; readonly top: Int32Array }) {
    this.memory = from?.memory ?? new WebAssembly.Memory({ initial: 1, maximum: PAGE, shared: true });
    this.top = from?.top ?? sharedArray(Int32Array, 1);
    this.kernels = kernelsOn(kernelsModule(), this.memory);
  }

  /** A zeroed array of `length` elements in this memory, 64-byte aligned. */
  alloc<T extends Typed>(Kind: TypedKind<T>, length: number): T {
    const bytes = Math.ceil((length * Kind.BYTES_PER_ELEMENT) / 64) * 64;
    const at = Atomics.add(this.top, 0, bytes);
    const missing = Math.ceil((at + bytes) / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (missing > 0) this.memory.grow(missing);
    return this.view(Kind, at, length);
  }

  /** The array of `length` elements at byte `offset` (allocated by any thread). */
  view<T extends Typed>(Kind: TypedKind<T>, offset: number, length: number): T {
    return new Kind(this.memory.buffer, offset, length);
  }
}
