import { HISTOGRAMS_WASM } from './wasm/histograms-wasm';

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

/** The histogram kernels' WebAssembly module (`wasm/histograms.wat`), compiled once per thread. */
export function histogramsModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(HISTOGRAMS_WASM, 'base64'));
  return compiled;
}

/** The kernels, on byte offsets into their memory (see `wasm/histograms.wat`). */
export interface HistogramKernels {
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
}

/** The kernels of `module` working on `memory` (a worker thread makes its own on the memory it was given). */
export function histogramKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): HistogramKernels {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as HistogramKernels;
}

type Typed = Uint8Array | Int32Array | Float64Array;
type TypedKind<T extends Typed> = { new (buffer: ArrayBufferLike, offset: number, length: number): T } & {
  readonly BYTES_PER_ELEMENT: number;
};

/**
 * The memory a boosting fit builds its histograms in: the bin codes, gradients, hessians, row order and histograms
 * live in one shared WebAssembly memory, so the kernels read them where JavaScript writes them and worker threads
 * see them too (growing a shared memory leaves earlier arrays valid).
 */
export class HistogramMemory {
  readonly memory = new WebAssembly.Memory({ initial: 1, maximum: PAGE, shared: true });
  readonly kernels = histogramKernels(histogramsModule(), this.memory);
  private used = 0;

  /** A zeroed array of `length` elements in this memory, 64-byte aligned. */
  alloc<T extends Typed>(Kind: TypedKind<T>, length: number): T {
    const at = Math.ceil(this.used / 64) * 64;
    this.used = at + length * Kind.BYTES_PER_ELEMENT;
    const missing = Math.ceil(this.used / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (missing > 0) this.memory.grow(missing);
    return new Kind(this.memory.buffer, at, length);
  }

  /**
   * Fills features `[f0, f1)` of `hist` with Σ (g, h, 1) per bin over the rows `order[start, end)` of the row-major
   * byte `codes` (`cols` per row); every array is one of this memory's. Each feature's sums run in row order,
   * whichever features a call covers: splitting the features between threads changes no bit.
   */
  fill(
    codes: Uint8Array,
    cols: number,
    hist: Float64Array,
    g: Float64Array,
    h: Float64Array,
    order: Int32Array,
    start: number,
    end: number,
    f0: number,
    f1: number,
  ): void {
    const { kernels } = this;
    kernels.fill(
      codes.byteOffset,
      cols,
      hist.byteOffset,
      g.byteOffset,
      h.byteOffset,
      order.byteOffset,
      start,
      end,
      f0,
      f1,
    );
  }

  /** `into -= from`, element by element (two histograms of this memory). */
  subtract(into: Float64Array, from: Float64Array): void {
    this.kernels.subtract(into.byteOffset, from.byteOffset, into.length);
  }
}
